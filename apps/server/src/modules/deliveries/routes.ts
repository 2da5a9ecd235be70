import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { merchantCaller } from '../merchantapi/auth.ts';
import { RESENDABLE_KINDS, resentFrom, type AttemptRow } from './service.ts';

export const Attempt = z.object({
  id: z.string(),
  outboxId: z.string(),
  kind: z.string().describe('pay.notify.v3, pay.webhook.delivery, oa.push, …'),
  attempt: z.number().int(),
  method: z.string(),
  url: z.string(),
  request: z.object({ headers: z.record(z.string(), z.string()).optional(), body: z.string().optional() }),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  latencyMs: z.number().int(),
  outcome: z.enum(['success', 'failure']),
  error: z.string().nullable(),
  createdAt: z.string(),
  queue: z.enum(['pending', 'done', 'dead']).describe('where the message is now: still retrying, delivered, given up'),
  resendable: z.boolean(),
  resentFrom: z.string().nullable().describe('the outbox id this message is a resend of'),
});

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function presentAttempt(a: AttemptRow): z.infer<typeof Attempt> {
  const req = (typeof a.request === 'object' && a.request !== null ? a.request : {}) as Record<string, unknown>;
  const headers = typeof req.headers === 'object' && req.headers !== null ? (req.headers as Record<string, string>) : undefined;
  return {
    id: String(a.id),
    outboxId: String(a.outbox_id),
    kind: a.kind,
    attempt: a.attempt,
    method: str(req.method),
    url: str(req.url),
    request: { ...(headers ? { headers } : {}), ...(typeof req.body === 'string' ? { body: req.body } : {}) },
    responseStatus: a.response_status,
    responseBody: a.response_body,
    latencyMs: a.latency_ms,
    outcome: a.outcome,
    error: a.error,
    createdAt: a.created_at.toISOString(),
    queue: a.outbox_status,
    resendable: (RESENDABLE_KINDS as readonly string[]).includes(a.kind),
    resentFrom: resentFrom(a.dedupe_key),
  };
}

const Id = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a delivery attempt id') });

/** The delivery log: every callback push and notification attempt of the org (permission `developer`). */
export function deliveryRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { deliveries } = platform.services;
  const caller = (req: Parameters<typeof merchantCaller>[1]) => merchantCaller(platform.services, req);
  const tags = ['developer'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  r.get('/api/v1/merchant/deliveries', {
    schema: {
      tags,
      summary: 'Delivery attempts, newest first',
      querystring: z.object({
        kind: z.string().regex(/^[a-z0-9._]{1,40}$/).optional(),
        outcome: z.enum(['success', 'failure']).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(30),
        cursor: z.string().regex(/^\d{1,18}$/).optional().describe('nextCursor of the previous page'),
      }),
      response: { 200: z.object({ attempts: z.array(Attempt), nextCursor: z.string().nullable() }), ...errors },
    },
  }, async (req) => {
    const q = req.query;
    const page = await deliveries.list(await caller(req), { kind: q.kind, outcome: q.outcome, limit: q.limit, before: q.cursor ? BigInt(q.cursor) : undefined });
    return { attempts: page.attempts.map(presentAttempt), nextCursor: page.nextCursor };
  });

  r.get('/api/v1/merchant/deliveries/:id', { schema: { tags, summary: 'One delivery attempt with its request and response', params: Id, response: { 200: Attempt, ...errors } } }, async (req) =>
    presentAttempt(await deliveries.get(await caller(req), BigInt(req.params.id))));

  r.post('/api/v1/merchant/deliveries/:id/resend', {
    schema: {
      tags,
      summary: 'Send the message of this attempt again, as a new message (its attempts show in the log)',
      description: `Only ${RESENDABLE_KINDS.join(', ')}: their receivers must already accept duplicates (same notification id / event id / MsgId). 412 NOT_RESENDABLE otherwise, 412 STILL_QUEUED while the original is still retrying.`,
      params: Id,
      response: { 202: z.object({ outboxId: z.string() }), 412: ErrorBody, ...errors },
    },
  }, async (req, reply) => {
    const res = await deliveries.resend(await caller(req), BigInt(req.params.id));
    return reply.status(202).send(res);
  });
}
