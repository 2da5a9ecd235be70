import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../../platform/database.ts';
import { OA_PUSH_KIND } from '../messaging/push.ts';
import { cstDayStart } from './range.ts';
import { userSourceOf } from './sources.ts';

/** One number of one account on one CST day: `metric` split by `dimension` ('' when it has none). */
export interface Cell {
  day: number;
  metric: Metric;
  dimension: string;
  value: bigint;
}

/**
 * The metrics. `*.max` cells merge by max, everything else by sum. `msg.users` is distinct consumers of
 * that day and type (WeChat's msg_user), so it is only summed across accounts, never across days.
 */
export const METRICS = [
  'follow.new', 'follow.cancel', // dimension: WeChat user_source (the cancel counts under the source of the follow it ended)
  'msg.count', 'msg.users', // consumer → account messages, dimension: msg_type
  'menu.click', // dimension: `${event} ${EventKey}`
  'qr.scan', 'qr.follow', 'qr.order', 'qr.paid', // dimension: the QR scene (scene_str or scene_id)
  'pay.count', 'pay.amount', 'refund.count', 'refund.amount', // paid orders and successful refunds, by the day they happened
  'push.count', 'push.fail', 'push.time', 'push.max', // attempts to deliver OA pushes to the merchant's server (ms)
] as const;
export type Metric = (typeof METRICS)[number];

/** Menu taps are stored as events in the thread; these are the ones a menu button makes. */
export const MENU_EVENTS = ['CLICK', 'VIEW', 'view_miniprogram', 'scancode_push', 'scancode_waitmsg', 'location_select', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin'] as const;

/** CST day number of a timestamptz column, computed in SQL (same on PGlite and PostgreSQL). */
export const cstDaySql = (column: RawBuilder<unknown>) => sql<number>`floor((extract(epoch from ${column}) + 28800) / 86400)::int`;

type Row = { day: number; dimension: string | null; value: bigint | string | number };

/**
 * Every cell of `accountId` (of organisation `orgId`) for CST days `fromDay..toDay`, counted from the
 * event tables: follow_events, messages, qr_scans, pay_orders, pay_refunds, delivery_attempts. Used by
 * the rollup for closed days and live for today; both paths are this one function.
 */
export async function countDays(db: DbOrTx, accountId: string, orgId: string, fromDay: number, toDay: number): Promise<Cell[]> {
  const start = cstDayStart(fromDay);
  const end = cstDayStart(toDay + 1);
  const out: Cell[] = [];
  const push = (metric: Metric, rows: Row[], dim: (d: string | null) => string = (d) => d ?? '') => {
    for (const r of rows) out.push({ day: Number(r.day), metric, dimension: dim(r.dimension), value: BigInt(r.value) });
  };
  const run = async (q: RawBuilder<Row>) => (await q.execute(db)).rows;

  // Follows: an unsubscribe counts under the scene of the subscription it ended (the consumer's latest
  // subscribe before it), looked up per unsubscribe on (account_id, consumer_id, at).
  const follows = await run(sql<Row & { kind: string }>`
    select day, kind, scene as dimension, count(*) as value from (
      select ${cstDaySql(sql.ref('f.at'))} as day, f.kind,
        case when f.kind = 'subscribe' then f.scene else (
          select p.scene from follow_events p
          where p.account_id = f.account_id and p.consumer_id = f.consumer_id and p.kind = 'subscribe' and (p.at < f.at or (p.at = f.at and p.id < f.id))
          order by p.at desc, p.id desc limit 1) end as scene
      from follow_events f
      where f.account_id = ${accountId} and f.at >= ${start} and f.at < ${end}
    ) x
    group by day, kind, scene`);
  const bySource = new Map<string, Cell>();
  for (const r of follows as Array<Row & { kind: string }>) {
    const metric: Metric = r.kind === 'subscribe' ? 'follow.new' : 'follow.cancel';
    const dimension = String(userSourceOf(r.dimension));
    const key = `${r.day}|${metric}|${dimension}`;
    const cell = bySource.get(key);
    if (cell) cell.value += BigInt(r.value);
    else bySource.set(key, { day: Number(r.day), metric, dimension, value: BigInt(r.value) });
  }
  out.push(...bySource.values());

  const msgs = await run(sql<Row & { users: bigint }>`
    select ${cstDaySql(sql.ref('created_at'))} as day, msg_type as dimension, count(*) as value, count(distinct consumer_id) as users
    from messages
    where account_id = ${accountId} and created_at >= ${start} and created_at < ${end} and direction = 'in' and source = 'consumer' and msg_type <> 'event'
    group by 1, 2`);
  push('msg.count', msgs);
  push('msg.users', (msgs as Array<Row & { users: bigint }>).map((r) => ({ day: r.day, dimension: r.dimension, value: r.users })));

  push('menu.click', await run(sql<Row>`
    select ${cstDaySql(sql.ref('created_at'))} as day, (content->>'event') || ' ' || coalesce(content->>'eventKey', '') as dimension, count(*) as value
    from messages
    where account_id = ${accountId} and created_at >= ${start} and created_at < ${end} and direction = 'in' and msg_type = 'event'
      and content->>'event' in (${sql.join(MENU_EVENTS.map((e) => sql.lit(e)))})
    group by 1, 2`));

  const scans = await run(sql<Row & { follows: bigint }>`
    select ${cstDaySql(sql.ref('s.at'))} as day, coalesce(q.scene_str, q.scene_id::text) as dimension, count(*) as value,
      count(*) filter (where s.resulted_in_follow) as follows
    from qr_scans s join qrcodes q on q.ticket = s.ticket
    where s.account_id = ${accountId} and s.at >= ${start} and s.at < ${end}
    group by 1, 2`);
  push('qr.scan', scans);
  push('qr.follow', (scans as Array<Row & { follows: bigint }>).filter((r) => BigInt(r.follows) > 0n).map((r) => ({ day: r.day, dimension: r.dimension, value: r.follows })));

  // An order belongs to the scene of the consumer's last scan of this account in the 30 days before the
  // order was created (the attribution window); older scans attribute nothing.
  const attributed = (dayColumn: string, where: RawBuilder<unknown>) => sql<Row>`
    select ${cstDaySql(sql.ref(dayColumn))} as day, sc.scene as dimension, count(*) as value
    from pay_orders o
    join lateral (
      select coalesce(q.scene_str, q.scene_id::text) as scene from qr_scans s join qrcodes q on q.ticket = s.ticket
      where s.account_id = o.account_id and s.consumer_id = o.consumer_id and s.at <= o.created_at and s.at > o.created_at - interval '30 days'
      order by s.at desc limit 1
    ) sc on true
    where o.account_id = ${accountId} and o.consumer_id is not null and ${where}
    group by 1, 2`;
  push('qr.order', await run(attributed('o.created_at', sql`o.created_at >= ${start} and o.created_at < ${end}`)));
  push('qr.paid', await run(attributed('o.success_time', sql`o.success_time >= ${start} and o.success_time < ${end}`)));

  const paid = await run(sql<Row & { amount: bigint }>`
    select ${cstDaySql(sql.ref('success_time'))} as day, '' as dimension, count(*) as value, sum(total) as amount
    from pay_orders where account_id = ${accountId} and success_time >= ${start} and success_time < ${end}
    group by 1`);
  push('pay.count', paid);
  push('pay.amount', (paid as Array<Row & { amount: bigint }>).map((r) => ({ day: r.day, dimension: '', value: r.amount })));

  const refunds = await run(sql<Row & { amount: bigint }>`
    select ${cstDaySql(sql.ref('r.success_time'))} as day, '' as dimension, count(*) as value, sum(r.amount) as amount
    from pay_refunds r join pay_orders o on o.id = r.order_id
    where r.org_id = ${orgId} and o.account_id = ${accountId} and r.status = 'SUCCESS' and r.success_time >= ${start} and r.success_time < ${end}
    group by 1`);
  push('refund.count', refunds);
  push('refund.amount', (refunds as Array<Row & { amount: bigint }>).map((r) => ({ day: r.day, dimension: '', value: r.amount })));

  const pushes = await run(sql<Row & { fail: bigint; time: bigint; max: number }>`
    select ${cstDaySql(sql.ref('a.created_at'))} as day, '' as dimension, count(*) as value,
      count(*) filter (where a.outcome = 'failure') as fail, sum(a.latency_ms) as time, max(a.latency_ms) as max
    from delivery_attempts a join outbox o on o.id = a.outbox_id
    where a.tenant_id = ${orgId} and a.kind = ${OA_PUSH_KIND} and o.payload->>'accountId' = ${accountId}
      and a.created_at >= ${start} and a.created_at < ${end}
    group by 1`);
  const p = pushes as Array<Row & { fail: bigint; time: bigint; max: number }>;
  push('push.count', p);
  push('push.fail', p.map((r) => ({ day: r.day, dimension: '', value: r.fail })));
  push('push.time', p.map((r) => ({ day: r.day, dimension: '', value: r.time })));
  push('push.max', p.map((r) => ({ day: r.day, dimension: '', value: r.max })));
  return out.filter((c) => c.value !== 0n || c.metric === 'push.max');
}
