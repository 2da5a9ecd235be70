import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { TestEnv } from './harness.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestConsumer, type TestMerchant } from './factories.ts';
import type { PayMerchantCredentials, PayMerchantRow } from '../modules/paymerchants/service.ts';
import type { PayOrderRow } from '../modules/payments/lifecycle.ts';
import { randomString } from '../platform/ids.ts';

/** Pay test helpers shared by the Pay wire suites (v2, v3, refunds, bills, micropay). */

export interface TestPayMerchant extends PayMerchantCredentials {
  /** The appid of the merchant's official account (the one its pay account is bound to). */
  appidOk: string;
  orgId: string;
}

/** A merchant with an official account and a pay account bound to it (fresh keys). */
export async function createPayMerchant(e: TestEnv): Promise<TestPayMerchant> {
  const m = await createMerchant(e);
  const account = await createAccount(e, m);
  const c = await e.platform.services.payMerchants.create(m.ctx, { appid: account.appid });
  return { ...c, appidOk: account.appid, orgId: m.orgId };
}

export const TEST_PIN = '135790';

/** A consumer following `appid`, with a card, `topUp` fen in the wallet and the PIN TEST_PIN. */
export async function createPayer(e: TestEnv, appid: string, topUp: bigint): Promise<{ c: TestConsumer; openid: string }> {
  const c = await createConsumer(e);
  const account = await e.platform.services.accounts.findByAppId(appid);
  assert.ok(account);
  const openid = await follow(e, c, { id: account.id, appid } as Parameters<typeof follow>[2]);
  const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
  if (topUp > 0n) await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: topUp });
  await e.platform.services.wallet.setPin(c.ctx, { pin: TEST_PIN });
  return { c, openid };
}

/** The consumer pays a JSAPI order through our JSON API (`POST /api/v1/pay/prepay/:prepayId/pay`). */
export async function payByPrepay(e: TestEnv, c: TestConsumer, prepayId: string, pin: string = TEST_PIN) {
  const res = await e.app.inject({ method: 'POST', url: `/api/v1/pay/prepay/${prepayId}/pay`, headers: { ...c.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ pin }) });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } };
}

/** A pay merchant with its owner's session (our JSON API headers, service ctx) and its pay account row. */
export interface TestPayOwner extends TestPayMerchant {
  owner: TestMerchant;
  row: PayMerchantRow;
}

export async function createPayOwner(e: TestEnv): Promise<TestPayOwner> {
  const owner = await createMerchant(e);
  const account = await createAccount(e, owner);
  const c = await e.platform.services.payMerchants.create(owner.ctx, { appid: account.appid });
  const row = (await e.platform.services.payMerchants.byMchId(c.mchId))?.merchant;
  assert.ok(row);
  return { ...c, appidOk: account.appid, orgId: owner.orgId, owner, row };
}

/** A JSAPI order of `total` fen created by the merchant and paid from the payer's wallet; the paid row. */
export async function paidOrder(e: TestEnv, m: TestPayOwner, payer: { c: TestConsumer; openid: string }, total: bigint, description = '测试商品'): Promise<PayOrderRow> {
  const { order } = await e.platform.services.payments.create(m.owner.ctx, m.row, {
    tradeType: 'JSAPI', appid: m.appidOk, mchid: m.mchId, description, outTradeNo: `T${randomString(14)}`, notifyUrl: 'https://merchant.example/notify', total, currency: 'CNY', payerOpenid: payer.openid,
  });
  assert.ok(order.prepay_id);
  const paid = await payByPrepay(e, payer.c, order.prepay_id);
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  return e.platform.handle.db.selectFrom('pay_orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
}

export interface V3Res { status: number; data: Record<string, unknown>; headers: Record<string, string> }
type V3Call = { post(body: unknown, cfg?: unknown): Promise<V3Res>; get(cfg?: unknown): Promise<V3Res> };
/** The wechatpay-axios-plugin client: `sdk.v3.pay.transactions.jsapi.post(body)` and so on. */
export type V3Chain = V3Call & { [k: string]: V3Chain };
const { Wechatpay } = createRequire(import.meta.url)('wechatpay-axios-plugin') as {
  Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => V3Chain;
};

/** The unmodified plugin as the merchant's v3 client (it verifies every response with the newest platform certificate). */
export function v3Client(e: TestEnv, f: PayMerchantCredentials): V3Chain {
  const key = f.platformKeys[0];
  assert.ok(key);
  return new Wechatpay({ baseURL: `${e.baseUrl}/`, mchid: f.mchId, serial: f.merchantCertSerial, privateKey: f.merchantPrivateKey, certs: { [key.serial]: key.certificate } });
}

/** Expects the plugin call to fail; its HTTP status and v3 `code`. */
export const v3Failure = (p: Promise<V3Res>) =>
  p.then(() => assert.fail('expected an error'), (x: { response?: { status: number; data: { code: string } } }) => ({ status: x.response?.status, code: x.response?.data.code }));

/** A local merchant notify endpoint recording what arrives (answers 204). */
export async function startNotifyStub() {
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
