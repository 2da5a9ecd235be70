import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer, type TestConsumer } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, TEST_PIN, v3Client, v3Failure, type TestPayMerchant } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { v2Sign } from '../../wire/wechatpay/v2sign.ts';

const require = createRequire(import.meta.url);
const { Formatter, Rsa } = require('wechatpay-axios-plugin') as {
  Formatter: { joinedByLineFeed(...p: string[]): string };
  Rsa: { sign(message: string, privateKey: string): string };
};

const order = (f: TestPayMerchant, over: Record<string, unknown> = {}) => ({ appid: f.appidOk, mchid: f.mchId, description: '扫码商品', out_trade_no: `N${randomString(12)}`, notify_url: 'https://merchant.example/notify', amount: { total: 880, currency: 'CNY' }, ...over });

type Body = Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } };
async function call(e: TestEnv, c: TestConsumer | undefined, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: Body }> {
  const headers = { ...(c?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await e.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: res.statusCode, body: res.json() as Body };
}

/** A signed-in consumer who never followed the merchant's account, with money and the PIN. */
async function stranger(e: TestEnv, topUp: bigint): Promise<TestConsumer> {
  const c = await createConsumer(e);
  const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
  if (topUp > 0n) await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: topUp });
  await e.platform.services.wallet.setPin(c.ctx, { pin: TEST_PIN });
  return c;
}

const balance = async (e: TestEnv, c: TestConsumer) => (await e.platform.services.wallet.summary(c.ctx)).balance;
const notifications = async (e: TestEnv, orgId: string) =>
  (await e.platform.handle.db.selectFrom('outbox').select(['kind', 'payload']).where('tenant_id', '=', orgId).where('kind', '=', 'pay.notify.v3').execute()).map((r) => (r.payload as { orderId: string }).orderId);
const orderOf = (e: TestEnv, mchId: string, outTradeNo: string) => e.platform.handle.db.selectFrom('pay_orders').selectAll().where('mch_id', '=', mchId).where('out_trade_no', '=', outTradeNo).executeTakeFirstOrThrow();

describeOnBothDbs('Pay methods: Native and H5 codes, JSAPI paySign', (env) => {
  it('Native: whoever scans pays (a non-follower gets an openid, not a follow); SUCCESS, v3 notification queued; others get 404', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const sdk = v3Client(e, f);
    const body = order(f);
    const url = String((await sdk.v3.pay.transactions.native.post(body)).data.code_url);
    const token = url.slice(`${e.platform.config.publicUrl}/pay/native/`.length);
    const c = await stranger(e, 2000n);
    const sheet = await call(e, c, 'GET', `/api/v1/pay/code/${token}`);
    assert.equal(sheet.status, 200);
    assert.equal(sheet.body.tradeType, 'NATIVE');
    assert.equal(sheet.body.total, 880);
    assert.equal(sheet.body.state, 'NOTPAY');
    assert.equal((await call(e, undefined, 'GET', `/api/v1/pay/code/${token}`)).status, 401);
    assert.equal((await call(e, c, 'GET', '/api/v1/pay/code/notarealtoken')).status, 404);

    const wrong = await call(e, c, 'POST', `/api/v1/pay/code/${token}/pay`, { pin: '000000' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error?.details?.reason, 'PIN_WRONG');
    assert.equal(await balance(e, c), 2000n);
    const paid = await call(e, c, 'POST', `/api/v1/pay/code/${token}/pay`, { pin: TEST_PIN });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.state, 'SUCCESS');
    assert.equal(await balance(e, c), 1120n);

    const row = await orderOf(e, f.mchId, body.out_trade_no);
    const account = await e.platform.services.accounts.findByAppId(f.appidOk);
    const ident = await e.platform.handle.db.selectFrom('account_identities').select('openid').where('account_id', '=', account!.id).where('consumer_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.payer_openid, ident.openid);
    assert.equal(row.consumer_id, c.id);
    assert.equal(await e.platform.handle.db.selectFrom('follows').select('consumer_id').where('consumer_id', '=', c.id).executeTakeFirst(), undefined, 'paying does not follow');
    assert.deepEqual(await notifications(e, f.orgId), [row.id]);
    const q = await sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: body.out_trade_no });
    assert.equal(q.data.trade_state, 'SUCCESS');
    assert.deepEqual(q.data.payer, { openid: ident.openid });

    const again = await call(e, c, 'POST', `/api/v1/pay/code/${token}/pay`, { pin: TEST_PIN });
    assert.equal(again.status, 409);
    assert.equal(again.body.error?.details?.reason, 'ORDERPAID');
    const other = await stranger(e, 2000n);
    assert.equal((await call(e, other, 'GET', `/api/v1/pay/code/${token}`)).status, 404, "another consumer cannot see a code order someone paid");
    assert.equal((await call(e, other, 'POST', `/api/v1/pay/code/${token}/pay`, { pin: TEST_PIN })).status, 404);
    assert.equal(await balance(e, other), 2000n);
    assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });

  it('H5: /v3/pay/transactions/h5 answers h5_url; scene_info is required; paying it works the same way', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const sdk = v3Client(e, f);
    assert.deepEqual(await v3Failure(sdk.v3.pay.transactions.h5.post(order(f))), { status: 400, code: 'PARAM_ERROR' });
    const body = order(f, { scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } });
    const res = await sdk.v3.pay.transactions.h5.post(body);
    assert.equal(res.status, 200);
    const h5 = String(res.data.h5_url);
    assert.match(h5, new RegExp(`^${e.platform.config.publicUrl}/pay/h5/[A-Za-z0-9]{32}$`));
    assert.deepEqual((await sdk.v3.pay.transactions.h5.post(body)).data, res.data, 'a repeat is the same order');
    const token = h5.split('/').at(-1)!;
    const { c } = await createPayer(e, f.appidOk, 1000n);
    const sheet = await call(e, c, 'GET', `/api/v1/pay/code/${token}`);
    assert.equal(sheet.body.tradeType, 'MWEB');
    const paid = await call(e, c, 'POST', `/api/v1/pay/code/${token}/pay`, { pin: TEST_PIN });
    assert.equal(paid.body.state, 'SUCCESS');
    const row = await orderOf(e, f.mchId, body.out_trade_no);
    assert.equal(row.trade_type, 'MWEB');
    assert.deepEqual(await notifications(e, f.orgId), [row.id]);
    assert.equal((await sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: f.mchId }, out_trade_no: body.out_trade_no })).data.trade_type, 'MWEB');
  });

  it('JSAPI: RSA and v2 paySigns verify; a bad sign, another appId, another consumer or no session are refused', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const other = await createPayMerchant(e);
    const { c, openid } = await createPayer(e, f.appidOk, 0n);
    const prepayId = String((await v3Client(e, f).v3.pay.transactions.jsapi.post(order(f, { payer: { openid } }))).data.prepay_id);
    const base = { appId: f.appidOk, timeStamp: String(Math.floor(Date.now() / 1000)), nonceStr: randomString(16), package: `prepay_id=${prepayId}` };
    const rsa = { ...base, signType: 'RSA', paySign: Rsa.sign(Formatter.joinedByLineFeed(base.appId, base.timeStamp, base.nonceStr, base.package), f.merchantPrivateKey) };
    const ok = await call(e, c, 'POST', '/api/v1/pay/jsapi', rsa);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.prepayId, prepayId);
    assert.equal(ok.body.tradeType, 'JSAPI');
    assert.equal(ok.body.total, 880);
    for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
      const v2 = { ...base, signType, paySign: v2Sign({ ...base, signType }, f.apiV2Key, signType) };
      assert.equal((await call(e, c, 'POST', '/api/v1/pay/jsapi', v2)).status, 200, signType);
    }
    const refused = async (body: unknown) => {
      const r = await call(e, c, 'POST', '/api/v1/pay/jsapi', body);
      return { status: r.status, reason: r.body.error?.details?.reason };
    };
    const bad = { status: 400, reason: 'PAY_SIGN_INVALID' };
    assert.deepEqual(await refused({ ...rsa, nonceStr: 'tampered' }), bad);
    assert.deepEqual(await refused({ ...rsa, paySign: Rsa.sign(Formatter.joinedByLineFeed(base.appId, base.timeStamp, base.nonceStr, base.package), other.merchantPrivateKey) }), bad, "another merchant's key");
    assert.deepEqual(await refused({ ...base, signType: 'MD5', paySign: v2Sign({ ...base, signType: 'MD5' }, other.apiV2Key, 'MD5') }), bad);
    const foreign = { ...base, appId: other.appidOk };
    assert.deepEqual(await refused({ ...foreign, signType: 'RSA', paySign: Rsa.sign(Formatter.joinedByLineFeed(foreign.appId, base.timeStamp, base.nonceStr, base.package), f.merchantPrivateKey) }), bad, "appId must be the order's");
    assert.deepEqual(await refused({ ...rsa, package: prepayId }), bad);
    const notPayer = await createPayer(e, f.appidOk, 0n);
    assert.equal((await call(e, notPayer.c, 'POST', '/api/v1/pay/jsapi', rsa)).status, 404);
    assert.equal((await call(e, undefined, 'POST', '/api/v1/pay/jsapi', rsa)).status, 401);
    assert.equal((await call(e, c, 'POST', '/api/v1/pay/jsapi', { ...rsa, signType: 'SHA1' })).status, 400);
  });
}, { listen: true });
