import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { makeContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import { fen } from '../wallet/routes.ts';
import { createSimPayService, type SimPayTarget } from './pay.ts';

const Consumer = z.object({ phone: z.string().min(1).max(32), password: z.string().min(1).max(128) }).describe("the consumer's own phone and password");

const PayBody = z.object({
  consumer: Consumer,
  prepayId: z.string().min(1).max(64).optional(),
  outTradeNo: z.string().min(1).max(32).optional(),
  mchid: z.string().min(1).max(32).optional().describe('with outTradeNo'),
  codeUrl: z.string().min(1).max(1024).optional().describe('a Native code_url or H5 h5_url'),
  pin: z.string().min(1).max(16).optional().describe('the payment PIN; a consumer without one gets this PIN (default 123456) set first'),
});

const Paid = z.object({
  state: z.string(),
  outTradeNo: z.string(),
  transactionId: z.string(),
  tradeType: z.string(),
  total: z.number().int().describe('fen'),
  insuredTotal: z.number().int().describe('fen the insurance fund paid on the consumer’s behalf'),
  successTime: z.string().nullable(),
  balance: z.number().int().describe("the consumer's wallet after paying, fen"),
  pinSetTo: z.string().optional().describe('set when the simulator gave the consumer this PIN'),
});

function targetOf(b: z.infer<typeof PayBody>): SimPayTarget {
  const ways = [b.prepayId !== undefined, b.outTradeNo !== undefined || b.mchid !== undefined, b.codeUrl !== undefined].filter(Boolean).length;
  if (ways !== 1) throw invalid('give exactly one of prepayId, outTradeNo + mchid, codeUrl');
  if (b.prepayId !== undefined) return { prepayId: b.prepayId };
  if (b.codeUrl !== undefined) return { codeUrl: b.codeUrl };
  if (b.outTradeNo === undefined || b.mchid === undefined) throw invalid('outTradeNo needs mchid (and mchid needs outTradeNo)');
  return { outTradeNo: b.outTradeNo, mchid: b.mchid };
}

/** `lianjie sim pay` / `sim paycode`: pay an order or show a payment code as a consumer (sandbox only). */
export function simPayRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, wallet, payer, payMethods, payCodes, insurance } = platform.services;
  const sim = createSimPayService({ identity, wallet, payer, payMethods, payCodes });
  const ctx = (req: { id: string }) => makeContext({ kind: 'anonymous' }, req.id);
  const tags = ['simulator (sandbox only)'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody, 429: ErrorBody };

  r.post('/api/v1/sim/pay', {
    schema: { tags, summary: 'Pay an order from the wallet as the consumer: by prepayId, outTradeNo + mchid, or a code_url / h5_url', body: PayBody, response: { 200: Paid, ...errors } },
  }, async (req) => {
    const { order: o, balance, pinSetTo } = await sim.pay(ctx(req), req.body.consumer, targetOf(req.body), req.body.pin);
    return {
      state: o.state,
      outTradeNo: o.out_trade_no,
      transactionId: o.transaction_id,
      tradeType: o.trade_type,
      total: fen(o.total),
      insuredTotal: fen(o.insured_total),
      successTime: o.success_time?.toISOString() ?? null,
      balance: fen(balance),
      ...(pinSetTo === undefined ? {} : { pinSetTo }),
    };
  });

  r.post('/api/v1/sim/insurance-card', {
    schema: {
      tags,
      summary: 'Bind an insurance card to the consumer, so orders with an insured share can be paid (the hospital case)',
      body: z.object({ consumer: Consumer, insurer: z.string().min(1).max(64).default('城镇职工医保'), cardNo: z.string().min(8).max(40).optional(), holderName: z.string().min(1).max(64).optional() }),
      response: { 200: z.object({ id: z.string(), insurer: z.string(), cardNoLast4: z.string(), holderName: z.string() }), ...errors },
    },
  }, async (req) => {
    const consumer = await identity.authenticateConsumer(ctx(req), req.body.consumer);
    const c = makeContext({ kind: 'consumer', consumerId: consumer.id }, req.id);
    const card = await insurance.bind(c, { insurer: req.body.insurer, cardNo: req.body.cardNo ?? `SIM${String(Date.now()).slice(-9)}`, holderName: req.body.holderName ?? consumer.nickname ?? 'Sandbox' });
    return { id: card.id, insurer: card.insurer, cardNoLast4: card.cardNoLast4, holderName: card.holderName };
  });

  r.post('/api/v1/sim/paycode', {
    schema: { tags, summary: "The consumer's payment code for a merchant's micropay (18 digits, 60 s, single use)", body: z.object({ consumer: Consumer }), response: { 200: z.object({ code: z.string(), expiresAt: z.string() }), 400: ErrorBody, 401: ErrorBody } },
  }, async (req) => {
    const c = await sim.paycode(ctx(req), req.body.consumer);
    return { code: c.code, expiresAt: c.expiresAt.toISOString() };
  });
}
