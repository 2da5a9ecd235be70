import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestConsumer } from '../../testing/factories.ts';
import type { PayMerchantCredentials } from '../../modules/paymerchants/service.ts';
import { randomString } from '../../platform/ids.ts';
import { aeadDecrypt } from './aead.ts';
import { responseSigningString, rsaVerify } from './v3auth.ts';

const require = createRequire(import.meta.url);
interface Res { status: number; data: Record<string, unknown>; headers: Record<string, string> }
type Call = { post(body: unknown, cfg?: unknown): Promise<Res>; get(cfg?: unknown): Promise<Res> };
type Chain = Call & { [k: string]: Chain };
const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => Chain };

interface PayFixture extends PayMerchantCredentials { appidOk: string; orgId: string; sdk: Chain }

async function payMerchant(e: TestEnv): Promise<PayFixture> {
  const m = await createMerchant(e);
  const account = await createAccount(e, m);
  const c = await e.platform.services.payMerchants.create(m.ctx, { appid: account.appid });
  const key = c.platformKeys[0];
  assert.ok(key);
  // The plugin verifies every response with this certificate (it throws on a bad signature).
  const sdk = new Wechatpay({ baseURL: `${e.baseUrl}/`, mchid: c.mchId, serial: c.merchantCertSerial, privateKey: c.merchantPrivateKey, certs: { [key.serial]: key.certificate } });
  return { ...c, appidOk: account.appid, orgId: m.orgId, sdk };
}

async function payer(e: TestEnv, appid: string, topUp: bigint): Promise<{ c: TestConsumer; openid: string }> {
  const c = await createConsumer(e);
  const account = await e.platform.services.accounts.findByAppId(appid);
  assert.ok(account);
  const openid = await follow(e, c, { id: account.id, appid } as Parameters<typeof follow>[2]);
  const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
  if (topUp > 0n) await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: topUp });
  await e.platform.services.wallet.setPin(c.ctx, { pin: '135790' });
  return { c, openid };
}

const fail = (p: Promise<Res>) => p.then(() => assert.fail('expected an error'), (x: { response?: { status: number; data: { code: string } } }) => ({ status: x.response?.status, code: x.response?.data.code }));
const order = (f: PayFixture, over: Record<string, unknown> = {}) => ({ appid: f.appidOk, mchid: f.mchId, description: '测试商品', out_trade_no: `T${randomString(12)}`, notify_url: 'https://merchant.example/notify', amount: { total: 1234, currency: 'CNY' }, ...over });

async function payCall(e: TestEnv, c: TestConsumer, prepayId: string, pin: string) {
  const res = await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}/pay`, { method: 'POST', headers: { ...c.headers, 'content-type': 'application/json' }, body: JSON.stringify({ pin }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } };
}

async function balances(e: TestEnv, f: PayFixture, c: TestConsumer) {
  const { ledger, wallet } = e.platform.services;
  return { wallet: (await wallet.summary(c.ctx)).balance, pending: (await ledger.find(e.platform.handle.db, 'merchant_pending', f.orgId))?.balance ?? 0n };
}

async function stateOf(e: TestEnv, prepayId: string) {
  return (await e.platform.handle.db.selectFrom('pay_orders').select('state').where('prepay_id', '=', prepayId).executeTakeFirstOrThrow()).state;
}

/** A local merchant notify endpoint recording what arrives. */
async function notifyStub() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describeOnBothDbs('Pay v3 transactions', (env) => {
  it('creates JSAPI and Native orders idempotently, queries both ways and closes, with signed responses', async () => {
    const e = env();
    const f = await payMerchant(e);
    const { openid } = await payer(e, f.appidOk, 0n);
    const body = order(f, { payer: { openid }, attach: 'a=1' });
    const first = await f.sdk.v3.pay.transactions.jsapi.post(body);
    assert.equal(first.status, 200);
    assert.match(String(first.data.prepay_id), /^wx[0-9a-z]{34}$/);
    assert.deepEqual((await f.sdk.v3.pay.transactions.jsapi.post(body)).data, first.data, 'same out_trade_no, same parameters: same prepay');
    assert.deepEqual(await fail(f.sdk.v3.pay.transactions.jsapi.post({ ...body, amount: { total: 999, currency: 'CNY' } })), { status: 400, code: 'INVALID_REQUEST' });

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
    assert.deepEqual(await fail(f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: 'NOPE000000' })), { status: 404, code: 'ORDER_NOT_EXIST' });
  });

  it('refuses bad input with the protocol error and creates nothing', async () => {
    const e = env();
    const f = await payMerchant(e);
    const other = await payMerchant(e);
    const { openid } = await payer(e, f.appidOk, 0n);
    const count = async () => Number((await e.platform.handle.db.selectFrom('pay_orders').select((eb) => eb.fn.countAll().as('n')).where('mch_id', '=', f.mchId).executeTakeFirstOrThrow()).n);
    const jsapi = f.sdk.v3.pay.transactions.jsapi;
    assert.deepEqual(await fail(jsapi.post(order(f, { appid: other.appidOk, payer: { openid } }))), { status: 400, code: 'APPID_MCHID_NOT_MATCH' });
    assert.deepEqual(await fail(jsapi.post(order(f, { payer: { openid: 'o_not_a_real_openid_xxxxxxxxx' } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await fail(jsapi.post(order(f))), { status: 400, code: 'PARAM_ERROR' }, 'JSAPI needs a payer');
    assert.deepEqual(await fail(jsapi.post(order(f, { mchid: other.mchId, payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await fail(jsapi.post(order(f, { amount: { total: 0, currency: 'CNY' }, payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await fail(jsapi.post(order(f, { out_trade_no: 'bad no!', payer: { openid } }))), { status: 400, code: 'PARAM_ERROR' });
    assert.equal(await count(), 0);
  });

  it('a consumer pays by prepay_id with the PIN: ledger, SUCCESS, signed encrypted notification, receipt; a second pay is refused', async () => {
    const e = env();
    const f = await payMerchant(e);
    const stub = await notifyStub();
    try {
      const { c, openid } = await payer(e, f.appidOk, 5000n);
      const body = order(f, { payer: { openid }, notify_url: stub.url });
      const prepayId = String((await f.sdk.v3.pay.transactions.jsapi.post(body)).data.prepay_id);
      const sheet = await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`, { headers: c.headers });
      assert.equal(sheet.status, 200);
      assert.deepEqual(((await sheet.json()) as Record<string, unknown>).total, 1234);
      const before = await balances(e, f, c);
      const paid = await payCall(e, c, prepayId, '135790');
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
      const again = await payCall(e, c, prepayId, '135790');
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.details?.reason, 'ORDERPAID');
      assert.deepEqual(await balances(e, f, c), after);
      assert.deepEqual(await fail(f.sdk.v3.pay.transactions.jsapi.post(body)), { status: 400, code: 'ORDERPAID' });
      assert.deepEqual(await fail(f.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: f.mchId }, { out_trade_no: body.out_trade_no })), { status: 400, code: 'ORDERPAID' });
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
    const { c, openid } = await payer(e, f.appidOk, 1000n);
    const prepayId = String((await f.sdk.v3.pay.transactions.jsapi.post(order(f, { payer: { openid } }))).data.prepay_id);
    const before = await balances(e, f, c);
    const wrong = await payCall(e, c, prepayId, '000000');
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error?.details?.reason, 'PIN_WRONG');
    const pins = await e.platform.handle.db.selectFrom('wallet_pins').select('failed_attempts').where('consumer_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(pins.failed_attempts, 1, 'the wrong try is committed');
    const short = await payCall(e, c, prepayId, '135790');
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
    const { openid } = await payer(e, a.appidOk, 5000n);
    const body = order(a, { payer: { openid } });
    const prepayId = String((await a.sdk.v3.pay.transactions.jsapi.post(body)).data.prepay_id);
    const txId = (await a.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: a.mchId }, out_trade_no: body.out_trade_no })).data.transaction_id;
    assert.deepEqual(await fail(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: b.mchId }, out_trade_no: body.out_trade_no })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await fail(b.sdk.v3.pay.transactions.id._transaction_id_.get({ params: { mchid: b.mchId }, transaction_id: txId })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await fail(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: b.mchId }, { out_trade_no: body.out_trade_no })), { status: 404, code: 'ORDER_NOT_EXIST' });
    assert.deepEqual(await fail(b.sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: a.mchId }, out_trade_no: body.out_trade_no })), { status: 400, code: 'PARAM_ERROR' });
    const stranger = await payer(e, a.appidOk, 5000n);
    assert.equal((await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`, { headers: stranger.c.headers })).status, 404);
    assert.equal((await payCall(e, stranger.c, prepayId, '135790')).status, 404);
    assert.equal((await fetch(`${e.baseUrl}/api/v1/pay/prepay/${prepayId}`)).status, 401);
    assert.equal(await stateOf(e, prepayId), 'NOTPAY');
  });
}, { listen: true, background: true });
