/**
 * The analytics benchmark: 1,000,000 events of one official account over 400 days (follows and
 * unfollows, consumer messages, menu taps, QR scans, pay orders, refunds), written straight into the
 * event tables with generate_series, then the console's charts timed for a 30-day and a 365-day range:
 * the first call (rollup catch-up over the whole history), then warm calls (closed days from
 * analytics_daily, today live), against counting the same range from the raw events (no rollups).
 * `npm run bench -- --suite analytics [--db both|postgres|pglite] [--events 1000000]`. Reports; never fails on numbers.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';

const { values: flags } = parseArgs({ strict: false, options: { db: { type: 'string', default: 'both' }, events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } } });
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const { startTestEnv, POSTGRES_AVAILABLE } = await import('../apps/server/src/testing/harness.ts');
const { createAccount, createMerchant } = await import('../apps/server/src/testing/factories.ts');
const { countDays } = await import('../apps/server/src/modules/analytics/counts.ts');
const { dayToDate, parseDay } = await import('../apps/server/src/modules/analytics/range.ts');
const { cstDate } = await import('../apps/server/src/platform/time.ts');

const total = Number(flags.events);
const runs = Number(flags.runs);
const kinds = (flags.db === 'both' ? ['postgres', 'pglite'] : [String(flags.db)]) as ('postgres' | 'pglite')[];
const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(`Lianjie analytics benchmark — ${total.toLocaleString('en')} events of one account over 400 days; ${os.cpus().length} CPUs, Node ${process.version}`);

for (const kind of kinds) {
  if (kind === 'postgres' && !POSTGRES_AVAILABLE) {
    console.log('postgres: not reachable, skipped');
    continue;
  }
  const e = await startTestEnv(kind);
  try {
    const m = await createMerchant(e);
    const account = await createAccount(e, m);
    const pay = await e.platform.services.payMerchants.create(m.ctx, { appid: account.appid });
    const db = e.platform.handle.db;
    const today = parseDay(cstDate()) ?? 0;
    // Shares of the events: follows 20%, messages 45%, menu taps 10%, QR scans 15%, orders 8%, refunds 2%.
    const n = (share: number) => Math.round(total * share);
    const span = 400 * 86_400; // seconds of history, ending now
    const at = (i: string, count: number) => sql.raw(`now() - interval '${span} seconds' + (${i}::float8 * ${span} / ${count}) * interval '1 second'`);
    const t0 = performance.now();
    const C = 2000;
    await sql`insert into consumers (id, phone, password_hash, nickname) select 'bc_' || i, 'bench' || i, 'x', 'c' || i from generate_series(0, ${C - 1}) i`.execute(db);
    // Follows: consumer k's events are k, k+C, k+2C, … in time order, alternating subscribe/unsubscribe.
    const nf = n(0.2);
    await sql`insert into follow_events (account_id, consumer_id, openid, kind, scene, at)
      select ${account.id}, 'bc_' || (i % ${C}), 'o' || (i % ${C}), case when (i / ${C}) % 2 = 0 then 'subscribe' else 'unsubscribe' end,
        case when (i / ${C}) % 2 = 0 then (array['ADD_SCENE_SEARCH','ADD_SCENE_QR_CODE','ADD_SCENE_PROFILE_CARD','ADD_SCENE_OTHERS'])[1 + i % 4] end, ${at('i', nf)}
      from generate_series(0, ${nf - 1}) i`.execute(db);
    const nm = n(0.45);
    await sql`insert into messages (account_id, consumer_id, openid, direction, source, msg_type, content, created_at)
      select ${account.id}, 'bc_' || (i % ${C}), 'o', 'in', 'consumer', (array['text','image','voice','location'])[1 + i % 4], '{}'::jsonb, ${at('i', nm)}
      from generate_series(0, ${nm - 1}) i`.execute(db);
    const nt = n(0.1);
    await sql`insert into messages (account_id, consumer_id, openid, direction, source, msg_type, content, created_at)
      select ${account.id}, 'bc_' || (i % ${C}), 'o', 'in', 'consumer', 'event', jsonb_build_object('type', 'event', 'event', 'CLICK', 'eventKey', 'k' || (i % 8)), ${at('i', nt)}
      from generate_series(0, ${nt - 1}) i`.execute(db);
    await sql`insert into qrcodes (ticket, account_id, permanent, scene_str, name) select 'bt_' || i, ${account.id}, true, 'scene' || i, 'Code ' || i from generate_series(0, 9) i`.execute(db);
    const ns = n(0.15);
    await sql`insert into qr_scans (ticket, account_id, consumer_id, resulted_in_follow, at)
      select 'bt_' || (i % 10), ${account.id}, 'bc_' || (i % ${C}), i % 3 = 0, ${at('i', ns)} from generate_series(0, ${ns - 1}) i`.execute(db);
    const no = n(0.08);
    await sql`insert into pay_orders (id, transaction_id, mch_id, org_id, account_id, appid, out_trade_no, description, total, trade_type, consumer_id, notify_url, state, created_at, success_time, expires_at)
      select 'bo_' || i, lpad(i::text, 28, '0'), ${pay.mchId}, ${m.orgId}, ${account.id}, ${account.appid}, 'T' || i, 'x', 100 + i % 9900, 'JSAPI', 'bc_' || (i % ${C}), 'https://m.example/n',
        case when i % 2 = 0 then 'SUCCESS' else 'CLOSED' end, t, case when i % 2 = 0 then t + interval '1 minute' end, t + interval '2 hours'
      from (select i, ${at('i', no)} as t from generate_series(0, ${no - 1}) i) x`.execute(db);
    const nr = total - nf - nm - nt - ns - no;
    await sql`insert into pay_refunds (id, refund_id, mch_id, org_id, order_id, out_refund_no, amount, status, api, created_at, success_time)
      select 'br_' || i, lpad(i::text, 29, '0'), ${pay.mchId}, ${m.orgId}, 'bo_' || (i * 2 % ${no}), 'R' || i, 50, 'SUCCESS', 'v3', o.created_at + interval '2 minutes', o.created_at + interval '2 minutes'
      from generate_series(0, ${nr - 1}) i join pay_orders o on o.id = 'bo_' || (i * 2 % ${no})`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`\n${kind}: generated ${(nf + nm + nt + ns + no + nr).toLocaleString('en')} events in ${fmt(ms(t0))}`);

    const charts = (days: number) => e.platform.services.charts.charts(m.ctx, { from: dayToDate(today - days + 1), to: dayToDate(today), accountId: account.id });
    let t = performance.now();
    const first = await charts(365);
    console.log(`  first 365-day charts (rollup catch-up over 400 days of history): ${fmt(ms(t))}; funnel ${JSON.stringify(first.funnel.overall)}`);
    for (const days of [30, 365]) {
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        t = performance.now();
        await charts(days);
        times.push(ms(t));
      }
      const raw: number[] = [];
      for (let r = 0; r < Math.min(runs, 3); r++) {
        t = performance.now();
        await countDays(db, account.id, m.orgId, today - days + 1, today);
        raw.push(ms(t));
      }
      console.log(`  ${String(days).padStart(3)}-day charts, warm: median ${fmt(median(times))} (${runs} runs)   same range counted from raw events: median ${fmt(median(raw))}`);
    }
    const range = { beginDate: dayToDate(today - 7), endDate: dayToDate(today - 1) };
    const ctx = m.ctx;
    t = performance.now();
    await e.platform.services.analytics.userSummary(ctx, account.id, range);
    await e.platform.services.analytics.userCumulate(ctx, account.id, range);
    await e.platform.services.analytics.upstreamMsg(ctx, account.id, range);
    console.log(`  datacube getusersummary + getusercumulate + getupstreammsg (7 days): ${fmt(ms(t))}`);
    const rows = await db.selectFrom('analytics_daily').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    console.log(`  analytics_daily rows: ${Number(rows.n).toLocaleString('en')}`);
  } finally {
    await e.close();
  }
}
