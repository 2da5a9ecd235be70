import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer, type TestConsumer } from '../../testing/factories.ts';
import { createPayer, payByPrepay } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { call, createApiMerchant, orderCount, type ApiMerchant } from '../merchantapi/test-helpers.ts';
import { fundInsurance } from './service.ts';

const CARDS = '/api/v1/insurance/cards';
const ORDERS = '/api/v1/merchant/pay/orders';

async function bindCard(e: TestEnv, c: TestConsumer) {
  const r = await call(e, 'POST', CARDS, c.headers, { insurer: '广州医保', cardNo: '4401 0619 9001 0112 34', holderName: '张三' });
  assert.equal(r.status, 201, r.raw);
  return r;
}

async function insuredOrder(e: TestEnv, a: ApiMerchant, openid: string, amount: number, insured: number) {
  return call(e, 'POST', ORDERS, a.auth, { outTradeNo: `H${randomString(12)}`, description: '门诊缴费', amount, method: 'jsapi', payerOpenid: openid, insurance: { amount: insured } });
}

async function money(e: TestEnv, a: ApiMerchant, c: TestConsumer) {
  const { ledger, wallet } = e.platform.services;
  const db = e.platform.handle.db;
  return {
    wallet: (await wallet.summary(c.ctx)).balance,
    fund: (await ledger.find(db, 'insurance_fund', null))?.balance ?? 0n,
    pending: (await ledger.find(db, 'merchant_pending', a.m.orgId))?.balance ?? 0n,
  };
}

describeOnBothDbs('Insurance cards and insured (split-payer) orders', (env) => {
  it('a consumer binds, lists and unbinds their own cards; bad input and other consumers get nothing', async () => {
    const e = env();
    const c = await createConsumer(e);
    const other = await createConsumer(e);
    const card = await bindCard(e, c);
    assert.deepEqual({ ...card.body, id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, insurer: '广州医保', cardNoLast4: '1234', holderName: '张三' });
    assert.ok(!card.raw.includes('44010619'), 'the full card number is not shown');
    assert.equal((await call(e, 'POST', CARDS, c.headers, { insurer: '广州医保', cardNo: '440106199001011234', holderName: '张三' })).status, 409, 'same card twice');
    for (const body of [{}, { insurer: 'x', cardNo: 'short', holderName: 'a' }, { insurer: 'x', cardNo: '4401-0619-!!!!-0112', holderName: 'a' }, { insurer: '', cardNo: '440106199001011234', holderName: 'a' }, { insurer: 'x', cardNo: '440106199001011234', holderName: '  ' }]) {
      const r = await call(e, 'POST', CARDS, other.headers, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.raw}`);
      assert.equal(r.body.error?.code, 'invalid_argument');
    }
    assert.deepEqual((await call(e, 'GET', CARDS, other.headers)).body, [], 'nothing created, and not A’s card');
    const id = String(card.body.id);
    assert.equal((await call(e, 'DELETE', `${CARDS}/${id}`, other.headers)).status, 404);
    assert.equal(((await call(e, 'GET', CARDS, c.headers)).body as unknown as unknown[]).length, 1);
    assert.equal((await call(e, 'GET', CARDS, {})).status, 401);
    const a = await createApiMerchant(e);
    assert.equal((await call(e, 'GET', CARDS, a.m.headers)).status, 401, 'merchants cannot read consumers’ cards');
    assert.equal((await call(e, 'DELETE', `${CARDS}/${id}`, c.headers)).status, 200);
    assert.deepEqual((await call(e, 'GET', CARDS, c.headers)).body, []);
  });

  it('an insured order needs a payer with a bound card (412 NO_INSURANCE_CARD) and a JSAPI payer', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const { c, openid } = await createPayer(e, a.appid, 0n);
    const refused = await insuredOrder(e, a, openid, 10_000, 7_000);
    assert.deepEqual([refused.status, refused.body.error?.code, refused.body.error?.details?.reason], [412, 'failed_precondition', 'NO_INSURANCE_CARD']);
    const native = await call(e, 'POST', ORDERS, a.auth, { outTradeNo: `H${randomString(12)}`, description: 'x', amount: 100, method: 'native', insurance: { amount: 50 } });
    assert.deepEqual([native.status, native.body.error?.details?.reason], [400, 'INSURANCE_NEEDS_PAYER']);
    assert.equal(await orderCount(e, a.mchId), 0);
    await bindCard(e, c);
    const ok = await insuredOrder(e, a, openid, 10_000, 7_000);
    assert.equal(ok.status, 201, ok.raw);
    assert.equal(ok.body.insuredAmount, 7_000);
    const sheet = await call(e, 'GET', `/api/v1/pay/prepay/${String(ok.body.prepayId)}`, c.headers);
    assert.deepEqual([sheet.body.total, sheet.body.insuredTotal], [10_000, 7_000]);
  });

  it('paying splits the ledger: wallet pays total − insured, the fund pays the rest — or, with the fund empty, nothing moves; a full refund returns each share', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    // The wallet (40.00) is less than the bill (100.00) but more than the personal share (30.00).
    const { c, openid } = await createPayer(e, a.appid, 4_000n);
    await bindCard(e, c);
    const order = await insuredOrder(e, a, openid, 10_000, 7_000);
    assert.equal(order.status, 201, order.raw);
    const prepayId = String(order.body.prepayId);

    // The insurance fund is empty: the whole payment fails with the insurer named as the cause, nothing moves.
    const before = await money(e, a, c);
    assert.equal(before.fund, 0n);
    const refused = await payByPrepay(e, c, prepayId);
    assert.deepEqual([refused.status, refused.body.error?.details?.reason], [412, 'INSURANCE_NOT_ENOUGH']);
    assert.deepEqual(await money(e, a, c), before);
    assert.equal((await call(e, 'GET', `${ORDERS}/${String(order.body.outTradeNo)}`, a.auth)).body.state, 'NOTPAY');

    // Funded from the bank (idempotent per reference), the same order pays.
    const { ledger } = e.platform.services;
    const reference = `test-${randomString(8)}`;
    await fundInsurance(e.platform.handle.db, ledger, { amount: 100_000n, reference });
    await fundInsurance(e.platform.handle.db, ledger, { amount: 100_000n, reference });
    const funded = await money(e, a, c);
    assert.equal(funded.fund, 100_000n, 'funding twice with one reference moves once');
    const paid = await payByPrepay(e, c, prepayId);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const after = await money(e, a, c);
    assert.equal(after.wallet, funded.wallet - 3_000n, 'the wallet pays exactly total − insured');
    assert.equal(after.fund, funded.fund - 7_000n, 'the fund pays exactly the insured share');
    assert.equal(after.pending, funded.pending + 10_000n);
    const tx = await e.platform.handle.db.selectFrom('ledger_transactions').select('id').where('kind', '=', 'pay.success').where('reference', '=', String(order.body.id)).execute();
    assert.equal(tx.length, 1, 'both legs in one ledger transaction');

    // A full refund goes back split the same way.
    const refund = await call(e, 'POST', `${ORDERS}/${String(order.body.outTradeNo)}/refunds`, a.auth, { outRefundNo: `R${randomString(10)}`, amount: 10_000 });
    assert.equal(refund.status, 201, refund.raw);
    assert.equal(refund.body.insuredAmount, 7_000);
    await e.platform.worker.drain();
    const refunded = await money(e, a, c);
    assert.equal(refunded.wallet, funded.wallet);
    assert.equal(refunded.fund, funded.fund);
    assert.equal(refunded.pending, funded.pending);
    assert.deepEqual(await ledger.verify(), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });
}, { background: true });
