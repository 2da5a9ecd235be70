import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { makeContext } from '../../platform/context.ts';
import { isAppError } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestConsumer } from '../../testing/factories.ts';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { completePayment } from './pay.ts';

/**
 * Random concurrent money movements across wallets and a merchant — payments, partial refunds (and
 * their completion by the outbox worker), top-ups, withdrawals and settlement sweeps, all of one batch
 * at once (on PostgreSQL each on its own pooled connection). After every batch: every ledger
 * transaction sums to zero, no balance is negative, every balance equals the sum of its entries,
 * money is conserved against the simulated bank, and every order's refunds stay within what was paid.
 */
const WALLETS = 4;

type Op =
  | { t: 'topup'; w: number; amount: number }
  | { t: 'withdraw'; w: number; amount: number }
  | { t: 'pay'; w: number; amount: number }
  | { t: 'refund'; order: number; amount: number }
  | { t: 'settle' }
  | { t: 'complete' };

const w = fc.integer({ min: 0, max: WALLETS - 1 });
const amount = fc.integer({ min: 1, max: 2_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('topup' as const), w, amount }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('withdraw' as const), w, amount }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('pay' as const), w, amount }), weight: 5 },
  { arbitrary: fc.record({ t: fc.constant('refund' as const), order: fc.nat(), amount: fc.integer({ min: 1, max: 1_500 }) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('settle' as const) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('complete' as const) }), weight: 1 },
);

/** Refusals a random batch is expected to meet (short wallet, over-refund, settled money gone); anything else fails. */
const expected = (err: unknown) => isAppError(err) && ['NOT_ENOUGH', 'INVALID_REQUEST'].includes(String(err.details?.reason ?? err.details?.v3Code));

describeOnBothDbs('money under random concurrent pays, refunds, top-ups and settlements', (env) => {
  it('keeps the ledger balanced, non-negative, equal to its entries and conserved', async () => {
    const e = env();
    const { services, hub } = e.platform;
    const db = e.platform.handle.db;
    const m = await createMerchant(e);
    const account = await createAccount(e, m);
    const pay = await services.payMerchants.create(m.ctx, { appid: account.appid });
    const secrets = await services.payMerchants.byMchId(pay.mchId);
    assert.ok(secrets);
    await services.settlement.setDelay(m.ctx, 'now');
    const appCtx = makeContext({ kind: 'app', orgId: m.orgId, accountId: account.id });
    const people: { c: TestConsumer; openid: string; cardId: string }[] = [];
    for (let i = 0; i < WALLETS; i++) {
      const c = await createConsumer(e);
      const openid = await follow(e, c, account);
      const card = await services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'Test Bank' });
      await services.wallet.topUp(c.ctx, { cardId: card.id, amount: 5_000n });
      people.push({ c, openid, cardId: card.id });
    }
    const paidOrders: string[] = [];
    const tally = { done: 0, refused: 0 };

    const run = async (o: Op, orders: readonly string[]): Promise<void> => {
      try {
        if (o.t === 'topup' || o.t === 'withdraw') {
          const p = people[o.w]!;
          const input = { cardId: p.cardId, amount: BigInt(o.amount), idempotencyKey: randomUUID() };
          await (o.t === 'topup' ? services.wallet.topUp(p.c.ctx, input) : services.wallet.withdraw(p.c.ctx, input));
        } else if (o.t === 'pay') {
          const p = people[o.w]!;
          const { order } = await services.payments.create(appCtx, secrets.merchant, {
            tradeType: 'JSAPI', appid: account.appid, mchid: pay.mchId, description: 'property', outTradeNo: `P${randomString(16)}`,
            notifyUrl: 'http://127.0.0.1:9/notify', total: BigInt(o.amount), currency: 'CNY', payerOpenid: p.openid,
          });
          await db.transaction().execute(async (tx) => {
            const locked = await tx.selectFrom('pay_orders').selectAll().where('id', '=', order.id).forUpdate().executeTakeFirstOrThrow();
            await completePayment(tx, { hub, ledger: services.ledger }, locked, p.c.id, p.openid);
          });
          paidOrders.push(order.out_trade_no);
        } else if (o.t === 'refund') {
          const outTradeNo = orders[o.order % Math.max(orders.length, 1)];
          if (!outTradeNo) return;
          await services.refunds.request(appCtx, secrets.merchant, { by: { outTradeNo }, outRefundNo: `R${randomString(16)}`, amount: BigInt(o.amount), api: 'v3' });
        } else if (o.t === 'settle') {
          await services.settlement.settleDue(new Date());
        } else {
          await e.platform.worker.drain();
        }
        tally.done++;
      } catch (err) {
        if (!expected(err)) throw err;
        tally.refused++;
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 60 }), async (ops) => {
        const orders = [...paidOrders];
        await Promise.all(ops.map((o) => run(o, orders)));
        await e.platform.worker.drain();
        await services.settlement.settleDue(new Date());
        const report = await services.ledger.verify();
        assert.deepEqual(report, { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
        // Conservation: everything inside the platform is exactly what the simulated bank gave out.
        const sums = await sql<{ bank: bigint; inside: bigint }>`
          select coalesce(sum(balance) filter (where kind = 'bank'), 0)::bigint as bank,
                 coalesce(sum(balance) filter (where kind <> 'bank'), 0)::bigint as inside from ledger_accounts`.execute(db);
        assert.equal(sums.rows[0]?.inside, -(sums.rows[0]?.bank ?? 0n));
        // Orders: refunds within the paid amount, the counters equal to the refund rows, all refunds completed.
        const bad = await sql<{ id: string }>`
          select o.id from pay_orders o left join pay_refunds r on r.order_id = o.id
          group by o.id having o.refunded_total <> coalesce(sum(r.amount), 0) or o.refund_count <> count(r.id) or o.refunded_total > o.total
            or bool_or(r.status <> 'SUCCESS')`.execute(db);
        assert.deepEqual(bad.rows, []);
        // Every paid order was settled once the sweep ran ('now' delay), with exactly one settle movement.
        const unsettled = await db.selectFrom('pay_orders').select('id').where('state', 'in', ['SUCCESS', 'REFUND']).where('settled_at', 'is', null).execute();
        assert.deepEqual(unsettled, []);
      }),
      { numRuns: e.kind === 'postgres' ? 50 : 8 },
    );
    const counts = await sql<{ kind: string; n: string }>`select kind, count(*)::text as n from ledger_transactions group by kind order by kind`.execute(db);
    console.log(`[${e.kind}] ${tally.done} operations done, ${tally.refused} refused as expected; ledger movements:`, Object.fromEntries(counts.rows.map((r) => [r.kind, Number(r.n)])));
    assert.ok(tally.done > tally.refused, 'most operations went through (the property is not vacuous)');
  });
});
