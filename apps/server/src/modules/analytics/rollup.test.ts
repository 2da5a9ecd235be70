import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestConsumer } from '../../testing/factories.ts';
import { cstDate } from '../../platform/time.ts';
import { countDays, cstDaySql } from './counts.ts';
import { cstDayStart, dayToDate, parseDay } from './range.ts';
import { closedThrough, readCells } from './rollup.ts';
import { eventWriter } from './test-events.ts';
import { sql } from 'kysely';

const DAYS = 10;
const Ev = fc.record({
  kind: fc.constantFrom('toggle', 'toggle', 'text', 'image', 'tap', 'scan', 'order'),
  consumer: fc.nat(5),
  dayBack: fc.nat(DAYS),
  minute: fc.nat(24 * 60 - 1),
  flag: fc.boolean(),
  amount: fc.integer({ min: 1, max: 9999 }),
});

describeOnBothDbs('analytics rollups equal a from-scratch recount', (env) => {
  it('random follows, messages, taps, scans and orders: charts = a recount in JS; the rollup rows = countDays from scratch', { timeout: 120_000 }, async () => {
    const e = env();
    const consumers: TestConsumer[] = [];
    for (let i = 0; i < 6; i++) consumers.push(await createConsumer(e));
    const db = e.platform.handle.db;
    await fc.assert(fc.asyncProperty(fc.array(Ev, { minLength: 150, maxLength: 250 }), async (raw) => {
      const m = await createMerchant(e); // one pay account per organisation: a fresh one per run
      const account = await createAccount(e, m);
      const pay = await e.platform.services.payMerchants.create(m.ctx, { appid: account.appid });
      const w = eventWriter(e, { accountId: account.id, orgId: m.orgId, appid: account.appid, mchId: pay.mchId });
      const today = parseDay(cstDate()) ?? 0;
      const now = Date.now() - 5000;
      // Distinct instants, never in the future; processed in time order.
      const evs = raw.map((x, i) => ({ ...x, at: Math.min(cstDayStart(today - x.dayBack).getTime() + x.minute * 60_000 + i, now - i) })).sort((a, b) => a.at - b.at);
      const dayOf = (at: number) => Math.floor((at + 8 * 3600_000) / 86_400_000);
      const ticket = await w.qrcode('s1', null);
      const ticket2 = await w.qrcode('s2', 'Second');
      const subscribed = new Set<number>();
      const lastScan = new Map<number, string>();
      const expect = { follows: new Map<number, [number, number]>(), msgs: new Map<string, Set<number> & { n?: number }>(), taps: 0, funnel: new Map<string, number[]>(), revenue: new Map<number, number>() };
      const funnel = (scene: string) => expect.funnel.get(scene) ?? (expect.funnel.set(scene, [0, 0, 0, 0]), expect.funnel.get(scene) ?? []);
      for (const x of evs) {
        const at = new Date(x.at);
        const c = consumers[x.consumer]?.id ?? '';
        const day = dayOf(x.at);
        if (x.kind === 'toggle') {
          const sub = !subscribed.has(x.consumer);
          await w.follow(c, sub ? 'subscribe' : 'unsubscribe', at);
          if (sub) subscribed.add(x.consumer);
          else subscribed.delete(x.consumer);
          const f = expect.follows.get(day) ?? [0, 0];
          f[sub ? 0 : 1] += 1;
          expect.follows.set(day, f);
        } else if (x.kind === 'text' || x.kind === 'image') {
          await w.message(c, x.kind, at);
          const key = `${day}|${x.kind}`;
          const s = expect.msgs.get(key) ?? Object.assign(new Set<number>(), { n: 0 });
          s.add(x.consumer);
          s.n = (s.n ?? 0) + 1;
          expect.msgs.set(key, s);
        } else if (x.kind === 'tap') {
          await w.tap(c, 'CLICK', 'k', at);
          expect.taps += 1;
        } else if (x.kind === 'scan') {
          const scene = x.flag ? 's1' : 's2';
          await w.scan(x.flag ? ticket : ticket2, c, x.amount % 2 === 0, at);
          lastScan.set(x.consumer, scene);
          funnel(scene)[0] += 1;
          if (x.amount % 2 === 0) funnel(scene)[1] += 1;
        } else {
          const paidAt = x.flag ? new Date(x.at) : null;
          await w.order(c, BigInt(x.amount), at, paidAt);
          const scene = lastScan.get(x.consumer);
          if (scene) {
            funnel(scene)[2] += 1;
            if (paidAt) funnel(scene)[3] += 1;
          }
          if (paidAt) expect.revenue.set(day, (expect.revenue.get(day) ?? 0) + x.amount);
        }
      }
      const from = today - DAYS;
      const res = await e.app.inject({ method: 'GET', url: `/api/v1/merchant/analytics/charts?from=${dayToDate(from)}&to=${dayToDate(today)}&accountId=${account.id}`, headers: m.headers });
      assert.equal(res.statusCode, 200, res.body);
      const charts = res.json() as import('./charts.ts').Charts;
      let cumulative = 0;
      charts.followers.forEach((f, i) => {
        const [n, lost] = expect.follows.get(from + i) ?? [0, 0];
        cumulative += n - lost;
        assert.deepEqual([f.new, f.lost, f.cumulative], [n, lost, cumulative], f.date);
      });
      assert.deepEqual(charts.messages.map((x) => [x.date, x.type, x.count, x.users]), [...expect.msgs].map(([k, s]) => {
        const [day, type] = k.split('|');
        return [dayToDate(Number(day)), type, s.n, s.size];
      }).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))));
      assert.equal(charts.menu.reduce((n, x) => n + x.clicks, 0), expect.taps);
      for (const s of charts.funnel.scenes) assert.deepEqual([s.scans, s.follows, s.orders, s.paid], expect.funnel.get(s.scene), s.scene);
      assert.deepEqual(charts.revenue.map((r) => r.paid), charts.revenue.map((_, i) => expect.revenue.get(from + i) ?? 0));

      // The stored rollup rows are exactly a from-scratch count of the closed days.
      const closed = closedThrough(Date.now());
      const stored = await db.selectFrom('analytics_daily').selectAll().where('account_id', '=', account.id).execute();
      const fresh = await countDays(db, account.id, m.orgId, 0, closed);
      const norm = (rows: Array<{ day: number; metric: string; dimension: string; value: bigint }>) => rows.map((r) => `${r.day}|${r.metric}|${r.dimension}|${r.value}`).sort();
      assert.deepEqual(norm(stored), norm(fresh));
      const mark = await db.selectFrom('analytics_rollups').select('rolled_through').where('account_id', '=', account.id).executeTakeFirstOrThrow();
      assert.equal(mark.rolled_through, closed);
      // Live + rollup over every day = one count over every day.
      const all = await readCells(db, [{ id: account.id, orgId: m.orgId }], 0, today, Date.now());
      assert.deepEqual(norm(all), norm(await countDays(db, account.id, m.orgId, 0, today)));
      // The SQL day of an instant agrees with the JS one at CST midnight.
      const { rows } = await sql<{ d: number }>`select ${cstDaySql(sql`${cstDayStart(today)}::timestamptz`)} as d`.execute(db);
      assert.equal(Number(rows[0]?.d), today);
    }), { numRuns: 3 });
  });
});
