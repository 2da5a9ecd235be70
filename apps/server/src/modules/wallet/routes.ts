import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { AppError } from '../../platform/errors.ts';
import { contextFor } from '../../platform/http.ts';
import type { TransferView } from './service.ts';

/** Fen as a JSON integer; our balances stay far below 2^53, and we refuse to round silently if not. */
export function fen(amount: bigint): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < -BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('internal', 'amount beyond a safe JSON integer');
  return Number(amount);
}

const Card = z.object({ id: z.string(), bank: z.string(), last4: z.string(), createdAt: z.string() });
const Transfer = z.object({
  id: z.string(),
  direction: z.enum(['topup', 'withdraw']),
  cardId: z.string(),
  amount: z.number().int().describe('fen'),
  balance: z.number().int().describe('wallet balance in fen after this transfer'),
  createdAt: z.string(),
});
const Receipt = z.object({
  id: z.string().describe('ledger entry id; pass as `before` for the next page'),
  kind: z.string(),
  amount: z.number().int().describe('signed fen: + into the wallet, − out of it'),
  counterparty: z.string(),
  reference: z.string(),
  createdAt: z.string(),
});
const TransferBody = z.object({ cardId: z.string().min(1).max(64), amount: z.number().int().min(1).max(5_000_000).describe('fen') });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(128).optional() }).loose();
const Pin = z.string().regex(/^\d{6}$/, '6 digits');

const presentTransfer = (t: TransferView) => ({ id: t.id, direction: t.direction, cardId: t.cardId, amount: fen(t.amount), balance: fen(t.balance), createdAt: t.createdAt.toISOString() });

/** The consumer's wallet: balance, bank cards, top-ups, withdrawals, history and the payment PIN. */
export function walletRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { wallet, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['wallet'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody };

  r.get('/api/v1/wallet', {
    schema: { tags, summary: 'Wallet balance (fen) and payment PIN state', response: { 200: z.object({ balance: z.number().int(), currency: z.literal('CNY'), pinSet: z.boolean(), pinLockedUntil: z.string().nullable() }), 401: ErrorBody } },
  }, async (req) => {
    const s = await wallet.summary(await consumer(req));
    return { balance: fen(s.balance), currency: 'CNY' as const, pinSet: s.pinSet, pinLockedUntil: s.pinLockedUntil?.toISOString() ?? null };
  });

  r.get('/api/v1/wallet/cards', { schema: { tags, response: { 200: z.array(Card), 401: ErrorBody } } }, async (req) =>
    (await wallet.listCards(await consumer(req))).map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
  );

  r.post('/api/v1/wallet/cards', {
    schema: { tags, summary: 'Add a (simulated) bank card; only the last four digits are kept', body: z.object({ number: z.string().min(12).max(32), bank: z.string().min(1).max(64) }), response: { 201: Card, ...errors } },
  }, async (req, reply) => {
    const c = await wallet.addCard(await consumer(req), req.body);
    return reply.status(201).send({ ...c, createdAt: c.createdAt.toISOString() });
  });

  for (const [path, direction] of [['/api/v1/wallet/topups', 'topUp'], ['/api/v1/wallet/withdrawals', 'withdraw']] as const) {
    r.post(path, {
      schema: {
        tags,
        summary: direction === 'topUp' ? 'Top up the wallet from a card' : 'Withdraw to a card (412 NOT_ENOUGH when the wallet is short)',
        description: 'An Idempotency-Key header makes a retry return the first result (200); the same key with another body is a 409.',
        headers: IdempotencyHeaders,
        body: TransferBody,
        response: { 200: Transfer, 201: Transfer, ...errors },
      },
    }, async (req, reply) => {
      const t = await wallet[direction](await consumer(req), { cardId: req.body.cardId, amount: BigInt(req.body.amount), idempotencyKey: req.headers['idempotency-key'] });
      return reply.status(t.replayed ? 200 : 201).send(presentTransfer(t));
    });
  }

  r.get('/api/v1/wallet/transactions', {
    schema: {
      tags,
      summary: 'Wallet history with receipts, newest first',
      querystring: z.object({ before: z.string().regex(/^\d{1,19}$/).transform((s) => BigInt(s)).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.array(Receipt), 400: ErrorBody, 401: ErrorBody },
    },
  }, async (req) =>
    (await wallet.history(await consumer(req), req.query)).map((x) => ({ id: String(x.entryId), kind: x.kind, amount: fen(x.amount), counterparty: x.counterparty, reference: x.reference, createdAt: x.createdAt.toISOString() })),
  );

  r.put('/api/v1/wallet/pin', {
    schema: { tags, summary: 'Set or change the 6-digit payment PIN', body: z.object({ pin: Pin, currentPin: Pin.optional() }), response: { 200: Ok, 403: ErrorBody, 429: ErrorBody, ...errors } },
  }, async (req) => {
    await wallet.setPin(await consumer(req), req.body);
    return { ok: true as const };
  });
}
