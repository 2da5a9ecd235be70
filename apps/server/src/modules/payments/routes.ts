import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { fen } from '../wallet/routes.ts';

const State = z.enum(['NOTPAY', 'USERPAYING', 'SUCCESS', 'CLOSED', 'PAYERROR', 'REFUND', 'REVOKED']);
export const Sheet = z.object({
  prepayId: z.string(),
  accountName: z.string(),
  description: z.string(),
  total: z.number().int().describe('fen'),
  insuredTotal: z.number().int().describe('fen paid by an insurance fund; the consumer pays total − insuredTotal'),
  currency: z.string(),
  state: State,
  expiresAt: z.string(),
  tradeType: z.enum(['JSAPI', 'NATIVE', 'MWEB', 'MICROPAY']),
});
export const Paid = z.object({ state: State, transactionId: z.string(), total: z.number().int().describe('fen'), successTime: z.string().nullable() });
const PrepayParams = z.object({ prepayId: z.string().min(1).max(64) });

/** The consumer's pay sheet for a JSAPI order and paying it from the wallet. */
export function paymentRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { payer, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['pay'];

  r.get('/api/v1/pay/prepay/:prepayId', {
    schema: { tags, summary: 'What the pay sheet shows for a prepay_id (its payer only)', params: PrepayParams, response: { 200: Sheet, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const s = await payer.sheet(await consumer(req), req.params.prepayId);
    return { ...s, total: fen(s.total), insuredTotal: fen(s.insuredTotal), expiresAt: s.expiresAt.toISOString() };
  });

  r.post('/api/v1/pay/prepay/:prepayId/pay', {
    schema: {
      tags,
      summary: 'Pay a JSAPI order from the wallet with the payment PIN',
      description: '403 PIN_WRONG, 429 PIN_LOCKED, 412 NOT_ENOUGH (the order stays NOTPAY), 409 ORDERPAID, 412 ORDER_CLOSED / ORDER_EXPIRED.',
      params: PrepayParams,
      body: z.object({ pin: z.string().min(1).max(16) }),
      response: { 200: Paid, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody, 429: ErrorBody },
    },
  }, async (req) => {
    const o = await payer.payByPrepay(await consumer(req), req.params.prepayId, req.body.pin);
    return { state: o.state, transactionId: o.transaction_id, total: fen(o.total), successTime: o.success_time?.toISOString() ?? null };
  });
}
