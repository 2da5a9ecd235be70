/** The platform's merchant JSON API (cookie session `lj_m`), typed for the console. */

/** A failed API call: the platform's `{error:{code,message,details}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { reason?: string; [k: string]: unknown } | undefined;
  constructor(status: number, code: string, message: string, details?: ApiError['details']) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** What to show a person for a failed call: the API's own message, else the error's text. */
export const errorText = (e: unknown): string => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

/** One JSON call with the session cookie; a non-2xx answer throws an ApiError. */
export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: ApiError['details'] } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}

export const enc = encodeURIComponent;

/** Shorthands; sections add their own typed calls next to their pages (e.g. sections/pay/api.ts). */
export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  del: <T>(path: string) => call<T>('DELETE', path),
};

export type Permission =
  | 'settings'
  | 'followers'
  | 'inbox'
  | 'broadcast'
  | 'pay.read'
  | 'pay.charge'
  | 'pay.refund'
  | 'pay.payout'
  | 'pay.keys'
  | 'developer'
  | 'analytics'
  | 'team';

export type Role = 'owner' | 'operator' | 'cs' | 'finance';
export const ROLES: readonly Role[] = ['owner', 'operator', 'cs', 'finance'];

export interface Me {
  user: { id: string; email: string; name: string; role: Role };
  org: { id: string; name: string; status: string };
  permissions: Permission[];
}

export interface Account {
  id: string;
  name: string;
  type: 'service' | 'subscription';
  description: string;
  avatarUrl: string | null;
  appid: string;
  originalId: string;
  status: string;
  callbackUrl: string | null;
  token: string;
  encodingAESKey: string;
  msgMode: 'plain' | 'compatible' | 'safe';
  welcomeMessage: string | null;
  webDomain: string | null;
  jssdkDomain: string | null;
  ipAllowlist: string[];
  createdAt: string;
}

export const auth = {
  me: () => api.get<Me>('/api/v1/merchant/me'),
  signIn: (b: { email: string; password: string }) => api.post<unknown>('/api/v1/merchant/signin', b),
  signUp: (b: { orgName: string; name: string; email: string; password: string }) => api.post<unknown>('/api/v1/merchant/signup', b),
  signOut: () => api.post<unknown>('/api/v1/merchant/signout'),
};
