import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { Phone } from '../identity/service.ts';

const Friend = z.object({ id: z.string(), nickname: z.string(), avatarUrl: z.string().nullable() });
const HttpUrl = z.string().trim().max(2048).url().refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL');
const PageCard = z.object({
  url: HttpUrl,
  title: z.string().trim().min(1).max(128),
  description: z.string().trim().max(512).optional(),
  imgUrl: HttpUrl.optional(),
  accountId: z.string().min(1).max(64).optional(),
});

export const DmBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), content: z.string().trim().min(1).max(2048) }),
  z.object({ type: z.literal('account_card'), accountId: z.string().min(1).max(64) }),
  PageCard.extend({ type: z.literal('page_card') }),
]);

export const DmMessage = z.object({
  id: z.string(),
  senderId: z.string(),
  recipientId: z.string(),
  createdAt: z.string(),
  content: z.object({ type: z.enum(['text', 'account_card', 'page_card']) }).passthrough(),
});

const FriendParams = z.object({ friendId: z.string().min(1).max(64) });
const BigIntString = z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s));
const MessageRef = z.object({ messageId: BigIntString });

/** Friends by phone number, 1:1 threads between friends, and sharing accounts and pages to them. */
export function socialRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { social, share, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['social'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  r.post('/api/v1/friends', {
    schema: { tags, summary: 'Add a friend by phone number (both become friends at once)', body: z.object({ phone: Phone }), response: { 201: Friend, ...errors } },
  }, async (req, reply) => reply.status(201).send(await social.addFriend(await consumer(req), req.body.phone)));

  r.get('/api/v1/friends', { schema: { tags, response: { 200: z.array(Friend), 401: ErrorBody } } }, async (req) => social.listFriends(await consumer(req)));

  r.delete('/api/v1/friends/:friendId', { schema: { tags, params: FriendParams, response: { 200: Ok, 401: ErrorBody, 404: ErrorBody } } }, async (req) => {
    await social.removeFriend(await consumer(req), req.params.friendId);
    return { ok: true as const };
  });

  r.get('/api/v1/dm', {
    schema: { tags, summary: '1:1 conversations with friends, newest first', response: { 200: z.array(z.object({ friend: Friend, unread: z.number(), lastMessage: DmMessage.nullable() })), 401: ErrorBody } },
  }, async (req) => social.conversations(await consumer(req)));

  r.get('/api/v1/dm/:friendId/messages', {
    schema: {
      tags,
      params: FriendParams,
      querystring: z.object({ before: BigIntString.optional(), after: BigIntString.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.array(DmMessage), 400: ErrorBody, 401: ErrorBody },
    },
  }, async (req) => social.messages(await consumer(req), req.params.friendId, req.query));

  r.post('/api/v1/dm/:friendId/messages', {
    schema: { tags, summary: 'Send a text, an account card or a page card to a friend', params: FriendParams, body: DmBody, response: { 201: DmMessage, ...errors } },
  }, async (req, reply) => reply.status(201).send(await social.send(await consumer(req), req.params.friendId, req.body)));

  r.post('/api/v1/dm/:friendId/read', { schema: { tags, params: FriendParams, body: z.object({ upTo: BigIntString }), response: { 200: Ok, 400: ErrorBody, 401: ErrorBody } } }, async (req) => {
    await social.markRead(await consumer(req), req.params.friendId, req.body.upTo);
    return { ok: true as const };
  });

  r.post('/api/v1/share/open', {
    schema: { tags, summary: 'Open a shared account card (records the referral on first open)', body: MessageRef, response: { 200: z.object({ accountId: z.string() }), ...errors } },
  }, async (req) => share.open(await consumer(req), req.body.messageId));

  r.post('/api/v1/share/follow', {
    schema: {
      tags,
      summary: 'Open a shared account card and follow its account (scene ADD_SCENE_PROFILE_CARD)',
      body: MessageRef,
      response: { 200: z.object({ accountId: z.string(), openid: z.string(), isNew: z.boolean(), attributed: z.boolean() }), ...errors },
    },
  }, async (req) => {
    const res = await share.follow(await consumer(req), req.body.messageId);
    return { accountId: res.accountId, openid: res.openid, isNew: res.isNew, attributed: res.attributed };
  });

  r.post('/api/v1/share/page', {
    schema: { tags, summary: 'Share a web page to a friend (updateAppMessageShareData)', body: PageCard.extend({ friendId: z.string().min(1).max(64) }), response: { 201: DmMessage, ...errors } },
  }, async (req, reply) => reply.status(201).send(await share.sharePage(await consumer(req), req.body)));
}
