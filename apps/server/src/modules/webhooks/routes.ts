import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { merchantCaller } from '../merchantapi/auth.ts';
import type { WebhookEndpointView } from './service.ts';

const EventType = z.enum(['payment.succeeded', 'refund.succeeded', '*']);
const Endpoint = z.object({ id: z.string(), url: z.string(), description: z.string(), events: z.array(EventType), enabled: z.boolean(), createdAt: z.string() });
const WithSecret = Endpoint.extend({ secret: z.string().describe('whsec_…: verify Lianjie-Signature with it; shown only on create and rotate') });
const Params = z.object({ id: z.string().min(1).max(64) });
const Url = z.string().min(1).max(2048);
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 412: ErrorBody };

const present = <T extends WebhookEndpointView>(e: T) => ({ ...e, createdAt: e.createdAt.toISOString() });

/**
 * Webhook endpoints of the org (API key or merchant session). Each event is POSTed as JSON with
 * `Lianjie-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(secret, t + "." + body)>` and `Lianjie-Event-Id`;
 * any 2xx answer is success, anything else is retried (15 s, 15 s, 30 s, 3 m, … up to 6 h).
 */
export function webhookRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { webhooks } = platform.services;
  const caller = (req: Parameters<typeof merchantCaller>[1]) => merchantCaller(platform.services, req);
  const tags = ['merchant-webhooks'];

  r.post('/api/v1/merchant/webhooks', {
    schema: {
      tags,
      summary: 'Add a webhook endpoint; its secret is shown only in this answer',
      description: 'events: payment.succeeded, refund.succeeded, or ["*"] / omitted for all.',
      body: z.object({ url: Url, events: z.array(EventType).max(8).optional(), description: z.string().max(200).optional() }),
      response: { 201: WithSecret, ...errors },
    },
  }, async (req, reply) => reply.status(201).send(present(await webhooks.create(await caller(req), req.body))));

  r.get('/api/v1/merchant/webhooks', { schema: { tags, summary: 'The org’s webhook endpoints (without secrets)', response: { 200: z.array(Endpoint), 401: ErrorBody } } }, async (req) =>
    (await webhooks.list(await caller(req))).map(present),
  );

  r.patch('/api/v1/merchant/webhooks/:id', {
    schema: {
      tags,
      summary: 'Change an endpoint (url, events, description, enabled)',
      params: Params,
      body: z.object({ url: Url.optional(), events: z.array(EventType).max(8).optional(), description: z.string().max(200).optional(), enabled: z.boolean().optional() }),
      response: { 200: Endpoint, ...errors },
    },
  }, async (req) => present(await webhooks.update(await caller(req), req.params.id, req.body)));

  r.delete('/api/v1/merchant/webhooks/:id', { schema: { tags, summary: 'Delete an endpoint (its queued deliveries stop)', params: Params, response: { 200: Ok, 401: ErrorBody, 404: ErrorBody } } }, async (req) => {
    await webhooks.remove(await caller(req), req.params.id);
    return { ok: true as const };
  });

  r.post('/api/v1/merchant/webhooks/:id/rotate-secret', {
    schema: { tags, summary: 'Replace the endpoint’s secret at once (retries are signed with the new one)', params: Params, response: { 200: WithSecret, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => present(await webhooks.rotateSecret(await caller(req), req.params.id)));
}
