import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { merchantCaller } from './auth.ts';
import { idempotent } from './idempotency.ts';
import { presentRefund } from './present.ts';
import { CreateOrderBody, IdempotencyHeaders, ListQuery, Order, OutTradeNo, Refund, RefundBody } from './schema.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody, 422: ErrorBody };
const Params = z.object({ outTradeNo: OutTradeNo });
const IDEMPOTENCY =
  'Send an `Idempotency-Key` header (any POST): a retry with the same key and body gets the first answer again, byte for byte, with `Idempotent-Replayed: true`; ' +
  'the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first still runs, 409 IDEMPOTENCY_IN_PROGRESS. Keys live 24 hours.';

/** Our own JSON pay API for merchant servers (`Authorization: Bearer lj_sk_…`, or a merchant session). */
export function merchantPayRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { merchantPay, idempotency } = platform.services;
  const caller = (req: Parameters<typeof merchantCaller>[1]) => merchantCaller(platform.services, req);
  const tags = ['merchant-pay'];

  r.post('/api/v1/merchant/pay/orders', {
    schema: {
      tags,
      summary: 'Create a pay order (jsapi, native or h5), optionally with an insured share',
      description: `201 created, 200 the same order again (same outTradeNo and parameters). ${IDEMPOTENCY} Payment and refund events go to the org's webhooks.`,
      headers: IdempotencyHeaders,
      body: CreateOrderBody,
      response: { 200: Order, 201: Order, ...errors },
    },
  }, async (req, reply) => {
    const ctx = await caller(req);
    const b = req.body;
    return idempotent(idempotency, req, reply, ctx, async () => {
      const { order, created } = await merchantPay.create(ctx, {
        appid: b.appid,
        outTradeNo: b.outTradeNo,
        description: b.description,
        amount: BigInt(b.amount),
        method: b.method,
        payerOpenid: b.payerOpenid,
        attach: b.attach,
        insuredAmount: b.insurance ? BigInt(b.insurance.amount) : undefined,
        expiresAt: b.expiresAt ? new Date(b.expiresAt) : undefined,
      });
      return { status: created ? 201 : 200, body: merchantPay.present(order) };
    });
  });

  r.get('/api/v1/merchant/pay/orders', {
    schema: { tags, summary: 'The org’s orders, newest first', querystring: ListQuery, response: { 200: z.object({ orders: z.array(Order), nextCursor: z.string().nullable() }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const q = req.query;
    const page = await merchantPay.list(await caller(req), { state: q.state, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit, cursor: q.cursor });
    return { orders: page.orders.map(merchantPay.present), nextCursor: page.nextCursor };
  });

  r.get('/api/v1/merchant/pay/orders/:outTradeNo', {
    schema: { tags, summary: 'One order by outTradeNo (404 ORDER_NOT_EXIST)', params: Params, response: { 200: Order, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => merchantPay.present(await merchantPay.get(await caller(req), req.params.outTradeNo)));

  r.post('/api/v1/merchant/pay/orders/:outTradeNo/close', {
    schema: { tags, summary: 'Close an unpaid order (409 ORDERPAID when paid)', description: IDEMPOTENCY, headers: IdempotencyHeaders, params: Params, response: { 200: Order, ...errors } },
  }, async (req, reply) => {
    const ctx = await caller(req);
    return idempotent(idempotency, req, reply, ctx, async () => ({ status: 200, body: merchantPay.present(await merchantPay.close(ctx, req.params.outTradeNo)) }));
  });

  r.post('/api/v1/merchant/pay/orders/:outTradeNo/refunds', {
    schema: {
      tags,
      summary: 'Refund (part of) a paid order; an insured order’s refund is split back like its payment',
      description: `201 accepted (PROCESSING; a refund.succeeded webhook follows), 200 the same refund again. 412 NOT_ENOUGH when the merchant balance is short. ${IDEMPOTENCY}`,
      headers: IdempotencyHeaders,
      params: Params,
      body: RefundBody,
      response: { 200: Refund, 201: Refund, ...errors },
    },
  }, async (req, reply) => {
    const ctx = await caller(req);
    return idempotent(idempotency, req, reply, ctx, async () => {
      const { refund, order, created } = await merchantPay.refund(ctx, req.params.outTradeNo, { outRefundNo: req.body.outRefundNo, amount: BigInt(req.body.amount), reason: req.body.reason });
      return { status: created ? 201 : 200, body: presentRefund(refund, order.out_trade_no) };
    });
  });
}
