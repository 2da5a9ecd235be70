import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer, type TestConsumer } from '../../testing/factories.ts';
import { luhnValid } from './cards.ts';

const VISA = '4111 1111 1111 1111';

async function call(env: TestEnv, who: TestConsumer | undefined, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, extra: Record<string, string> = {}) {
  const res = await env.app.inject({
    method,
    url,
    headers: { ...(who?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } } };
}

async function consumerWithCard(env: TestEnv) {
  const c = await createConsumer(env);
  const card = await call(env, c, 'POST', '/api/v1/wallet/cards', { number: VISA, bank: 'ICBC' });
  assert.equal(card.status, 201, JSON.stringify(card.body));
  return { c, cardId: card.body.id as string };
}

const balanceOf = async (env: TestEnv, c: TestConsumer) => (await call(env, c, 'GET', '/api/v1/wallet')).body.balance;

describeOnBothDbs('wallet', (env) => {
  it('adds cards only with a Luhn-valid number and keeps only the last four digits', async () => {
    const e = env();
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    const c = await createConsumer(e);
    for (const number of ['4111111111111112', '1234', 'abcd efgh ijkl mnop']) {
      const bad = await call(e, c, 'POST', '/api/v1/wallet/cards', { number, bank: 'ICBC' });
      assert.equal(bad.status, 400);
    }
    const ok = await call(e, c, 'POST', '/api/v1/wallet/cards', { number: VISA, bank: 'ICBC' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.last4, '1111');
    const cards = await call(e, c, 'GET', '/api/v1/wallet/cards');
    assert.deepEqual((cards.body as unknown as { last4: string }[]).map((x) => x.last4), ['1111']);
    const stored = await e.platform.handle.db.selectFrom('wallet_cards').selectAll().where('consumer_id', '=', c.id).execute();
    assert.equal(JSON.stringify(stored).includes('4111111111111111'), false);
  });

  it('tops up, withdraws (NOT_ENOUGH when short, nothing moved) and shows receipts', async () => {
    const e = env();
    const { c, cardId } = await consumerWithCard(e);
    const top = await call(e, c, 'POST', '/api/v1/wallet/topups', { cardId, amount: 12_345 });
    assert.equal(top.status, 201);
    assert.equal(top.body.balance, 12_345);
    const out = await call(e, c, 'POST', '/api/v1/wallet/withdrawals', { cardId, amount: 2_345 });
    assert.equal(out.status, 201);
    assert.equal(out.body.balance, 10_000);
    const short = await call(e, c, 'POST', '/api/v1/wallet/withdrawals', { cardId, amount: 10_001 });
    assert.equal(short.status, 412);
    assert.equal(short.body.error?.details?.reason, 'NOT_ENOUGH');
    assert.equal(await balanceOf(e, c), 10_000);
    for (const amount of [0, -5, 5_000_001, 1.5]) assert.equal((await call(e, c, 'POST', '/api/v1/wallet/topups', { cardId, amount })).status, 400);
    const history = await call(e, c, 'GET', '/api/v1/wallet/transactions');
    const lines = history.body as unknown as { id: string; kind: string; amount: number; counterparty: string; reference: string }[];
    assert.deepEqual(lines.map((l) => [l.kind, l.amount, l.counterparty]), [['wallet.withdraw', -2_345, 'ICBC (1111)'], ['wallet.topup', 12_345, 'ICBC (1111)']]);
    assert.equal(lines[0]!.reference, out.body.id);
    const older = await call(e, c, 'GET', `/api/v1/wallet/transactions?before=${lines[0]!.id}`);
    assert.deepEqual((older.body as unknown as { kind: string }[]).map((l) => l.kind), ['wallet.topup']);
  });

  it('an Idempotency-Key repeats the first top-up and refuses another body', async () => {
    const e = env();
    const { c, cardId } = await consumerWithCard(e);
    const key = { 'idempotency-key': 'k-1' };
    const [a, b] = await Promise.all([
      call(e, c, 'POST', '/api/v1/wallet/topups', { cardId, amount: 500 }, key),
      call(e, c, 'POST', '/api/v1/wallet/topups', { cardId, amount: 500 }, key),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal(a.body.id, b.body.id);
    assert.equal(await balanceOf(e, c), 500);
    assert.equal((await call(e, c, 'POST', '/api/v1/wallet/topups', { cardId, amount: 600 }, key)).status, 409);
    // The same key of another consumer is theirs alone.
    const other = await consumerWithCard(e);
    const theirs = await call(e, other.c, 'POST', '/api/v1/wallet/topups', { cardId: other.cardId, amount: 700 }, key);
    assert.equal(theirs.status, 201);
    assert.equal(await balanceOf(e, c), 500);
  });

  it('keeps each consumer’s wallet, cards and history to themselves', async () => {
    const e = env();
    const alice = await consumerWithCard(e);
    const bob = await createConsumer(e);
    await call(e, alice.c, 'POST', '/api/v1/wallet/topups', { cardId: alice.cardId, amount: 900 });
    assert.equal((await call(e, bob, 'POST', '/api/v1/wallet/topups', { cardId: alice.cardId, amount: 100 })).status, 404);
    assert.equal((await call(e, bob, 'POST', '/api/v1/wallet/withdrawals', { cardId: alice.cardId, amount: 100 })).status, 404);
    assert.deepEqual((await call(e, bob, 'GET', '/api/v1/wallet/cards')).body, []);
    assert.deepEqual((await call(e, bob, 'GET', '/api/v1/wallet/transactions')).body, []);
    assert.equal(await balanceOf(e, bob), 0);
    assert.equal(await balanceOf(e, alice.c), 900);
    for (const [method, url] of [['GET', '/api/v1/wallet'], ['GET', '/api/v1/wallet/cards'], ['GET', '/api/v1/wallet/transactions']] as const) {
      assert.equal((await call(e, undefined, method, url)).status, 401);
    }
  });

  it('sets a 6-digit PIN, needs the current one to change it, and locks payments after 5 wrong tries', async () => {
    const e = env();
    const c = await createConsumer(e);
    const { wallet } = e.platform.services;
    assert.equal((await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '12345' })).status, 400);
    assert.equal((await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '135790' })).status, 200);
    assert.equal((await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '246801' })).status, 412);
    const db = e.platform.handle.db;
    const check = (pin: string) => db.transaction().execute((tx) => wallet.checkPin(tx, c.id, pin));
    assert.deepEqual(await check('000000'), { ok: false, reason: 'PIN_WRONG', triesLeft: 4 });
    assert.deepEqual(await check('135790'), { ok: true });
    for (let i = 4; i >= 1; i--) assert.deepEqual(await check('000000'), { ok: false, reason: 'PIN_WRONG', triesLeft: i });
    const locked = await check('000000');
    assert.equal(locked.ok === false && locked.reason, 'PIN_LOCKED');
    const unlockAt = locked.ok === false && locked.reason === 'PIN_LOCKED' ? locked.unlockAt.getTime() : 0;
    assert.ok(Math.abs(unlockAt - (Date.now() + 15 * 60_000)) < 10_000);
    // Locked: even the right PIN is refused, through the service's typed error and the PIN route.
    await assert.rejects(wallet.verifyPin(c.ctx, '135790'), (err: { code: string; details: { unlockAt: string } }) => err.code === 'rate_limited' && Date.parse(err.details.unlockAt) === unlockAt);
    const change = await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '246801', currentPin: '135790' });
    assert.equal(change.status, 429);
    assert.ok((await call(e, c, 'GET', '/api/v1/wallet')).body.pinLockedUntil);
    // When the lock ends the right PIN works again and starts a fresh count.
    await db.updateTable('wallet_pins').set({ locked_until: new Date(Date.now() - 1000) }).where('consumer_id', '=', c.id).execute();
    assert.deepEqual(await check('135790'), { ok: true });
    assert.equal((await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '246801', currentPin: '135790' })).status, 200);
    assert.deepEqual(await check('246801'), { ok: true });
    // A PIN checked before the transaction counts only against the hash it was checked with: after a PIN
    // change the stale "right" is verified again (and is wrong), and a precheck never counts for another consumer.
    const stale = await wallet.precheckPin(c.id, '246801');
    assert.equal(stale?.right, true);
    assert.equal((await call(e, c, 'PUT', '/api/v1/wallet/pin', { pin: '975310', currentPin: '246801' })).status, 200);
    const withStale = (pin: string, pre: Awaited<ReturnType<typeof wallet.precheckPin>>) => db.transaction().execute((tx) => wallet.checkPin(tx, c.id, pin, pre));
    assert.deepEqual(await withStale('246801', stale), { ok: false, reason: 'PIN_WRONG', triesLeft: 4 });
    assert.deepEqual(await withStale('975310', await wallet.precheckPin(c.id, '975310')), { ok: true });
    assert.deepEqual(await withStale('000000', await wallet.precheckPin(c.id, '000000')), { ok: false, reason: 'PIN_WRONG', triesLeft: 4 });
    // Another consumer's PIN is not this one's.
    const other = await createConsumer(e);
    assert.deepEqual(await db.transaction().execute((tx) => wallet.checkPin(tx, other.id, '246801')), { ok: false, reason: 'PIN_NOT_SET' });
    await call(e, other, 'PUT', '/api/v1/wallet/pin', { pin: '111111' });
    const mine = await wallet.precheckPin(c.id, '975310');
    assert.deepEqual(await db.transaction().execute((tx) => wallet.checkPin(tx, other.id, '975310', mine)), { ok: false, reason: 'PIN_WRONG', triesLeft: 4 });
  });
});
