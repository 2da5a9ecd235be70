import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, createPayMerchant, TEST_PIN, type TestPayMerchant } from '../../testing/pay.ts';
import { tenpayError, tenpayFor } from '../../testing/tenpay.ts';
import type { TestConsumer } from '../../testing/factories.ts';
import { randomString } from '../../platform/ids.ts';
import { parseV2Time } from './routes-v2-orders.ts';

const scan = (authCode: string, total: number, over: Record<string, string | number> = {}) => ({ body: '门店消费', out_trade_no: `M${randomString(14)}`, total_fee: total, spbill_create_ip: '10.0.0.8', auth_code: authCode, ...over });

const walletOf = async (e: TestEnv, c: TestConsumer) => (await e.platform.services.wallet.summary(c.ctx)).balance;
const pendingOf = async (e: TestEnv, f: TestPayMerchant) => (await e.platform.services.ledger.find(e.platform.handle.db, 'merchant_pending', f.orgId))?.balance ?? 0n;
const code = async (e: TestEnv, c: TestConsumer) => (await e.platform.services.payCodes.issue(c.ctx)).code;

describeOnBothDbs('Pay v2 micropay and reverse (tenpay)', (env) => {
  it('a small payment-code payment succeeds at once, a repeat returns it, reverse gives the money back (REVOKED); no notification is sent', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const { c, openid } = await createPayer(e, f.appidOk, 5_000n);
    const before = { wallet: await walletOf(e, c), pending: await pendingOf(e, f) };
    const params = scan(await code(e, c), 1_200, { attach: 'pos=3' });
    const paid = await pay.micropay({ ...params });
    assert.equal(paid.result_code, 'SUCCESS');
    assert.deepEqual(
      { trade_type: paid.trade_type, openid: paid.openid, total_fee: paid.total_fee, cash_fee: paid.cash_fee, out_trade_no: paid.out_trade_no, attach: paid.attach, is_subscribe: paid.is_subscribe, trade_state: paid.trade_state },
      { trade_type: 'MICROPAY', openid, total_fee: '1200', cash_fee: '1200', out_trade_no: params.out_trade_no, attach: 'pos=3', is_subscribe: 'Y', trade_state: undefined },
    );
    assert.match(String(paid.transaction_id), /^\d{28}$/);
    assert.ok(parseV2Time(String(paid.time_end)));
    assert.equal(await walletOf(e, c), before.wallet - 1_200n);
    assert.equal(await pendingOf(e, f), before.pending + 1_200n);
    assert.equal((await pay.micropay({ ...params })).transaction_id, paid.transaction_id, 'a repeat is the same payment');
    assert.equal(await walletOf(e, c), before.wallet - 1_200n);
    assert.equal(await tenpayError(pay.micropay({ ...params, total_fee: 1_300 })), 'INVALID_REQUEST');

    await e.platform.worker.drain();
    const notes = await e.platform.handle.db.selectFrom('outbox').select(['status']).where('kind', '=', 'pay.notify.v2').where('tenant_id', '=', f.orgId).execute();
    assert.deepEqual(notes, [], 'a payment-code order has no notify_url: the answer is the notification');

    const reversed = await pay.reverse({ out_trade_no: params.out_trade_no });
    assert.equal(reversed.result_code, 'SUCCESS');
    assert.equal(reversed.recall, 'N');
    assert.equal((await pay.orderQuery({ out_trade_no: params.out_trade_no })).trade_state, 'REVOKED');
    assert.equal(await walletOf(e, c), before.wallet);
    assert.equal(await pendingOf(e, f), before.pending);
    assert.deepEqual(await e.platform.services.ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });

  it('a large payment waits for the PIN: USERPAYING, the merchant polls orderquery until SUCCESS', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const { c } = await createPayer(e, f.appidOk, 200_000n);
    const params = scan(await code(e, c), 150_000, { sign_type: 'HMAC-SHA256' });
    assert.equal(await tenpayError(pay.micropay({ ...params })), 'USERPAYING');
    assert.equal((await pay.orderQuery({ out_trade_no: params.out_trade_no })).trade_state, 'USERPAYING');
    const order = await e.platform.handle.db.selectFrom('pay_orders').select(['id', 'v2_sign_type']).where('out_trade_no', '=', params.out_trade_no).executeTakeFirstOrThrow();
    assert.equal(order.v2_sign_type, 'HMAC-SHA256');
    await e.platform.services.payCodes.pay(c.ctx, order.id, TEST_PIN);
    const q = await pay.orderQuery({ out_trade_no: params.out_trade_no });
    assert.equal(q.trade_state, 'SUCCESS');
    assert.equal(q.total_fee, '150000');
    assert.equal(await walletOf(e, c), 50_000n);
  });

  it('bad, used or expired codes and a short wallet are refused and move nothing; reverse only for payment-code orders; merchant B cannot reverse A’s order', async () => {
    const e = env();
    const a = await createPayMerchant(e);
    const b = await createPayMerchant(e);
    const pay = tenpayFor(e, a);
    const { c, openid } = await createPayer(e, a.appidOk, 1_000n);
    assert.equal(await tenpayError(pay.micropay(scan('123456', 100))), 'AUTH_CODE_INVALID');
    assert.equal(await tenpayError(pay.micropay(scan('139999999999999999', 100))), 'AUTH_CODE_INVALID');
    const short = await code(e, c);
    assert.equal(await tenpayError(pay.micropay(scan(short, 5_000))), 'NOTENOUGH');
    assert.equal(await walletOf(e, c), 1_000n);
    assert.equal(await tenpayError(pay.micropay(scan(short, 100, { total_fee: 0 }))), 'PARAM_ERROR');
    const used = scan(short, 300);
    assert.equal((await pay.micropay(used)).result_code, 'SUCCESS', 'the code survived the refusal');
    assert.equal(await tenpayError(pay.micropay(scan(short, 100))), 'AUTH_CODE_INVALID', 'a used code');
    const stale = await code(e, c);
    await e.platform.handle.db.updateTable('pay_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('code', '=', stale).execute();
    assert.equal(await tenpayError(pay.micropay(scan(stale, 100))), 'AUTHCODEEXPIRE');
    assert.equal(await walletOf(e, c), 700n);

    assert.equal(await tenpayError(tenpayFor(e, b).reverse({ out_trade_no: String(used.out_trade_no) })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(tenpayFor(e, b).orderQuery({ out_trade_no: String(used.out_trade_no) })), 'ORDERNOTEXIST');
    assert.equal((await pay.orderQuery({ out_trade_no: String(used.out_trade_no) })).trade_state, 'SUCCESS');
    const jsapiNo = `J${randomString(12)}`;
    await pay.unifiedOrder({ body: 'x', out_trade_no: jsapiNo, total_fee: 100, spbill_create_ip: '127.0.0.1', notify_url: 'https://merchant.example/n', trade_type: 'JSAPI', openid });
    assert.equal(await tenpayError(pay.reverse({ out_trade_no: jsapiNo })), 'INVALID_REQUEST');
    assert.equal(await tenpayError(pay.reverse({ out_trade_no: 'NOPE123456' })), 'ORDERNOTEXIST');
  });
}, { listen: true, background: true });
