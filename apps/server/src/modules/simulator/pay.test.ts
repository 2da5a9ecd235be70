import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer, follow, type TestConsumer } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, TEST_PIN, type TestPayMerchant } from '../../testing/pay.ts';
import { makeContext } from '../../platform/context.ts';
import { randomString } from '../../platform/ids.ts';
import { MICROPAY_NO_PIN_LIMIT } from '../payments/micropay.ts';
import { codeTokenOf, SIM_DEFAULT_PIN } from './pay.ts';
import { fundInsurance } from '../insurance/service.ts';

const CLI = fileURLToPath(new URL('../../cli/lianjie.ts', import.meta.url));
const exec = promisify(execFile);
async function lianjie(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, LIANJIE_URL: '', DATA_DIR: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

type Body = Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } };
async function post(e: TestEnv, url: string, body: unknown): Promise<{ status: number; body: Body }> {
  const res = await e.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: res.statusCode, body: res.json() as Body };
}
const who = (c: TestConsumer) => ({ phone: c.phone, password: c.password });

async function merchantOrder(e: TestEnv, f: TestPayMerchant, tradeType: 'JSAPI' | 'NATIVE' | 'MWEB', total: bigint, payerOpenid?: string) {
  const account = await e.platform.services.accounts.findByAppId(f.appidOk);
  const m = (await e.platform.services.payMerchants.byMchId(f.mchId))?.merchant;
  assert.ok(account && m);
  const ctx = makeContext({ kind: 'app', orgId: f.orgId, accountId: account.id });
  const { order } = await e.platform.services.payments.create(ctx, m, { tradeType, appid: f.appidOk, mchid: f.mchId, description: '模拟订单', outTradeNo: `S${randomString(12)}`, notifyUrl: 'https://merchant.example/n', total, currency: 'CNY', payerOpenid });
  return { order, ctx, m };
}

describeOnBothDbs('simulator: pay and payment codes', (env) => {
  it('pays by prepay id (setting the default PIN for a consumer without one), by out_trade_no and by code_url', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const c = await createConsumer(e);
    const account = await e.platform.services.accounts.findByAppId(f.appidOk);
    const openid = await follow(e, c, { id: account!.id, appid: f.appidOk } as Parameters<typeof follow>[2]);
    const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
    await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: 10_000n });

    const jsapi = await merchantOrder(e, f, 'JSAPI', 1000n, openid);
    const byPrepay = await post(e, '/api/v1/sim/pay', { consumer: who(c), prepayId: jsapi.order.prepay_id });
    assert.equal(byPrepay.status, 200, JSON.stringify(byPrepay.body));
    assert.deepEqual([byPrepay.body.state, byPrepay.body.tradeType, byPrepay.body.total, byPrepay.body.balance, byPrepay.body.pinSetTo], ['SUCCESS', 'JSAPI', 1000, 9000, SIM_DEFAULT_PIN]);

    const native = await merchantOrder(e, f, 'NATIVE', 700n);
    const noPin = await post(e, '/api/v1/sim/pay', { consumer: who(c), outTradeNo: native.order.out_trade_no, mchid: f.mchId });
    assert.equal(noPin.status, 400, 'a consumer with a PIN must give it');
    const byNo = await post(e, '/api/v1/sim/pay', { consumer: who(c), outTradeNo: native.order.out_trade_no, mchid: f.mchId, pin: SIM_DEFAULT_PIN });
    assert.deepEqual([byNo.body.state, byNo.body.tradeType, byNo.body.balance, byNo.body.pinSetTo], ['SUCCESS', 'NATIVE', 8300, undefined]);

    const h5 = await merchantOrder(e, f, 'MWEB', 300n);
    const codeUrl = `${e.platform.config.publicUrl}/pay/h5/${h5.order.code_token}`;
    const wrongPin = await post(e, '/api/v1/sim/pay', { consumer: who(c), codeUrl, pin: '999999' });
    assert.equal(wrongPin.status, 403);
    const byUrl = await post(e, '/api/v1/sim/pay', { consumer: who(c), codeUrl, pin: SIM_DEFAULT_PIN });
    assert.deepEqual([byUrl.body.state, byUrl.body.tradeType, byUrl.body.balance], ['SUCCESS', 'MWEB', 8000]);

    assert.equal((await post(e, '/api/v1/sim/pay', { consumer: { ...who(c), password: 'wrong' }, codeUrl, pin: SIM_DEFAULT_PIN })).status, 401);
    assert.equal((await post(e, '/api/v1/sim/pay', { consumer: who(c), prepayId: 'x', codeUrl, pin: SIM_DEFAULT_PIN })).status, 400, 'exactly one target');
    assert.equal((await post(e, '/api/v1/sim/pay', { consumer: who(c), outTradeNo: 'x1234567' })).status, 400, 'outTradeNo needs mchid');
    assert.equal((await post(e, '/api/v1/sim/pay', { consumer: who(c), codeUrl: 'https://elsewhere.example/x', pin: SIM_DEFAULT_PIN })).status, 400);
    const stranger = await createPayer(e, f.appidOk, 5000n);
    const other = await merchantOrder(e, f, 'JSAPI', 100n, openid);
    assert.equal((await post(e, '/api/v1/sim/pay', { consumer: who(stranger.c), prepayId: other.order.prepay_id, pin: TEST_PIN })).status, 404, "another consumer's JSAPI order");
    assert.equal((await e.platform.services.wallet.summary(stranger.c.ctx)).balance, 5000n);
  });

  it('shows a payment code; a large micropay waits and `sim pay --out-trade-no` confirms it (also through the CLI)', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const { c } = await createPayer(e, f.appidOk, 300_000n);
    const code = await post(e, '/api/v1/sim/paycode', { consumer: who(c) });
    assert.equal(code.status, 200);
    assert.match(String(code.body.code), /^13\d{16}$/);
    const { ctx, m } = await merchantOrder(e, f, 'NATIVE', 1n);
    const total = MICROPAY_NO_PIN_LIMIT + 100n;
    const o = await e.platform.services.micropay.micropay(ctx, m, { appid: f.appidOk, mchid: f.mchId, description: '大额', outTradeNo: `P${randomString(10)}`, total, authCode: String(code.body.code), api: 'v3' });
    assert.equal(o.state, 'USERPAYING');

    const sim = (...args: string[]) => lianjie(['sim', ...args, '--consumer', `${c.phone}:${c.password}`, '--url', e.baseUrl]);
    const paid = await sim('pay', '--out-trade-no', o.out_trade_no, '--mch-id', f.mchId, '--pin', TEST_PIN, '--json');
    assert.equal(paid.code, 0, paid.stderr);
    assert.deepEqual([JSON.parse(paid.stdout).state, JSON.parse(paid.stdout).tradeType], ['SUCCESS', 'MICROPAY']);
    assert.equal((await e.platform.services.wallet.summary(c.ctx)).balance, 300_000n - total);

    const printed = await sim('paycode');
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^13\d{16} {2}\(payment code/);
    const native = await merchantOrder(e, f, 'NATIVE', 250n);
    const url = await sim('pay', '--code-url', `${e.platform.config.publicUrl}/pay/native/${native.order.code_token}`, '--pin', TEST_PIN);
    assert.equal(url.code, 0, url.stderr);
    assert.match(url.stdout, /^SUCCESS ¥2\.50 NATIVE /);
    const usage = await sim('pay', '--out-trade-no', 'X1234567');
    assert.equal(usage.code, 2);
    const help = await lianjie(['sim', 'pay', '--help']);
    assert.match(help.stdout, /--prepay-id ID[\s\S]*--code-url URL/);
    assert.match((await lianjie(['sim', '--help'])).stdout, /pay {15}pay an order[\s\S]*paycode/);
  });
  it('binds an insurance card through the CLI, after which an insured order pays split (insurance + wallet)', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const { c, openid } = await createPayer(e, f.appidOk, 5_000n);
    const { services, handle } = e.platform;
    await fundInsurance(handle.db, services.ledger, { amount: 100_000n, reference: `sim-test-${randomString(6)}` });
    const m = (await services.payMerchants.byMchId(f.mchId))?.merchant;
    assert.ok(m);
    const owner = makeContext({ kind: 'merchant', userId: 'u', orgId: f.orgId, role: 'owner' });
    const insured = { outTradeNo: `I${randomString(12)}`, description: '门诊缴费', amount: 10_000n, method: 'jsapi' as const, payerOpenid: openid, insuredAmount: 7_000n };
    await assert.rejects(services.merchantPay.create(owner, insured), (err: { details?: { reason?: string } }) => err.details?.reason === 'NO_INSURANCE_CARD');
    const bound = await lianjie(['sim', 'insurance-card', '--consumer', `${c.phone}:${c.password}`, '--url', e.baseUrl, '--card-no', '11010519491231002X'.replace('X', '9')]);
    assert.equal(bound.code, 0, bound.stderr);
    assert.match(bound.stdout, /insurance card bound: 城镇职工医保 ••0029/);
    const { order } = await services.merchantPay.create(owner, insured);
    const paid = await lianjie(['sim', 'pay', '--prepay-id', order.prepay_id ?? '', '--pin', TEST_PIN, '--consumer', `${c.phone}:${c.password}`, '--url', e.baseUrl]);
    assert.equal(paid.code, 0, paid.stderr);
    assert.match(paid.stdout, /^SUCCESS ¥100\.00 JSAPI .*wallet balance ¥20\.00\n  insurance paid ¥70\.00, the consumer ¥30\.00/);
    assert.match((await lianjie(['sim', 'insurance-card', '--help'])).stdout, /Binds an insurance card/);
  });
}, { listen: true });

describe('simulator code URLs', () => {
  it('reads the token out of Native and H5 URLs only', () => {
    assert.equal(codeTokenOf('http://x.example/pay/native/AbC123'), 'AbC123');
    assert.equal(codeTokenOf('http://x.example/pay/h5/AbC123/'), 'AbC123');
    assert.throws(() => codeTokenOf('http://x.example/pay/other/AbC123'));
  });
});
