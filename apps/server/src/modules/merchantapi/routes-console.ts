import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { AppError } from '../../platform/errors.ts';
import { fen } from '../wallet/routes.ts';
import { merchantCaller } from './auth.ts';
import { presentRefund } from './present.ts';
import { Order, OutTradeNo, Refund } from './schema.ts';
import { Attempt, presentAttempt } from '../deliveries/routes.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const Params = z.object({ outTradeNo: OutTradeNo });
const Movement = z.object({
  transactionId: z.string(),
  kind: z.string().describe('pay.success, refund.accept, refund.success, settlement…'),
  reference: z.string().describe('the order id or one of its refunds’ ids'),
  createdAt: z.string(),
  entries: z.array(z.object({ account: z.string(), own: z.boolean().describe('an account of the caller’s org'), amount: z.number().int().describe('signed fen') })),
});

/** Reads the merchant console needs about pay orders (session or API key; `pay.read`): refunds, ledger, notifications, lookup, bills. */
export function consolePayRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { merchantPay, refunds, payments, bills, payActivity, deliveries } = platform.services;
  const caller = (req: Parameters<typeof merchantCaller>[1]) => merchantCaller(platform.services, req);
  const tags = ['merchant-pay'];

  r.get('/api/v1/merchant/pay/orders/:outTradeNo/refunds', {
    schema: { tags, summary: 'The refunds of one order, oldest first', params: Params, response: { 200: z.array(Refund), ...errors } },
  }, async (req) => {
    const ctx = await caller(req);
    const m = await merchantPay.merchantOf(ctx, 'pay.read');
    const { order, refunds: list } = await refunds.ofOrder(ctx, m, { outTradeNo: req.params.outTradeNo });
    return list.map((x) => presentRefund(x, order.out_trade_no));
  });

  r.get('/api/v1/merchant/pay/orders/:outTradeNo/ledger', {
    schema: { tags, summary: 'The ledger movements of one order and its refunds', params: Params, response: { 200: z.array(Movement), ...errors } },
  }, async (req) =>
    (await payActivity.ledgerOf(await caller(req), req.params.outTradeNo)).map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), entries: m.entries.map((e) => ({ ...e, amount: fen(e.amount) })) })));

  r.get('/api/v1/merchant/pay/orders/:outTradeNo/notifications', {
    schema: { tags, summary: 'Every attempt to notify about one order (pay/refund notifications, webhooks)', params: Params, response: { 200: z.array(Attempt), ...errors } },
  }, async (req) => (await deliveries.ofOrder(await caller(req), req.params.outTradeNo)).map(presentAttempt));

  r.get('/api/v1/merchant/pay/order-lookup', {
    schema: { tags, summary: 'Find one order by outTradeNo or transactionId (404 ORDER_NOT_EXIST)', querystring: z.object({ q: z.string().trim().min(1).max(64) }), response: { 200: Order, ...errors } },
  }, async (req) => {
    const ctx = await caller(req);
    const m = await merchantPay.merchantOf(ctx, 'pay.read');
    const q = req.query.q;
    const by = /^\d{28}$/.test(q) ? { transactionId: q } : { outTradeNo: q };
    return merchantPay.present(await payments.query(ctx, m, m.mch_id, by));
  });

  r.get('/api/v1/merchant/pay/bills', {
    schema: {
      tags,
      summary: 'The trade bill of a CST day as CSV text (the same text as v3 tradebill / v2 downloadbill)',
      description: '404 with reason NO_STATEMENT_EXIST for a day without trades.',
      querystring: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd'), type: z.enum(['ALL', 'SUCCESS', 'REFUND']).default('ALL') }),
      response: { 200: z.string(), ...errors },
    },
  }, async (req, reply) => {
    const ctx = await caller(req);
    const m = await merchantPay.merchantOf(ctx, 'pay.read');
    const { date, type } = req.query;
    let text: string;
    try {
      text = await bills.tradeBill(ctx, m, { date, type });
    } catch (e) {
      if (e instanceof AppError && e.details?.v3Code === 'NO_STATEMENT_EXIST') throw new AppError('not_found', `no trades on ${date}`, { details: { reason: 'NO_STATEMENT_EXIST' } });
      if (e instanceof AppError && e.code === 'invalid_argument') throw new AppError('invalid_argument', e.message, { details: { reason: 'BAD_DATE' } });
      throw e;
    }
    return reply
      .status(200)
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="bill-${m.mch_id}-${date}-${type.toLowerCase()}.csv"`)
      .send(text);
  });
}
