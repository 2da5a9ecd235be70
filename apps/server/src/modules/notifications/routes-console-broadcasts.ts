import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { MEDIA_RULES } from '../media/formats.ts';
import { readUpload } from '../media/read-upload.ts';
import type { BroadcastReport } from './console.ts';
import type { MassMessage } from './mass-content.ts';

const Params = z.object({ id: z.string().max(64) });
const JobParams = Params.extend({ msgId: z.string().regex(/^\d{1,18}$/) });
const HttpUrl = z.string().max(1024).regex(/^https?:\/\/\S+$/, 'an http(s) URL');
const Message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), content: z.string().max(4096) }),
  z.object({ type: z.literal('image'), mediaId: z.string().max(128) }),
  z.object({ type: z.literal('news'), title: z.string().max(200), description: z.string().max(500).optional(), url: HttpUrl.optional(), picUrl: HttpUrl.optional() }),
]);
const Audience = z.discriminatedUnion('kind', [z.object({ kind: z.literal('all') }), z.object({ kind: z.literal('tag'), tagId: z.number().int().min(0).max(2_147_483_647) })]);
const Report = z.object({
  msgId: z.string(),
  audience: z.enum(['all', 'tag', 'openids', 'preview']),
  tagId: z.number().nullable(),
  msgtype: z.string(),
  summary: z.string(),
  status: z.enum(['sending', 'success', 'fail', 'deleted']),
  done: z.boolean(),
  total: z.number(),
  sent: z.number(),
  failed: z.number(),
  filtered: z.number().describe('blocked + unsubscribed + monthlyLimit (+ withdrawn)'),
  blocked: z.number(),
  unsubscribed: z.number(),
  monthlyLimit: z.number(),
  pending: z.number(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
const Quota = z.object({
  accountType: z.enum(['service', 'subscription']),
  perDay: z.number(),
  usedToday: z.number(),
  leftToday: z.number(),
  perFollowerMonth: z.number().nullable(),
  followers: z.number(),
  followersAtMonthlyLimit: z.number(),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const toMassMessage = (m: z.infer<typeof Message>): MassMessage =>
  m.type === 'text'
    ? { msgtype: 'text', content: m.content }
    : m.type === 'image'
      ? { msgtype: 'image', mediaId: m.mediaId }
      : { msgtype: 'news', article: { title: m.title, description: m.description, url: m.url, picUrl: m.picUrl } };
const present = (r: BroadcastReport) => ({ ...r, msgId: r.msgId.toString() });

/** Broadcasts in the console (permission `broadcast`): compose, preview, send as a background job, progress and history. */
export function consoleBroadcastRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, broadcastConsole: bc } = platform.services;
  const member = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant broadcasts'];
  const base = '/api/v1/merchant/accounts/:id/broadcasts';

  r.get(`${base}/quota`, { schema: { tags, summary: 'Broadcasts left today (subscription accounts 1 a day; service accounts 100 a day, each follower at most 4 a month)', params: Params, response: { 200: Quota, ...errors } } }, async (req) =>
    bc.quota(await member(req), req.params.id),
  );

  r.get(`${base}/audiences`, {
    schema: { tags, summary: 'Subscribed followers in all, and per tag', params: Params, response: { 200: z.object({ all: z.number(), tags: z.array(z.object({ id: z.number(), name: z.string(), count: z.number() })) }), ...errors } },
  }, async (req) => bc.audiences(await member(req), req.params.id));

  r.get(`${base}/recipients`, {
    schema: { tags, summary: 'Find a subscribed follower by nickname or openid (for a preview or a template message)', params: Params, querystring: z.object({ q: z.string().max(64).default('') }), response: { 200: z.array(z.object({ openid: z.string(), nickname: z.string(), blocked: z.boolean() })), ...errors } },
  }, async (req) => bc.recipients(await member(req), req.params.id, req.query.q));

  r.post(`${base}/media`, {
    schema: { tags, summary: 'Upload an image to broadcast (multipart field `media`: png, jpeg, gif or bmp, at most 10 MB; kept 3 days)', consumes: ['multipart/form-data'], params: Params, response: { 201: z.object({ mediaId: z.string() }), ...errors, 413: ErrorBody } },
  }, async (req, reply) => {
    const ctx = await member(req);
    const file = await readUpload(req, MEDIA_RULES.image.maxBytes, ['media', 'file']);
    return reply.status(201).send(await bc.uploadImage(ctx, req.params.id, file));
  });

  r.post(`${base}/preview`, {
    schema: { tags, summary: 'Send the message to one follower now (counts toward no quota)', params: Params, body: z.object({ openid: z.string().max(64), message: Message }), response: { 201: z.object({ msgId: z.string() }), ...errors, 412: ErrorBody } },
  }, async (req, reply) => {
    const p = await bc.preview(await member(req), req.params.id, req.body.openid, toMassMessage(req.body.message));
    return reply.status(201).send({ msgId: p.msgId.toString() });
  });

  r.post(base, {
    schema: { tags, summary: 'Broadcast to all followers or a tag: a background job; poll GET …/broadcasts/{msgId} for its progress', params: Params, body: z.object({ audience: Audience, message: Message }), response: { 202: Report, ...errors, 429: ErrorBody } },
  }, async (req, reply) => reply.status(202).send(present(await bc.send(await member(req), req.params.id, req.body.audience, toMassMessage(req.body.message)))));

  r.get(base, { schema: { tags, summary: 'Past broadcasts with their reports, newest first', params: Params, querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: z.array(Report), ...errors } } }, async (req) =>
    (await bc.history(await member(req), req.params.id, req.query.limit)).map(present),
  );

  r.get(`${base}/:msgId`, { schema: { tags, summary: "A broadcast's progress (total, sent, failed, filtered) and, once done, its final report", params: JobParams, response: { 200: Report, ...errors } } }, async (req) =>
    present(await bc.report(await member(req), req.params.id, BigInt(req.params.msgId))),
  );
}
