import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { sql } from 'kysely';
import { makeContext } from '../../platform/context.ts';
import { randomString } from '../../platform/ids.ts';
import { createAccount, createConsumer, createMerchant, follow } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { aeadDecrypt } from '../../wire/wechatpay/aead.ts';

/**
 * The merchant's notify URL is down for a while (first answering 503, then not listening at all);
 * after it comes back every payment notification is delivered, each order is acknowledged by the
 * merchant exactly once, nothing is sent after an acknowledgement, and every attempt is logged.
 */
type Mode = 'error' | 'ok';

/** A merchant notify endpoint that can answer 503, go away entirely, and come back on the same port. */
function merchant(apiV3Key: string) {
  let mode: Mode = 'error';
  const received: { transactionId: string; answered: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const n = JSON.parse(body) as { resource: { ciphertext: string; nonce: string; associated_data: string } };
      const tx = JSON.parse(aeadDecrypt(n.resource.ciphertext, apiV3Key, n.resource.nonce, n.resource.associated_data)) as { transaction_id: string };
      const status = mode === 'ok' ? 200 : 503;
      received.push({ transactionId: tx.transaction_id, answered: status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '' : '{"code":"FAIL","message":"down"}');
    });
  });
  let port = 0;
  return {
    received,
    setMode: (m: Mode) => (mode = m),
    url: () => `http://127.0.0.1:${port}/notify`,
    listen: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => ((port = (server.address() as AddressInfo).port), r()))),
    close: () =>
      new Promise<void>((r) => {
        if (!server.listening) return r();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Time passes for the outbox: every pending row is due now (the retry schedule is minutes to hours). */
async function nextRetryRound(e: TestEnv) {
  await sql`update outbox set next_attempt_at = now() where status = 'pending'`.execute(e.platform.handle.db);
  await e.platform.worker.drain();
}

describeOnBothDbs('Pay notifications through a merchant outage', (env) => {
  it('delivers every notification once the merchant is back, acknowledged exactly once per order', async () => {
    const e = env();
    const { services } = e.platform;
    const m = await createMerchant(e);
    const account = await createAccount(e, m);
    const pay = await services.payMerchants.create(m.ctx, { appid: account.appid });
    const secrets = await services.payMerchants.byMchId(pay.mchId);
    assert.ok(secrets);
    const stub = merchant(pay.apiV3Key);
    await stub.listen();
    try {
      const appCtx = makeContext({ kind: 'app', orgId: m.orgId, accountId: account.id });
      const paid: string[] = [];
      for (let i = 0; i < 6; i++) {
        const c = await createConsumer(e);
        const openid = await follow(e, c, account);
        const card = await services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
        await services.wallet.topUp(c.ctx, { cardId: card.id, amount: 10_000n });
        await services.wallet.setPin(c.ctx, { pin: '135790' });
        const { order } = await services.payments.create(appCtx, secrets.merchant, {
          tradeType: 'JSAPI', appid: account.appid, mchid: pay.mchId, description: `订单 ${i}`, outTradeNo: `OUT${randomString(10)}`,
          notifyUrl: stub.url(), total: 500n + BigInt(i), currency: 'CNY', payerOpenid: openid,
        });
        paid.push((await services.payer.payByPrepay(c.ctx, order.prepay_id ?? '', '135790')).transaction_id);
      }
      const db = e.platform.handle.db;
      const rows = () => db.selectFrom('outbox').select(['id', 'status', 'attempts']).where('kind', '=', 'pay.notify.v3').where('tenant_id', '=', m.orgId).orderBy('id').execute();

      // Down, answering 503: the first attempt of each fails and is scheduled again.
      await e.platform.worker.drain();
      assert.equal(stub.received.length, 6);
      // Down, not even listening: two more rounds fail with a connection error.
      await stub.close();
      await nextRetryRound(e);
      await nextRetryRound(e);
      assert.ok((await rows()).every((r) => r.status === 'pending' && r.attempts === 3));
      // Back up: the next round delivers everything.
      stub.setMode('ok');
      await stub.listen();
      await nextRetryRound(e);
      const after = await rows();
      assert.equal(after.length, 6);
      assert.ok(after.every((r) => r.status === 'done' && r.attempts === 4), JSON.stringify(after, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
      // More time passing sends nothing more.
      await nextRetryRound(e);
      await nextRetryRound(e);
      const acknowledged = stub.received.filter((r) => r.answered === 200).map((r) => r.transactionId);
      assert.deepEqual([...acknowledged].sort(), [...paid].sort(), 'each paid order acknowledged exactly once');
      assert.equal(stub.received.length, 12, '6 refused while answering 503, 6 acknowledged');
      // Every attempt is in the delivery log: 1 × 503, 2 × connection refused, 1 × 200 per order.
      const attempts = await db.selectFrom('delivery_attempts').select(['outbox_id', 'attempt', 'outcome', 'response_status', 'error']).where('kind', '=', 'pay.notify.v3').where('tenant_id', '=', m.orgId).orderBy('outbox_id').orderBy('attempt').execute();
      assert.equal(attempts.length, 24);
      for (const row of after) {
        const mine = attempts.filter((a) => a.outbox_id === row.id);
        assert.deepEqual(mine.map((a) => [a.attempt, a.outcome, a.response_status]), [[1, 'failure', 503], [2, 'failure', null], [3, 'failure', null], [4, 'success', 200]]);
        assert.ok(mine[1]?.error);
      }
    } finally {
      await stub.close();
    }
  });
});
