import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { isAppError } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import { cstDate } from '../../platform/time.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayOwner, createPayer, paidOrder, type TestPayOwner } from '../../testing/pay.ts';
import { cstDay, feeOf } from '../settlement/service.ts';
import { BILL_COLUMNS, parseSummary, SUMMARY_COLUMNS } from './format.ts';

async function refund(e: TestEnv, m: TestPayOwner, outTradeNo: string, amount: bigint) {
  await e.platform.services.refunds.request(m.owner.ctx, m.row, { by: { outTradeNo }, outRefundNo: `R${randomString(12)}`, amount, api: 'v3' });
  await e.platform.worker.drain();
}

/** What the ledger says, independently of the bill: A's pay.success credits and refund.success movements of the day. */
async function ledgerOfDay(e: TestEnv, orgId: string, date: string) {
  const { start, end } = cstDay(date);
  const db = e.platform.handle.db;
  const paid = await sql<{ s: string | null }>`
    select sum(en.amount)::text as s from ledger_entries en
    join ledger_transactions t on t.id = en.transaction_id
    join ledger_accounts a on a.id = en.account_id
    where t.kind = 'pay.success' and a.kind = 'merchant_pending' and a.owner_id = ${orgId}
      and t.created_at >= ${start} and t.created_at < ${end}`.execute(db);
  // refund.success: refunds_in_flight pays the payer; the debit is the refunded amount.
  const refunded = await sql<{ s: string | null }>`
    select (-sum(en.amount))::text as s from ledger_entries en
    join ledger_transactions t on t.id = en.transaction_id
    join ledger_accounts a on a.id = en.account_id
    join pay_refunds r on r.id = t.reference
    where t.kind = 'refund.success' and a.kind = 'refunds_in_flight' and r.org_id = ${orgId}
      and t.created_at >= ${start} and t.created_at < ${end}`.execute(db);
  return { paid: BigInt(paid.rows[0]?.s ?? 0), refunded: BigInt(refunded.rows[0]?.s ?? 0) };
}

const dataRows = (bill: string) => bill.trimEnd().split('\r\n').slice(1, -2);
const fields = (row: string) => row.split(',').map((f) => {
  assert.ok(f.startsWith('`'), `every field is back-quoted: ${row}`);
  return f.slice(1);
});

describeOnBothDbs('trade bills', (env) => {
  it("matches the ledger to the fen for a day of payments and refunds (merchant B's are noise)", async () => {
    const e = env();
    const a = await createPayOwner(e);
    const b = await createPayOwner(e);
    const pa = await createPayer(e, a.appidOk, 100_000n);
    const pb = await createPayer(e, b.appidOk, 100_000n);
    const { settlement, bills } = e.platform.services;
    const date = cstDate();

    const o1 = await paidOrder(e, a, pa, 1_234n, '宫保鸡丁,米饭');
    const o2 = await paidOrder(e, a, pa, 2_500n);
    await settlement.setDelay(a.owner.ctx, 'now');
    await settlement.settleDue(new Date());
    await settlement.setDelay(a.owner.ctx, 'T+1');
    const o3 = await paidOrder(e, a, pa, 999n);
    const o4 = await paidOrder(e, a, pa, 3_001n);
    await refund(e, a, o2.out_trade_no, 500n); // after settlement: from available
    await refund(e, a, o3.out_trade_no, 999n); // before: from pending, nothing left to settle
    const nb = await paidOrder(e, b, pb, 7_777n);
    await refund(e, b, nb.out_trade_no, 77n);
    assert.equal(cstDate(), date, 'the test ran within one CST day');

    const bill = await bills.tradeBill(a.owner.ctx, a.row, { date, type: 'ALL' });
    const lines = bill.split('\r\n');
    assert.equal(lines[0], BILL_COLUMNS.join(','));
    assert.equal(lines.at(-3), SUMMARY_COLUMNS.join(','));
    assert.equal(lines.at(-1), '', 'ends with CRLF');
    const rows = dataRows(bill).map(fields);
    assert.equal(rows.length, 6);
    for (const r of rows) {
      assert.equal(r.length, BILL_COLUMNS.length);
      assert.equal(r[2], a.mchId);
      assert.match(r[0]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      for (const i of [12, 13, 16, 17, 22, 24, 25]) assert.match(r[i]!, /^\d+\.\d{2}$/);
    }
    assert.doesNotMatch(bill, new RegExp(nb.out_trade_no));
    const byNo = (no: string, state: string) => rows.find((r) => r[6] === no && r[9] === state)!;
    assert.deepEqual(byNo(o1.out_trade_no, 'SUCCESS').slice(9, 13), ['SUCCESS', 'OTHERS', 'CNY', '12.34']);
    assert.equal(byNo(o1.out_trade_no, 'SUCCESS')[20], '宫保鸡丁，米饭', 'a comma in free text cannot split the line');
    assert.equal(byNo(o1.out_trade_no, 'SUCCESS')[22], '0.07', 'settled: the fee kept');
    assert.equal(byNo(o4.out_trade_no, 'SUCCESS')[22], '0.18', 'not settled yet: the fee the rate gives (18.006 fen)');
    assert.equal(byNo(o3.out_trade_no, 'SUCCESS')[22], '0.00', 'fully refunded before settlement: no fee');
    const r2 = byNo(o2.out_trade_no, 'REFUND');
    assert.deepEqual([r2[12], r2[16], r2[18], r2[19], r2[25]], ['0.00', '5.00', 'ORIGINAL', 'SUCCESS', '5.00']);
    assert.match(r2[14]!, /^\d{29}$/);

    const summary = parseSummary(bill);
    const ledger = await ledgerOfDay(e, a.orgId, date);
    assert.equal(summary.总交易单数, 6n);
    assert.equal(summary.应结订单总金额, ledger.paid);
    assert.equal(summary.应结订单总金额, 1_234n + 2_500n + 999n + 3_001n);
    assert.equal(summary.退款总金额, ledger.refunded);
    assert.equal(summary.退款总金额, 1_499n);
    assert.equal(summary.申请退款总金额, 1_499n);
    assert.equal(summary.订单总金额, summary.应结订单总金额);
    assert.equal(summary.手续费总金额, feeOf(1_234n, 60) + feeOf(2_500n, 60) + feeOf(3_001n, 60));

    const success = await bills.tradeBill(a.owner.ctx, a.row, { date, type: 'SUCCESS' });
    assert.deepEqual(dataRows(success).map((r) => fields(r)[9]), ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    assert.equal(parseSummary(success).应结订单总金额, ledger.paid);
    const refunds = await bills.tradeBill(a.owner.ctx, a.row, { date, type: 'REFUND' });
    assert.deepEqual(dataRows(refunds).map((r) => fields(r)[9]), ['REFUND', 'REFUND']);
    assert.equal(parseSummary(refunds).退款总金额, ledger.refunded);

    // B's bill holds only B's order and refund.
    const bBill = await bills.tradeBill(b.owner.ctx, b.row, { date, type: 'ALL' });
    assert.equal(parseSummary(bBill).应结订单总金额, 7_777n);
    for (const o of [o1, o2, o3, o4]) assert.doesNotMatch(bBill, new RegExp(o.transaction_id));
    await assert.rejects(bills.tradeBill(b.owner.ctx, a.row, { date, type: 'ALL' }), (err: unknown) => isAppError(err) && err.code === 'permission_denied');
    assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });

  it('NO_STATEMENT_EXIST for an empty day; bad dates and types are PARAM_ERROR', async () => {
    const e = env();
    const a = await createPayOwner(e);
    const { bills } = e.platform.services;
    await assert.rejects(bills.tradeBill(a.owner.ctx, a.row, { date: '2001-01-01', type: 'ALL' }), (err: unknown) => isAppError(err) && err.code === 'not_found' && err.details?.v3Code === 'NO_STATEMENT_EXIST');
    await assert.rejects(bills.tradeBill(a.owner.ctx, a.row, { date: cstDate(), type: 'ALL' }), (err: unknown) => isAppError(err) && err.details?.v3Code === 'NO_STATEMENT_EXIST');
    for (const date of ['2026-02-30', '2026/11/26', '20261126', '']) {
      await assert.rejects(bills.tradeBill(a.owner.ctx, a.row, { date, type: 'ALL' }), (err: unknown) => isAppError(err) && err.code === 'invalid_argument' && err.details?.v3Code === 'PARAM_ERROR', date);
    }
    await assert.rejects(bills.tradeBill(a.owner.ctx, a.row, { date: '2026-11-26', type: 'NOPE' as 'ALL' }), (err: unknown) => isAppError(err) && err.details?.v3Code === 'PARAM_ERROR');
  });
});
