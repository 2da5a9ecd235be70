import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';

const PlatformKey = z.object({
  serial: z.string().describe('platform certificate serial (Wechatpay-Serial in certificate mode)'),
  publicKeyId: z.string().describe('PUB_KEY_ID_… (Wechatpay-Serial in public-key mode)'),
  certificate: z.string().describe('PEM; its public key verifies responses and notifications'),
  notBefore: z.string(),
  notAfter: z.string(),
});
const View = z.object({
  mchId: z.string(),
  appid: z.string(),
  merchantCertSerial: z.string().describe('the serial_no your v3 requests must name'),
  verifyMode: z.enum(['certificate', 'public_key']),
  platformKeys: z.array(PlatformKey).describe('active platform keys, newest first (several during a rotation)'),
});
const Credentials = View.extend({
  apiV2Key: z.string().describe('32 characters; v2 MD5/HMAC-SHA256 signing'),
  apiV3Key: z.string().describe('32 bytes; AEAD of notifications and /v3/certificates'),
  merchantPrivateKey: z.string().describe('PKCS#8 PEM; shown once, not kept by Lianjie'),
  merchantCertificate: z.string(),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The merchant's Pay account: open it (secrets shown once), keys and certificates, rotation, own key upload. */
export function payMerchantRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { payMerchants, identity } = platform.services;
  const merchant = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant-pay'];

  r.post('/api/v1/merchant/pay/account', {
    schema: { tags, summary: 'Open the organisation’s Pay account (owner): mch_id, API keys and the merchant key pair, shown this once', body: z.object({ appid: z.string().min(1).max(32).optional() }), response: { 201: Credentials, ...errors } },
  }, async (req, reply) => reply.status(201).send(await payMerchants.create(await merchant(req), req.body)));

  r.get('/api/v1/merchant/pay/account', { schema: { tags, summary: 'The Pay account with its platform certificates and public keys', response: { 200: View, ...errors } } }, async (req) => payMerchants.get(await merchant(req)));

  r.post('/api/v1/merchant/pay/account/platform-keys/rotate', {
    schema: { tags, summary: 'Add a new platform key; the previous stays valid until retired (owner)', response: { 200: View, ...errors } },
  }, async (req) => payMerchants.rotatePlatformKey(await merchant(req)));

  r.post('/api/v1/merchant/pay/account/platform-keys/retire-old', {
    schema: { tags, summary: 'End a rotation: only the newest platform key stays valid (owner)', response: { 200: View, ...errors } },
  }, async (req) => payMerchants.retireOldPlatformKeys(await merchant(req)));

  r.put('/api/v1/merchant/pay/account/verify-mode', {
    schema: { tags, summary: 'Verify with platform certificates or the platform public key (PUB_KEY_ID_…) (owner)', body: z.object({ mode: z.enum(['certificate', 'public_key']) }), response: { 200: View, ...errors } },
  }, async (req) => payMerchants.setVerifyMode(await merchant(req), req.body.mode));

  r.put('/api/v1/merchant/pay/account/merchant-key', {
    schema: {
      tags,
      summary: 'Use your own API key pair: upload its certificate, or its RSA public key with the serial you will send (owner)',
      body: z.object({ certificate: z.string().max(10_000).optional(), publicKey: z.string().max(10_000).optional(), serial: z.string().max(64).optional() }),
      response: { 200: View, ...errors },
    },
  }, async (req) => payMerchants.useOwnMerchantKey(await merchant(req), req.body));

  r.post('/api/v1/merchant/pay/account/api-keys/reset', {
    schema: { tags, summary: 'Replace the API v2 key or the APIv3 key; the new one is shown once (owner)', body: z.object({ which: z.enum(['v2', 'v3']) }), response: { 200: z.object({ key: z.string() }), ...errors } },
  }, async (req) => payMerchants.resetApiKey(await merchant(req), req.body.which));
}
