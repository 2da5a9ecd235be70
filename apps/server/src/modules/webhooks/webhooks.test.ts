import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, payByPrepay } from '../../testing/pay.ts';
import { randomString } from '../../platform/ids.ts';
import { call, createApiMerchant, type ApiMerchant } from '../merchantapi/test-helpers.ts';
import { WEBHOOK_DELIVERY } from './delivery.ts';
import { verifyWebhook } from './signing.ts';
import { startWebhookStub } from './webhook-stub.ts';

const HOOKS = '/api/v1/merchant/webhooks';

/** Creates and pays one JSAPI order through the API; returns its outTradeNo. */
async function paidOrder(e: TestEnv, a: ApiMerchant): Promise<string> {
  const { c, openid } = await createPayer(e, a.appid, 10_000n);
  const outTradeNo = `W${randomString(12)}`;
  const o = await call(e, 'POST', '/api/v1/merchant/pay/orders', a.auth, { outTradeNo, description: 'x', amount: 300, method: 'jsapi', payerOpenid: openid });
  assert.equal(o.status, 201, o.raw);
  const paid = await payByPrepay(e, c, String(o.body.prepayId));
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  return outTradeNo;
}

/** Time travel: every pending delivery is due now (instead of waiting out the 15 s retry delay). */
const makeDue = (e: TestEnv) => e.platform.handle.db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('status', '=', 'pending').where('kind', '=', WEBHOOK_DELIVERY).execute();

describeOnBothDbs('Webhooks', (env) => {
  it('endpoints: create shows the secret once, list hides it, update, rotate, delete; bad input is a typed 400', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const created = await call(e, 'POST', HOOKS, a.auth, { url: 'https://merchant.example/hooks', events: ['payment.succeeded'], description: 'orders' });
    assert.equal(created.status, 201, created.raw);
    assert.match(String(created.body.secret), /^whsec_[A-Za-z0-9]{40}$/);
    assert.deepEqual(created.body.events, ['payment.succeeded']);
    const all = await call(e, 'POST', HOOKS, a.m.headers, { url: 'http://127.0.0.1:9/x' });
    assert.deepEqual(all.body.events, ['*'], 'a merchant session works too; no events means all');
    const list = await call(e, 'GET', HOOKS, a.auth);
    assert.equal((list.body as unknown as unknown[]).length, 2);
    assert.ok(!list.raw.includes('whsec_'), 'secrets are never listed');
    const id = String(created.body.id);
    const patched = await call(e, 'PATCH', `${HOOKS}/${id}`, a.auth, { enabled: false, events: ['refund.succeeded', 'payment.succeeded'] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.enabled, false);
    assert.deepEqual(patched.body.events, ['refund.succeeded', 'payment.succeeded']);
    const rotated = await call(e, 'POST', `${HOOKS}/${id}/rotate-secret`, a.auth);
    assert.match(String(rotated.body.secret), /^whsec_/);
    assert.notEqual(rotated.body.secret, created.body.secret);

    for (const body of [{}, { url: 'not a url' }, { url: 'ftp://merchant.example/x' }, { url: 'https://u:p@merchant.example/' }, { url: 'https://merchant.example/', events: ['order.exploded'] }]) {
      const r = await call(e, 'POST', HOOKS, a.auth, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.raw}`);
      assert.equal(r.body.error?.code, 'invalid_argument');
    }
    assert.equal((await call(e, 'PATCH', `${HOOKS}/${id}`, a.auth, { url: 'javascript:alert(1)' })).status, 400);
    assert.equal((await call(e, 'GET', HOOKS, a.auth)).body.length, 2, 'nothing created by bad input');
    assert.equal((await call(e, 'DELETE', `${HOOKS}/${id}`, a.auth)).status, 200);
    assert.equal((await call(e, 'DELETE', `${HOOKS}/${id}`, a.auth)).status, 404);
    assert.equal((await call(e, 'GET', HOOKS, {})).status, 401);
  });

  it('fans out per endpoint: a down endpoint is retried on its own until it is up; the others get the event once; filters and disabled respected', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const up = await startWebhookStub(200);
    const flaky = await startWebhookStub(503);
    const refundsOnly = await startWebhookStub(200);
    const disabled = await startWebhookStub(200);
    try {
      const secrets: Record<string, string> = {};
      for (const [stub, events, name] of [[up, undefined, 'up'], [flaky, ['payment.succeeded'], 'flaky'], [refundsOnly, ['refund.succeeded'], 'refundsOnly'], [disabled, undefined, 'disabled']] as const) {
        const r = await call(e, 'POST', HOOKS, a.auth, { url: stub.url, ...(events ? { events } : {}) });
        secrets[name] = String(r.body.secret);
        if (name === 'disabled') await call(e, 'PATCH', `${HOOKS}/${String(r.body.id)}`, a.auth, { enabled: false });
      }
      const outTradeNo = await paidOrder(e, a);
      await e.platform.worker.drain();
      assert.equal(up.got.length, 1);
      assert.equal(flaky.got.length, 1, 'tried once, answered 503');
      assert.equal(refundsOnly.got.length, 0, 'not subscribed to payments');
      assert.equal(disabled.got.length, 0, 'disabled');
      const eventId = String(up.got[0]!.headers['lianjie-event-id']);
      assert.ok(verifyWebhook(secrets.up!, String(up.got[0]!.headers['lianjie-signature']), up.got[0]!.body));
      assert.ok(verifyWebhook(secrets.flaky!, String(flaky.got[0]!.headers['lianjie-signature']), flaky.got[0]!.body));

      // Still down at the next attempt (the 15 s delay skipped by time travel), then up.
      await makeDue(e);
      await e.platform.worker.drain();
      assert.equal(flaky.got.length, 2);
      flaky.status = 204;
      await makeDue(e);
      await e.platform.worker.drain();
      assert.equal(flaky.got.length, 3);
      assert.equal(flaky.got[2]!.body, flaky.got[0]!.body, 'every retry carries the same event bytes');
      assert.equal(flaky.got[2]!.headers['lianjie-event-id'], eventId);
      assert.ok(verifyWebhook(secrets.flaky!, String(flaky.got[2]!.headers['lianjie-signature']), flaky.got[2]!.body));
      assert.equal(up.got.length, 1, 'the healthy endpoint was never re-sent the event');
      await makeDue(e);
      await e.platform.worker.drain();
      assert.equal(flaky.got.length, 3, 'done after the 2xx');

      const rows = await e.platform.handle.db.selectFrom('outbox').select(['id', 'status', 'attempts']).where('kind', '=', WEBHOOK_DELIVERY).where('tenant_id', '=', a.m.orgId).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => [r.status, r.attempts]), [['done', 1], ['done', 3]]);
      const attempts = await e.platform.handle.db.selectFrom('delivery_attempts').select(['outbox_id', 'attempt', 'outcome', 'response_status']).where('outbox_id', '=', rows[1]!.id).orderBy('attempt').execute();
      assert.deepEqual(attempts.map((x) => [x.attempt, x.outcome, x.response_status]), [[1, 'failure', 503], [2, 'failure', 503], [3, 'success', 204]]);

      // A refund reaches the refund subscribers (and the all-events one), not the payments-only one.
      const refund = await call(e, 'POST', `/api/v1/merchant/pay/orders/${outTradeNo}/refunds`, a.auth, { outRefundNo: `R${randomString(10)}`, amount: 300 });
      assert.equal(refund.status, 201, refund.raw);
      await e.platform.worker.drain();
      assert.deepEqual([up.got.length, flaky.got.length, refundsOnly.got.length, disabled.got.length], [2, 3, 1, 0]);
      assert.equal((JSON.parse(refundsOnly.got[0]!.body) as { type: string }).type, 'refund.succeeded');
      assert.ok(verifyWebhook(secrets.refundsOnly!, String(refundsOnly.got[0]!.headers['lianjie-signature']), refundsOnly.got[0]!.body));
    } finally {
      await Promise.all([up, flaky, refundsOnly, disabled].map((s) => s.close()));
    }
  });

  it('a retry after a secret rotation is signed with the new secret; a deleted endpoint stops its retries', async () => {
    const e = env();
    const a = await createApiMerchant(e);
    const stub = await startWebhookStub(500);
    const gone = await startWebhookStub(500);
    try {
      const hook = await call(e, 'POST', HOOKS, a.auth, { url: stub.url });
      const goneHook = await call(e, 'POST', HOOKS, a.auth, { url: gone.url });
      await paidOrder(e, a);
      await e.platform.worker.drain();
      assert.equal(stub.got.length, 1);
      const rotated = await call(e, 'POST', `${HOOKS}/${String(hook.body.id)}/rotate-secret`, a.auth);
      assert.equal((await call(e, 'DELETE', `${HOOKS}/${String(goneHook.body.id)}`, a.auth)).status, 200);
      stub.status = 200;
      await makeDue(e);
      await e.platform.worker.drain();
      assert.equal(stub.got.length, 2);
      const last = stub.got[1]!;
      assert.ok(verifyWebhook(String(rotated.body.secret), String(last.headers['lianjie-signature']), last.body));
      assert.ok(!verifyWebhook(String(hook.body.secret), String(last.headers['lianjie-signature']), last.body));
      assert.equal(gone.got.length, 1, 'no retry to a deleted endpoint');
      const dead = await e.platform.handle.db.selectFrom('outbox').select(['status', 'last_error']).where('kind', '=', WEBHOOK_DELIVERY).where('status', '=', 'dead').execute();
      assert.deepEqual(dead.map((d) => d.last_error), ['endpoint deleted']);
    } finally {
      await stub.close();
      await gone.close();
    }
  });
}, { background: true });
