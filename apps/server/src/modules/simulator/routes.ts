import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { makeContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import { AccountSchema } from '../accounts/routes.ts';
import type { ConsumerMessage } from '../messaging/service.ts';
import { MessageSchema } from '../messaging/routes.ts';
import { createSimulatorService, SIM_EVENTS } from './service.ts';
import { simPayRoutes } from './routes-pay.ts';

const Consumer = z.object({ phone: z.string().min(1).max(32), password: z.string().min(1).max(128) }).describe("the consumer's own phone and password");
const Account = z.string().min(1).max(64).describe('appid or account id');
const Target = z.object({ consumer: Consumer, account: Account });

const Outcome = z.object({
  openid: z.string(),
  sent: MessageSchema.optional(),
  replies: z.array(MessageSchema).describe("messages the account wrote to the consumer's thread in answer"),
  delivery: z.array(z.object({ outboxId: z.string(), status: z.enum(['pending', 'done', 'dead']), attempts: z.number(), lastError: z.string().nullable() })),
});

const MessageBody = Target.extend({
  text: z.string().trim().min(1).max(2048).optional(),
  image: z.object({ url: z.string().url().max(1024) }).optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), scale: z.number().int().min(1).max(20).optional(), label: z.string().max(256).optional() }).optional(),
  link: z.object({ title: z.string().min(1).max(128), description: z.string().max(512).optional(), url: z.string().url().max(1024) }).optional(),
});

const EventBody = Target.extend({
  event: z.enum(SIM_EVENTS),
  key: z.string().min(1).max(1024).optional(),
  scanResult: z.string().min(1).max(1024).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  precision: z.number().min(0).max(100000).optional(),
  scale: z.number().int().min(1).max(20).optional(),
  label: z.string().max(256).optional(),
});

/** The one message a simulated consumer sends: exactly one of text, image, location, link. */
function messageContent(body: z.infer<typeof MessageBody>): ConsumerMessage {
  const given = (['text', 'image', 'location', 'link'] as const).filter((k) => body[k] !== undefined);
  if (given.length !== 1) throw invalid('give exactly one of text, image, location, link');
  if (body.text !== undefined) return { type: 'text', content: body.text };
  if (body.image) return { type: 'image', url: body.image.url };
  if (body.location) return { type: 'location', latitude: body.location.latitude, longitude: body.location.longitude, scale: body.location.scale ?? 15, label: body.location.label ?? '' };
  const link = body.link ?? { title: '', url: '' };
  return { type: 'link', title: link.title, description: link.description ?? '', url: link.url };
}

/**
 * Sandbox simulator (`lianjie sim …`): act as a consumer without a browser and see the merchant's
 * passive reply. Registered only in sandbox mode; in production these paths do not exist.
 */
export function simulatorRoutes(app: FastifyInstance, platform: Platform): void {
  if (platform.config.mode !== 'sandbox') return;
  simPayRoutes(app, platform);
  const r = api(app);
  const { identity, accounts, conversations } = platform.services;
  const sim = createSimulatorService({ identity, accounts, conversations, worker: platform.worker, oauth: platform.services.oauth, wallet: platform.services.wallet });
  const ctx = (req: { id: string }) => makeContext({ kind: 'anonymous' }, req.id);
  const tags = ['simulator (sandbox only)'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 412: ErrorBody };

  r.post('/api/v1/sim/consumers', {
    schema: {
      tags,
      summary: 'Create a consumer (random phone and password when omitted)',
      body: z.object({ phone: z.string().optional(), password: z.string().optional(), nickname: z.string().optional() }).default({}),
      response: { 201: z.object({ id: z.string(), phone: z.string(), password: z.string(), nickname: z.string(), token: z.string() }), 400: ErrorBody, 409: ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(await sim.createConsumer(ctx(req), req.body)));

  r.post('/api/v1/sim/follow', {
    schema: {
      tags,
      summary: 'Follow an account (search or QR scene) and wait for the reply',
      body: Target.extend({ scene: z.enum(['search', 'qr']).optional(), qrScene: z.union([z.number().int().min(1).max(4294967295), z.string().min(1).max(64)]).optional(), ticket: z.string().max(256).optional() }),
      response: { 200: Outcome, ...errors },
    },
  }, async (req) => sim.follow(ctx(req), req.body.consumer, req.body.account, req.body));

  r.post('/api/v1/sim/unfollow', { schema: { tags, summary: 'Unfollow an account', body: Target, response: { 200: Outcome, ...errors } } }, async (req) =>
    sim.unfollow(ctx(req), req.body.consumer, req.body.account),
  );

  r.post('/api/v1/sim/message', { schema: { tags, summary: 'Send a message and wait for the passive reply', body: MessageBody, response: { 200: Outcome, ...errors } } }, async (req) =>
    sim.message(ctx(req), req.body.consumer, req.body.account, messageContent(req.body)),
  );

  r.post('/api/v1/sim/event', { schema: { tags, summary: 'Send a menu, scan or location event and wait for the reply', body: EventBody, response: { 200: Outcome, ...errors } } }, async (req) =>
    sim.event(ctx(req), req.body.consumer, req.body.account, req.body),
  );

  r.post('/api/v1/sim/thread', {
    schema: { tags, summary: "The consumer's recent messages with an account", body: Target.extend({ limit: z.number().int().min(1).max(200).optional() }), response: { 200: z.array(MessageSchema), ...errors } },
  }, async (req) => sim.thread(ctx(req), req.body.consumer, req.body.account, req.body.limit));

  r.post('/api/v1/sim/wallet/topup', {
    schema: {
      tags,
      summary: "Top up a consumer's wallet from a simulated bank card (amount in fen)",
      body: z.object({ consumer: Consumer, amount: z.number().int().min(1).max(5_000_000) }),
      response: { 200: z.object({ balance: z.number(), cardLast4: z.string() }), ...errors },
    },
  }, async (req) => {
    const res = await sim.topUp(ctx(req), req.body.consumer, BigInt(req.body.amount));
    return { balance: Number(res.balance), cardLast4: res.cardLast4 };
  });

  r.post('/api/v1/sim/oauth/authorize', {
    schema: {
      tags,
      summary: 'OAuth web login as the consumer (consent given directly): the redirect with its code',
      body: z.object({ consumer: Consumer, appid: z.string().min(1).max(64), redirectUri: z.string().min(1).max(2048), scope: z.enum(['snsapi_base', 'snsapi_userinfo']), state: z.string().max(128).optional() }),
      response: { 200: z.object({ redirect: z.string(), code: z.string() }), ...errors },
    },
  }, async (req) => sim.oauthAuthorize(ctx(req), req.body.consumer, req.body));

  r.put('/api/v1/sim/accounts/:appid/callback', {
    schema: {
      tags,
      summary: 'Set the callback URL and mode with appid + appsecret; the URL must pass the echostr check',
      params: z.object({ appid: z.string().max(64) }),
      body: z.object({ appsecret: z.string().max(64), url: z.string().max(1024).nullable(), mode: z.enum(['plain', 'compatible', 'safe']), token: z.string().optional(), encodingAESKey: z.string().optional() }),
      response: { 200: AccountSchema, ...errors },
    },
  }, async (req) => sim.setCallback(ctx(req), req.params.appid, req.body));
}
