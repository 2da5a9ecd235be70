import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import type { ApiKeyView } from './keys.ts';

const ApiKey = z.object({ id: z.string(), name: z.string(), hint: z.string().describe('lj_sk_… and the last four characters'), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });
const present = (k: ApiKeyView) => ({ id: k.id, name: k.name, hint: k.hint, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null });

/** The org's server-to-server API keys, managed from a merchant session (an API key cannot manage keys). */
export function apiKeyRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { apiKeys, identity } = platform.services;
  const merchant = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant-api-keys'];

  r.post('/api/v1/merchant/api-keys', {
    schema: {
      tags,
      summary: 'Create an API key (owner); the key is shown only in this answer',
      body: z.object({ name: z.string().min(1).max(64) }),
      response: { 201: ApiKey.extend({ key: z.string().describe('lj_sk_…: send as Authorization: Bearer <key>') }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (req, reply) => {
    const k = await apiKeys.create(await merchant(req), req.body);
    return reply.status(201).send({ ...present(k), key: k.key });
  });

  r.get('/api/v1/merchant/api-keys', { schema: { tags, summary: 'The org’s API keys (never the keys themselves)', response: { 200: z.array(ApiKey), 401: ErrorBody } } }, async (req) =>
    (await apiKeys.list(await merchant(req))).map(present),
  );

  r.delete('/api/v1/merchant/api-keys/:id', {
    schema: { tags, summary: 'Revoke an API key (owner); it stops working at once', params: z.object({ id: z.string().min(1).max(64) }), response: { 200: ApiKey, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => present(await apiKeys.revoke(await merchant(req), req.params.id)));
}
