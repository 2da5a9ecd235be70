import { api, enc } from '../../lib/api.ts';
import type { Attempt } from '../pay/api.ts';

export type { Attempt };
export type WebhookEvent = 'payment.succeeded' | 'refund.succeeded' | '*';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['payment.succeeded', 'refund.succeeded', '*'];

export interface Endpoint {
  id: string;
  url: string;
  description: string;
  events: WebhookEvent[];
  enabled: boolean;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The kinds the delivery log filters by (what each is, in the page's strings). */
export const DELIVERY_KINDS = ['pay.notify.v3', 'pay.notify.v2', 'refund.notify.v3', 'refund.notify.v2', 'pay.webhook', 'pay.webhook.delivery', 'oa.push', 'refund.complete', 'mass.job'] as const;

export const devApi = {
  deliveries(q: { kind?: string; outcome?: string; cursor?: string }) {
    const p = new URLSearchParams({ limit: '30' });
    if (q.kind) p.set('kind', q.kind);
    if (q.outcome) p.set('outcome', q.outcome);
    if (q.cursor) p.set('cursor', q.cursor);
    return api.get<{ attempts: Attempt[]; nextCursor: string | null }>(`/api/v1/merchant/deliveries?${p}`);
  },
  delivery: (id: string) => api.get<Attempt>(`/api/v1/merchant/deliveries/${enc(id)}`),
  resend: (id: string) => api.post<{ outboxId: string }>(`/api/v1/merchant/deliveries/${enc(id)}/resend`),
  webhooks: () => api.get<Endpoint[]>('/api/v1/merchant/webhooks'),
  createWebhook: (b: { url: string; events: WebhookEvent[]; description?: string }) => api.post<Endpoint & { secret: string }>('/api/v1/merchant/webhooks', b),
  patchWebhook: (id: string, b: Partial<Pick<Endpoint, 'url' | 'events' | 'description' | 'enabled'>>) => api.patch<Endpoint>(`/api/v1/merchant/webhooks/${enc(id)}`, b),
  deleteWebhook: (id: string) => api.del<unknown>(`/api/v1/merchant/webhooks/${enc(id)}`),
  rotateWebhook: (id: string) => api.post<Endpoint & { secret: string }>(`/api/v1/merchant/webhooks/${enc(id)}/rotate-secret`),
  apiKeys: () => api.get<ApiKey[]>('/api/v1/merchant/api-keys'),
  createApiKey: (name: string) => api.post<ApiKey & { key: string }>('/api/v1/merchant/api-keys', { name }),
  revokeApiKey: (id: string) => api.del<ApiKey>(`/api/v1/merchant/api-keys/${enc(id)}`),
};
