/** The platform's consumer JSON API (cookie session `lj_c`), typed for the client. */

export interface Consumer {
  id: string;
  phone: string;
  nickname: string;
  avatarUrl: string | null;
  createdAt: string;
}

export interface PublicAccount {
  id: string;
  name: string;
  type: 'service' | 'subscription';
  avatarUrl: string | null;
  description: string;
  originalId: string;
  /** 'suspended' when the platform operator suspended the account (it is then unavailable). */
  status?: 'active' | 'suspended';
}

export interface AccountView extends PublicAccount {
  following: boolean;
  blocked: boolean;
  openid: string | null;
  followedAt: string | null;
  subscribeScene: string | null;
  /** When the consumer shared their profile with the account in an OAuth login, or null. */
  profileSharedAt: string | null;
}

export interface Article {
  title: string;
  description?: string;
  picUrl?: string;
  url?: string;
}

export type MessageContent =
  | { type: 'text'; content: string }
  | { type: 'image'; mediaId?: string; url?: string }
  | { type: 'voice'; mediaId: string }
  | { type: 'video'; mediaId: string; title?: string; description?: string }
  | { type: 'music'; title?: string; description?: string; musicUrl?: string }
  | { type: 'location'; latitude: number; longitude: number; scale: number; label: string }
  | { type: 'link'; title: string; description: string; url: string }
  | { type: 'news'; articles: Article[] }
  | { type: 'template'; templateId: string; title: string; url?: string; data: Record<string, { value: string; color?: string }> }
  | { type: 'system'; content: string };

export interface Message {
  id: string;
  accountId: string;
  /** `in`: from the consumer to the account; `out`: from the account. */
  direction: 'in' | 'out';
  source: string;
  createdAt: string;
  content: MessageContent;
}

export interface ThreadSummary {
  account: { id: string; name: string; avatarUrl: string | null; type: string };
  blocked: boolean;
  unread: number;
  lastMessage: Message | null;
}

export interface MenuLeaf {
  type: 'click' | 'view' | 'scancode_push' | 'scancode_waitmsg' | 'pic_sysphoto' | 'pic_photo_or_album' | 'pic_weixin' | 'location_select' | 'media_id' | 'view_limited' | 'miniprogram' | 'article_id' | 'article_view_limited';
  name: string;
  url?: string;
}
export interface MenuGroup {
  name: string;
  sub_button: MenuLeaf[];
}
export interface Menu {
  menuid: string | null;
  button: (MenuLeaf | MenuGroup)[];
}

export interface LocationInput {
  latitude: number;
  longitude: number;
  scale?: number;
  label?: string;
}

export type OutgoingMessage =
  | { type: 'text'; content: string }
  | { type: 'image'; url: string; mediaId?: string }
  | ({ type: 'location' } & LocationInput)
  | { type: 'link'; title: string; description?: string; url: string };

export interface ScanResult {
  kind: 'account';
  account: PublicAccount;
  scene: string | null;
  isNew: boolean;
  openid: string;
}

/** A failed API call: the platform's `{error:{code,message,details}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** What to show a person for a failed call: the API's own message, else the error's text. */
export const errorText = (e: unknown): string => (e instanceof ApiError ? e.message : String(e));

/** Adds `more` to a message list (newer copies replace older ones) in id order; ids are 64-bit strings. */
export function mergeById<T extends { id: string }>(list: readonly T[], more: readonly T[]): T[] {
  const seen = new Map(list.map((m) => [m.id, m]));
  for (const m of more) seen.set(m.id, m);
  return [...seen.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  signUp: (b: { phone: string; password: string; nickname?: string }) => call<{ consumer: Consumer }>('POST', '/api/v1/consumer/signup', b),
  signIn: (b: { phone: string; password: string }) => call<{ consumer: Consumer }>('POST', '/api/v1/consumer/signin', b),
  signOut: () => call<{ ok: true }>('POST', '/api/v1/consumer/signout'),
  me: () => call<Consumer>('GET', '/api/v1/consumer/me'),
  /** The signed-in consumer or null; answers 200 either way (no 401 in the console when signed out). */
  session: () => call<{ consumer: Consumer | null }>('GET', '/api/v1/consumer/session'),
  updateMe: (b: { nickname?: string; avatarUrl?: string | null }) => call<Consumer>('PATCH', '/api/v1/consumer/me', b),

  searchAccounts: (q: string) => call<PublicAccount[]>('GET', `/api/v1/accounts?q=${enc(q)}`),
  account: (id: string) => call<AccountView>('GET', `/api/v1/accounts/${enc(id)}`),
  follow: (id: string) => call<{ openid: string; isNew: boolean }>('POST', `/api/v1/accounts/${enc(id)}/follow`, { scene: 'ADD_SCENE_SEARCH' }),
  unfollow: (id: string) => call<{ openid: string }>('DELETE', `/api/v1/accounts/${enc(id)}/follow`),
  setBlocked: (id: string, blocked: boolean) => call<{ ok: true }>('PUT', `/api/v1/accounts/${enc(id)}/block`, { blocked }),
  stopSharingProfile: (id: string) => call<{ ok: true }>('DELETE', `/api/v1/oauth/grants/${enc(id)}`),

  threads: () => call<ThreadSummary[]>('GET', '/api/v1/threads'),
  messages: (id: string, opts: { before?: string; after?: string } = {}) => {
    const q = new URLSearchParams({ limit: '50' });
    if (opts.before) q.set('before', opts.before);
    if (opts.after) q.set('after', opts.after);
    return call<Message[]>('GET', `/api/v1/threads/${enc(id)}/messages?${q}`);
  },
  send: (id: string, m: OutgoingMessage) => call<{ message?: Message }>('POST', `/api/v1/threads/${enc(id)}/messages`, m),
  markRead: (id: string, upTo: string) => call<{ ok: true }>('POST', `/api/v1/threads/${enc(id)}/read`, { upTo }),

  menu: (id: string) => call<Menu>('GET', `/api/v1/accounts/${enc(id)}/menu`),
  tap: (id: string, b: { path: number[]; scanResult?: string; location?: LocationInput }) =>
    call<{ action: 'event' | 'open_url' | 'none'; url?: string }>('POST', `/api/v1/accounts/${enc(id)}/menu/tap`, b),

  scanQr: (content: string) => call<ScanResult>('POST', '/api/v1/qr/scan', { content }),
  upload: (file: File) => {
    const form = new FormData();
    form.append('media', file, file.name);
    return call<{ mediaId: string; url: string }>('POST', '/api/v1/media', form);
  },
};

/** Where to show an image of a thread: our own media route (same origin) when it has a media id. */
export const imageSrc = (c: { mediaId?: string; url?: string }): string | undefined => {
  if (c.url) {
    const m = /\/api\/v1\/media\/([^/?#]+)$/.exec(c.url);
    if (m) return `/api/v1/media/${m[1]}`;
    return c.url;
  }
  return c.mediaId ? `/api/v1/media/${enc(c.mediaId)}` : undefined;
};

/** The in-client web view of a URL opened from an account. */
export const webviewPath = (url: string, accountId?: string) => `/webview?url=${enc(url)}${accountId ? `&account=${enc(accountId)}` : ''}`;
