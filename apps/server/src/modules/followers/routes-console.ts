import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { MessageSchema } from '../messaging/routes.ts';
import { SUBSCRIBE_SCENES } from './service.ts';

const Follower = z.object({
  openid: z.string(),
  nickname: z.string(),
  avatarUrl: z.string().nullable(),
  remark: z.string(),
  subscribed: z.boolean(),
  subscribeTime: z.string(),
  subscribeScene: z.string(),
  qrScene: z.string().nullable(),
  tagIds: z.array(z.number()),
  blacklisted: z.boolean(),
  blockedAccount: z.boolean(),
  lastInteractionAt: z.string().nullable(),
});
const Tag = z.object({ id: z.number(), name: z.string(), count: z.number() });
const Params = z.object({ id: z.string().min(1).max(64) });
const One = Params.extend({ openid: z.string().min(1).max(64) });
const TagParams = Params.extend({ tagId: z.coerce.number().int().min(0).max(2_147_483_647) });
const TagName = z.object({ name: z.string().trim().min(1).max(30) });
const BigIntString = z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s));
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** The console's followers CRM of one official account (permission `followers`; the blacklist also `settings`). */
export function followerConsoleRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, followerCrm, inbox } = platform.services;
  const member = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant'];
  const base = '/api/v1/merchant/accounts/:id/followers';

  r.get(base, {
    schema: {
      tags,
      summary: 'Followers: search (nickname, remark, openid), filter by tag, subscribe scene and QR scene; paged',
      params: Params,
      querystring: z.object({
        q: z.string().trim().max(64).optional(),
        tagId: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
        scene: z.enum(SUBSCRIBE_SCENES).optional(),
        qrScene: z.string().max(64).optional(),
        status: z.enum(['subscribed', 'unsubscribed', 'all']).default('subscribed'),
        page: z.coerce.number().int().min(1).max(100_000).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: z.object({ total: z.number(), page: z.number(), pageSize: z.number(), items: z.array(Follower) }), ...errors },
    },
  }, async (req) => followerCrm.list(await member(req), req.params.id, req.query));

  r.get(`${base}/:openid`, { schema: { tags, params: One, response: { 200: Follower, ...errors } } }, async (req) => followerCrm.get(await member(req), req.params.id, req.params.openid));

  r.put(`${base}/:openid/remark`, { schema: { tags, summary: 'Set the remark (≤ 30 UTF-8 bytes; empty clears)', params: One, body: z.object({ remark: z.string().max(30) }), response: { 200: Follower, ...errors } } }, async (req) =>
    followerCrm.setRemark(await member(req), req.params.id, req.params.openid, req.body.remark),
  );

  r.put(`${base}/:openid/blacklist`, {
    schema: { tags, summary: 'Blacklist or unblacklist (needs settings too: owners and operators)', params: One, body: z.object({ blacklisted: z.boolean() }), response: { 200: Follower, ...errors } },
  }, async (req) => followerCrm.setBlacklisted(await member(req), req.params.id, req.params.openid, req.body.blacklisted));

  r.get(`${base}/:openid/messages`, {
    schema: { tags, summary: 'The conversation history, oldest first (before: load older)', params: One, querystring: z.object({ before: BigIntString.optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }), response: { 200: z.array(MessageSchema), ...errors } },
  }, async (req) => inbox.messages(await member(req), req.params.id, req.params.openid, req.query));

  r.post(`${base}/tagging`, {
    schema: { tags, summary: 'Add or remove one tag on up to 50 followers', params: Params, body: z.object({ tagId: z.number().int().min(0).max(2_147_483_647), openids: z.array(z.string().min(1).max(64)).min(1).max(50), action: z.enum(['add', 'remove']) }), response: { 200: Ok, ...errors, 412: ErrorBody } },
  }, async (req) => {
    await followerCrm.bulkTag(await member(req), req.params.id, req.body);
    return { ok: true as const };
  });

  r.get('/api/v1/merchant/accounts/:id/tags', { schema: { tags, params: Params, response: { 200: z.array(Tag), ...errors } } }, async (req) => followerCrm.tags(await member(req), req.params.id));
  r.post('/api/v1/merchant/accounts/:id/tags', { schema: { tags, params: Params, body: TagName, response: { 201: z.object({ id: z.number(), name: z.string() }), ...errors, 412: ErrorBody } } }, async (req, reply) =>
    reply.status(201).send(await followerCrm.createTag(await member(req), req.params.id, req.body.name)),
  );
  r.put('/api/v1/merchant/accounts/:id/tags/:tagId', { schema: { tags, params: TagParams, body: TagName, response: { 200: Ok, ...errors } } }, async (req) => {
    await followerCrm.renameTag(await member(req), req.params.id, req.params.tagId, req.body.name);
    return { ok: true as const };
  });
  r.delete('/api/v1/merchant/accounts/:id/tags/:tagId', { schema: { tags, params: TagParams, response: { 200: Ok, ...errors, 412: ErrorBody } } }, async (req) => {
    await followerCrm.deleteTag(await member(req), req.params.id, req.params.tagId);
    return { ok: true as const };
  });
}
