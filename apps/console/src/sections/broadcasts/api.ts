import { api, ApiError, enc } from '../../lib/api.ts';

/** Typed calls of the templates and broadcasts API (`/api/v1/merchant/accounts/:id/templates…`, `…/broadcasts…`). */

export interface Template {
  templateId: string;
  title: string;
  content: string;
  example: string;
}
export interface LibraryTemplate extends Template {
  shortId: string;
}
export type SendStatus = 'success' | 'failed:user block' | 'failed: system failed';
export interface Recipient {
  openid: string;
  nickname: string;
  blocked: boolean;
}
export interface Quota {
  accountType: 'service' | 'subscription';
  perDay: number;
  usedToday: number;
  leftToday: number;
  perFollowerMonth: number | null;
  followers: number;
  followersAtMonthlyLimit: number;
}
export interface Audiences {
  all: number;
  tags: { id: number; name: string; count: number }[];
}
export type Message =
  | { type: 'text'; content: string }
  | { type: 'image'; mediaId: string }
  | { type: 'news'; title: string; description?: string; url?: string; picUrl?: string };
export type Audience = { kind: 'all' } | { kind: 'tag'; tagId: number };
export interface Report {
  msgId: string;
  audience: 'all' | 'tag' | 'openids' | 'preview';
  tagId: number | null;
  msgtype: string;
  summary: string;
  status: 'sending' | 'success' | 'fail' | 'deleted';
  done: boolean;
  total: number;
  sent: number;
  failed: number;
  filtered: number;
  blocked: number;
  unsubscribed: number;
  monthlyLimit: number;
  pending: number;
  createdAt: string;
  finishedAt: string | null;
}

/** The `{{name.DATA}}` fields of a template, in order of appearance. */
export const fieldsOf = (content: string): string[] => [...new Set([...content.matchAll(/\{\{\s*(\w+)\.DATA\s*\}\}/g)].map((m) => m[1] ?? ''))].filter(Boolean);

export function broadcastApi(accountId: string) {
  const a = `/api/v1/merchant/accounts/${enc(accountId)}`;
  return {
    templates: () => api.get<Template[]>(`${a}/templates`),
    library: () => api.get<LibraryTemplate[]>(`${a}/templates/library`),
    addTemplate: (shortId: string) => api.post<Template>(`${a}/templates`, { shortId }),
    removeTemplate: (id: string) => api.del<unknown>(`${a}/templates/${enc(id)}`),
    sendTemplate: (id: string, b: { openid: string; url?: string; data: Record<string, string> }) => api.post<{ msgid: string; status: SendStatus }>(`${a}/templates/${enc(id)}/send`, b),
    sendStatus: (msgid: string) => api.get<{ msgid: string; status: SendStatus }>(`${a}/template-sends/${enc(msgid)}`),
    recipients: (q: string) => api.get<Recipient[]>(`${a}/broadcasts/recipients?q=${enc(q)}`),
    quota: () => api.get<Quota>(`${a}/broadcasts/quota`),
    audiences: () => api.get<Audiences>(`${a}/broadcasts/audiences`),
    preview: (openid: string, message: Message) => api.post<{ msgId: string }>(`${a}/broadcasts/preview`, { openid, message }),
    send: (audience: Audience, message: Message) => api.post<Report>(`${a}/broadcasts`, { audience, message }),
    report: (msgId: string) => api.get<Report>(`${a}/broadcasts/${enc(msgId)}`),
    history: () => api.get<Report[]>(`${a}/broadcasts?limit=50`),
    /** Multipart upload of an image (field `media`). */
    async uploadImage(file: File): Promise<{ mediaId: string }> {
      const form = new FormData();
      form.append('media', file);
      const res = await fetch(`${a}/broadcasts/media`, { method: 'POST', body: form, credentials: 'same-origin' });
      const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      if (res.ok) return body as unknown as { mediaId: string };
      throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText);
    },
  };
}
export type BroadcastApi = ReturnType<typeof broadcastApi>;
