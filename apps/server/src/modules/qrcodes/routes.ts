import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { makeContext } from '../../platform/context.ts';
import { contextFor } from '../../platform/http.ts';
import { PublicAccountSchema } from '../accounts/routes.ts';
import { QR_LIMITS } from './service.ts';

const Qrcode = z.object({
  ticket: z.string(),
  url: z.string(),
  permanent: z.boolean(),
  sceneId: z.string().nullable(),
  sceneStr: z.string().nullable(),
  name: z.string().nullable(),
  expiresAt: z.date().nullable(),
  createdAt: z.date(),
});
const QrcodeStats = Qrcode.extend({
  expired: z.boolean(),
  disabled: z.boolean().describe('disabled by the merchant: scans fail and showqrcode answers 404'),
  scans: z.number(),
  follows: z.number().describe('scans that made the consumer a follower'),
  paidOrders: z.number().describe("this account's paid (or since refunded) orders by consumers who followed through the code"),
});
const CreateQrcode = z
  .object({
    name: z.string().trim().min(1).max(64),
    permanent: z.boolean().default(true),
    sceneId: z.number().int().positive().optional(),
    sceneStr: z.string().min(1).max(QR_LIMITS.sceneStrMaxLength).optional(),
    expireSeconds: z.number().int().min(1).max(QR_LIMITS.temporaryMaxSeconds).optional(),
  })
  .refine((b) => b.sceneId === undefined || b.sceneStr === undefined, 'give sceneId or sceneStr, not both');
const Scanned = z.object({ content: z.string().min(1).max(2048) });
const Resolved = z.object({ kind: z.literal('account'), account: PublicAccountSchema, scene: z.string().nullable(), expired: z.literal(false), following: z.boolean() });
const ScanResult = z.object({ kind: z.literal('account'), account: PublicAccountSchema, scene: z.string().nullable(), isNew: z.boolean(), openid: z.string(), outboxIds: z.array(z.string()) });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;text-align:center"><p>${body}</p></body></html>`;

/** Scene QR codes: consumers resolve and scan them; merchants list and create them; browsers get a hint page. */
export function qrcodeRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { qrcodes, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const merchant = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');

  r.post('/api/v1/qr/resolve', {
    schema: { tags: ['consumer'], summary: 'What a scanned QR code leads to (content: a /q/<ticket> URL of this platform or a bare ticket)', body: Scanned, response: { 200: Resolved, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => qrcodes.resolve(await consumer(req), req.body.content));

  r.post('/api/v1/qr/scan', {
    schema: { tags: ['consumer'], summary: 'Scan a QR code: follow its account with the scene (a SCAN event if already following)', body: Scanned, response: { 200: ScanResult, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const res = await qrcodes.scan(await consumer(req), req.body.content);
    return { ...res, outboxIds: res.outboxIds.map(String) };
  });

  const tags = ['merchant accounts'];
  const Params = z.object({ id: z.string() });
  r.get('/api/v1/merchant/accounts/:id/qrcodes', {
    schema: { tags, summary: "The account's scene QR codes with scan, follow and paid-order counts", params: Params, response: { 200: z.array(QrcodeStats), 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => qrcodes.list(await merchant(req), req.params.id));

  r.post('/api/v1/merchant/accounts/:id/qrcodes', {
    schema: { tags, summary: 'Create a named scene QR code (permanent unless permanent=false)', params: Params, body: CreateQrcode, response: { 201: Qrcode, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => {
    const b = req.body;
    const sceneStr = b.sceneStr ?? (b.sceneId === undefined ? qrcodes.newSceneStr() : undefined);
    const created = await qrcodes.create(await merchant(req), req.params.id, {
      permanent: b.permanent,
      sceneId: b.sceneId === undefined ? undefined : BigInt(b.sceneId),
      sceneStr,
      expireSeconds: b.expireSeconds,
      name: b.name,
    });
    const { expireSeconds: _ignored, ...view } = created;
    return reply.status(201).send(view);
  });

  r.patch('/api/v1/merchant/accounts/:id/qrcodes/:ticket', {
    schema: { tags, summary: 'Disable a code (a printed code stops working) or enable it again', params: z.object({ id: z.string(), ticket: z.string() }), body: z.object({ disabled: z.boolean() }), response: { 200: z.object({ ticket: z.string(), disabled: z.boolean() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => qrcodes.setDisabled(await merchant(req), req.params.id, req.params.ticket, req.body.disabled));

  // The QR content opened in an ordinary browser (not the Lianjie app).
  app.get('/q/:ticket', { schema: { hide: true } }, async (req, reply) => {
    const landing = await qrcodes.landing(makeContext({ kind: 'anonymous' }, req.id), (req.params as { ticket: string }).ticket);
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!landing) return reply.status(404).send(page('QR code not found', 'This QR code is unknown or has expired.'));
    const name = escapeHtml(landing.accountName);
    return reply.status(200).send(page(`Follow ${name}`, `Open this in the Lianjie app to follow <strong>${name}</strong>.`));
  });
}
