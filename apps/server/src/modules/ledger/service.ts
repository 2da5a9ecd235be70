import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../../platform/database.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { LedgerAccountKind } from './tables.ts';
import './tables.ts';

export interface LedgerEntryInput {
  accountId: string;
  /** Signed fen: + credit, − debit. Never zero. */
  amount: bigint;
}

export interface PostInput {
  /** What moved the money, e.g. `wallet.topup`, `pay.success`. With `reference` it names the movement once. */
  kind: string;
  /** The id of the thing that moved it (order, refund, top-up). */
  reference: string;
  tenantId?: string | null;
  entries: readonly LedgerEntryInput[];
}

export interface Posted {
  transactionId: bigint;
  /** False when this (kind, reference) was already posted: nothing moved again. */
  created: boolean;
}

export interface LedgerAccount {
  id: string;
  kind: LedgerAccountKind;
  ownerId: string | null;
  balance: bigint;
  mayGoNegative: boolean;
}

export interface LedgerLine {
  entryId: bigint;
  transactionId: bigint;
  kind: string;
  reference: string;
  amount: bigint;
  createdAt: Date;
  /** The other side(s) of the movement. */
  counterparties: { accountId: string; kind: LedgerAccountKind; ownerId: string | null; amount: bigint }[];
}

export interface LedgerReport {
  transactionsNotZero: { transactionId: bigint; sum: bigint }[];
  transactionsEmpty: { transactionId: bigint }[];
  balancesMismatched: { accountId: string; balance: bigint; entriesSum: bigint }[];
  negative: { accountId: string; balance: bigint }[];
}

/** The reason in `details.reason` of the error a post throws when an account would go below zero. */
export const NOT_ENOUGH = 'NOT_ENOUGH';

export const isNotEnough = (e: unknown): e is AppError => isAppError(e) && e.details?.reason === NOT_ENOUGH;

/** Accounts owned by the platform as a whole (owner_id null); the others belong to a consumer or an org. */
const PLATFORM_KINDS: ReadonlySet<LedgerAccountKind> = new Set(['platform_fees', 'refunds_in_flight', 'bank', 'insurance_fund']);

export type LedgerService = ReturnType<typeof createLedgerService>;

/**
 * The insert-only double-entry ledger (ADR 0004). `post` runs inside the caller's transaction, so a money
 * movement commits together with the state change and outbox rows that caused it, or not at all. It is
 * an internal service: the calling module has already checked who may move what.
 */
export function createLedgerService(db: Db) {
  const present = (r: { id: string; kind: LedgerAccountKind; owner_id: string | null; balance: bigint; may_go_negative: boolean }): LedgerAccount => ({
    id: r.id,
    kind: r.kind,
    ownerId: r.owner_id,
    balance: r.balance,
    mayGoNegative: r.may_go_negative,
  });

  async function find(executor: DbOrTx, kind: LedgerAccountKind, ownerId: string | null): Promise<LedgerAccount | undefined> {
    const row = await executor
      .selectFrom('ledger_accounts')
      .select(['id', 'kind', 'owner_id', 'balance', 'may_go_negative'])
      .where('kind', '=', kind)
      .where((eb) => (ownerId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', ownerId)))
      .executeTakeFirst();
    return row ? present(row) : undefined;
  }

  /** Aborts the caller's transaction, so a refused post can never be committed half-done (ADR 0004). */
  async function refuse(tx: Tx, error: AppError): Promise<never> {
    await sql`do $$ begin raise exception 'ledger post refused' using errcode = 'P0001'; end $$`.execute(tx).catch(() => undefined);
    throw error;
  }

  function validate(input: PostInput): Map<string, bigint> {
    if (typeof input.kind !== 'string' || !input.kind || typeof input.reference !== 'string' || !input.reference) {
      throw new AppError('invalid_argument', 'a ledger transaction needs a kind and a reference');
    }
    if (!Array.isArray(input.entries) || input.entries.length === 0) throw new AppError('invalid_argument', 'a ledger transaction needs entries');
    const deltas = new Map<string, bigint>();
    let sum = 0n;
    for (const e of input.entries) {
      if (typeof e.amount !== 'bigint') throw new AppError('invalid_argument', 'ledger amounts are bigint fen');
      if (e.amount === 0n) throw new AppError('invalid_argument', 'a ledger entry cannot be zero');
      if (typeof e.accountId !== 'string' || !e.accountId) throw new AppError('invalid_argument', 'a ledger entry needs an account');
      sum += e.amount;
      deltas.set(e.accountId, (deltas.get(e.accountId) ?? 0n) + e.amount);
    }
    if (sum !== 0n) throw new AppError('invalid_argument', `ledger entries must sum to zero (sum ${sum})`);
    return deltas;
  }

  /** Same entries as already posted under this (kind, reference)? Order does not matter. */
  async function samePosting(tx: Tx, transactionId: bigint, entries: readonly LedgerEntryInput[]): Promise<boolean> {
    const rows = await tx.selectFrom('ledger_entries').select(['account_id', 'amount']).where('transaction_id', '=', transactionId).execute();
    const key = (accountId: string, amount: bigint) => `${accountId}\u0000${amount}`;
    const a = rows.map((r) => key(r.account_id, r.amount)).sort();
    const b = entries.map((e) => key(e.accountId, e.amount)).sort();
    return a.length === b.length && a.every((k, i) => k === b[i]);
  }

  /** The account of this kind and owner, created on first use. */
  async function account(tx: DbOrTx, kind: LedgerAccountKind, ownerId: string | null): Promise<LedgerAccount> {
    if (PLATFORM_KINDS.has(kind) !== (ownerId === null)) throw new AppError('invalid_argument', `a ${kind} account ${ownerId === null ? 'needs' : 'has no'} owner`);
    const existing = await find(tx, kind, ownerId);
    if (existing) return existing;
    await tx
      .insertInto('ledger_accounts')
      .values({ id: newId('la'), kind, owner_id: ownerId, may_go_negative: kind === 'bank' })
      .onConflict((oc) => oc.columns(['kind', 'owner_id']).doNothing())
      .execute();
    const created = await find(tx, kind, ownerId);
    if (!created) throw new AppError('internal', 'ledger account vanished');
    return created;
  }

  return {
    find,

    account,

    /** Several accounts in one query (each created on first use), in the order asked. */
    async accounts(tx: DbOrTx, refs: readonly { kind: LedgerAccountKind; ownerId: string | null }[]): Promise<LedgerAccount[]> {
      if (refs.length === 0) return [];
      const rows = await tx
        .selectFrom('ledger_accounts')
        .select(['id', 'kind', 'owner_id', 'balance', 'may_go_negative'])
        .where((eb) => eb.or(refs.map((r) => eb.and([eb('kind', '=', r.kind), r.ownerId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', r.ownerId)]))))
        .execute();
      const found = new Map(rows.map((r) => [`${r.kind}\u0000${r.owner_id ?? ''}`, present(r)]));
      const out: LedgerAccount[] = [];
      for (const r of refs) out.push(found.get(`${r.kind}\u0000${r.ownerId ?? ''}`) ?? (await account(tx, r.kind, r.ownerId)));
      return out;
    },

    async balance(executor: DbOrTx, accountId: string): Promise<bigint> {
      const row = await executor.selectFrom('ledger_accounts').select('balance').where('id', '=', accountId).executeTakeFirst();
      if (!row) throw new AppError('not_found', 'ledger account not found');
      return row.balance;
    },

    /**
     * Posts one balanced movement. Idempotent on (kind, reference): a repeat with the same entries returns
     * the first transaction, with different entries it is a conflict. Balances change by one conditional
     * UPDATE per account in ascending id order; an account that would go below zero refuses the whole
     * movement (`failed_precondition`, reason NOT_ENOUGH) and aborts the caller's transaction.
     */
    async post(tx: Tx, input: PostInput): Promise<Posted> {
      if (!tx.isTransaction) throw new AppError('internal', 'ledger.post runs inside a transaction');
      const deltas = validate(input);
      // The transaction and its entries in one statement; a repeat of (kind, reference) inserts neither.
      // Balances move below, after it: a refusal there aborts the caller's transaction (refuse), entries included.
      const rows = input.entries.map((e) => sql`(${e.accountId}::text, ${e.amount}::bigint)`);
      let inserted: { id: bigint } | undefined;
      try {
        const r = await sql<{ id: bigint }>`
          with t as (
            insert into ledger_transactions (kind, reference, tenant_id) values (${input.kind}, ${input.reference}, ${input.tenantId ?? null})
            on conflict (kind, reference) do nothing returning id
          ), e as (
            insert into ledger_entries (transaction_id, account_id, amount)
            select t.id, v.account_id, v.amount from t cross join (values ${sql.join(rows)}) as v(account_id, amount)
          )
          select id from t`.execute(tx);
        inserted = r.rows[0];
      } catch (err) {
        if ((err as { code?: string }).code === '23503') throw new AppError('not_found', 'a ledger account of this movement does not exist');
        throw err;
      }
      if (!inserted) {
        const first = await tx.selectFrom('ledger_transactions').select('id').where('kind', '=', input.kind).where('reference', '=', input.reference).executeTakeFirstOrThrow();
        if (!(await samePosting(tx, first.id, input.entries))) {
          return refuse(tx, new AppError('conflict', `${input.kind} ${input.reference} was already posted with other entries`));
        }
        return { transactionId: first.id, created: false };
      }
      const order = [...deltas.keys()].sort();
      for (const accountId of order) {
        const delta = deltas.get(accountId) ?? 0n;
        if (delta === 0n) continue;
        const row = await sql<{ balance: bigint }>`
          update ledger_accounts set balance = balance + ${delta}::bigint
          where id = ${accountId} and (may_go_negative or balance + ${delta}::bigint >= 0)
          returning balance`.execute(tx);
        if (row.rows.length === 1) continue;
        const exists = await tx.selectFrom('ledger_accounts').select('id').where('id', '=', accountId).executeTakeFirst();
        return refuse(
          tx,
          exists
            ? new AppError('failed_precondition', 'not enough balance', { details: { reason: NOT_ENOUGH, accountId } })
            : new AppError('not_found', `ledger account ${accountId} not found`),
        );
      }
      return { transactionId: inserted.id, created: true };
    },

    /** An account's lines, newest first, each with its counterparties. */
    async entriesOf(accountId: string, page: { before?: bigint | undefined; limit?: number | undefined } = {}): Promise<LedgerLine[]> {
      let q = db
        .selectFrom('ledger_entries as e')
        .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
        .select(['e.id', 'e.transaction_id', 'e.amount', 'e.created_at', 't.kind', 't.reference'])
        .where('e.account_id', '=', accountId)
        .orderBy('e.id', 'desc')
        .limit(Math.min(Math.max(page.limit ?? 50, 1), 200));
      if (page.before !== undefined) q = q.where('e.id', '<', page.before);
      const lines = await q.execute();
      if (lines.length === 0) return [];
      const others = await db
        .selectFrom('ledger_entries as e')
        .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
        .select(['e.transaction_id', 'e.account_id', 'e.amount', 'a.kind', 'a.owner_id'])
        .where('e.transaction_id', 'in', lines.map((l) => l.transaction_id))
        .where('e.account_id', '<>', accountId)
        .orderBy('e.id')
        .execute();
      return lines.map((l) => ({
        entryId: l.id,
        transactionId: l.transaction_id,
        kind: l.kind,
        reference: l.reference,
        amount: l.amount,
        createdAt: l.created_at,
        counterparties: others
          .filter((o) => o.transaction_id === l.transaction_id)
          .map((o) => ({ accountId: o.account_id, kind: o.kind, ownerId: o.owner_id, amount: o.amount })),
      }));
    },

    /** The ledger's invariants, checked by SQL aggregates on one snapshot. Empty lists mean all is well. */
    async verify(executor: Db = db): Promise<LedgerReport> {
      return executor.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
        const notZero = await sql<{ transaction_id: bigint; sum: bigint }>`
          select transaction_id, sum(amount)::bigint as sum from ledger_entries group by transaction_id having sum(amount) <> 0 order by transaction_id`.execute(tx);
        const empty = await sql<{ id: bigint }>`
          select t.id from ledger_transactions t where not exists (select 1 from ledger_entries e where e.transaction_id = t.id) order by t.id`.execute(tx);
        const mismatched = await sql<{ id: string; balance: bigint; entries_sum: bigint }>`
          select a.id, a.balance, coalesce(s.total, 0)::bigint as entries_sum
          from ledger_accounts a left join (select account_id, sum(amount) as total from ledger_entries group by account_id) s on s.account_id = a.id
          where a.balance <> coalesce(s.total, 0) order by a.id`.execute(tx);
        const negative = await sql<{ id: string; balance: bigint }>`
          select id, balance from ledger_accounts where not may_go_negative and balance < 0 order by id`.execute(tx);
        return {
          transactionsNotZero: notZero.rows.map((r) => ({ transactionId: r.transaction_id, sum: r.sum })),
          transactionsEmpty: empty.rows.map((r) => ({ transactionId: r.id })),
          balancesMismatched: mismatched.rows.map((r) => ({ accountId: r.id, balance: r.balance, entriesSum: r.entries_sum })),
          negative: negative.rows.map((r) => ({ accountId: r.id, balance: r.balance })),
        };
      });
    },
  };
}
