import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import type { TestConsumer } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, TEST_PIN, type TestPayMerchant } from '../../testing/pay.ts';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import { isAppError } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import { MICROPAY_NO_PIN_LIMIT, type MicropayInput } from './micropay.ts';

type Body = Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } };
async function call(e: TestEnv, c: TestConsumer | undefined, method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: Body }> {
  const headers = { ...(c?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await e.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: res.statusCode, body: res.json() as Body };
}

interface Merchant { f: TestPayMerchant; m: PayMerchantRow; ctx: RequestContext }
async function merchant(e: TestEnv): Promise<Merchant> {
  const f = await createPayMerchant(e);
  const account = await e.platform.services.accounts.findByAppId(f.appidOk);
  const m = (await e.platform.services.payMerchants.byMchId(f.mchId))?.merchant;
  assert.ok(account && m);
  return { f, m, ctx: makeContext({ kind: 'app', orgId: f.orgId, accountId: account.id }) };
}

const input = (x: Merchant, authCode: string, total: bigint, over: Partial<MicropayInput> = {}): MicropayInput => ({
  appid: x.f.appidOk, mchid: x.f.mchId, description: '收银台', outTradeNo: `M${randomString(12)}`, total, authCode, api: 'v3', ...over,
});
const newCode = async (e: TestEnv, c: TestConsumer) => {
  const r = await call(e, c, 'POST', '/api/v1/pay/codes');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return String(r.body.code);
};
/** The v3 code of a refusal (what the wires answer). */
const refusal = (p: Promise<unknown>) => p.then(() => assert.fail('expected a refusal'), (err: unknown) => (isAppError(err) ? err.details?.v3Code : String(err)));

async function money(e: TestEnv, x: Merchant, c: TestConsumer) {
  const { ledger, wallet } = e.platform.services;
  return { wallet: (await wallet.summary(c.ctx)).balance, pending: (await ledger.find(e.platform.handle.db, 'merchant_pending', x.f.orgId))?.balance ?? 0n };
}
const clean = { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] };
const orderCount = async (e: TestEnv, x: Merchant) => Number((await e.platform.handle.db.selectFrom('pay_orders').select((eb) => eb.fn.countAll().as('n')).where('mch_id', '=', x.f.mchId).executeTakeFirstOrThrow()).n);

describeOnBothDbs('Payment codes and micropay', (env) => {
  it('a small payment is SUCCESS at once; a repeat is the same order; the code is single use; a new code invalidates the old', async () => {
    const e = env();
    const x = await merchant(e);
    const { c, openid } = await createPayer(e, x.f.appidOk, 10_000n);
    const code = await newCode(e, c);
    assert.match(code, /^13\d{16}$/);
    const { micropay } = e.platform.services;
    const first = input(x, code, 1500n, { attach: 'till 3' });
    const o = await micropay.micropay(x.ctx, x.m, first);
    assert.equal(o.state, 'SUCCESS');
    assert.equal(o.trade_type, 'MICROPAY');
    assert.equal(o.payer_openid, openid);
    assert.equal(o.consumer_id, c.id);
    assert.equal((await money(e, x, c)).wallet, 8500n);
    assert.equal((await micropay.micropay(x.ctx, x.m, first)).id, o.id, 'same out_trade_no, same parameters: the same order');
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, { ...first, total: 1600n })), 'INVALID_REQUEST');
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, code, 100n))), 'AUTH_CODE_INVALID', 'a used code');
    const outbox = await e.platform.handle.db.selectFrom('outbox').select('kind').where('tenant_id', '=', x.f.orgId).execute();
    assert.deepEqual(outbox, [], 'a v3 payment-code order has no notify_url: no notification');

    const older = await newCode(e, c);
    const newer = await newCode(e, c);
    assert.notEqual(older, newer);
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, older, 100n))), 'AUTH_CODE_INVALID', 'a newer code invalidates the older');
    assert.equal((await micropay.micropay(x.ctx, x.m, input(x, newer, 100n))).state, 'SUCCESS');
    const twice = input(x, await newCode(e, c), 200n);
    const [p, q] = await Promise.all([micropay.micropay(x.ctx, x.m, twice), micropay.micropay(x.ctx, x.m, twice)]);
    assert.equal(p.id, q.id, 'concurrent repeats: one order');
    assert.equal((await money(e, x, c)).wallet, 8500n - 100n - 200n, 'paid once');
    const empty = await e.app.inject({ method: 'POST', url: '/api/v1/pay/codes', headers: { ...c.headers, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(empty.statusCode, 200, 'a JSON {} body is fine too');
    assert.deepEqual(await e.platform.services.ledger.verify(), clean);
  });

  it('expired, unknown, malformed codes and a short wallet are refused with nothing moved', async () => {
    const e = env();
    const x = await merchant(e);
    const { c } = await createPayer(e, x.f.appidOk, 1000n);
    const { micropay } = e.platform.services;
    const before = await money(e, x, c);
    const code = await newCode(e, c);
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, code, 5000n))), 'NOTENOUGH');
    const unused = await e.platform.handle.db.selectFrom('pay_codes').select(['used_at', 'order_id']).where('code', '=', code).executeTakeFirstOrThrow();
    assert.deepEqual(unused, { used_at: null, order_id: null }, 'refused for money: the code stays usable, no order');
    await e.platform.handle.db.updateTable('pay_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('code', '=', code).execute();
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, code, 100n))), 'AUTHCODEEXPIRE');
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, '130000000000000000', 100n))), 'AUTH_CODE_INVALID');
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, '12345', 100n))), 'AUTH_CODE_INVALID');
    assert.equal(await refusal(micropay.micropay(x.ctx, x.m, input(x, await newCode(e, c), 100n, { mchid: '1900000000' }))), 'PARAM_ERROR');
    assert.equal(await orderCount(e, x), 0);
    assert.deepEqual(await money(e, x, c), before);
  });

  it('above the no-PIN limit: USERPAYING, the consumer is told, confirms with the PIN; another consumer sees nothing; cancel → PAYERROR', async () => {
    const e = env();
    const x = await merchant(e);
    const { c } = await createPayer(e, x.f.appidOk, 500_000n);
    const other = await createPayer(e, x.f.appidOk, 500_000n);
    const { micropay } = e.platform.services;
    const events: string[] = [];
    const detach = e.platform.hub.attach(c.id, { send: (d) => events.push(d), close: () => {} });
    try {
      const big = MICROPAY_NO_PIN_LIMIT + 1n;
      const o = await micropay.micropay(x.ctx, x.m, input(x, await newCode(e, c), big));
      assert.equal(o.state, 'USERPAYING');
      assert.equal((await money(e, x, c)).wallet, 500_000n, 'nothing moved yet');
      for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(events.map((d) => JSON.parse(d) as unknown), [{ type: 'pay.userpaying', orderId: o.id }]);

      const pending = await call(e, c, 'GET', '/api/v1/pay/pending');
      assert.equal(pending.status, 200);
      assert.deepEqual((pending.body as unknown as { orderId: string; tradeType: string; total: number; state: string }[]).map((s) => [s.orderId, s.tradeType, s.total, s.state]), [[o.id, 'MICROPAY', Number(big), 'USERPAYING']]);
      assert.deepEqual((await call(e, other.c, 'GET', '/api/v1/pay/pending')).body, []);
      assert.equal((await call(e, other.c, 'POST', `/api/v1/pay/pending/${o.id}/pay`, { pin: TEST_PIN })).status, 404);
      assert.equal((await call(e, other.c, 'POST', `/api/v1/pay/pending/${o.id}/cancel`)).status, 404);
      assert.equal((await call(e, undefined, 'GET', '/api/v1/pay/pending')).status, 401);
      const wrong = await call(e, c, 'POST', `/api/v1/pay/pending/${o.id}/pay`, { pin: '000000' });
      assert.equal(wrong.status, 403);
      const paid = await call(e, c, 'POST', `/api/v1/pay/pending/${o.id}/pay`, { pin: TEST_PIN });
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      assert.equal(paid.body.state, 'SUCCESS');
      assert.equal((await money(e, x, c)).wallet, 500_000n - big);
      assert.equal((await money(e, x, other.c)).wallet, 500_000n);
      assert.equal((await e.platform.services.payments.query(x.ctx, x.m, x.f.mchId, { outTradeNo: o.out_trade_no })).state, 'SUCCESS');
      assert.deepEqual((await call(e, c, 'GET', '/api/v1/pay/pending')).body, []);

      const o2 = await micropay.micropay(x.ctx, x.m, input(x, await newCode(e, c), big));
      const cancelled = await call(e, c, 'POST', `/api/v1/pay/pending/${o2.id}/cancel`);
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.state, 'PAYERROR');
      assert.equal((await call(e, c, 'POST', `/api/v1/pay/pending/${o2.id}/pay`, { pin: TEST_PIN })).status, 412);
      assert.equal((await money(e, x, c)).wallet, 500_000n - big);
      assert.deepEqual(await e.platform.services.ledger.verify(), clean);
    } finally {
      detach();
    }
  });

  it("reverse: a paid payment-code order gives the money back exactly; USERPAYING is revoked; another merchant cannot reverse A's", async () => {
    const e = env();
    const a = await merchant(e);
    const b = await merchant(e);
    const { c } = await createPayer(e, a.f.appidOk, 300_000n);
    const { micropay } = e.platform.services;
    const before = await money(e, a, c);
    const paid = await micropay.micropay(a.ctx, a.m, input(a, await newCode(e, c), 2500n));
    assert.equal((await money(e, a, c)).wallet, before.wallet - 2500n);

    assert.equal(await refusal(micropay.reverse(b.ctx, b.m, { outTradeNo: paid.out_trade_no })), 'ORDER_NOT_EXIST');
    assert.equal(await refusal(micropay.reverse(b.ctx, b.m, { transactionId: paid.transaction_id })), 'ORDER_NOT_EXIST');
    assert.equal(await refusal(micropay.reverse(b.ctx, a.m, { outTradeNo: paid.out_trade_no })), 'NO_AUTH');
    assert.equal((await money(e, a, c)).wallet, before.wallet - 2500n);

    const revoked = await micropay.reverse(a.ctx, a.m, { outTradeNo: paid.out_trade_no });
    assert.equal(revoked.state, 'REVOKED');
    assert.deepEqual(await money(e, a, c), before, 'wallet and merchant pending restored');
    assert.equal((await micropay.reverse(a.ctx, a.m, { transactionId: paid.transaction_id })).state, 'REVOKED', 'reversing again is fine and moves nothing');
    assert.deepEqual(await money(e, a, c), before);
    const kinds = await e.platform.handle.db.selectFrom('ledger_transactions').select(['kind']).where('reference', '=', paid.id).orderBy('id').execute();
    assert.deepEqual(kinds.map((k) => k.kind), ['pay.success', 'pay.reverse']);

    const waiting = await micropay.micropay(a.ctx, a.m, input(a, await newCode(e, c), MICROPAY_NO_PIN_LIMIT + 5n));
    assert.equal((await micropay.reverse(a.ctx, a.m, { outTradeNo: waiting.out_trade_no })).state, 'REVOKED');
    assert.equal((await call(e, c, 'POST', `/api/v1/pay/pending/${waiting.id}/pay`, { pin: TEST_PIN })).status, 412, 'a revoked order cannot be confirmed');
    assert.deepEqual(await money(e, a, c), before);
    const native = await e.platform.services.payments.create(a.ctx, a.m, { tradeType: 'NATIVE', appid: a.f.appidOk, mchid: a.f.mchId, description: 'n', outTradeNo: `N${randomString(10)}`, notifyUrl: 'https://m.example/n', total: 100n, currency: 'CNY' });
    assert.equal(await refusal(micropay.reverse(a.ctx, a.m, { outTradeNo: native.order.out_trade_no })), 'INVALID_REQUEST', 'only payment-code orders are reversed');
    assert.deepEqual(await e.platform.services.ledger.verify(), clean);
  });
}, { background: true });
