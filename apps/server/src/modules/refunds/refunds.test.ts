import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createMerchant, type TestConsumer } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, payByPrepay, type TestPayMerchant } from '../../testing/pay.ts';
import { makeContext } from '../../platform/context.ts';
import { isAppError } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import { parseWechatXml, xmlText } from '../../wire/wechat/xml.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import { createRefundCompleteHandler } from './complete.ts';
import { insuredShare, type RefundRequest } from './service.ts';

const CLEAN = { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] };

interface Paid { f: TestPayMerchant; m: PayMerchantRow; c: TestConsumer; outTradeNo: string; orderId: string }

/** A merchant's order paid by a fresh consumer with the PIN (through our JSON API). */
async function paidOrder(e: TestEnv, o: { total: bigint; insuredTotal?: bigint; notifyUrl?: string; topUp?: bigint; f?: TestPayMerchant; api?: 'v3' | 'v2' }): Promise<Paid> {
  const f = o.f ?? (await createPayMerchant(e));
  const m = (await e.platform.services.payMerchants.byMchId(f.mchId))?.merchant;
  assert.ok(m);
  const { c, openid } = await createPayer(e, f.appidOk, o.topUp ?? o.total);
  const ctx = makeContext({ kind: 'app', orgId: f.orgId, accountId: 'acc' });
  const outTradeNo = `T${randomString(12)}`;
  const { order } = await e.platform.services.payments.create(ctx, m, {
    tradeType: 'JSAPI', appid: f.appidOk, mchid: f.mchId, description: '挂号费', outTradeNo, notifyUrl: o.notifyUrl ?? 'http://127.0.0.1:9/notify', total: o.total, currency: 'CNY',
    payerOpenid: openid, insuredTotal: o.insuredTotal, api: o.api, v2SignType: o.api === 'v2' ? 'MD5' : undefined,
  });
  const paid = await payByPrepay(e, c, String(order.prepay_id));
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  return { f, m, c, outTradeNo, orderId: order.id };
}

const ctxOf = (p: Paid) => makeContext({ kind: 'app', orgId: p.f.orgId, accountId: 'acc' });
const refund = (e: TestEnv, p: Paid, amount: bigint, over: Partial<RefundRequest> = {}) =>
  e.platform.services.refunds.request(ctxOf(p), p.m, { by: { outTradeNo: p.outTradeNo }, outRefundNo: `R${randomString(12)}`, amount, api: 'v3', ...over });

/** The v3Code (or reason) and HTTP-ish code of a refused call. */
const refused = (p: Promise<unknown>) =>
  p.then(() => assert.fail('expected a refusal'), (err: unknown) => {
    assert.ok(isAppError(err), String(err));
    return { code: err.code, v3Code: err.details?.v3Code };
  });

async function orderRow(e: TestEnv, id: string) {
  return e.platform.handle.db.selectFrom('pay_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
const balanceOf = async (e: TestEnv, kind: 'consumer_wallet' | 'merchant_pending' | 'merchant_available' | 'insurance_fund' | 'refunds_in_flight', owner: string | null) =>
  (await e.platform.services.ledger.find(e.platform.handle.db, kind, owner))?.balance ?? 0n;
const refundRows = (e: TestEnv, orderId: string) => e.platform.handle.db.selectFrom('pay_refunds').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();

/** A merchant notify endpoint answering Pay v2's `return_code` (200 SUCCESS, or as told). */
async function notifyStub() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const stub = { answer: 'SUCCESS', got, url: '', close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`<xml><return_code><![CDATA[${stub.answer}]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  return stub;
}

describeOnBothDbs('Refunds', (env) => {
  it('insured shares add up to exactly the insured total', () => {
    const o = { total: 1000n, insured_total: 333n, refunded_total: 0n };
    const parts = [1n, 499n, 250n, 249n, 1n];
    let sum = 0n;
    for (const a of parts) {
      sum += insuredShare(o, a);
      o.refunded_total += a;
    }
    assert.equal(o.refunded_total, 1000n);
    assert.equal(sum, 333n);
    assert.equal(insuredShare({ total: 1000n, insured_total: 0n, refunded_total: 0n }, 500n), 0n);
  });

  it('partial refunds up to the total: ledger, counters, SUCCESS → REFUND, payer credited; then 50 is the limit', async () => {
    const e = env();
    const p = await paidOrder(e, { total: 60n });
    const walletAfterPay = await balanceOf(e, 'consumer_wallet', p.c.id);
    const pendingAfterPay = await balanceOf(e, 'merchant_pending', p.f.orgId);

    const first = await refund(e, p, 5n, { outRefundNo: 'R-first' });
    assert.equal(first.created, true);
    assert.equal(first.order.state, 'REFUND');
    assert.equal(first.order.refunded_total, 5n);
    assert.equal(first.order.refund_count, 1);
    assert.match(first.refund.refund_id, /^50\d{27}$/);
    assert.equal(first.refund.status, 'PROCESSING');
    assert.equal(await balanceOf(e, 'merchant_pending', p.f.orgId), pendingAfterPay - 5n, 'the merchant pays at once');
    const again = await refund(e, p, 5n, { outRefundNo: 'R-first' });
    assert.equal(again.created, false);
    assert.equal(again.refund.id, first.refund.id);
    assert.deepEqual(await refused(refund(e, p, 6n, { outRefundNo: 'R-first' })), { code: 'failed_precondition', v3Code: 'INVALID_REQUEST' });

    for (let i = 0; i < 49; i++) await refund(e, p, 1n);
    const full = await orderRow(e, p.orderId);
    assert.equal(full.refund_count, 50);
    assert.equal(full.refunded_total, 54n);
    assert.equal(full.state, 'REFUND');
    const before = { pending: await balanceOf(e, 'merchant_pending', p.f.orgId), refunds: (await refundRows(e, p.orderId)).length };
    assert.deepEqual(await refused(refund(e, p, 1n)), { code: 'failed_precondition', v3Code: 'INVALID_REQUEST' }, 'the 51st refund');
    assert.deepEqual({ pending: await balanceOf(e, 'merchant_pending', p.f.orgId), refunds: (await refundRows(e, p.orderId)).length }, before);
    assert.deepEqual((await refundRows(e, p.orderId)).length, 50);

    await e.platform.worker.drain();
    const rows = await refundRows(e, p.orderId);
    assert.ok(rows.every((r) => r.status === 'SUCCESS' && r.success_time !== null));
    assert.equal(await balanceOf(e, 'consumer_wallet', p.c.id), walletAfterPay + 54n);
    assert.deepEqual(await e.platform.services.ledger.verify(), CLEAN);
    const msgs = await e.platform.handle.db.selectFrom('messages').select('content').where('consumer_id', '=', p.c.id).where('source', '=', 'system').execute();
    assert.equal(msgs.filter((x) => /退款成功 ¥0\.05 已退回零钱（退款单号 50\d{27}）/.test(JSON.stringify(x.content))).length, 1);
    assert.equal(msgs.filter((x) => JSON.stringify(x.content).includes('退款成功')).length, 50);
  });

  it('refuses over-refunds, a wrong total, zero, unpaid and too-old orders, and a short merchant balance; nothing moves', async () => {
    const e = env();
    const p = await paidOrder(e, { total: 1000n });
    await refund(e, p, 600n);
    const snapshot = async () => ({ order: await orderRow(e, p.orderId), refunds: (await refundRows(e, p.orderId)).length, pending: await balanceOf(e, 'merchant_pending', p.f.orgId) });
    const before = await snapshot();
    assert.deepEqual(await refused(refund(e, p, 401n)), { code: 'failed_precondition', v3Code: 'INVALID_REQUEST' });
    assert.deepEqual(await refused(refund(e, p, 100n, { total: 999n })), { code: 'invalid_argument', v3Code: 'PARAM_ERROR' });
    assert.deepEqual(await refused(refund(e, p, 0n)), { code: 'invalid_argument', v3Code: 'PARAM_ERROR' });
    assert.deepEqual(await refused(refund(e, p, 1n, { by: { outTradeNo: 'NOPE0000' } })), { code: 'not_found', v3Code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await snapshot(), before);

    // Settled: the refund comes out of merchant_available, which is empty here.
    await e.platform.handle.db.updateTable('pay_orders').set({ settled_at: new Date() }).where('id', '=', p.orderId).execute();
    assert.deepEqual(await refused(refund(e, p, 100n)), { code: 'failed_precondition', v3Code: 'NOT_ENOUGH' });
    assert.equal((await refundRows(e, p.orderId)).length, 1);
    assert.equal((await orderRow(e, p.orderId)).refunded_total, 600n);

    const old = await paidOrder(e, { total: 100n, f: p.f });
    await e.platform.handle.db.updateTable('pay_orders').set({ success_time: new Date(Date.now() - 366 * 86_400_000) }).where('id', '=', old.orderId).execute();
    const late = await refused(refund(e, old, 10n));
    assert.deepEqual(late, { code: 'failed_precondition', v3Code: 'INVALID_REQUEST' });

    const m = p.m;
    const { openid } = await createPayer(e, p.f.appidOk, 0n);
    const unpaidNo = `U${randomString(10)}`;
    await e.platform.services.payments.create(ctxOf(p), m, { tradeType: 'JSAPI', appid: p.f.appidOk, mchid: p.f.mchId, description: 'x', outTradeNo: unpaidNo, notifyUrl: 'http://127.0.0.1:9/n', total: 100n, currency: 'CNY', payerOpenid: openid });
    assert.deepEqual(await refused(refund(e, p, 10n, { by: { outTradeNo: unpaidNo } })), { code: 'failed_precondition', v3Code: 'INVALID_REQUEST' });
    await e.platform.worker.drain();
    assert.deepEqual(await e.platform.services.ledger.verify(), CLEAN);
  });

  it('an insured order refunds its insured share to the fund, split exactly across two refunds', async () => {
    const e = env();
    const { ledger } = e.platform.services;
    await e.platform.handle.db.transaction().execute(async (tx) => {
      const bank = await ledger.account(tx, 'bank', null);
      const fund = await ledger.account(tx, 'insurance_fund', null);
      await ledger.post(tx, { kind: 'test.fund', reference: randomString(10), entries: [{ accountId: bank.id, amount: -100_000n }, { accountId: fund.id, amount: 100_000n }] });
    });
    const p = await paidOrder(e, { total: 1001n, insuredTotal: 667n, topUp: 334n });
    assert.equal(await balanceOf(e, 'consumer_wallet', p.c.id), 0n, 'the payer paid only their share');
    const fund0 = await balanceOf(e, 'insurance_fund', null);
    const a = await refund(e, p, 500n);
    const b = await refund(e, p, 501n);
    assert.equal(a.refund.insured_amount, 333n); // floor(500·667/1001)
    assert.equal(b.refund.insured_amount, 334n);
    await e.platform.worker.drain();
    assert.equal(await balanceOf(e, 'insurance_fund', null), fund0 + 667n);
    assert.equal(await balanceOf(e, 'consumer_wallet', p.c.id), 334n);
    assert.equal(await balanceOf(e, 'refunds_in_flight', null), 0n);
    const msgs = await e.platform.handle.db.selectFrom('messages').select('content').where('consumer_id', '=', p.c.id).where('source', '=', 'system').execute();
    assert.ok(msgs.some((x) => JSON.stringify(x.content).includes('退款成功 ¥1.67 已退回零钱')), JSON.stringify(msgs));
    assert.deepEqual(await ledger.verify(), CLEAN);
  });

  it('completing a refund twice moves money once', async () => {
    const e = env();
    const p = await paidOrder(e, { total: 300n });
    const r = await refund(e, p, 100n);
    await e.platform.worker.drain();
    const wallet = await balanceOf(e, 'consumer_wallet', p.c.id);
    const handler = createRefundCompleteHandler({ db: e.platform.handle.db, hub: e.platform.hub, ledger: e.platform.services.ledger });
    const rerun = await handler.deliver({ id: 0n, kind: 'refund.complete', tenantId: p.f.orgId, payload: { refundId: r.refund.id }, attempts: 0 });
    assert.equal(rerun.ok, true);
    assert.equal(rerun.responseBody, 'already');
    assert.equal(await balanceOf(e, 'consumer_wallet', p.c.id), wallet);
    const posts = await e.platform.handle.db.selectFrom('ledger_transactions').select('kind').where('reference', '=', r.refund.id).orderBy('id').execute();
    assert.deepEqual(posts.map((x) => x.kind), ['refund.accept', 'refund.success']);
  });

  it('a v2 refund notification carries req_info, AES-256-ECB under md5(API v2 key), retried until return_code SUCCESS', async () => {
    const e = env();
    const stub = await notifyStub();
    try {
      const p = await paidOrder(e, { total: 888n, api: 'v2', notifyUrl: stub.url });
      await e.platform.worker.drain();
      stub.got.length = 0;
      stub.answer = 'FAIL';
      const r = await refund(e, p, 88n, { api: 'v2', notifyUrl: stub.url, reason: '不想要了' });
      await e.platform.worker.drain();
      assert.equal(stub.got.length, 1);
      const row = await e.platform.handle.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', 'refund.notify.v2').where('tenant_id', '=', p.f.orgId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'pending', attempts: 1 }, 'a FAIL answer is retried');

      const x = parseWechatXml(stub.got[0]!.body);
      assert.equal(xmlText(x, 'return_code'), 'SUCCESS');
      assert.equal(xmlText(x, 'appid'), p.f.appidOk);
      assert.equal(xmlText(x, 'mch_id'), p.f.mchId);
      assert.match(xmlText(x, 'nonce_str') ?? '', /^[0-9a-f]{32}$/);
      // An independent decryption, as a merchant would do it.
      const key = createHash('md5').update(p.f.apiV2Key).digest('hex');
      const d = createDecipheriv('aes-256-ecb', Buffer.from(key, 'utf8'), null);
      const plain = Buffer.concat([d.update(Buffer.from(xmlText(x, 'req_info') ?? '', 'base64')), d.final()]).toString('utf8');
      assert.match(plain, /^<root>.*<\/root>$/s);
      const info = parseWechatXml(plain.replace(/^<root>/, '<xml>').replace(/<\/root>$/, '</xml>'));
      const order = await orderRow(e, p.orderId);
      assert.deepEqual(
        { ...info, success_time: undefined },
        {
          transaction_id: order.transaction_id, out_trade_no: p.outTradeNo, refund_id: r.refund.refund_id, out_refund_no: r.refund.out_refund_no,
          total_fee: '888', settlement_total_fee: '888', refund_fee: '88', settlement_refund_fee: '88', refund_status: 'SUCCESS', success_time: undefined,
          refund_recv_accout: '支付用户零钱', refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS', refund_request_source: 'API',
        },
      );
      assert.match(String(info.success_time), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const refundRow = (await refundRows(e, p.orderId))[0]!;
      const cst = new Date(refundRow.success_time!.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      assert.equal(info.success_time, cst);

      stub.answer = 'SUCCESS';
      await e.platform.handle.db.updateTable('outbox').set({ next_attempt_at: new Date() }).where('kind', '=', 'refund.notify.v2').where('tenant_id', '=', p.f.orgId).execute();
      await e.platform.worker.drain();
      const done = await e.platform.handle.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', 'refund.notify.v2').where('tenant_id', '=', p.f.orgId).executeTakeFirstOrThrow();
      assert.deepEqual(done, { status: 'done', attempts: 2 });
      assert.equal(stub.got.length, 2);
    } finally {
      await stub.close();
    }
  });

  it("another merchant (or a consumer) can neither refund nor see A's refunds", async () => {
    const e = env();
    const p = await paidOrder(e, { total: 500n });
    const r = await refund(e, p, 100n, { outRefundNo: 'R-mine-0001' });
    const b = await createPayMerchant(e);
    const bm = (await e.platform.services.payMerchants.byMchId(b.mchId))?.merchant;
    assert.ok(bm);
    const bctx = makeContext({ kind: 'app', orgId: b.orgId, accountId: 'acc' });
    const { refunds } = e.platform.services;
    const before = { order: await orderRow(e, p.orderId), pending: await balanceOf(e, 'merchant_pending', p.f.orgId) };
    const order = before.order;
    assert.deepEqual(await refused(refunds.request(bctx, p.m, { by: { outTradeNo: p.outTradeNo }, outRefundNo: 'R-b', amount: 1n, api: 'v3' })), { code: 'permission_denied', v3Code: 'NO_AUTH' });
    assert.deepEqual(await refused(refunds.request(bctx, bm, { by: { outTradeNo: p.outTradeNo }, outRefundNo: 'R-b', amount: 1n, api: 'v3' })), { code: 'not_found', v3Code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await refused(refunds.request(bctx, bm, { by: { transactionId: order.transaction_id }, outRefundNo: 'R-mine-0001', amount: 100n, api: 'v3' })), { code: 'not_found', v3Code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await refused(refunds.query(bctx, bm, 'R-mine-0001')), { code: 'not_found', v3Code: 'RESOURCE_NOT_EXISTS' });
    assert.deepEqual(await refused(refunds.query(bctx, p.m, 'R-mine-0001')), { code: 'permission_denied', v3Code: 'NO_AUTH' });
    assert.deepEqual(await refused(refunds.ofOrder(bctx, bm, { refundId: r.refund.refund_id })), { code: 'not_found', v3Code: 'RESOURCE_NOT_EXISTS' });
    assert.deepEqual(await refused(refunds.ofOrder(bctx, bm, { outTradeNo: p.outTradeNo })), { code: 'not_found', v3Code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await refused(refunds.query(p.c.ctx, p.m, 'R-mine-0001')), { code: 'unauthenticated', v3Code: undefined });
    const merchantUser = await createMerchant(e);
    assert.deepEqual(await refused(refunds.query(merchantUser.ctx, p.m, 'R-mine-0001')), { code: 'permission_denied', v3Code: 'NO_AUTH' });
    assert.deepEqual({ order: await orderRow(e, p.orderId), pending: await balanceOf(e, 'merchant_pending', p.f.orgId) }, before);

    const mine = await refunds.ofOrder(ctxOf(p), p.m, { outRefundNo: 'R-mine-0001' });
    assert.deepEqual(mine.refunds.map((x) => x.id), [r.refund.id]);
    assert.equal((await refunds.ofOrder(ctxOf(p), p.m, { transactionId: order.transaction_id })).order.id, p.orderId);
  });
}, { background: true });
