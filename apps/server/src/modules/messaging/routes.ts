import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { PublicAccountSchema } from '../accounts/routes.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { SUBSCRIBE_SCENES } from '../followers/service.ts';

export const MessageSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  direction: z.enum(['in', 'out']),
  source: z.string(),
  createdAt: z.string(),
  content: z.object({ type: z.string() }).passthrough(),
});

export const ConsumerMessageBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), content: z.string().trim().min(1).max(2048) }),
  z.object({ type: z.literal('image'), url: z.string().url().max(1024), mediaId: z.string().max(128).optional() }),
  z.object({ type: z.literal('location'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), scale: z.number().int().min(1).max(20).default(15), label: z.string().max(256).default('') }),
  z.object({ type: z.literal('link'), title: z.string().max(128), description: z.string().max(512).default(''), url: z.string().url().max(1024) }),
]);

const ActionResult = z.object({ openid: z.string(), outboxIds: z.array(z.string()), message: MessageSchema.optional() });
const present = <T extends { outboxIds: bigint[] }>(r: T) => ({ ...r, outboxIds: r.outboxIds.map(String) });
const Params = z.object({ id: z.string() });
const BigIntString = z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s));

/** The consumer side: search and follow accounts, threads, messages, and the real-time socket. */
export function conversationRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { conversations, accounts, identity, followers } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['consumer'];

  r.get('/api/v1/accounts', { schema: { tags, summary: 'Search official accounts', querystring: z.object({ q: z.string().max(64).default('') }), response: { 200: z.array(PublicAccountSchema), 401: ErrorBody } } }, async (req) =>
    accounts.search(await consumer(req), req.query.q),
  );

  r.get('/api/v1/accounts/:id', {
    schema: {
      tags,
      summary: 'An account, and what it knows about the signed-in consumer',
      params: Params,
      response: {
        200: PublicAccountSchema.extend({
          following: z.boolean(),
          blocked: z.boolean(),
          openid: z.string().nullable(),
          followedAt: z.date().nullable(),
          subscribeScene: z.string().nullable(),
          profileSharedAt: z.date().nullable(),
        }),
        401: ErrorBody,
        404: ErrorBody,
      },
    },
  }, async (req) => {
    const ctx = await consumer(req);
    const view = await accounts.publicView(ctx, req.params.id);
    const f = ctx.actor.kind === 'consumer' ? await followers.findFollow(platform.handle.db, view.id, ctx.actor.consumerId) : undefined;
    return {
      ...view,
      following: f?.subscribed ?? false,
      blocked: f?.blocked ?? false,
      openid: f?.openid ?? null,
      followedAt: f?.subscribed ? f.subscribe_time : null,
      subscribeScene: f?.subscribed ? f.subscribe_scene : null,
      profileSharedAt: await platform.services.oauth.profileSharedAt(ctx, view.id),
    };
  });

  r.post('/api/v1/accounts/:id/follow', {
    schema: { tags, params: Params, body: z.object({ scene: z.enum(SUBSCRIBE_SCENES).default('ADD_SCENE_SEARCH') }).default({ scene: 'ADD_SCENE_SEARCH' }), response: { 200: ActionResult.extend({ isNew: z.boolean() }), 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => present(await conversations.follow(await consumer(req), req.params.id, { scene: req.body.scene })));

  r.delete('/api/v1/accounts/:id/follow', { schema: { tags, params: Params, response: { 200: ActionResult, 401: ErrorBody, 404: ErrorBody } } }, async (req) =>
    present(await conversations.unfollow(await consumer(req), req.params.id)),
  );

  r.put('/api/v1/accounts/:id/block', { schema: { tags, params: Params, body: z.object({ blocked: z.boolean() }), response: { 200: Ok, 401: ErrorBody, 404: ErrorBody } } }, async (req) => {
    await conversations.setBlocked(await consumer(req), req.params.id, req.body.blocked);
    return { ok: true as const };
  });

  r.get('/api/v1/threads', {
    schema: {
      tags,
      response: {
        200: z.array(z.object({ account: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullable(), type: z.string() }), blocked: z.boolean(), unread: z.number(), lastMessage: MessageSchema.nullable() })),
        401: ErrorBody,
      },
    },
  }, async (req) => conversations.threads(await consumer(req)));

  r.get('/api/v1/threads/:id/messages', {
    schema: { tags, params: Params, querystring: z.object({ before: BigIntString.optional(), after: BigIntString.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: z.array(MessageSchema), 401: ErrorBody } },
  }, async (req) => conversations.messages(await consumer(req), req.params.id, req.query));

  r.post('/api/v1/threads/:id/messages', {
    schema: { tags, summary: 'Send a message to an account', params: Params, body: ConsumerMessageBody, response: { 201: ActionResult, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 412: ErrorBody } },
  }, async (req, reply) => reply.status(201).send(present(await conversations.sendMessage(await consumer(req), req.params.id, req.body))));

  r.post('/api/v1/threads/:id/read', { schema: { tags, params: Params, body: z.object({ upTo: BigIntString }), response: { 200: Ok, 401: ErrorBody } } }, async (req) => {
    await conversations.markRead(await consumer(req), req.params.id, req.body.upTo);
    return { ok: true as const };
  });

  app.get('/api/v1/ws', { websocket: true, schema: { hide: true } }, async (socket, req) => {
    let ctx;
    try {
      ctx = await consumer(req);
    } catch {
      socket.close(4401, 'sign in first');
      return;
    }
    if (ctx.actor.kind !== 'consumer') return;
    const detach = platform.hub.attach(ctx.actor.consumerId, socket);
    socket.on('close', detach);
    socket.send(JSON.stringify({ type: 'hello', consumerId: ctx.actor.consumerId }));
  });
}
