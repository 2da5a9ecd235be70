import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import type { TestConsumer } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, payByPrepay, startNotifyStub, v3Client, v3Failure, type TestPayMerchant, type V3Chain } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { aeadDecrypt } from './aead.ts';
import { responseSigningString, rsaVerify } from './v3auth.ts';

interface PayFixture extends TestPayMerchant { sdk: V3Chain }

async function payMerchant(e: TestEnv): Promise<PayFixture> {
  const f = await createPayMerchant(e);
  return { ...f, sdk: v3Client(e, f) };
}

const order = (f: PayFixture, over: Record<string, unknown> = {}) => ({ appid: f.appidOk, mchid: f.mchId, description: '测试商品', out_trade_no: `T${randomString(12)}`, notify_url: 'https://merchant.example/notify', amount: { total: 1234, currency: 'CNY' }, ...over });

async function balances(e: TestEnv, f: PayFixture, c: TestConsumer) {
  const { ledger, wallet } = e.platform.services;
  return { wallet: (await wallet.summary(c.ctx)).balance, pending: (await ledger.find(e.platform.handle.db, 'merchant_pending', f.orgId))?.balance ?? 0n };
}

async function stateOf(e: TestEnv, prepayId: string) {
  return (await e.platform.handle.db.selectFrom('pay_orders').select('state').where('prepay_id', '=', prepayId).executeTakeFirstOrThrow()).state;
}

describeOnBothDbs('Pay v3 transactions', (env) => {
  it('creates JSAPI and Native orders idempotently, queries both ways and closes, with signed responses', async () => {
    const e = env();
    const f = await payMerchant(e);
    const { openid } = await createPayer(e, f.appidOk, 0n);
    const body = order(f, { payer: { openid }, attach: 'a=1' });
    const first = await f.sdk.v3.pay.transactions.jsapi.post(body);
    assert.equal(first.status, 200);
    assert.match(String(first.data.prepay_id), /^wx[0-9a-z]{34}$/);
    assert.deepEqual((await f.sdk.v3.pay.transactions.jsapi.post(body)).data, first.data, 'same out_trade_no, same parameters: same prepay');
    assert.deepEqual(await v3Failure(f.sdk.v3.pay.transactions.jsapi.post({ ...body, amount: { total: 999, currency: 'CNY' } })), { status: 400, code: 'INVALID_REQUEST' });

    const native = await f.sdk.v3.pay.transactions.native.post(order(f));
    assert.match(String(native.data.code_url), new RegExp(`^${e.platform.config.publicUrl}/pay/native/[A-Za-z0-9]{32}$`));

    const byNo = await f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: body.out_trade_no });
    assert.equal(byNo.data.trade_state, 'NOTPAY');
    assert.equal(byNo.data.trade_state_desc, '未支付');
    assert.deepEqual(byNo.data.amount, { total: 1234, currency: 'CNY' });
    assert.deepEqual(byNo.data.payer, { openid });
    assert.equal(byNo.data.attach, 'a=1');
    assert.match(String(byNo.data.transaction_id), /^\d{28}$/);
    const byId = await f.sdk.v3.pay.transactions.id._transaction_id_.get({ params: { mchid: f.mchId }, transaction_id: byNo.data.transaction_id });
    assert.deepEqual(byId.data, byNo.data);

    const closed = await f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: f.mchId }, { out_trade_no: body.out_trade_no });
    assert.equal(closed.status, 204);
    assert.equal((await f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: body.out_trade_no })).data.trade_state, 'CLOSED');
    assert.deepEqual(await v3Failure(f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: 'NOPE000000' })), { status: 404, code: 'ORDER_NOT_EXIST' });
  });

  it('refuses bad input with the protocol error and creates nothing', async () => {
    const e = env();
    const f = await payMerchant(e);
    const other = await payMerchant(e);
    const { openid } = await createPayer(e, f.appidOk, 0n);
    const count = async () => Number((await e.platform.handle.db.selectFrom('pay_orders').select((eb) => eb.fn.countAll().as('n')).where('mch_id', '=', f.mchId).executeTakeFirstOrThrow()).n);
    const jsapi = f.sdk.v3.pay.transactions.jsapi;
    assert.deepEqual(await v3Failure(jsapi.post(order(f, { appid: other.appidOk, payer: { openid } }))), { status: 400, code: 'APPID_MCHID_NOT_MATCH' });
    assert.deepEqual(await v3Failure(jsapi.post(order(f, { payer: { openid: 'o_not_a_real_openid_xxxxxxxxx' } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(jsapi.post(order(f))), { status: 400, code: 'PARAM_ERROR' }, 'JSAPI needs a payer');
    assert.deepEqual(await v3Failure(jsapi.post(order(f, { mchid: other.mchId, payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(jsapi.post(order(f, { amount: { total: 0, currency: 'CNY' }, payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await v3Failure(jsapi.post(order(f, { out_trade_no: 'bad no!', payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.equal(await count(), 0);
  });

  it('a consumer pays by prepay_id with the PIN: ledger, SUCCESS, signed encrypted notification, receipt; a second pay is refused', async () => {
    const e = env();
    const f = await payMerchant(e);
    const stub = await startNotifyStub();
    try {
      const { c, openid } = await createPayer(e, f.appidOk, 5000n);
      const body = order(f, { payer: { openid }, notify_url: stub.url });
      const prepayId = String((await f.sdk.v3.pay.transactions.jsapi.post(body)).data.prepay_id);
      const sheet = await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`, { headers: c.headers });
      assert.equal(sheet.status, 200);
      assert.deepEqual(((await sheet.json()) as Record<string, unknown>).total, 1234);
      const before = await balances(e, f, c);
      const paid = await payByPrepay(e, c, prepayId, '135790');
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.state, 'SUCCESS');
      const after = await balances(e, f, c);
      assert.equal(after.wallet, before.wallet - 1234n);
      assert.equal(after.pending, before.pending + 1234n);
      assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });

      await e.platform.worker.drain();
      assert.equal(stub.got.length, 1);
      const n = stub.got[0]!;
      const cert = new X509Certificate(f.platformKeys[0]!.certificate).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      assert.ok(rsaVerify(responseSigningString(String(n.headers['wechatpay-timestamp']), String(n.headers['wechatpay-nonce']), n.body), String(n.headers['wechatpay-signature']), cert));
      assert.equal(n.headers['wechatpay-serial'], f.platformKeys[0]!.serial);
      const note = JSON.parse(n.body) as { event_type: string; resource: { ciphertext: string; nonce: string; associated_data: string; algorithm: string } };
      assert.equal(note.event_type, 'TRANSACTION.SUCCESS');
      assert.equal(note.resource.algorithm, 'AEAD_AES_256_GCM');
      const tx = JSON.parse(aeadDecrypt(note.resource.ciphertext, f.apiV3Key, note.resource.nonce, note.resource.associated_data)) as Record<string, unknown>;
      assert.equal(tx.out_trade_no, body.out_trade_no);
      assert.equal(tx.trade_state, 'SUCCESS');
      assert.deepEqual(tx.amount, { total: 1234, payer_total: 1234, currency: 'CNY', payer_currency: 'CNY' });
      assert.match(String(tx.success_time), /\+08:00$/);

      const q = await f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: body.out_trade_no });
      assert.equal(q.data.trade_state, 'SUCCESS');
      const again = await payByPrepay(e, c, prepayId, '135790');
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.details?.reason, 'ORDERPAID');
      assert.deepEqual(await balances(e, f, c), after);
      assert.deepEqual(await v3Failure(f.sdk.v3.pay.transactions.jsapi.post(body)), { status: 400, code: 'ORDERPAID' });
      assert.deepEqual(await v3Failure(f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: f.mchId }, { out_trade_no: body.out_trade_no })), { status: 400, code: 'ORDERPAID' });
      const receipt = await e.platform.handle.db.selectFrom('messages').select(['msg_type', 'content']).where('consumer_id', '=', c.id).where('source', '=', 'system').execute();
      assert.equal(receipt.length, 1);
      assert.match(JSON.stringify(receipt[0]!.content), /支付成功 ¥12\.34/);
    } finally {
      await stub.close();
    }
  });

  it('a wrong PIN or a short wallet moves nothing and leaves the order NOTPAY', async () => {
    const e = env();
    const f = await payMerchant(e);
    const { c, openid } = await createPayer(e, f.appidOk, 1000n);
    const prepayId = String((await f.sdk.v3.pay.transactions.jsapi.post(order(f, { payer: { openid } }))).data.prepay_id);
    const before = await balances(e, f, c);
    const wrong = await payByPrepay(e, c, prepayId, '000000');
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error?.details?.reason, 'PIN_WRONG');
    const pins = await e.platform.handle.db.selectFrom('wallet_pins').select('failed_attempts').where('consumer_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(pins.failed_attempts, 1, 'the wrong try is committed');
    const short = await payByPrepay(e, c, prepayId, '135790');
    assert.equal(short.status, 412);
    assert.equal(short.body.error?.details?.reason, 'NOT_ENOUGH');
    assert.deepEqual(await balances(e, f, c), before);
    assert.equal(await stateOf(e, prepayId), 'NOTPAY');
    assert.equal(Number((await e.platform.handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'pay.notify.v3').where('tenant_id', '=', f.orgId).executeTakeFirstOrThrow()).n), 0);
    assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });

  it("merchant B cannot query or close A's orders; another consumer cannot see or pay A's prepay", async () => {
    const e = env();
    const a = await payMerchant(e);
    const b = await payMerchant(e);
    const { openid } = await createPayer(e, a.appidOk, 5000n);
    const body = order(a, { payer: { openid } });
    const prepayId = String((await a.sdk.v3.pay.transactions.jsapi.post(body)).data.prepay_id);
    const txId = (await a.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: a.mchId }, out_trade_no: body.out_trade_no })).data.transaction_id;
    assert.deepEqual(await v3Failure(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: b.mchId }, out_trade_no: body.out_trade_no })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(b.sdk.v3.pay.transactions.id._transaction_id_.get({ params: { mchid: b.mchId }, transaction_id: txId })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: b.mchId }, { out_trade_no: body.out_trade_no })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await v3Failure(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: a.mchId }, out_trade_no: body.out_trade_no })), { status: 400, code: 'PARAM_ERROR' });
    const stranger = await createPayer(e, a.appidOk, 5000n);
    assert.equal((await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`, { headers: stranger.c.headers })).status, 404);
    assert.equal((await payByPrepay(e, stranger.c, prepayId, '135790')).status, 404);
    assert.equal((await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`)).status, 401);
    assert.equal(await stateOf(e, prepayId), 'NOTPAY');
  });
}, { listen: true, background: true });
