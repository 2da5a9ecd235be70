import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, payByPrepay } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { startWebhookStub } from '../webhooks/webhook-stub.ts';
import { call, createApiMerchant, type ApiMerchant } from '../merchantapi/test-helpers.ts';

const ORDERS = '/api/v1/merchant/pay/orders';
const LOG = '/api/v1/merchant/deliveries';

/** A member of `a`'s org with `role`, signed in: our JSON API headers. */
async function member(e: TestEnv, a: ApiMerchant, role: 'cs' | 'finance' | 'operator'): Promise<Record<string, string>> {
  const email = `${role}${randomString(8).toLowerCase()}@console.test`;
  await e.platform.services.team.invite(a.m.ctx, { email, name: role, role, password: 'member-pass-123' });
  const signin = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', payload: { email, password: 'member-pass-123' } });
  assert.equal(signin.statusCode, 200, signin.body);
  return { authorization: `Bearer ${signin.json().token as string}`, 'x-lianjie-session-kind': 'merchant' };
}

/** A paid JSON-API order (a webhook endpoint on the stub), refunded in part, everything delivered. */
async function paidAndRefunded(e: TestEnv, a: ApiMerchant, stubUrl: string) {
  assert.equal((await call(e, 'POST', '/api/v1/merchant/webhooks', a.auth, { url: stubUrl })).status, 201);
  const { c, openid } = await createPayer(e, a.appid, 5000n);
  const outTradeNo = `T${randomString(14)}`;
  const created = await call(e, 'POST', ORDERS, a.auth, { outTradeNo, description: '午餐', amount: 1000, method: 'jsapi', payerOpenid: openid });
  assert.equal(created.status, 201, created.raw);
  assert.equal((await payByPrepay(e, c, String(created.body.prepayId))).status, 200);
  await e.platform.worker.drain();
  const refund = await call(e, 'POST', `${ORDERS}/${outTradeNo}/refunds`, { ...a.m.headers, 'idempotency-key': randomString(16) }, { outRefundNo: `R${randomString(12)}`, amount: 300, reason: '少一道菜' });
  assert.equal(refund.status, 201, refund.raw);
  await e.platform.worker.drain();
  return { outTradeNo, transactionId: String(created.body.transactionId), c };
}

const cstToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describeOnBothDbs('Console pay reads and the delivery log', (env) => {
  it('order detail: refunds, ledger movements, notification attempts, lookup and bill; other orgs and cs get nothing', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const stub = await startWebhookStub();
    try {
      const { outTradeNo, transactionId } = await paidAndRefunded(e, a, stub.url);
      const h = a.m.headers;

      const refunds = await call(e, 'GET', `${ORDERS}/${outTradeNo}/refunds`, h);
      assert.equal(refunds.status, 200, refunds.raw);
      const list = refunds.body as unknown as { amount: number; status: string; reason: string }[];
      assert.deepEqual(list.map((r) => [r.amount, r.status, r.reason]), [[300, 'SUCCESS', '少一道菜']]);

      const ledger = await call(e, 'GET', `${ORDERS}/${outTradeNo}/ledger`, h);
      assert.equal(ledger.status, 200, ledger.raw);
      const moves = ledger.body as unknown as { kind: string; entries: { account: string; own: boolean; amount: number }[] }[];
      assert.deepEqual(moves.map((m) => m.kind), ['pay.success', 'refund.accept', 'refund.success']);
      const pay = moves[0]!;
      assert.deepEqual(pay.entries.find((x) => x.account === 'merchant_pending'), { account: 'merchant_pending', own: true, amount: 1000 });
      assert.deepEqual(pay.entries.find((x) => x.account === 'consumer_wallet'), { account: 'consumer_wallet', own: false, amount: -1000 });
      for (const m of moves) assert.equal(m.entries.reduce((s, x) => s + x.amount, 0), 0, 'balanced');
      assert.ok(!ledger.raw.includes('"ownerId"'), 'no account owners are exposed');

      const notes = await call(e, 'GET', `${ORDERS}/${outTradeNo}/notifications`, h);
      assert.equal(notes.status, 200, notes.raw);
      const attempts = notes.body as unknown as { kind: string; outcome: string; url: string; responseStatus: number | null }[];
      const deliveries = attempts.filter((x) => x.kind === 'pay.webhook.delivery');
      assert.equal(deliveries.length, 2, 'payment.succeeded and refund.succeeded to the endpoint');
      assert.ok(deliveries.every((d) => d.outcome === 'success' && d.url === stub.url && d.responseStatus === 200));
      assert.ok(attempts.some((x) => x.kind === 'refund.complete'));

      const byTx = await call(e, 'GET', `/api/v1/merchant/pay/order-lookup?q=${transactionId}`, h);
      assert.deepEqual([byTx.status, byTx.body.outTradeNo], [200, outTradeNo]);
      const byNo = await call(e, 'GET', `/api/v1/merchant/pay/order-lookup?q=${outTradeNo}`, h);
      assert.deepEqual([byNo.status, byNo.body.transactionId], [200, transactionId]);
      assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/order-lookup?q=NOPE123456', h)).status, 404);
      assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/order-lookup?q=', h)).status, 400);

      const bill = await e.app.inject({ method: 'GET', url: `/api/v1/merchant/pay/bills?date=${cstToday()}&type=ALL`, headers: h });
      assert.equal(bill.statusCode, 200, bill.body);
      assert.match(String(bill.headers['content-type']), /^text\/csv/);
      assert.match(String(bill.headers['content-disposition']), new RegExp(`attachment; filename="bill-${a.mchId}-${cstToday()}-all\\.csv"`));
      assert.ok(bill.body.includes(`\`${transactionId}`), bill.body);
      const v3Same = await e.platform.services.bills.tradeBill(a.m.ctx, (await e.platform.services.merchantPay.merchantOf(a.m.ctx, 'pay.read')), { date: cstToday(), type: 'ALL' });
      assert.equal(bill.body, v3Same, 'the same text as the wire bill');
      const empty = await call(e, 'GET', '/api/v1/merchant/pay/bills?date=2020-01-01&type=ALL', h);
      assert.deepEqual([empty.status, empty.body.error?.details?.reason], [404, 'NO_STATEMENT_EXIST']);
      assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/bills?date=yesterday', h)).status, 400);
      assert.equal((await call(e, 'GET', `/api/v1/merchant/pay/bills?date=${cstToday()}&type=BOGUS`, h)).status, 400);

      // Finance may read; cs may not (403); another org sees nothing (404).
      const finance = await member(e, a, 'finance');
      assert.equal((await call(e, 'GET', `${ORDERS}/${outTradeNo}/ledger`, finance)).status, 200);
      const cs = await member(e, a, 'cs');
      for (const p of [`${ORDERS}/${outTradeNo}/ledger`, `${ORDERS}/${outTradeNo}/notifications`, `${ORDERS}/${outTradeNo}/refunds`, `/api/v1/merchant/pay/order-lookup?q=${outTradeNo}`, `/api/v1/merchant/pay/bills?date=${cstToday()}`, ORDERS]) {
        assert.equal((await call(e, 'GET', p, cs)).status, 403, p);
      }
      const b = await createApiMerchant(e);
      for (const p of [`${ORDERS}/${outTradeNo}/ledger`, `${ORDERS}/${outTradeNo}/notifications`, `${ORDERS}/${outTradeNo}/refunds`, `/api/v1/merchant/pay/order-lookup?q=${transactionId}`]) {
        assert.equal((await call(e, 'GET', p, b.m.headers)).status, 404, p);
      }
      const bBill = await call(e, 'GET', `/api/v1/merchant/pay/bills?date=${cstToday()}`, b.m.headers);
      assert.equal(bBill.status, 404, 'b has no trades that day');
    } finally {
      await stub.close();
    }
  });

  it('delivery log: paged, filtered, detail; resend makes a new logged delivery; cross-tenant and roles', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const stub = await startWebhookStub();
    try {
      await paidAndRefunded(e, a, stub.url);
      const h = a.m.headers;
      const all = await call(e, 'GET', LOG, h);
      assert.equal(all.status, 200, all.raw);
      const rows = all.body.attempts as { id: string; kind: string; outcome: string; resendable: boolean; queue: string; request: { body?: string } }[];
      assert.ok(rows.length >= 5, all.raw);
      const ids = rows.map((r) => BigInt(r.id));
      assert.deepEqual(ids, [...ids].sort((x, y) => (x < y ? 1 : -1)), 'newest first');

      const page1 = await call(e, 'GET', `${LOG}?limit=2`, h);
      assert.equal((page1.body.attempts as unknown[]).length, 2);
      const page2 = await call(e, 'GET', `${LOG}?limit=2&cursor=${String(page1.body.nextCursor)}`, h);
      assert.deepEqual((page2.body.attempts as { id: string }[]).map((x) => x.id), rows.slice(2, 4).map((x) => x.id));

      const hooks = await call(e, 'GET', `${LOG}?kind=pay.webhook.delivery&outcome=success`, h);
      const hookRows = hooks.body.attempts as typeof rows;
      assert.equal(hookRows.length, 2);
      assert.ok(hookRows.every((x) => x.kind === 'pay.webhook.delivery' && x.resendable && x.queue === 'done'));
      assert.equal(((await call(e, 'GET', `${LOG}?outcome=failure`, h)).body.attempts as unknown[]).length, 0);
      assert.equal((await call(e, 'GET', `${LOG}?outcome=maybe`, h)).status, 400);
      assert.equal((await call(e, 'GET', `${LOG}?limit=1000`, h)).status, 400);

      const target = hookRows[1]!;
      const one = await call(e, 'GET', `${LOG}/${target.id}`, h);
      assert.equal(one.status, 200);
      assert.equal(one.body.url, stub.url);
      assert.ok(String((one.body.request as { body?: string }).body).includes('"type":"payment.succeeded"'));
      assert.equal((await call(e, 'GET', `${LOG}/abc`, h)).status, 400);
      assert.equal((await call(e, 'GET', `${LOG}/999999999`, h)).status, 404);

      // Another org: nothing listed, detail and resend 404; cs and finance: 403 (developer only).
      const b = await createApiMerchant(e);
      assert.deepEqual((await call(e, 'GET', LOG, b.m.headers)).body.attempts, []);
      assert.equal((await call(e, 'GET', `${LOG}/${target.id}`, b.m.headers)).status, 404);
      assert.equal((await call(e, 'POST', `${LOG}/${target.id}/resend`, b.m.headers)).status, 404);
      for (const role of ['cs', 'finance'] as const) {
        const m = await member(e, a, role);
        assert.equal((await call(e, 'GET', LOG, m)).status, 403, role);
        assert.equal((await call(e, 'POST', `${LOG}/${target.id}/resend`, m)).status, 403, role);
      }
      const before = stub.got.length;

      // Not resendable: the refund completion (moves money).
      const job = rows.find((r) => r.kind === 'refund.complete');
      assert.ok(job);
      const refused = await call(e, 'POST', `${LOG}/${job.id}/resend`, h);
      assert.deepEqual([refused.status, refused.body.error?.details?.reason], [412, 'NOT_RESENDABLE']);

      const operator = await member(e, a, 'operator');
      const resent = await call(e, 'POST', `${LOG}/${target.id}/resend`, operator);
      assert.equal(resent.status, 202, resent.raw);
      await e.platform.worker.drain();
      assert.equal(stub.got.length, before + 1, 'delivered once more');
      const again = stub.got.at(-1)!;
      assert.equal(again.body, target.request.body, 'the same event, byte for byte');
      const latest = (await call(e, 'GET', `${LOG}?kind=pay.webhook.delivery`, h)).body.attempts as { outboxId: string; resentFrom: string | null; outcome: string }[];
      assert.equal(latest.length, 3);
      assert.deepEqual([latest[0]!.outboxId, latest[0]!.outcome], [String(resent.body.outboxId), 'success']);
      assert.equal(latest[0]!.resentFrom, String((one.body as { outboxId: string }).outboxId));
    } finally {
      await stub.close();
    }
  });
}, { background: true });
