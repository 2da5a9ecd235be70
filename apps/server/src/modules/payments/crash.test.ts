import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { makeContext } from '../../platform/context.ts';
import { POSTGRES_AVAILABLE, TEST_POSTGRES_URL, startTestEnv } from '../../testing/harness.ts';

/**
 * kill -9 during a payment burst: a child platform serves consumers paying JSAPI orders with their PIN
 * over HTTP; it is SIGKILLed after the first few payments are acknowledged. On restart every order is
 * either fully paid (SUCCESS, its balanced `pay.success` ledger movement, its notification outbox row,
 * its receipt in the thread) or not paid at all (NOTPAY, none of those) — and every acknowledged
 * payment is among the paid ones.
 */
const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), '../../testing/pay-burst-child.ts');
const ORDERS = 60;

interface Setup { baseUrl: string; orgId: string; orders: { orderId: string; prepayId: string; consumerId: string; token: string; total: string }[] }

async function burstAndKill(kind: 'pglite' | 'postgres', where: string): Promise<{ setup: Setup; acknowledged: Set<string> }> {
  const child = spawn(process.execPath, [CHILD, kind, where, String(ORDERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const setup = await new Promise<Setup>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as Setup);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code} before setup`)));
  });
  const acknowledged = new Set<string>();
  let killed = false;
  await Promise.all(
    setup.orders.map(async (o) => {
      try {
        const res = await fetch(`${setup.baseUrl}/api/v1/pay/prepay/${o.prepayId}/pay`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.token}`, 'x-lianjie-session-kind': 'consumer', 'content-type': 'application/json' },
          body: JSON.stringify({ pin: '135790' }),
        });
        if (res.status === 200) acknowledged.add(o.orderId);
        if (acknowledged.size >= 5 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      } catch {
        // the connection died with the server: this payment may or may not have committed
      }
    }),
  );
  if (!killed) child.kill('SIGKILL');
  await exited;
  assert.equal(child.signalCode, 'SIGKILL');
  return { setup, acknowledged };
}

async function checkAllOrNothing(kind: 'pglite' | 'postgres', where: string, setup: Setup, acknowledged: Set<string>) {
  const env = await startTestEnv(kind, kind === 'pglite' ? { pgliteDir: where } : { schema: where });
  try {
    const db = env.platform.handle.db;
    let paid = 0;
    for (const o of setup.orders) {
      const order = await db.selectFrom('pay_orders').selectAll().where('id', '=', o.orderId).executeTakeFirstOrThrow();
      const tx = await db.selectFrom('ledger_transactions').select('id').where('kind', '=', 'pay.success').where('reference', '=', o.orderId).executeTakeFirst();
      const notify = await db.selectFrom('outbox').select('id').where('kind', '=', 'pay.notify.v3').where('dedupe_key', '=', `pay.notify.v3:${o.orderId}`).executeTakeFirst();
      const receipts = await db.selectFrom('messages').select('content').where('consumer_id', '=', o.consumerId).where('source', '=', 'system').execute();
      const receipt = receipts.some((r) => JSON.stringify(r.content).includes(order.transaction_id));
      if (order.state === 'SUCCESS') {
        paid++;
        assert.ok(tx, `paid order ${o.orderId} has its ledger movement`);
        const entries = await db.selectFrom('ledger_entries').select('amount').where('transaction_id', '=', tx.id).execute();
        assert.equal(entries.reduce((s, e) => s + e.amount, 0n), 0n);
        assert.ok(entries.some((e) => e.amount === BigInt(o.total)), 'the merchant got the order total');
        assert.ok(notify, `paid order ${o.orderId} has its notification queued`);
        assert.ok(receipt, `paid order ${o.orderId} has its receipt`);
      } else {
        assert.equal(order.state, 'NOTPAY');
        assert.equal(tx, undefined, `unpaid order ${o.orderId} moved no money`);
        assert.equal(notify, undefined, `unpaid order ${o.orderId} queued no notification`);
        assert.equal(receipt, false);
        assert.ok(!acknowledged.has(o.orderId), `an acknowledged payment (${o.orderId}) was lost`);
      }
    }
    assert.ok(paid >= acknowledged.size && paid >= 5, `at least the acknowledged payments are paid (${paid})`);
    assert.ok(paid < ORDERS, `the kill came during the burst (${paid} of ${ORDERS} paid)`);
    const report = await env.platform.services.ledger.verify();
    assert.deepEqual(report, { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
    // The platform keeps working after the crash: an unpaid order can still be paid.
    const states = await db.selectFrom('pay_orders').select(['id', 'state']).where('state', '=', 'NOTPAY').execute();
    const unpaid = setup.orders.find((o) => states.some((s) => s.id === o.orderId));
    assert.ok(unpaid);
    const after = await env.platform.services.payer.payByPrepay(makeContext({ kind: 'consumer', consumerId: unpaid.consumerId }), unpaid.prepayId, '135790');
    assert.equal(after.state, 'SUCCESS');
  } finally {
    await env.close();
  }
}

describe('payments survive kill -9 during a burst', { timeout: 240_000 }, () => {
  it('on PGlite (data dir on disk)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-crash-'));
    try {
      const where = path.join(dir, 'db');
      const { setup, acknowledged } = await burstAndKill('pglite', where);
      await checkAllOrNothing('pglite', where, setup, acknowledged);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL', { skip: !POSTGRES_AVAILABLE && process.env.REQUIRE_POSTGRES !== '1' ? 'PostgreSQL not reachable' : false }, async () => {
    const schema = `t_crash_${randomBytes(5).toString('hex')}`;
    try {
      const { setup, acknowledged } = await burstAndKill('postgres', schema);
      await checkAllOrNothing('postgres', schema, setup, acknowledged);
    } finally {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  });
});
