import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, createPayMerchant, payByPrepay, startNotifyStub, v3Client, v3Failure, type TestPayMerchant, type V3Chain } from '../../testing/pay.ts';
import type { TestConsumer } from '../../testing/factories.ts';
import { randomString } from '../../platform/ids.ts';

const require = createRequire(import.meta.url);
const plugin = require('wechatpay-axios-plugin') as {
  Aes: { AesGcm: { decrypt(ciphertext: string, key: string, iv: string, aad: string): string } };
  Rsa: { verify(message: string, signature: string, publicKey: unknown): boolean };
  Formatter: { response(timestamp: string, nonce: string, body: string): string };
};

interface Fixture extends TestPayMerchant { sdk: V3Chain }

/** A pay merchant and the unmodified plugin as its client (it verifies every response's signature). */
async function merchant(e: TestEnv): Promise<Fixture> {
  const f = await createPayMerchant(e);
  return { ...f, sdk: v3Client(e, f) };
}


/** A JSAPI order created through the v3 wire and paid by a consumer with the PIN. */
async function paid(e: TestEnv, f: Fixture, total: number, notifyUrl: string): Promise<{ c: TestConsumer; outTradeNo: string; transactionId: string }> {
  const { c, openid } = await createPayer(e, f.appidOk, BigInt(total) + 1000n);
  const outTradeNo = `T${randomString(12)}`;
  const body = { appid: f.appidOk, mchid: f.mchId, description: '测试商品', out_trade_no: outTradeNo, notify_url: notifyUrl, amount: { total, currency: 'CNY' }, payer: { openid } };
  const prepay = await f.sdk.v3.pay.transactions.jsapi.post(body);
  const pay = await payByPrepay(e, c, String(prepay.data.prepay_id));
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  return { c, outTradeNo, transactionId: String(pay.body.transactionId) };
}

const refundBody = (no: { out_trade_no?: string; transaction_id?: string }, outRefundNo: string, refund: number, total: number, over: Record<string, unknown> = {}) => ({ ...no, out_refund_no: outRefundNo, reason: '商品已售完', amount: { refund, total, currency: 'CNY' }, ...over });

const wallet = async (e: TestEnv, c: TestConsumer) => (await e.platform.services.wallet.summary(c.ctx)).balance;
const pending = async (e: TestEnv, f: Fixture) => (await e.platform.services.ledger.find(e.platform.handle.db, 'merchant_pending', f.orgId))?.balance ?? 0n;
const CLEAN = { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] };

describeOnBothDbs('Pay v3 refunds', (env) => {
  it('two partial refunds and a final one: signed answers, idempotent repeats, over-refund refused, REFUND.SUCCESS notifications, wallet restored', async () => {
    const e = env();
    const f = await merchant(e);
    const stub = await startNotifyStub();
    try {
      const o = await paid(e, f, 1000, stub.url);
      const walletPaid = await wallet(e, o.c);
      const refunds = f.sdk.v3.refund.domestic.refunds;

      const first = await refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-001', 300, 1000, { notify_url: stub.url }));
      assert.equal(first.status, 200);
      assert.match(String(first.data.refund_id), /^50\d{27}$/);
      assert.equal(first.data.out_refund_no, 'R1-001');
      assert.equal(first.data.out_trade_no, o.outTradeNo);
      assert.equal(first.data.transaction_id, o.transactionId);
      assert.equal(first.data.channel, 'ORIGINAL');
      assert.equal(first.data.user_received_account, '支付用户零钱');
      assert.equal(first.data.funds_account, 'AVAILABLE');
      assert.ok(['PROCESSING', 'SUCCESS'].includes(String(first.data.status)));
      assert.match(String(first.data.create_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.deepEqual(first.data.amount, { total: 1000, refund: 300, from: [], payer_total: 1000, payer_refund: 300, settlement_refund: 300, settlement_total: 1000, discount_refund: 0, currency: 'CNY' });

      const repeat = await refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-001', 300, 1000, { notify_url: stub.url }));
      assert.equal(repeat.data.refund_id, first.data.refund_id, 'same out_refund_no, same order and amount: the same refund');
      assert.deepEqual(await v3Failure(refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-001', 301, 1000))), { status: 400, code: 'INVALID_REQUEST' });

      const second = await refunds.post(refundBody({ transaction_id: o.transactionId }, 'R1-002', 200, 1000, { notify_url: stub.url }));
      assert.equal(second.data.out_trade_no, o.outTradeNo);
      const pendingBefore = await pending(e, f);
      assert.deepEqual(await v3Failure(refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-003', 501, 1000))), { status: 400, code: 'INVALID_REQUEST' });
      assert.equal(await pending(e, f), pendingBefore, 'a refused over-refund moves nothing');
      const last = await refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-003', 500, 1000, { notify_url: stub.url }));
      assert.equal(last.status, 200);
      assert.deepEqual(await v3Failure(refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'R1-004', 1, 1000))), { status: 400, code: 'INVALID_REQUEST' }, 'nothing left to refund');

      await e.platform.worker.drain();
      const q = await refunds.$out_refund_no$.get({ out_refund_no: 'R1-002' });
      assert.equal(q.data.status, 'SUCCESS');
      assert.equal(q.data.refund_id, second.data.refund_id);
      assert.match(String(q.data.success_time), /\+08:00$/);
      const order = await f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: o.outTradeNo });
      assert.equal(order.data.trade_state, 'REFUND');

      assert.equal(await wallet(e, o.c), walletPaid + 1000n, 'the wallet has its 10 yuan back');
      const history = await e.app.inject({ method: 'GET', url: '/api/v1/wallet/transactions', headers: o.c.headers });
      const lines = (history.json() as { kind: string; amount: number; counterparty: string }[]).filter((l) => l.kind === 'refund.success');
      assert.deepEqual(lines.map((l) => l.amount).sort((a, b) => a - b), [200, 300, 500]);
      assert.ok(lines.every((l) => l.counterparty === 'Refund'));
      assert.deepEqual(await e.platform.services.ledger.verify(), CLEAN);

      // The stub got the payment notification and three REFUND.SUCCESS ones.
      const notes = stub.got.map((n) => ({ n, body: JSON.parse(n.body) as { id: string; event_type: string; summary: string; resource_type: string; resource: { original_type: string; algorithm: string; ciphertext: string; nonce: string; associated_data: string } } }));
      const refundNotes = notes.filter((x) => x.body.event_type === 'REFUND.SUCCESS');
      assert.equal(refundNotes.length, 3);
      const key = f.platformKeys[0]!;
      const publicKey = new X509Certificate(key.certificate).publicKey;
      const resources = refundNotes.map(({ n, body }) => {
        assert.ok(plugin.Rsa.verify(plugin.Formatter.response(String(n.headers['wechatpay-timestamp']), String(n.headers['wechatpay-nonce']), n.body), String(n.headers['wechatpay-signature']), publicKey));
        assert.equal(n.headers['wechatpay-serial'], key.serial);
        assert.equal(body.summary, '退款成功');
        assert.equal(body.resource_type, 'encrypt-resource');
        assert.deepEqual([body.resource.original_type, body.resource.algorithm, body.resource.associated_data], ['refund', 'AEAD_AES_256_GCM', 'refund']);
        return JSON.parse(plugin.Aes.AesGcm.decrypt(body.resource.ciphertext, f.apiV3Key, body.resource.nonce, body.resource.associated_data)) as Record<string, unknown> & { out_refund_no: string };
      });
      const r2 = resources.find((r) => r.out_refund_no === 'R1-002');
      assert.ok(r2);
      assert.deepEqual({ ...r2, success_time: undefined }, {
        mchid: f.mchId, out_trade_no: o.outTradeNo, transaction_id: o.transactionId, out_refund_no: 'R1-002', refund_id: second.data.refund_id, refund_status: 'SUCCESS',
        success_time: undefined, user_received_account: '支付用户零钱', amount: { total: 1000, refund: 200, payer_total: 1000, payer_refund: 200 },
      });
      assert.equal(r2.success_time, q.data.success_time);
      assert.deepEqual(resources.map((r) => r.out_refund_no).sort(), ['R1-001', 'R1-002', 'R1-003']);
    } finally {
      await stub.close();
    }
  });

  it('refuses bad input, unknown and unpaid orders in the protocol format and creates nothing', async () => {
    const e = env();
    const f = await merchant(e);
    const { openid } = await createPayer(e, f.appidOk, 0n);
    const unpaidNo = `U${randomString(10)}`;
    await f.sdk.v3.pay.transactions.jsapi.post({ appid: f.appidOk, mchid: f.mchId, description: 'x', out_trade_no: unpaidNo, notify_url: 'https://merchant.example/n', amount: { total: 100, currency: 'CNY' }, payer: { openid } });
    const o = await paid(e, f, 100, 'http://127.0.0.1:9/notify');
    const refunds = f.sdk.v3.refund.domestic.refunds;
    const by = { out_trade_no: o.outTradeNo };
    assert.deepEqual(await v3Failure(refunds.post(refundBody({ out_trade_no: unpaidNo }, 'R2-001', 10, 100))), { status: 400, code: 'INVALID_REQUEST' });
    assert.deepEqual(await v3Failure(refunds.post(refundBody({ out_trade_no: 'NOPE000000' }, 'R2-002', 10, 100))), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(refunds.post(refundBody({}, 'R2-003', 10, 100))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(refunds.post(refundBody(by, 'R2-004', 10, 99))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(refunds.post(refundBody(by, 'R2-005', 0, 100))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(refunds.post({ ...refundBody(by, 'R2-006', 10, 100), amount: { refund: 10, total: 100, currency: 'USD' } })), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(refunds.post(refundBody(by, 'bad no!', 10, 100))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(refunds.$out_refund_no$.get({ out_refund_no: 'R2-404' })), { status: 404, code: 'RESOURCE_NOT_EXISTS' });
    const n = await e.platform.handle.db.selectFrom('pay_refunds').select((eb) => eb.fn.countAll().as('n')).where('mch_id', '=', f.mchId).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  });

  it("merchant B can neither refund nor query A's refunds; nothing moves", async () => {
    const e = env();
    const a = await merchant(e);
    const b = await merchant(e);
    const o = await paid(e, a, 500, 'http://127.0.0.1:9/notify');
    await a.sdk.v3.refund.domestic.refunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'RA-001', 100, 500));
    await e.platform.worker.drain();
    const before = { pendingA: await pending(e, a), wallet: await wallet(e, o.c) };
    const bRefunds = b.sdk.v3.refund.domestic.refunds;
    assert.deepEqual(await v3Failure(bRefunds.post(refundBody({ out_trade_no: o.outTradeNo }, 'RB-001', 100, 500))), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(bRefunds.post(refundBody({ transaction_id: o.transactionId }, 'RA-001', 100, 500))), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(bRefunds.$out_refund_no$.get({ out_refund_no: 'RA-001' })), { status: 404, code: 'RESOURCE_NOT_EXISTS' });
    await e.platform.worker.drain();
    assert.deepEqual({ pendingA: await pending(e, a), wallet: await wallet(e, o.c) }, before);
    const rows = await e.platform.handle.db.selectFrom('pay_refunds').select(['mch_id', 'status']).where('out_refund_no', 'in', ['RA-001', 'RB-001']).execute();
    assert.deepEqual(rows, [{ mch_id: a.mchId, status: 'SUCCESS' }]);
    assert.equal((await a.sdk.v3.refund.domestic.refunds.$out_refund_no$.get({ out_refund_no: 'RA-001' })).data.status, 'SUCCESS');
  });
}, { listen: true, background: true });
