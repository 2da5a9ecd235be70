import { ApiError } from '../lib/api.ts';

/** The platform's consent API for a pending `/connect/oauth2/authorize` request (modules/oauth/routes.ts). */

export type SharedField = 'nickname' | 'avatar' | 'sex' | 'region';

export interface ConsentRequest {
  account: { id: string; name: string; avatarUrl: string | null; description: string };
  scope: 'snsapi_base' | 'snsapi_userinfo';
  /** host[:port] the browser returns to. */
  redirectHost: string;
  fields: SharedField[];
}

async function call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: { accept: 'application/json' } });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText);
  }
  return json as T;
}

const base = (id: string) => `/api/v1/oauth/requests/${encodeURIComponent(id)}`;

export const consentApi = {
  get: (id: string) => call<ConsentRequest>('GET', base(id)),
  approve: (id: string) => call<{ redirect: string }>('POST', `${base(id)}/approve`),
  deny: (id: string) => call<{ redirect: string }>('POST', `${base(id)}/deny`),
};

/** The redirect the platform answered must be an http(s) URL: never run a `javascript:` one. */
export function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
