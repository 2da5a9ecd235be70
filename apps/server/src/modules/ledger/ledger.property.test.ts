import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import fc from 'fast-check';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createConsumer, type TestConsumer } from '../../testing/factories.ts';
import { isNotEnough } from './service.ts';

const WALLETS = 4;

type Op =
  | { t: 'topup'; w: number; amount: number }
  | { t: 'withdraw'; w: number; amount: number }
  | { t: 'transfer'; from: number; to: number; amount: number };

const wallet = fc.integer({ min: 0, max: WALLETS - 1 });
const amount = fc.integer({ min: 1, max: 5_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('topup' as const), w: wallet, amount }),
  fc.record({ t: fc.constant('withdraw' as const), w: wallet, amount }),
  fc.record({ t: fc.constant('transfer' as const), from: wallet, to: wallet, amount }).filter((o) => o.from !== o.to),
);

describeOnBothDbs('ledger under concurrent random movements', (env) => {
  it('keeps every transaction balanced, every wallet ≥ 0 and every balance equal to its entries', async () => {
    const e = env();
    const { wallet: walletService, ledger } = e.platform.services;
    const db = e.platform.handle.db;
    const people: { c: TestConsumer; cardId: string; accountId: string }[] = [];
    for (let i = 0; i < WALLETS; i++) {
      const c = await createConsumer(e);
      const card = await walletService.addCard(c.ctx, { number: '4111111111111111', bank: 'Test Bank' });
      await walletService.topUp(c.ctx, { cardId: card.id, amount: 1_000n });
      people.push({ c, cardId: card.id, accountId: (await ledger.account(db, 'consumer_wallet', c.id)).id });
    }
    const totalInWallets = async () => {
      const rows = await db.selectFrom('ledger_accounts').select('balance').where('id', 'in', people.map((p) => p.accountId)).execute();
      return rows.reduce((s, r) => s + r.balance, 0n);
    };

    const run = async (o: Op): Promise<bigint> => {
      const fen = BigInt(o.amount);
      try {
        if (o.t === 'topup') {
          const p = people[o.w]!;
          await walletService.topUp(p.c.ctx, { cardId: p.cardId, amount: fen, idempotencyKey: randomUUID() });
          return fen;
        }
        if (o.t === 'withdraw') {
          const p = people[o.w]!;
          await walletService.withdraw(p.c.ctx, { cardId: p.cardId, amount: fen });
          return -fen;
        }
        const entries = [
          { accountId: people[o.from]!.accountId, amount: -fen },
          { accountId: people[o.to]!.accountId, amount: fen },
        ];
        await db.transaction().execute((tx) => ledger.post(tx, { kind: 'test.transfer', reference: randomUUID(), entries }));
        return 0n;
      } catch (err) {
        if (isNotEnough(err)) return 0n;
        throw err;
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const before = await totalInWallets();
        // All at once: on PostgreSQL the pool runs them on separate connections, truly concurrently.
        const moved = await Promise.all(ops.map(run));
        const net = moved.reduce((s, m) => s + m, 0n);
        assert.equal(await totalInWallets(), before + net, 'wallets changed by exactly the successful top-ups and withdrawals');
        const report = await ledger.verify();
        assert.deepEqual(report, { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
        assert.equal(await ledger.balance(db, 'la_bank'), -(await totalInWallets()), 'the bank holds the other side of every wallet');
      }),
      { numRuns: e.kind === 'postgres' ? 100 : 15 },
    );
  });
});
