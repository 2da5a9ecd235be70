import { sql } from 'kysely';
import { requireOperator, type RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import type { LedgerReport, LedgerService } from '../ledger/service.ts';
import '../../platform/outbox-tables.ts';
import '../ledger/tables.ts';

export interface OverviewDeps {
  db: Db;
  ledger: Pick<LedgerService, 'verify'>;
  /** Whether this instance runs the outbox worker (config OUTBOX_WORKER). */
  workerEnabled: boolean;
}

const HOUR = 3600_000;
/** A due outbox row older than this means the worker is not keeping up (or not running). */
const STALL_MS = 60_000;

const n = (v: bigint | number | string | null | undefined) => BigInt(v ?? 0);

export type OperatorOverviewService = ReturnType<typeof createOperatorOverviewService>;

/** The platform at a glance for operators: money, notifications, health (issue 6). */
export function createOperatorOverviewService(deps: OverviewDeps) {
  const { db, ledger } = deps;

  return {
    /** Sum of balances per ledger account class, the zero-sum check, and fees earned (total and per CST day). */
    async ledger(ctx: RequestContext, days = 14): Promise<{
      totals: { kind: string; accounts: number; balance: bigint }[];
      sum: bigint;
      verify: LedgerReport;
      ok: boolean;
      fees: { balance: bigint; byDay: { day: string; amount: bigint }[] };
    }> {
      requireOperator(ctx);
      const totals = await db
        .selectFrom('ledger_accounts')
        .select(['kind', sql<string>`count(*)`.as('accounts'), sql<string>`coalesce(sum(balance), 0)`.as('balance')])
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      const verify = await ledger.verify();
      const fees = await db.selectFrom('ledger_accounts').select(sql<string>`coalesce(sum(balance), 0)`.as('b')).where('kind', '=', 'platform_fees').executeTakeFirst();
      const byDay = await sql<{ day: string; amount: string }>`
        select to_char(t.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, sum(e.amount)::bigint as amount
        from ledger_entries e
        join ledger_transactions t on t.id = e.transaction_id
        join ledger_accounts a on a.id = e.account_id
        where a.kind = 'platform_fees' and t.kind = 'settle' and t.created_at > now() - make_interval(days => ${days})
        group by 1 order by 1`.execute(db);
      const rows = totals.map((t) => ({ kind: t.kind, accounts: Number(t.accounts), balance: n(t.balance) }));
      const ok = verify.transactionsNotZero.length + verify.transactionsEmpty.length + verify.balancesMismatched.length + verify.negative.length === 0;
      return {
        totals: rows,
        sum: rows.reduce((s, r) => s + r.balance, 0n),
        verify,
        ok,
        fees: { balance: n(fees?.b), byDay: byDay.rows.map((r) => ({ day: r.day, amount: n(r.amount) })) },
      };
    },

    /** Outbox backlog (pending / dead by kind) and delivery failure rates over the last hour and day. */
    async notifications(ctx: RequestContext): Promise<{
      backlog: { kind: string; pending: number; dead: number; oldestDueAt: Date | null }[];
      attempts: { kind: string; hour: { total: number; failed: number }; day: { total: number; failed: number } }[];
    }> {
      requireOperator(ctx);
      const backlog = await db
        .selectFrom('outbox')
        .select([
          'kind',
          sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
          sql<string>`count(*) filter (where status = 'dead')`.as('dead'),
          sql<Date | null>`min(next_attempt_at) filter (where status = 'pending')`.as('oldest'),
        ])
        .where('status', 'in', ['pending', 'dead'])
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      const dayAgo = new Date(Date.now() - 24 * HOUR);
      const hourAgo = new Date(Date.now() - HOUR);
      const attempts = await db
        .selectFrom('delivery_attempts')
        .select([
          'kind',
          sql<string>`count(*) filter (where created_at > ${hourAgo})`.as('h_total'),
          sql<string>`count(*) filter (where created_at > ${hourAgo} and outcome = 'failure')`.as('h_failed'),
          sql<string>`count(*)`.as('d_total'),
          sql<string>`count(*) filter (where outcome = 'failure')`.as('d_failed'),
        ])
        .where('created_at', '>', dayAgo)
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      return {
        backlog: backlog.map((b) => ({ kind: b.kind, pending: Number(b.pending), dead: Number(b.dead), oldestDueAt: b.oldest ? new Date(b.oldest) : null })),
        attempts: attempts.map((a) => ({
          kind: a.kind,
          hour: { total: Number(a.h_total), failed: Number(a.h_failed) },
          day: { total: Number(a.d_total), failed: Number(a.d_failed) },
        })),
      };
    },

    /** Database reachable (with latency), worker configured and keeping up, the settlement sweeper's last settle. */
    async health(ctx: RequestContext): Promise<{
      db: { ok: boolean; latencyMs: number; error?: string };
      worker: { enabled: boolean; ok: boolean; overdue: number };
      sweeper: { lastSettledAt: Date | null };
    }> {
      requireOperator(ctx);
      const t0 = performance.now();
      try {
        await sql`select 1`.execute(db);
      } catch (err) {
        return { db: { ok: false, latencyMs: Math.round(performance.now() - t0), error: String(err) }, worker: { enabled: deps.workerEnabled, ok: false, overdue: 0 }, sweeper: { lastSettledAt: null } };
      }
      const latencyMs = Math.round(performance.now() - t0);
      const overdue = await db
        .selectFrom('outbox')
        .select(sql<string>`count(*)`.as('c'))
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<', new Date(Date.now() - STALL_MS))
        .executeTakeFirst();
      const settled = await db.selectFrom('ledger_transactions').select(sql<Date | null>`max(created_at)`.as('at')).where('kind', '=', 'settle').executeTakeFirst();
      const late = Number(overdue?.c ?? 0);
      return {
        db: { ok: true, latencyMs },
        worker: { enabled: deps.workerEnabled, ok: deps.workerEnabled && late === 0, overdue: late },
        sweeper: { lastSettledAt: settled?.at ? new Date(settled.at) : null },
      };
    },
  };
}
