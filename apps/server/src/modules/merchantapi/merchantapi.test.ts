import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createMerchant } from '../../testing/factories.ts';
import { createPayer, payByPrepay } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { verifyWebhook } from '../webhooks/signing.ts';
import { startWebhookStub } from '../webhooks/webhook-stub.ts';
import { requestFingerprint } from './idempotency.ts';
import { call, createApiMerchant, orderCount } from './test-helpers.ts';

const ORDERS = '/api/v1/merchant/pay/orders';
const tradeNo = () => `T${randomString(14)}`;

describeOnBothDbs('Merchant JSON pay API', (env) => {
  it('API keys: shown once, listed by hint, session-only management, revoked keys stop at once', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    assert.match(a.key, /^lj_sk_[A-Za-z0-9]{40}$/);
    const list = await call(e, 'GET', '/api/v1/merchant/api-keys', a.m.headers);
    assert.equal(list.status, 200);
    assert.deepEqual((list.body as unknown as { hint: string }[]).map((k) => k.hint), [`lj_sk_…${a.key.slice(-4)}`]);
    assert.ok(!list.raw.includes(a.key), 'the key itself is never listed');
    // The key works for the pay API, not for managing keys.
    assert.equal((await call(e, 'GET', ORDERS, a.auth)).status, 200);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/api-keys', a.auth)).status, 401);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/api-keys', a.auth, { name: 'x' })).status, 401);
    // Sessions keep working as Bearer tokens on the same routes.
    assert.equal((await call(e, 'GET', ORDERS, a.m.headers)).status, 200);
    assert.equal((await call(e, 'GET', ORDERS, { authorization: 'Bearer lj_sk_notarealkey' })).status, 401);
    assert.equal((await call(e, 'GET', ORDERS, {})).status, 401);

    // Another org can neither see nor revoke A's keys.
    const b = await createApiMerchant(e);
    const bList = await call(e, 'GET', '/api/v1/merchant/api-keys', b.m.headers);
    assert.equal((bList.body as unknown as unknown[]).length, 1);
    const aKeyId = String((list.body as unknown as { id: string }[])[0]?.id);
    assert.equal((await call(e, 'DELETE', `/api/v1/merchant/api-keys/${aKeyId}`, b.m.headers)).status, 404);
    assert.equal((await call(e, 'GET', ORDERS, a.auth)).status, 200);

    const revoked = await call(e, 'DELETE', `/api/v1/merchant/api-keys/${aKeyId}`, a.m.headers);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    const after = await call(e, 'POST', ORDERS, a.auth, { outTradeNo: tradeNo(), description: 'x', amount: 100, method: 'native' });
    assert.equal(after.status, 401);
    assert.equal(after.body.error?.code, 'unauthenticated');
    assert.equal(await orderCount(e, a.mchId), 0);
  });

  it('full flow: idempotent create (replay, reuse 422, concurrent once), consumer pays, signed webhooks for payment and refund', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const stub = await startWebhookStub();
    try {
      const hook = await call(e, 'POST', '/api/v1/merchant/webhooks', a.auth, { url: stub.url });
      assert.equal(hook.status, 201, hook.raw);
      const secret = String(hook.body.secret);
      assert.match(secret, /^whsec_/);
      const { c, openid } = await createPayer(e, a.appid, 5000n);

      const body = { outTradeNo: tradeNo(), description: '午餐', amount: 1234, method: 'jsapi', payerOpenid: openid, attach: 'table=7' };
      const key = { ...a.auth, 'idempotency-key': `k-${randomString(10)}` };
      const first = await call(e, 'POST', ORDERS, key, body);
      assert.equal(first.status, 201, first.raw);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      assert.equal(first.body.state, 'NOTPAY');
      assert.equal(first.body.amount, 1234);
      assert.equal(first.body.insuredAmount, 0);
      assert.equal(first.body.appid, a.appid);
      assert.match(String(first.body.prepayId), /^wx[0-9a-z]{34}$/);
      assert.match(String(first.body.transactionId), /^\d{28}$/);

      const replay = await call(e, 'POST', ORDERS, key, { ...body });
      assert.equal(replay.status, 201);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.raw, first.raw, 'byte-identical replay');

      const reuse = await call(e, 'POST', ORDERS, key, { ...body, amount: 999 });
      assert.equal(reuse.status, 422);
      assert.equal(reuse.body.error?.details?.reason, 'IDEMPOTENCY_KEY_REUSED');
      assert.equal(await orderCount(e, a.mchId), 1);

      // Concurrent duplicates: exactly one executes; the others replay it or are told it is running.
      const dup = { ...a.auth, 'idempotency-key': `k-${randomString(10)}` };
      const dupBody = { outTradeNo: tradeNo(), description: 'QR', amount: 500, method: 'native' };
      const racers = await Promise.all(Array.from({ length: 5 }, () => call(e, 'POST', ORDERS, dup, dupBody)));
      const executed = racers.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
      assert.equal(executed.length, 1, racers.map((r) => `${r.status} ${r.raw}`).join('\n'));
      for (const r of racers.filter((x) => x !== executed[0])) {
        if (r.status === 201) assert.equal(r.raw, executed[0]?.raw);
        else assert.deepEqual([r.status, r.body.error?.details?.reason], [409, 'IDEMPOTENCY_IN_PROGRESS']);
      }
      assert.equal(await orderCount(e, a.mchId), 2);
      // Without a key, the same order again is simply the same order (200).
      const again = await call(e, 'POST', ORDERS, a.auth, dupBody);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, executed[0]?.body.id);
      assert.match(String(again.body.codeUrl), /\/pay\/native\/[A-Za-z0-9]{32}$/);

      const paid = await payByPrepay(e, c, String(first.body.prepayId));
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      await e.platform.worker.drain();
      assert.equal(stub.got.length, 1);
      const got = stub.got[0]!;
      assert.ok(verifyWebhook(secret, String(got.headers['lianjie-signature']), got.body), 'valid signature');
      assert.ok(!verifyWebhook('whsec_wrong', String(got.headers['lianjie-signature']), got.body));
      const event = JSON.parse(got.body) as { id: string; type: string; createdAt: string; data: { order: Record<string, unknown> } };
      assert.equal(event.type, 'payment.succeeded');
      assert.equal(got.headers['lianjie-event-id'], event.id);
      assert.equal(event.data.order.outTradeNo, body.outTradeNo);
      assert.equal(event.data.order.state, 'SUCCESS');
      assert.equal(event.data.order.attach, 'table=7');
      assert.equal(event.data.order.amount, 1234);

      const q = await call(e, 'GET', `${ORDERS}/${body.outTradeNo}`, a.auth);
      assert.equal(q.status, 200);
      assert.equal(q.body.state, 'SUCCESS');
      assert.equal(q.body.payerOpenid, openid);
      assert.equal(q.body.prepayId, first.body.prepayId);
      // Nothing ever tries the empty notify_url of an API order: only webhook kinds were queued.
      const kinds = await e.platform.handle.db.selectFrom('outbox').select('kind').where('tenant_id', '=', a.m.orgId).execute();
      assert.ok(kinds.every((k) => k.kind.startsWith('pay.webhook') || k.kind.startsWith('refund.')), JSON.stringify(kinds));

      const closePaid = await call(e, 'POST', `${ORDERS}/${body.outTradeNo}/close`, a.auth);
      assert.deepEqual([closePaid.status, closePaid.body.error?.details?.reason], [409, 'ORDERPAID']);

      const rkey = { ...a.auth, 'idempotency-key': `r-${randomString(10)}` };
      const refund = await call(e, 'POST', `${ORDERS}/${body.outTradeNo}/refunds`, rkey, { outRefundNo: `R${randomString(12)}`, amount: 234, reason: '少一道菜' });
      assert.equal(refund.status, 201, refund.raw);
      assert.equal(refund.body.status, 'PROCESSING');
      assert.equal(refund.body.amount, 234);
      const refundReplay = await call(e, 'POST', `${ORDERS}/${body.outTradeNo}/refunds`, rkey, JSON.parse(JSON.stringify({ outRefundNo: refund.body.outRefundNo, amount: 234, reason: '少一道菜' })));
      assert.equal(refundReplay.raw, refund.raw);
      assert.equal(refundReplay.headers['idempotent-replayed'], 'true');
      await e.platform.worker.drain();
      assert.equal(stub.got.length, 2);
      const rEvent = JSON.parse(stub.got[1]!.body) as { type: string; data: { order: Record<string, unknown>; refund: Record<string, unknown> } };
      assert.ok(verifyWebhook(secret, String(stub.got[1]!.headers['lianjie-signature']), stub.got[1]!.body));
      assert.equal(rEvent.type, 'refund.succeeded');
      assert.equal(rEvent.data.refund.status, 'SUCCESS');
      assert.equal(rEvent.data.refund.outRefundNo, refund.body.outRefundNo);
      assert.equal(rEvent.data.order.refundedAmount, 234);
      assert.equal(rEvent.data.order.state, 'REFUND');
    } finally {
      await stub.close();
    }
  });

  it('native and h5 orders, close, and the list with state filter and cursor', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const nos = [tradeNo(), tradeNo(), tradeNo()];
    for (const [i, no] of nos.entries()) {
      const r = await call(e, 'POST', ORDERS, a.auth, { outTradeNo: no, description: `item ${i}`, amount: 100 + i, method: i === 1 ? 'h5' : 'native' });
      assert.equal(r.status, 201, r.raw);
      if (i === 1) assert.match(String(r.body.h5Url), /\/pay\/h5\/[A-Za-z0-9]{32}$/);
      assert.equal(r.body.prepayId, undefined);
    }
    const closed = await call(e, 'POST', `${ORDERS}/${nos[0]}/close`, a.auth);
    assert.equal(closed.status, 200);
    assert.equal(closed.body.state, 'CLOSED');
    assert.equal((await call(e, 'POST', `${ORDERS}/${nos[0]}/close`, a.auth)).body.state, 'CLOSED', 'closing again is fine');

    const page1 = await call(e, 'GET', `${ORDERS}?limit=2`, a.auth);
    const p1 = page1.body as unknown as { orders: { outTradeNo: string }[]; nextCursor: string | null };
    assert.deepEqual(p1.orders.map((o) => o.outTradeNo), [nos[2], nos[1]]);
    assert.ok(p1.nextCursor);
    const p2 = (await call(e, 'GET', `${ORDERS}?limit=2&cursor=${p1.nextCursor}`, a.auth)).body as unknown as typeof p1;
    assert.deepEqual(p2.orders.map((o) => o.outTradeNo), [nos[0]]);
    assert.equal(p2.nextCursor, null);
    const onlyClosed = (await call(e, 'GET', `${ORDERS}?state=CLOSED`, a.auth)).body as unknown as typeof p1;
    assert.deepEqual(onlyClosed.orders.map((o) => o.outTradeNo), [nos[0]]);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    assert.deepEqual(((await call(e, 'GET', `${ORDERS}?from=${future}`, a.auth)).body as unknown as typeof p1).orders, []);
    assert.equal((await call(e, 'GET', `${ORDERS}?state=NOPE`, a.auth)).status, 400);
  });

  it("another merchant's key cannot read, close, refund or list A's orders, nor touch A's webhooks", async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const b = await createApiMerchant(e);
    const no = tradeNo();
    const sharedKey = `same-${randomString(8)}`;
    assert.equal((await call(e, 'POST', ORDERS, { ...a.auth, 'idempotency-key': sharedKey }, { outTradeNo: no, description: 'A', amount: 100, method: 'native' })).status, 201);
    const hook = await call(e, 'POST', '/api/v1/merchant/webhooks', a.auth, { url: 'https://a.example/hooks' });

    const get = await call(e, 'GET', `${ORDERS}/${no}`, b.auth);
    assert.deepEqual([get.status, get.body.error?.details?.reason], [404, 'ORDER_NOT_EXIST']);
    assert.equal((await call(e, 'POST', `${ORDERS}/${no}/close`, b.auth)).status, 404);
    assert.equal((await call(e, 'POST', `${ORDERS}/${no}/refunds`, b.auth, { outRefundNo: `R${randomString(10)}`, amount: 1 })).status, 404);
    assert.deepEqual((await call(e, 'GET', ORDERS, b.auth)).body.orders, []);
    const aFirstId = String(((await call(e, 'GET', ORDERS, a.auth)).body.orders as { id: string }[])[0]?.id);
    assert.deepEqual((await call(e, 'GET', `${ORDERS}?cursor=${aFirstId}`, b.auth)).body.orders, [], "A's cursor shows B nothing");
    // Idempotency keys are per org: B's use of the same key is its own request.
    const bOrder = await call(e, 'POST', ORDERS, { ...b.auth, 'idempotency-key': sharedKey }, { outTradeNo: no, description: 'B', amount: 200, method: 'native' });
    assert.equal(bOrder.status, 201, bOrder.raw);
    assert.equal(bOrder.body.description, 'B');

    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/webhooks', b.auth)).body, []);
    const hookId = String(hook.body.id);
    assert.equal((await call(e, 'DELETE', `/api/v1/merchant/webhooks/${hookId}`, b.auth)).status, 404);
    assert.equal((await call(e, 'POST', `/api/v1/merchant/webhooks/${hookId}/rotate-secret`, b.auth)).status, 404);
    assert.equal((await call(e, 'PATCH', `/api/v1/merchant/webhooks/${hookId}`, b.auth, { enabled: false })).status, 404);
    const aHooks = (await call(e, 'GET', '/api/v1/merchant/webhooks', a.auth)).body as unknown as { enabled: boolean }[];
    assert.deepEqual(aHooks.map((h) => h.enabled), [true]);
    assert.equal((await call(e, 'GET', `${ORDERS}/${no}`, a.auth)).body.state, 'NOTPAY');
  });

  it('idempotency store: a running key blocks its duplicate, reuse is refused, answers replay, expired and abandoned keys free up', async () => {
    const e = env();
    const { orgId } = await createMerchant(e);
    const other = await createMerchant(e);
    const store = e.platform.services.idempotency;
    const db = e.platform.handle.db;
    const fp = requestFingerprint('POST', '/x', { b: 1, a: [1, { d: 2, c: 3 }] });
    assert.equal(fp, requestFingerprint('post', '/x', { a: [1, { c: 3, d: 2 }], b: 1 }), 'key order does not matter');
    assert.notEqual(fp, requestFingerprint('POST', '/y', { b: 1, a: [1, { d: 2, c: 3 }] }));
    assert.deepEqual(await store.claim(orgId, 'k1', fp), { kind: 'claimed' });
    assert.deepEqual(await store.claim(orgId, 'k1', fp), { kind: 'running' }, 'a duplicate while the first runs does not execute');
    assert.deepEqual(await store.claim(orgId, 'k1', 'other'), { kind: 'reused' });
    assert.deepEqual(await store.claim(other.orgId, 'k1', 'other'), { kind: 'claimed' }, 'keys are per org');
    await store.complete(orgId, 'k1', 201, '{"id":"x"}');
    assert.deepEqual(await store.claim(orgId, 'k1', fp), { kind: 'replay', status: 201, body: '{"id":"x"}' });
    // Expired: purged on the next use, and the key is free again.
    await db.updateTable('idempotency_keys').set({ expires_at: new Date(Date.now() - 1000) }).where('org_id', '=', orgId).where('key', '=', 'k1').execute();
    assert.deepEqual(await store.claim(orgId, 'k1', 'new'), { kind: 'claimed' });
    // Abandoned (a crashed request): a retry takes the key over after two minutes, not before.
    assert.deepEqual(await store.claim(orgId, 'k1', 'new'), { kind: 'running' });
    await db.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - 3 * 60_000) }).where('org_id', '=', orgId).where('key', '=', 'k1').execute();
    assert.deepEqual(await store.claim(orgId, 'k1', 'new'), { kind: 'claimed' });
  });

  it('refuses bad input with a typed 400 and creates nothing', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const { openid } = await createPayer(e, a.appid, 0n);
    const good = { outTradeNo: tradeNo(), description: 'x', amount: 100, method: 'native' };
    const bad: Record<string, unknown>[] = [
      {},
      { ...good, outTradeNo: undefined },
      { ...good, description: undefined },
      { ...good, amount: 0 },
      { ...good, amount: 1.5 },
      { ...good, amount: '100' },
      { ...good, method: 'bitcoin' },
      { ...good, method: 'jsapi' },
      { ...good, outTradeNo: 'bad no!' },
      { ...good, expiresAt: 'tomorrow' },
      { ...good, method: 'jsapi', payerOpenid: openid, insurance: { amount: 100 } },
      { ...good, method: 'jsapi', payerOpenid: openid, insurance: { amount: 0 } },
    ];
    for (const body of bad) {
      const r = await call(e, 'POST', ORDERS, { ...a.auth, 'idempotency-key': `bad-${randomString(8)}` }, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.raw}`);
      assert.equal(r.body.error?.code, 'invalid_argument');
    }
    const semantic = [
      { ...good, method: 'jsapi', payerOpenid: 'o_not_a_follower_xxxxxxxxxxxxx' },
      { ...good, appid: 'wx0000000000000000' },
      { ...good, insurance: { amount: 10 } },
      { ...good, expiresAt: new Date(Date.now() - 60_000).toISOString() },
    ];
    for (const body of semantic) {
      const r = await call(e, 'POST', ORDERS, a.auth, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.raw}`);
      assert.equal(r.body.error?.code, 'invalid_argument');
    }
    assert.equal((await call(e, 'POST', ORDERS, { ...a.auth, 'idempotency-key': '' }, good)).status, 400);
    assert.equal(await orderCount(e, a.mchId), 0);
    // A merchant without a pay account gets a clear 404.
    const noPay = await createMerchant(e);
    const r = await call(e, 'POST', ORDERS, noPay.headers, good);
    assert.equal(r.status, 404);
    assert.match(r.body.error?.message ?? '', /pay merchant account/);
  });
}, { background: true });
