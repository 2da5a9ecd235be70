import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { fen } from '../wallet/routes.ts';
import type { PayOrderRow } from './lifecycle.ts';
import type { PaySheet } from './pay.ts';
import { Paid, Sheet } from './routes.ts';

const Pin = z.object({ pin: z.string().min(1).max(16) });
const TokenParams = z.object({ token: z.string().min(1).max(64) });
const OrderParams = z.object({ orderId: z.string().min(1).max(64) });
const PendingSheet = Sheet.extend({ orderId: z.string() });
const JsapiBody = z.object({
  appId: z.string().min(1).max(32),
  timeStamp: z.string().min(1).max(32),
  nonceStr: z.string().min(1).max(64),
  package: z.string().min(1).max(128).describe('prepay_id=…'),
  signType: z.enum(['RSA', 'MD5', 'HMAC-SHA256']),
  paySign: z.string().min(1).max(1024),
});
const PAY_ERRORS = '403 PIN_WRONG, 429 PIN_LOCKED, 412 PIN_NOT_SET, 412 NOT_ENOUGH (nothing moves), 409 ORDERPAID, 412 ORDER_CLOSED / ORDER_EXPIRED.';
const payResponses = { 200: Paid, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody, 429: ErrorBody };

const presentSheet = (s: PaySheet) => ({ ...s, total: fen(s.total), insuredTotal: fen(s.insuredTotal), expiresAt: s.expiresAt.toISOString() });
const presentPaid = (o: PayOrderRow) => ({ state: o.state, transactionId: o.transaction_id, total: fen(o.total), successTime: o.success_time?.toISOString() ?? null });

/** The consumer's pay methods: JSAPI parameters, Native / H5 codes, payment codes and their pending orders. */
export function payMethodRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { payMethods, payCodes, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['pay'];

  r.post('/api/v1/pay/jsapi', {
    schema: {
      tags,
      summary: "The pay sheet for a merchant page's getBrandWCPayRequest parameters (paySign checked)",
      description: "400 PAY_SIGN_INVALID (bad paySign, package or appId); 404 when the caller is not the order's payer. Pay it with POST /api/v1/pay/prepay/{prepayId}/pay.",
      body: JsapiBody,
      response: { 200: Sheet, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => presentSheet(await payMethods.jsapi(await consumer(req), req.body)));

  r.get('/api/v1/pay/code/:token', {
    schema: { tags, summary: 'The pay sheet of a Native code_url or H5 h5_url (…/pay/native/{token}, …/pay/h5/{token})', params: TokenParams, response: { 200: Sheet, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => presentSheet(await payMethods.codeSheet(await consumer(req), req.params.token)));

  r.post('/api/v1/pay/code/:token/pay', {
    schema: { tags, summary: 'Pay a Native / H5 order from the wallet with the PIN (the signed-in consumer becomes the payer)', description: PAY_ERRORS, params: TokenParams, body: Pin, response: payResponses },
  }, async (req) => presentPaid(await payMethods.payByCode(await consumer(req), req.params.token, req.body.pin)));

  r.post('/api/v1/pay/codes', {
    schema: {
      tags,
      summary: 'A new payment code (18 digits, 60 s, single use) for a merchant to scan; older unused codes stop working',
      response: { 200: z.object({ code: z.string(), expiresAt: z.string() }), 401: ErrorBody },
    },
  }, async (req) => {
    const c = await payCodes.issue(await consumer(req));
    return { code: c.code, expiresAt: c.expiresAt.toISOString() };
  });

  r.get('/api/v1/pay/pending', {
    schema: { tags, summary: "The consumer's payment-code orders waiting for the PIN (above the no-PIN limit), newest first", response: { 200: z.array(PendingSheet), 401: ErrorBody } },
  }, async (req) => (await payCodes.pending(await consumer(req))).map((s) => ({ ...presentSheet(s), orderId: s.orderId })));

  r.post('/api/v1/pay/pending/:orderId/pay', {
    schema: { tags, summary: 'Confirm a pending payment-code order with the PIN', description: PAY_ERRORS, params: OrderParams, body: Pin, response: payResponses },
  }, async (req) => presentPaid(await payCodes.pay(await consumer(req), req.params.orderId, req.body.pin)));

  r.post('/api/v1/pay/pending/:orderId/cancel', {
    schema: { tags, summary: 'Decline a pending payment-code order (it becomes PAYERROR)', params: OrderParams, response: { 200: Paid, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody } },
  }, async (req) => presentPaid(await payCodes.cancel(await consumer(req), req.params.orderId)));
}
