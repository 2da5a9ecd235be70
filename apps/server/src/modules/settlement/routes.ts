import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { merchantCaller } from '../merchantapi/auth.ts';
import { fen } from '../wallet/routes.ts';
import type { PayoutAccountRow, PayoutRow } from './payouts.ts';
import { ratePercent, type PaySettings } from './service.ts';

const Fen = z.number().int().describe('fen');
const Settings = z.object({
  feeRateBp: z.number().int().describe('platform fee in basis points of the settled amount (60 = 0.6%), set by the operator'),
  feeRate: z.string().describe('the same as a percentage, e.g. 0.60%'),
  delay: z.enum(['T+1', 'now']).describe("'T+1': settled at 00:00 CST of the day after payment; 'now': at once"),
});
const PayoutAccount = z.object({ id: z.string(), bankName: z.string(), last4: z.string(), createdAt: z.string() });
const Payout = z.object({ id: z.string(), accountId: z.string(), amount: Fen, status: z.literal('paid'), createdAt: z.string() });
const Settled = z.object({
  transactionId: z.string(),
  outTradeNo: z.string(),
  total: Fen,
  refunded: Fen.describe('refunds accepted before settlement (taken from pending)'),
  amount: Fen.describe('total − refunded: what moved from pending'),
  fee: Fen,
  net: Fen.describe('amount − fee: what became available'),
  settledAt: z.string(),
});
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(128).optional() }).loose();

const presentSettings = (s: PaySettings) => ({ feeRateBp: s.feeRateBp, feeRate: ratePercent(s.feeRateBp), delay: s.delay });
const presentAccount = (a: PayoutAccountRow) => ({ id: a.id, bankName: a.bank_name, last4: a.last4, createdAt: a.created_at.toISOString() });
const presentPayout = (p: PayoutRow) => ({ id: p.id, accountId: p.account_id, amount: fen(p.amount), status: p.status, createdAt: p.created_at.toISOString() });

/** The merchant's Lianjie Pay money: balances, settlement settings, settled orders, payout accounts and payouts. */
export function settlementRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { settlement, payouts, identity, apiKeys } = platform.services;
  // A merchant session (the console) or an API key (the merchant's servers); permissions decide the rest.
  const merchant = (req: Parameters<typeof merchantCaller>[1]) => merchantCaller({ identity, apiKeys }, req);
  const tags = ['merchant-pay'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  r.get('/api/v1/merchant/pay/balance', {
    schema: { tags, summary: 'Pending (paid, not yet settled) and available (settled, may be paid out) balances, and fees kept so far', response: { 200: z.object({ pending: Fen, available: Fen, fees: Fen, currency: z.literal('CNY') }), 401: ErrorBody } },
  }, async (req) => {
    const b = await settlement.balance(await merchant(req));
    return { pending: fen(b.pending), available: fen(b.available), fees: fen(b.fees), currency: 'CNY' as const };
  });

  r.get('/api/v1/merchant/pay/settings', { schema: { tags, response: { 200: Settings, 401: ErrorBody } } }, async (req) => presentSettings(await settlement.getSettings(await merchant(req))));

  r.put('/api/v1/merchant/pay/settings', {
    schema: { tags, summary: 'Choose when payments settle (owner only); the fee rate is set by the operator', body: z.object({ delay: z.enum(['T+1', 'now']) }), response: { 200: Settings, ...errors } },
  }, async (req) => presentSettings(await settlement.setDelay(await merchant(req), req.body.delay)));

  r.get('/api/v1/merchant/pay/settlements', {
    schema: { tags, summary: 'Orders settled on a CST day, with amount and fee', querystring: z.object({ date: z.string().describe('yyyy-mm-dd (CST)') }), response: { 200: z.object({ date: z.string(), orders: z.array(Settled), amount: Fen, fee: Fen, net: Fen }), ...errors } },
  }, async (req) => {
    const orders = await settlement.settledOn(await merchant(req), req.query.date);
    const amount = orders.reduce((s, o) => s + o.amount, 0n);
    const fee = orders.reduce((s, o) => s + o.fee, 0n);
    return {
      date: req.query.date,
      orders: orders.map((o) => ({ transactionId: o.transactionId, outTradeNo: o.outTradeNo, total: fen(o.total), refunded: fen(o.refunded), amount: fen(o.amount), fee: fen(o.fee), net: fen(o.amount - o.fee), settledAt: o.settledAt.toISOString() })),
      amount: fen(amount),
      fee: fen(fee),
      net: fen(amount - fee),
    };
  });

  r.get('/api/v1/merchant/pay/payout-accounts', { schema: { tags, response: { 200: z.array(PayoutAccount), 401: ErrorBody } } }, async (req) => (await payouts.listAccounts(await merchant(req))).map(presentAccount));

  r.post('/api/v1/merchant/pay/payout-accounts', {
    schema: { tags, summary: 'Add a bank account for payouts (owner only); only the last four digits are kept', body: z.object({ bankName: z.string().min(1).max(64), accountNumber: z.string().min(8).max(40) }), response: { 201: PayoutAccount, ...errors } },
  }, async (req, reply) => reply.status(201).send(presentAccount(await payouts.addAccount(await merchant(req), req.body))));

  r.post('/api/v1/merchant/pay/payouts', {
    schema: {
      tags,
      summary: 'Pay out available balance to a payout account (owner only)',
      description: '412 NOT_ENOUGH when the available balance is short (nothing moves). An Idempotency-Key header makes a retry return the first payout (200); the same key with another body is a 409.',
      headers: IdempotencyHeaders,
      body: z.object({ accountId: z.string().min(1).max(64), amount: z.number().int().min(1).max(10_000_000_000).describe('fen') }),
      response: { 200: Payout, 201: Payout, ...errors, 409: ErrorBody, 412: ErrorBody },
    },
  }, async (req, reply) => {
    const { payout, replayed } = await payouts.request(await merchant(req), { accountId: req.body.accountId, amount: BigInt(req.body.amount), idempotencyKey: req.headers['idempotency-key'] });
    return reply.status(replayed ? 200 : 201).send(presentPayout(payout));
  });

  r.get('/api/v1/merchant/pay/payouts', {
    schema: { tags, summary: 'Payouts, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }), response: { 200: z.array(Payout), 400: ErrorBody, 401: ErrorBody } },
  }, async (req) => (await payouts.list(await merchant(req), { limit: req.query.limit })).map(presentPayout));

  r.put('/api/v1/operator/merchants/:orgId/pay-settings', {
    schema: { tags: ['operator'], summary: "Set an organisation's platform fee rate (operators only)", params: z.object({ orgId: z.string().min(1).max(64) }), body: z.object({ feeRateBp: z.number().int().min(0).max(10_000) }), response: { 200: Settings, ...errors } },
  }, async (req) => presentSettings(await settlement.setFeeRate(await contextFor(identity, req, 'operator'), req.params.orgId, req.body.feeRateBp)));
}
