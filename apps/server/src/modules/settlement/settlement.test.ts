import assert from 'node:assert/strict';
import { randomString } from '../../platform/ids.ts';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayOwner, createPayer, paidOrder, type TestPayOwner } from '../../testing/pay.ts';
import { cstDate } from '../../platform/time.ts';
import { cstDay, cstDayStart, dueAt, feeOf } from './service.ts';

type Json = Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } };

async function call(e: TestEnv, method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string>, body?: unknown) {
  const res = await e.app.inject({ method, url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: res.statusCode, body: res.json() as Json };
}

async function balances(e: TestEnv, m: TestPayOwner) {
  const { ledger } = e.platform.services;
  const db = e.platform.handle.db;
  return {
    pending: (await ledger.find(db, 'merchant_pending', m.orgId))?.balance ?? 0n,
    available: (await ledger.find(db, 'merchant_available', m.orgId))?.balance ?? 0n,
    fees: (await ledger.find(db, 'platform_fees', null))?.balance ?? 0n,
  };
}

const orderRow = (e: TestEnv, id: string) => e.platform.handle.db.selectFrom('pay_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function assertLedgerSound(e: TestEnv) {
  assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
}

async function refund(e: TestEnv, m: TestPayOwner, outTradeNo: string, amount: bigint) {
  await e.platform.services.refunds.request(m.owner.ctx, m.row, { by: { outTradeNo }, outRefundNo: `R${randomString(12)}`, amount, api: 'v3' });
  await e.platform.worker.drain();
}

describeOnBothDbs('settlement, payouts', (env) => {
  it('computes due times in CST and rounds the fee half up', () => {
    // 2026-11-26 23:59:59 CST = 15:59:59Z; due at 2026-11-27 00:00 CST = 16:00Z.
    assert.equal(dueAt(new Date('2026-11-26T15:59:59Z'), 'T+1').toISOString(), '2026-11-26T16:00:00.000Z');
    assert.equal(dueAt(new Date('2026-11-26T16:00:00Z'), 'T+1').toISOString(), '2026-11-27T16:00:00.000Z');
    assert.equal(dueAt(new Date('2026-11-26T03:00:00Z'), 'now').toISOString(), '2026-11-26T03:00:00.000Z');
    assert.equal(cstDayStart(new Date('2026-11-26T15:59:59Z')).toISOString(), '2026-11-25T16:00:00.000Z');
    assert.deepEqual(cstDay('2026-11-27'), { start: new Date('2026-11-26T16:00:00Z'), end: new Date('2026-11-27T16:00:00Z') });
    assert.throws(() => cstDay('2026-02-30'), /yyyy-MM-dd/);
    assert.equal(feeOf(250n, 60), 2n, '1.5 fen rounds up');
    assert.equal(feeOf(249n, 60), 1n, '1.494 fen rounds down');
    assert.equal(feeOf(1234n, 60), 7n);
    assert.equal(feeOf(0n, 60), 0n);
  });

  it("'now': settles at once less the fee; refunds before settlement are not settled; full refunds just stamp", async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 100_000n);
    assert.deepEqual((await call(e, 'PUT', '/api/v1/merchant/pay/settings', m.owner.headers, { delay: 'now' })).body, { feeRateBp: 60, feeRate: '0.60%', delay: 'now' });
    const a = await paidOrder(e, m, p, 250n);
    const b = await paidOrder(e, m, p, 10_000n);
    const c = await paidOrder(e, m, p, 500n);
    await refund(e, m, b.out_trade_no, 3_000n);
    await refund(e, m, c.out_trade_no, 500n);
    const before = await balances(e, m);
    assert.equal(before.pending, 250n + 7_000n);
    const now = new Date();
    assert.ok((await e.platform.services.settlement.settleDue(now)) >= 3);
    const after = await balances(e, m);
    assert.equal(after.pending, 0n);
    // a: 250 − fee 2 (1.5 rounded up); b: 7000 − 42; c: nothing left to settle.
    assert.equal(after.available, 248n + 6_958n);
    assert.equal(after.fees - before.fees, 2n + 42n);
    assert.deepEqual([(await orderRow(e, a.id)).fee, (await orderRow(e, b.id)).fee, (await orderRow(e, c.id)).fee], [2n, 42n, 0n]);
    for (const o of [a, b, c]) assert.ok((await orderRow(e, o.id)).settled_at);
    assert.equal(await e.platform.services.settlement.settleDue(now), 0, 'nothing is settled twice');

    const bal = await call(e, 'GET', '/api/v1/merchant/pay/balance', m.owner.headers);
    assert.deepEqual(bal.body, { pending: 0, available: 7_206, fees: 44, currency: 'CNY' });
    const day = await call(e, 'GET', `/api/v1/merchant/pay/settlements?date=${cstDate(now)}`, m.owner.headers);
    assert.equal(day.status, 200);
    assert.deepEqual(day.body.orders && (day.body.orders as Json[]).map((o) => [o.outTradeNo, o.total, o.refunded, o.amount, o.fee, o.net]).sort(), [
      [a.out_trade_no, 250, 0, 250, 2, 248],
      [b.out_trade_no, 10_000, 3_000, 7_000, 42, 6_958],
      [c.out_trade_no, 500, 500, 0, 0, 0],
    ].sort());
    assert.deepEqual([day.body.amount, day.body.fee, day.body.net], [7_250, 44, 7_206]);

    // A refund after settlement comes out of available; the settled figures stay what moved then.
    await refund(e, m, b.out_trade_no, 1_000n);
    assert.equal((await balances(e, m)).available, 7_206n - 1_000n);
    const again = await call(e, 'GET', `/api/v1/merchant/pay/settlements?date=${cstDate(now)}`, m.owner.headers);
    assert.equal((again.body.orders as Json[]).find((o) => o.outTradeNo === b.out_trade_no)?.amount, 7_000);
    await assertLedgerSound(e);
  });

  it("'T+1' (the default): due from 00:00 CST of the next day, not a millisecond earlier", async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 10_000n);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/settings', m.owner.headers)).body.delay, 'T+1');
    const o = await paidOrder(e, m, p, 1_000n);
    const due = dueAt(o.success_time!, 'T+1');
    await e.platform.services.settlement.settleDue(new Date());
    await e.platform.services.settlement.settleDue(new Date(due.getTime() - 1));
    assert.equal((await orderRow(e, o.id)).settled_at, null);
    assert.equal((await balances(e, m)).pending, 1_000n);
    await e.platform.services.settlement.settleDue(due);
    const settled = await orderRow(e, o.id);
    assert.equal(settled.settled_at?.getTime(), due.getTime());
    assert.equal(settled.fee, 6n);
    assert.deepEqual([(await balances(e, m)).pending, (await balances(e, m)).available], [0n, 994n]);
    const list = await call(e, 'GET', `/api/v1/merchant/pay/settlements?date=${cstDate(due)}`, m.owner.headers);
    assert.deepEqual((list.body.orders as Json[]).map((x) => x.outTradeNo), [o.out_trade_no]);
    await assertLedgerSound(e);
  });

  it('the background sweeper settles a due order within a couple of seconds and stops cleanly', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 10_000n);
    await e.platform.services.settlement.setDelay(m.owner.ctx, 'now');
    const o = await paidOrder(e, m, p, 2_000n);
    e.platform.settlementSweeper.start();
    try {
      for (let i = 0; i < 60 && !(await orderRow(e, o.id)).settled_at; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await e.platform.settlementSweeper.stop();
    }
    assert.equal((await orderRow(e, o.id)).fee, 12n);
    assert.equal((await balances(e, m)).available, 1_988n);
  });

  it('two sweepers at once settle every due order exactly once (SKIP LOCKED)', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 100_000n);
    await e.platform.services.settlement.setDelay(m.owner.ctx, 'now');
    const orders = [];
    for (let i = 0; i < 12; i++) orders.push(await paidOrder(e, m, p, BigInt(1_000 + i)));
    const { settlement } = e.platform.services;
    const now = new Date();
    const counts = await Promise.all([settlement.settleDue(now, 100), settlement.settleDue(now, 100), settlement.settleDue(now, 100)]);
    const mine = await e.platform.handle.db.selectFrom('pay_orders').select(['settled_at']).where('org_id', '=', m.orgId).execute();
    assert.ok(mine.every((r) => r.settled_at), 'all settled');
    assert.equal(counts.reduce((s, n) => s + n, 0), 12, `each order counted once (${counts.join('+')})`);
    const settles = await e.platform.handle.db.selectFrom('ledger_transactions').select('reference').where('kind', '=', 'settle').where('tenant_id', '=', m.orgId).execute();
    assert.equal(settles.length, 12);
    const total = orders.reduce((s, o) => s + o.total, 0n);
    const fees = orders.reduce((s, o) => s + feeOf(o.total, 60), 0n);
    assert.deepEqual([(await balances(e, m)).pending, (await balances(e, m)).available], [0n, total - fees]);
    await assertLedgerSound(e);
  });

  it('a refund racing the settlement of its order serializes on the order row: whichever goes first, the money adds up', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 100_000n);
    await e.platform.services.settlement.setDelay(m.owner.ctx, 'now');
    for (let i = 0; i < 4; i++) {
      const before = await balances(e, m);
      const o = await paidOrder(e, m, p, 10_000n);
      await Promise.all([e.platform.services.settlement.settleDue(new Date()), refund(e, m, o.out_trade_no, 2_500n)]);
      await e.platform.services.settlement.settleDue(new Date());
      const settled = await orderRow(e, o.id);
      const after = await balances(e, m);
      assert.ok(settled.settled_at);
      assert.ok([feeOf(10_000n, 60), feeOf(7_500n, 60)].includes(settled.fee), `fee ${settled.fee}`);
      assert.equal(after.pending, before.pending);
      assert.equal(after.available - before.available + settled.fee + 2_500n, 10_000n);
    }
    await assertLedgerSound(e);
  });

  it('payouts: owner adds an account and pays out available; Idempotency-Key replays; short balance and bad input change nothing', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const p = await createPayer(e, m.appidOk, 100_000n);
    await e.platform.services.settlement.setDelay(m.owner.ctx, 'now');
    await paidOrder(e, m, p, 10_000n);
    await e.platform.services.settlement.settleDue(new Date());
    assert.equal((await balances(e, m)).available, 9_940n);
    const h = m.owner.headers;
    const acct = await call(e, 'POST', '/api/v1/merchant/pay/payout-accounts', h, { bankName: '招商银行', accountNumber: '6225 8801 2345 6789' });
    assert.equal(acct.status, 201);
    assert.deepEqual([acct.body.bankName, acct.body.last4], ['招商银行', '6789']);
    assert.doesNotMatch(JSON.stringify(acct.body), /62258801/);
    const accountId = String(acct.body.id);

    const key = { ...h, 'idempotency-key': `k-${randomString(8)}` };
    const first = await call(e, 'POST', '/api/v1/merchant/pay/payouts', key, { accountId, amount: 4_000 });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const replay = await call(e, 'POST', '/api/v1/merchant/pay/payouts', key, { accountId, amount: 4_000 });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.id, first.body.id);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/pay/payouts', key, { accountId, amount: 4_001 })).status, 409);
    assert.equal((await balances(e, m)).available, 5_940n);
    const bank = (await e.platform.services.ledger.find(e.platform.handle.db, 'bank', null))!.balance;

    const short = await call(e, 'POST', '/api/v1/merchant/pay/payouts', h, { accountId, amount: 5_941 });
    assert.equal(short.status, 412);
    assert.equal(short.body.error?.details?.reason, 'NOT_ENOUGH');
    for (const bad of [{ accountId, amount: -5 }, { accountId, amount: 0 }, { accountId, amount: 1.5 }, { accountId: 'ppa_nope', amount: 5 }]) {
      assert.ok([400, 404].includes((await call(e, 'POST', '/api/v1/merchant/pay/payouts', h, bad)).status), JSON.stringify(bad));
    }
    assert.equal((await call(e, 'POST', '/api/v1/merchant/pay/payout-accounts', h, { bankName: 'X', accountNumber: 'abcdefghij' })).status, 400);
    assert.equal((await balances(e, m)).available, 5_940n);
    assert.equal((await e.platform.services.ledger.find(e.platform.handle.db, 'bank', null))!.balance, bank);
    const list = await call(e, 'GET', '/api/v1/merchant/pay/payouts', h);
    assert.deepEqual((list.body as unknown as Json[]).map((x) => [x.id, x.amount, x.status]), [[first.body.id, 4_000, 'paid']]);
    assert.equal((await e.platform.handle.db.selectFrom('pay_payout_accounts').select('id').where('org_id', '=', m.orgId).execute()).length, 1);
    await assertLedgerSound(e);
  });

  it('merchant B sees nothing of A; bad dates and settings are refused; only the operator sets the fee rate', async () => {
    const e = env();
    const a = await createPayOwner(e);
    const b = await createPayOwner(e);
    const p = await createPayer(e, a.appidOk, 100_000n);
    await e.platform.services.settlement.setDelay(a.owner.ctx, 'now');
    await paidOrder(e, a, p, 5_000n);
    await e.platform.services.settlement.settleDue(new Date());
    const acct = await call(e, 'POST', '/api/v1/merchant/pay/payout-accounts', a.owner.headers, { bankName: 'ICBC', accountNumber: '6222020000001234' });
    await call(e, 'POST', '/api/v1/merchant/pay/payouts', a.owner.headers, { accountId: acct.body.id, amount: 1_000 });

    const bh = b.owner.headers;
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/pay/balance', bh)).body, { pending: 0, available: 0, fees: 0, currency: 'CNY' });
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/pay/payouts', bh)).body, []);
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/pay/payout-accounts', bh)).body, []);
    assert.deepEqual((await call(e, 'GET', `/api/v1/merchant/pay/settlements?date=${cstDate()}`, bh)).body.orders, []);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/pay/payouts', bh, { accountId: acct.body.id, amount: 1 })).status, 404, "B cannot pay out to A's account");
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', {})).status, 401);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', p.c.headers)).status, 401, 'a consumer session is not a merchant');
    // The merchants' servers use API keys: A's reads A's balance (and may not pay out), B's sees none of A's money.
    const keyOf = async (ctx: typeof a.owner.ctx) => ({ authorization: `Bearer ${(await e.platform.services.apiKeys.create(ctx, { name: 'server' })).key}` });
    const ak = await keyOf(a.owner.ctx);
    const byKey = await call(e, 'GET', '/api/v1/merchant/pay/balance', ak);
    assert.deepEqual(byKey.body, (await call(e, 'GET', '/api/v1/merchant/pay/balance', a.owner.headers)).body);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/pay/payouts', ak, { accountId: acct.body.id, amount: 1 })).status, 403, 'an API key cannot pay out');
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/pay/balance', await keyOf(b.owner.ctx))).body, { pending: 0, available: 0, fees: 0, currency: 'CNY' });
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', { authorization: 'Bearer lj_sk_nope' })).status, 401);

    const settingsBefore = (await call(e, 'GET', '/api/v1/merchant/pay/settings', a.owner.headers)).body;
    for (const date of ['2026-13-01', '20261126', 'today', '']) assert.equal((await call(e, 'GET', `/api/v1/merchant/pay/settlements?date=${date}`, a.owner.headers)).status, 400, date);
    assert.equal((await call(e, 'PUT', '/api/v1/merchant/pay/settings', a.owner.headers, { delay: 'T+7' })).status, 400);
    assert.equal((await call(e, 'PUT', `/api/v1/operator/merchants/${a.orgId}/pay-settings`, a.owner.headers, { feeRateBp: 0 })).status, 401, 'a merchant cannot set its own fee');
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/pay/settings', a.owner.headers)).body, settingsBefore);

    await e.platform.services.identity.bootstrapOperator('ops@lianjie.test', 'operator-pass-1');
    const op = await e.platform.services.identity.signInOperator(a.owner.ctx, { email: 'ops@lianjie.test', password: 'operator-pass-1' });
    const oh = { authorization: `Bearer ${op.session.token}`, 'x-lianjie-session-kind': 'operator' };
    assert.equal((await call(e, 'PUT', `/api/v1/operator/merchants/${a.orgId}/pay-settings`, oh, { feeRateBp: 10_001 })).status, 400);
    assert.equal((await call(e, 'PUT', '/api/v1/operator/merchants/org_nope/pay-settings', oh, { feeRateBp: 100 })).status, 404);
    assert.deepEqual((await call(e, 'PUT', `/api/v1/operator/merchants/${a.orgId}/pay-settings`, oh, { feeRateBp: 100 })).body, { feeRateBp: 100, feeRate: '1.00%', delay: 'now' });
    const o = await paidOrder(e, a, p, 5_000n);
    await e.platform.services.settlement.settleDue(new Date());
    assert.equal((await orderRow(e, o.id)).fee, 50n, 'the new rate applies to the next settlement');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/settings', bh)).body.feeRateBp, 60, "B's rate is untouched");
    await assertLedgerSound(e);
  });
});
