import { sql } from 'kysely';
import type { Db } from '../../platform/database.ts';
import { cstDate } from '../../platform/time.ts';
import { countDays, type Cell, type Metric } from './counts.ts';
import { parseDay } from './range.ts';
import './tables.ts';

/**
 * A CST day is rolled up once it has been over for this long: a transaction that stamped an event just
 * before midnight has committed by then. Until then the day is counted live (ADR 0006).
 */
export const ROLLUP_MARGIN_MS = 10 * 60_000;

export interface AccountRef {
  id: string;
  orgId: string;
}

/** The last CST day that may be rolled up at `now`. */
export function closedThrough(now: number): number {
  const day = parseDay(cstDate(now - ROLLUP_MARGIN_MS));
  if (day === undefined) throw new Error('unreachable: cstDate is always a date');
  return day - 1;
}

/**
 * Brings the account's rollup up to `throughDay`: counts every day after its watermark in one pass per
 * metric (a range scan of the account's events) and moves the watermark, in one transaction holding
 * the watermark row, so concurrent readers never write the same days twice.
 */
export async function rollUp(db: Db, account: AccountRef, throughDay: number): Promise<void> {
  const mark = await db.selectFrom('analytics_rollups').select('rolled_through').where('account_id', '=', account.id).executeTakeFirst();
  if (mark && mark.rolled_through >= throughDay) return;
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('analytics_rollups').values({ account_id: account.id, rolled_through: -1 }).onConflict((oc) => oc.column('account_id').doNothing()).execute();
    const locked = await tx.selectFrom('analytics_rollups').select('rolled_through').where('account_id', '=', account.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.rolled_through >= throughDay) return;
    const cells = await countDays(tx, account.id, account.orgId, locked.rolled_through + 1, throughDay);
    for (let i = 0; i < cells.length; i += 1000) {
      const chunk = cells.slice(i, i + 1000).map((c) => ({ account_id: account.id, day: c.day, metric: c.metric, dimension: c.dimension, value: c.value }));
      await tx.insertInto('analytics_daily').values(chunk).onConflict((oc) => oc.columns(['account_id', 'day', 'metric', 'dimension']).doUpdateSet({ value: sql`excluded.value` })).execute();
    }
    await tx.updateTable('analytics_rollups').set({ rolled_through: throughDay, updated_at: new Date() }).where('account_id', '=', account.id).execute();
  });
}

/**
 * Every cell of `accounts` for CST days `fromDay..toDay`: closed days from the rollup (caught up first),
 * the rest (today, and yesterday during the margin) counted live. `metrics` narrows what is read;
 * `collapse` sums in SQL what the caller does not need apart (never use it for `push.max`).
 */
export interface Collapse {
  /** Summed over the whole range: returned with day -1. */
  noDay?: readonly Metric[];
  /** Summed over their dimensions: returned with dimension ''. */
  noDimension?: readonly Metric[];
}

export async function readCells(db: Db, accounts: readonly AccountRef[], fromDay: number, toDay: number, now: number, metrics?: readonly Metric[], collapse: Collapse = {}): Promise<Cell[]> {
  if (accounts.length === 0 || toDay < fromDay) return [];
  const closed = closedThrough(now);
  const out: Cell[] = [];
  if (fromDay <= closed) {
    for (const a of accounts) await rollUp(db, a, closed);
    const noDay = collapse.noDay?.length ? sql`metric in (${sql.join(collapse.noDay)})` : sql`false`;
    const noDim = collapse.noDimension?.length ? sql`metric in (${sql.join(collapse.noDimension)})` : sql`false`;
    const { rows } = await sql<{ day: number; metric: Metric; dimension: string; value: bigint | string }>`
      select case when ${noDay} then -1 else day end as day, metric, case when ${noDim} then '' else dimension end as dimension, sum(value) as value
      from analytics_daily
      where account_id in (${sql.join(accounts.map((a) => a.id))}) and day >= ${fromDay} and day <= ${Math.min(toDay, closed)}
        ${metrics ? sql`and metric in (${sql.join([...metrics])})` : sql``}
      group by 1, 2, 3`.execute(db);
    for (const r of rows) out.push({ day: Number(r.day), metric: r.metric, dimension: r.dimension, value: BigInt(r.value) });
  }
  const liveFrom = Math.max(fromDay, closed + 1);
  if (liveFrom <= toDay) {
    for (const a of accounts) {
      for (const c of await countDays(db, a.id, a.orgId, liveFrom, toDay)) {
        if (metrics && !metrics.includes(c.metric)) continue;
        out.push({ ...c, day: collapse.noDay?.includes(c.metric) ? -1 : c.day, dimension: collapse.noDimension?.includes(c.metric) ? '' : c.dimension });
      }
    }
  }
  return out;
}

/** Followers (subscribes − unsubscribes) of `accounts` before CST day `day`: the cumulative base. */
export async function followersBefore(db: Db, accounts: readonly AccountRef[], day: number, now: number): Promise<number> {
  const cells = await readCells(db, accounts, 0, day - 1, now, ['follow.new', 'follow.cancel'], { noDay: ['follow.new', 'follow.cancel'], noDimension: ['follow.new', 'follow.cancel'] });
  let n = 0;
  for (const c of cells) n += c.metric === 'follow.new' ? Number(c.value) : -Number(c.value);
  return n;
}
