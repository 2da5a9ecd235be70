import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { permissionsOf } from '../../platform/permissions.ts';
import { accountChannel } from '../messaging/deliver.ts';
import { presentMessage } from '../messaging/model.ts';
import { MessageSchema } from '../messaging/routes.ts';
import { QuickReplyInput } from './quick-replies.ts';

export const WindowSchema = z.object({ endsAt: z.string().nullable(), repliesLeft: z.number(), canReply: z.boolean(), reason: z.enum(['WINDOW_EXPIRED', 'REPLY_LIMIT', 'UNSUBSCRIBED', 'BLOCKED']).nullable() });
export const ConversationSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  openid: z.string(),
  consumer: z.object({ nickname: z.string(), avatarUrl: z.string().nullable() }),
  remark: z.string(),
  subscribed: z.boolean(),
  lastMessage: MessageSchema.nullable(),
  unread: z.number(),
  needsAgent: z.boolean(),
  status: z.enum(['open', 'closed']),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  window: WindowSchema,
});
const QuickReply = z.object({ id: z.string(), title: z.string(), content: z.string(), updatedAt: z.string() });
const BigIntString = z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s));
const Thread = z.object({ accountId: z.string().min(1).max(64), openid: z.string().min(1).max(64) });
const ReplyBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), content: z.string().trim().min(1).max(2048) }),
  z.object({ type: z.literal('image'), url: z.string().url().max(1024).optional(), mediaId: z.string().max(128).optional() }).refine((b) => b.url !== undefined || b.mediaId !== undefined, 'an image needs a url or a mediaId'),
]);
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** The merchant console's customer-service inbox (permission `inbox`) and its real-time socket. */
export function inboxRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, inbox, quickReplies, accounts } = platform.services;
  const member = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant'];
  const base = '/api/v1/merchant/inbox/conversations';

  r.get(base, {
    schema: {
      tags,
      summary: "Conversations of the organisation's accounts, newest activity first",
      querystring: z.object({
        accountId: z.string().max(64).optional(),
        assigned: z.enum(['me', 'unassigned', 'all']).default('all'),
        status: z.enum(['open', 'closed', 'all']).default('open'),
        before: BigIntString.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(30),
      }),
      response: { 200: z.array(ConversationSchema), ...errors },
    },
  }, async (req) => inbox.list(await member(req), req.query));

  r.get(`${base}/:accountId/:openid`, { schema: { tags, params: Thread, response: { 200: ConversationSchema, ...errors } } }, async (req) => inbox.get(await member(req), req.params.accountId, req.params.openid));

  r.get(`${base}/:accountId/:openid/messages`, {
    schema: { tags, summary: 'Messages of the thread, oldest first (before: load older)', params: Thread, querystring: z.object({ before: BigIntString.optional(), limit: z.coerce.number().int().min(1).max(100).default(30) }), response: { 200: z.array(MessageSchema), ...errors } },
  }, async (req) => inbox.messages(await member(req), req.params.accountId, req.params.openid, req.query));

  r.post(`${base}/:accountId/:openid/messages`, {
    schema: { tags, summary: 'Reply as customer service (48 h after the consumer’s last message, 5 per window: 412 WINDOW_EXPIRED / 429 REPLY_LIMIT)', params: Thread, body: ReplyBody, response: { 201: MessageSchema, ...errors, 412: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await inbox.reply(await member(req), req.params.accountId, req.params.openid, req.body)));

  r.put(`${base}/:accountId/:openid/assignee`, {
    schema: { tags, summary: 'Assign to a member (null: unassign)', params: Thread, body: z.object({ userId: z.string().min(1).max(64).nullable() }), response: { 200: ConversationSchema, ...errors, 412: ErrorBody } },
  }, async (req) => inbox.assign(await member(req), req.params.accountId, req.params.openid, req.body.userId));

  r.put(`${base}/:accountId/:openid/status`, {
    schema: { tags, params: Thread, body: z.object({ status: z.enum(['open', 'closed']) }), response: { 200: ConversationSchema, ...errors } },
  }, async (req) => inbox.setStatus(await member(req), req.params.accountId, req.params.openid, req.body.status));

  r.post(`${base}/:accountId/:openid/read`, { schema: { tags, params: Thread, body: z.object({ upTo: BigIntString }), response: { 200: Ok, ...errors } } }, async (req) => {
    await inbox.markRead(await member(req), req.params.accountId, req.params.openid, req.body.upTo);
    return { ok: true as const };
  });

  r.get('/api/v1/merchant/inbox/quick-replies', { schema: { tags, response: { 200: z.array(QuickReply), ...errors } } }, async (req) => quickReplies.list(await member(req)));
  r.post('/api/v1/merchant/inbox/quick-replies', { schema: { tags, body: QuickReplyInput, response: { 201: QuickReply, ...errors } } }, async (req, reply) => reply.status(201).send(await quickReplies.create(await member(req), req.body)));
  r.put('/api/v1/merchant/inbox/quick-replies/:id', { schema: { tags, params: z.object({ id: z.string().min(1).max(64) }), body: QuickReplyInput, response: { 200: QuickReply, ...errors } } }, async (req) =>
    quickReplies.update(await member(req), req.params.id, req.body),
  );
  r.delete('/api/v1/merchant/inbox/quick-replies/:id', { schema: { tags, params: z.object({ id: z.string().min(1).max(64) }), response: { 200: Ok, ...errors } } }, async (req) => {
    await quickReplies.remove(await member(req), req.params.id);
    return { ok: true as const };
  });

  // Large thread events travel as a reference: load the message, only on its own account's channel.
  platform.hub.registerLoader('inbox.message', async (key, ref) => {
    const row = await platform.handle.db.selectFrom('messages').selectAll().where('id', '=', BigInt(ref.id)).executeTakeFirst();
    return row && accountChannel(row.account_id) === key ? { type: 'inbox.message', openid: row.openid, message: presentMessage(row) } : undefined;
  });

  /** The merchant socket: thread events of every account of the member's organisation (permission `inbox`). */
  app.get('/api/v1/merchant/ws', { websocket: true, schema: { hide: true } }, async (socket, req) => {
    let ctx;
    try {
      ctx = await member(req);
    } catch {
      socket.close(4401, 'sign in first');
      return;
    }
    if (!permissionsOf(ctx).includes('inbox')) {
      socket.close(4403, 'your role may not use the inbox');
      return;
    }
    const own = await accounts.list(ctx);
    const detach = own.map((a) => platform.hub.attach(accountChannel(a.id), socket));
    socket.on('close', () => detach.forEach((d) => d()));
    socket.send(JSON.stringify({ type: 'hello', accounts: own.map((a) => a.id) }));
  });
}
