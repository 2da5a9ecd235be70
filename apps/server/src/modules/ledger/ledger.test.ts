import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer } from '../../testing/factories.ts';
import { isAppError } from '../../platform/errors.ts';
import { isNotEnough, type LedgerEntryInput } from './service.ts';

async function wallets(env: TestEnv, n: number): Promise<string[]> {
  const { ledger } = env.platform.services;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await createConsumer(env);
    ids.push((await env.platform.handle.db.transaction().execute((tx) => ledger.account(tx, 'consumer_wallet', c.id))).id);
  }
  return ids;
}

const post = (env: TestEnv, kind: string, reference: string, entries: LedgerEntryInput[]) =>
  env.platform.handle.db.transaction().execute((tx) => env.platform.services.ledger.post(tx, { kind, reference, entries }));

const fund = (env: TestEnv, walletId: string, amount: bigint, reference = randomUUID()) =>
  post(env, 'test.fund', reference, [
    { accountId: 'la_bank', amount: -amount },
    { accountId: walletId, amount },
  ]);

const entriesOfTx = async (env: TestEnv, kind: string, reference: string) => {
  const rows = await env.platform.handle.db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
    .select('e.amount')
    .where('t.kind', '=', kind)
    .where('t.reference', '=', reference)
    .execute();
  return rows.length;
};

export async function assertLedgerSound(env: TestEnv): Promise<void> {
  const report = await env.platform.services.ledger.verify();
  assert.deepEqual(report, { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
}

describeOnBothDbs('ledger', (env) => {
  it('refuses empty, unbalanced, zero and non-bigint entries, writing nothing', async () => {
    const e = env();
    const [a] = await wallets(e, 1);
    const cases: { entries: LedgerEntryInput[]; message: RegExp }[] = [
      { entries: [], message: /needs entries/ },
      { entries: [{ accountId: 'la_bank', amount: -5n }, { accountId: a!, amount: 4n }], message: /sum to zero/ },
      { entries: [{ accountId: 'la_bank', amount: 0n }, { accountId: a!, amount: 0n }], message: /cannot be zero/ },
      { entries: [{ accountId: 'la_bank', amount: -5 as unknown as bigint }, { accountId: a!, amount: 5 as unknown as bigint }], message: /bigint/ },
    ];
    for (const c of cases) {
      const ref = randomUUID();
      await assert.rejects(post(e, 'test.bad', ref, c.entries), (err: unknown) => isAppError(err) && err.code === 'invalid_argument' && c.message.test(err.message));
      const tx = await e.platform.handle.db.selectFrom('ledger_transactions').select('id').where('reference', '=', ref).executeTakeFirst();
      assert.equal(tx, undefined);
    }
    assert.equal(await e.platform.services.ledger.balance(e.platform.handle.db, a!), 0n);
  });

  it('posts a movement once per (kind, reference); a repeat with other entries is a conflict', async () => {
    const e = env();
    const [a] = await wallets(e, 1);
    const ref = randomUUID();
    const first = await fund(e, a!, 700n, ref);
    const again = await fund(e, a!, 700n, ref);
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.transactionId, first.transactionId);
    assert.equal(await e.platform.services.ledger.balance(e.platform.handle.db, a!), 700n);
    await assert.rejects(fund(e, a!, 800n, ref), (err: unknown) => isAppError(err) && err.code === 'conflict');
    assert.equal(await e.platform.services.ledger.balance(e.platform.handle.db, a!), 700n);
    assert.equal(await entriesOfTx(e, 'test.fund', ref), 2);
    await assertLedgerSound(e);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of transactions and entries (insert-only trigger)', async () => {
    const e = env();
    const [a] = await wallets(e, 1);
    const { transactionId } = await fund(e, a!, 50n);
    const db = e.platform.handle.db;
    const refused = /insert-only/;
    await assert.rejects(sql`update ledger_entries set amount = 5000 where transaction_id = ${transactionId}`.execute(db), refused);
    await assert.rejects(sql`delete from ledger_entries where transaction_id = ${transactionId}`.execute(db), refused);
    await assert.rejects(sql`update ledger_transactions set reference = 'x' where id = ${transactionId}`.execute(db), refused);
    await assert.rejects(sql`delete from ledger_transactions where id = ${transactionId}`.execute(db), refused);
    await assert.rejects(sql`truncate ledger_entries`.execute(db), refused);
    const amounts = await db.selectFrom('ledger_entries').select('amount').where('transaction_id', '=', transactionId).orderBy('amount').execute();
    assert.deepEqual(amounts.map((r) => r.amount), [-50n, 50n]);
  });

  it('NOT_ENOUGH rolls back the whole transaction, even when the caller swallows the error', async () => {
    const e = env();
    const [a, b] = await wallets(e, 2);
    const db = e.platform.handle.db;
    const { ledger } = e.platform.services;
    const fundRef = randomUUID();
    const spendRef = randomUUID();
    const spend = [{ accountId: a!, amount: -500n }, { accountId: b!, amount: 500n }];
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await ledger.post(tx, { kind: 'test.fund', reference: fundRef, entries: [{ accountId: 'la_bank', amount: -100n }, { accountId: a!, amount: 100n }] });
        await ledger.post(tx, { kind: 'test.spend', reference: spendRef, entries: spend });
      }),
      (err: unknown) => isNotEnough(err) && err.code === 'failed_precondition',
    );
    // A caller that catches NOT_ENOUGH and carries on cannot commit anything: the transaction is aborted.
    await db
      .transaction()
      .execute(async (tx) => {
        await ledger.post(tx, { kind: 'test.fund', reference: fundRef, entries: [{ accountId: 'la_bank', amount: -100n }, { accountId: a!, amount: 100n }] });
        await ledger.post(tx, { kind: 'test.spend', reference: spendRef, entries: spend }).catch((err: unknown) => assert.ok(isNotEnough(err)));
      })
      .catch(() => undefined);
    for (const [kind, ref] of [['test.fund', fundRef], ['test.spend', spendRef]] as const) {
      assert.equal(await entriesOfTx(e, kind, ref), 0);
      assert.equal(await db.selectFrom('ledger_transactions').select('id').where('reference', '=', ref).executeTakeFirst(), undefined);
    }
    assert.equal(await ledger.balance(db, a!), 0n);
    assert.equal(await ledger.balance(db, b!), 0n);
    await assertLedgerSound(e);
  });

  it('concurrent spends of one wallet never overdraw it', async () => {
    const e = env();
    const [a, b] = await wallets(e, 2);
    await fund(e, a!, 100n);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => post(e, 'test.spend', randomUUID(), [{ accountId: a!, amount: -30n }, { accountId: b!, amount: 30n }])));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) if (r.status === 'rejected') assert.ok(isNotEnough(r.reason), String(r.reason));
    assert.equal(ok, 3);
    assert.equal(await e.platform.services.ledger.balance(e.platform.handle.db, a!), 10n);
    assert.equal(await e.platform.services.ledger.balance(e.platform.handle.db, b!), 90n);
    await assertLedgerSound(e);
  });

  it('lists an account’s lines newest first with their counterparties, paged by entry id', async () => {
    const e = env();
    const [a, b] = await wallets(e, 2);
    await fund(e, a!, 100n);
    const spendRef = randomUUID();
    await post(e, 'test.spend', spendRef, [{ accountId: a!, amount: -40n }, { accountId: b!, amount: 40n }]);
    const { ledger } = e.platform.services;
    const lines = await ledger.entriesOf(a!);
    assert.deepEqual(lines.map((l) => [l.kind, l.amount]), [['test.spend', -40n], ['test.fund', 100n]]);
    assert.equal(lines[0]!.reference, spendRef);
    assert.deepEqual(lines[0]!.counterparties.map((c) => [c.accountId, c.amount]), [[b!, 40n]]);
    assert.equal(lines[1]!.counterparties[0]!.kind, 'bank');
    const older = await ledger.entriesOf(a!, { before: lines[0]!.entryId });
    assert.deepEqual(older.map((l) => l.kind), ['test.fund']);
  });

  it('verify reports a balance that drifted from its entries', async () => {
    const e = env();
    const [a] = await wallets(e, 1);
    await fund(e, a!, 10n);
    const db = e.platform.handle.db;
    // Break it behind the ledger's back (balances are the one mutable column); the report must see it.
    await db.updateTable('ledger_accounts').set({ balance: 11n }).where('id', '=', a!).execute();
    const report = await e.platform.services.ledger.verify();
    assert.deepEqual(report.balancesMismatched, [{ accountId: a!, balance: 11n, entriesSum: 10n }]);
    await db.updateTable('ledger_accounts').set({ balance: 10n }).where('id', '=', a!).execute();
    await assertLedgerSound(e);
  });
});
