import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestAccount, type TestMerchant } from '../../testing/factories.ts';
import { randomString } from '../../platform/ids.ts';
import { cstDate } from '../../platform/time.ts';
import type { Charts } from './charts.ts';
import { dayToDate, parseDay } from './range.ts';
import { atCst, eventWriter, type EventWriter } from './test-events.ts';

const today = () => parseDay(cstDate()) ?? 0;
const CHARTS = '/api/v1/merchant/analytics/charts';

async function get(e: TestEnv, headers: Record<string, string>, query: Record<string, string>) {
  const res = await e.app.inject({ method: 'GET', url: `${CHARTS}?${new URLSearchParams(query)}`, headers });
  return { status: res.statusCode, body: res.json() as Charts & { error?: { code: string; details?: { reason?: string } } } };
}

async function member(e: TestEnv, owner: TestMerchant, role: string): Promise<Record<string, string>> {
  const email = `${randomString(8).toLowerCase()}@member.test`;
  const payload = JSON.stringify({ email, name: `${role} member`, role, password: 'member-pass-1' });
  const invited = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/staff', headers: { ...owner.headers, 'content-type': 'application/json' }, payload });
  assert.equal(invited.statusCode, 201, invited.body);
  const signed = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email, password: 'member-pass-1' }) });
  return { authorization: `Bearer ${String((signed.json() as { token: string }).token)}`, 'x-lianjie-session-kind': 'merchant' };
}

describeOnBothDbs('analytics charts and datacube parity', (env) => {
  const b = today() - 6; // a week ending yesterday: b .. b+5 are closed days, today is live
  let owner: TestMerchant;
  let account: TestAccount;
  let second: TestAccount;
  let w: EventWriter;

  before(async () => {
    const e = env();
    owner = await createMerchant(e);
    account = await createAccount(e, owner);
    second = await createAccount(e, owner);
    const pay = await e.platform.services.payMerchants.create(owner.ctx, { appid: account.appid });
    w = eventWriter(e, { accountId: account.id, orgId: owner.orgId, appid: account.appid, mchId: pay.mchId });
    const [c1, c2, c3, c4] = await Promise.all([createConsumer(e), createConsumer(e), createConsumer(e), createConsumer(e)]);
    // Followers: 2 before the range; day b: +c3 (QR); day b+1: −c1; today: +c4.
    await w.follow(c1.id, 'subscribe', atCst(b - 3, 10));
    await w.follow(c2.id, 'subscribe', atCst(b - 2, 10));
    await w.follow(c3.id, 'subscribe', atCst(b, 9), 'ADD_SCENE_QR_CODE');
    await w.follow(c1.id, 'unsubscribe', atCst(b + 1, 9));
    await w.follow(c4.id, 'subscribe', new Date(Date.now() - 1000));
    // Messages: day b: 2 text (c2), 1 image (c3), 1 location (c3); day b+2: 1 text (c3).
    await w.message(c2.id, 'text', atCst(b, 11));
    await w.message(c2.id, 'text', atCst(b, 12));
    await w.message(c3.id, 'image', atCst(b, 13));
    await w.message(c3.id, 'location', atCst(b, 14));
    await w.message(c3.id, 'text', atCst(b + 2, 8));
    // Menu: 3 taps on "book" (named by the menu), 1 on a view URL.
    await e.platform.handle.db.insertInto('menus').values({ account_id: account.id, kind: 'default', buttons: JSON.stringify([{ type: 'click', name: 'Book a test drive', key: 'book' }, { name: 'More', sub_button: [{ type: 'view', name: 'Site', url: 'https://dealer.example/' }] }]), matchrule: null }).execute();
    for (const h of [9, 10, 11]) await w.tap(c2.id, 'CLICK', 'book', atCst(b + 1, h));
    await w.tap(c3.id, 'VIEW', 'https://dealer.example/', atCst(b + 1, 12));
    // The car-dealer funnel: scene "showroom" 3 scans → 2 follows → 2 orders → 1 paid; "flyer" 1 scan, nothing else.
    const showroom = await w.qrcode('showroom', 'Showroom door');
    const flyer = await w.qrcode('flyer', null);
    await w.scan(showroom, c1.id, false, atCst(b, 8));
    await w.scan(showroom, c3.id, true, atCst(b, 9));
    await w.scan(showroom, c4.id, true, atCst(b + 2, 9));
    await w.scan(flyer, c2.id, false, atCst(b + 2, 10));
    const o1 = await w.order(c3.id, 30000n, atCst(b + 2, 10), atCst(b + 2, 11));
    await w.order(c4.id, 50000n, atCst(b + 3, 10), null);
    await w.order(c2.id, 7000n, atCst(b + 1, 10), atCst(b + 1, 10)); // c2 scanned the flyer after ordering: not attributed
    await w.refund(o1, 10000n, atCst(b + 4, 10));
    // Pushes to the merchant's server.
    await w.pushAttempt('success', 120, atCst(b + 1, 9));
    await w.pushAttempt('failure', 5000, atCst(b + 1, 10));
    await w.pushAttempt('success', 80, atCst(b + 3, 10));
  });

  it('charts: followers, messages, menu clicks with button names, the QR funnel per scene and revenue', async () => {
    const res = await get(env(), owner.headers, { from: dayToDate(b), to: dayToDate(today()), accountId: account.id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const c = res.body;
    assert.deepEqual(c.followers.map((f) => [f.new, f.lost, f.net, f.cumulative]), [[1, 0, 1, 3], [0, 1, -1, 2], [0, 0, 0, 2], [0, 0, 0, 2], [0, 0, 0, 2], [0, 0, 0, 2], [1, 0, 1, 3]]);
    assert.deepEqual(c.messages, [
      { date: dayToDate(b), type: 'image', count: 1, users: 1 },
      { date: dayToDate(b), type: 'location', count: 1, users: 1 },
      { date: dayToDate(b), type: 'text', count: 2, users: 1 },
      { date: dayToDate(b + 2), type: 'text', count: 1, users: 1 },
    ]);
    assert.deepEqual(c.menu, [
      { event: 'CLICK', key: 'book', name: 'Book a test drive', clicks: 3 },
      { event: 'VIEW', key: 'https://dealer.example/', name: 'Site', clicks: 1 },
    ]);
    assert.deepEqual(c.funnel.scenes, [
      { scene: 'showroom', name: 'Showroom door', scans: 3, follows: 2, orders: 2, paid: 1 },
      { scene: 'flyer', name: null, scans: 1, follows: 0, orders: 0, paid: 0 },
    ]);
    assert.deepEqual(c.funnel.overall, { scans: 4, follows: 2, orders: 2, paid: 1 });
    const rev = new Map(c.revenue.map((r) => [r.date, r]));
    assert.deepEqual(rev.get(dayToDate(b + 1)), { date: dayToDate(b + 1), orders: 1, paid: 7000, refunds: 0, refundCount: 0, net: 7000 });
    assert.deepEqual(rev.get(dayToDate(b + 2)), { date: dayToDate(b + 2), orders: 1, paid: 30000, refunds: 0, refundCount: 0, net: 30000 });
    assert.deepEqual(rev.get(dayToDate(b + 4)), { date: dayToDate(b + 4), orders: 0, paid: 0, refunds: 10000, refundCount: 1, net: -10000 });
    // A narrower range: the cumulative base carries the history before it.
    const narrow = await get(env(), owner.headers, { from: dayToDate(b + 2), to: dayToDate(b + 3), accountId: account.id });
    assert.deepEqual(narrow.body.followers.map((f) => f.cumulative), [2, 2]);
    assert.deepEqual(narrow.body.funnel.overall, { scans: 2, follows: 1, orders: 2, paid: 1 });
    // All accounts = this one (the second has nothing) — and the second alone is empty.
    const all = await get(env(), owner.headers, { from: dayToDate(b), to: dayToDate(today()) });
    assert.deepEqual(all.body, c);
    const empty = await get(env(), owner.headers, { from: dayToDate(b), to: dayToDate(today()), accountId: second.id });
    assert.deepEqual([empty.body.messages, empty.body.menu, empty.body.funnel.scenes], [[], [], []]);
    assert.ok(empty.body.followers.every((f) => f.cumulative === 0) && empty.body.revenue.every((r) => r.paid === 0));
  });

  it('the datacube endpoints return the same numbers as the charts', async () => {
    const e = env();
    const token = await accessToken(e, account);
    const range = { begin_date: dayToDate(b), end_date: dayToDate(b + 5) };
    const chart = (await get(e, owner.headers, { from: range.begin_date, to: range.end_date, accountId: account.id })).body;
    const summary = (await wxPost(e, '/datacube/getusersummary', token, range)).list as Array<{ ref_date: string; new_user: number; cancel_user: number }>;
    for (const f of chart.followers) {
      const day = summary.filter((r) => r.ref_date === f.date);
      assert.equal(day.reduce((n, r) => n + r.new_user, 0), f.new, f.date);
      assert.equal(day.reduce((n, r) => n + r.cancel_user, 0), f.lost, f.date);
    }
    const cumulate = (await wxPost(e, '/datacube/getusercumulate', token, range)).list as Array<{ cumulate_user: number }>;
    assert.deepEqual(cumulate.map((r) => r.cumulate_user), chart.followers.map((f) => f.cumulative));
    const upstream = (await wxPost(e, '/datacube/getupstreammsg', token, range)).list;
    const code: Record<string, number> = { text: 1, image: 2 };
    assert.deepEqual(upstream, chart.messages.filter((m) => m.type in code).map((m) => ({ ref_date: m.date, msg_type: code[m.type], msg_user: m.users, msg_count: m.count })).sort((x, y) => x.ref_date.localeCompare(y.ref_date) || x.msg_type - y.msg_type));
    assert.deepEqual((await wxPost(e, '/datacube/getinterfacesummary', token, range)).list, [
      { ref_date: dayToDate(b + 1), callback_count: 2, fail_count: 1, total_time_cost: 5120, max_time_cost: 5000 },
      { ref_date: dayToDate(b + 3), callback_count: 1, fail_count: 0, total_time_cost: 80, max_time_cost: 80 },
    ]);
    assert.equal((await wxPost(e, '/datacube/getupstreammsg', token, { begin_date: dayToDate(b - 2), end_date: dayToDate(b + 5) })).errcode, 61501, 'getupstreammsg: 7 days at most');
    assert.equal((await wxPost(e, '/datacube/getinterfacesummary', token, { begin_date: dayToDate(b - 24), end_date: dayToDate(b + 5) })).errcode, undefined, 'getinterfacesummary: 30 days');
    assert.equal((await wxPost(e, '/datacube/getinterfacesummary', token, { begin_date: dayToDate(b - 25), end_date: dayToDate(b + 5) })).errcode, 61501);
    assert.equal((await wxPost(e, '/datacube/getupstreammsg', token, { begin_date: 'x', end_date: dayToDate(b) })).errcode, 61500);
  });

  it('another organisation gets nothing; cs is refused, finance and operator read; bad ranges are 400', async () => {
    const e = env();
    const q = { from: dayToDate(b), to: dayToDate(b + 5) };
    const other = await createMerchant(e);
    assert.equal((await get(e, other.headers, { ...q, accountId: account.id })).status, 404);
    const theirs = await get(e, other.headers, q);
    assert.equal(theirs.status, 200);
    assert.deepEqual([theirs.body.funnel.overall, theirs.body.messages, theirs.body.menu], [{ scans: 0, follows: 0, orders: 0, paid: 0 }, [], []]);
    assert.ok(theirs.body.revenue.every((r) => r.paid === 0 && r.refunds === 0) && theirs.body.followers.every((f) => f.cumulative === 0));
    const otherToken = await accessToken(e, await createAccount(e, other));
    assert.deepEqual((await wxPost(e, '/datacube/getinterfacesummary', otherToken, { begin_date: q.from, end_date: q.to })).list, []);

    const cs = await get(e, await member(e, owner, 'cs'), { ...q, accountId: account.id });
    assert.equal(cs.status, 403);
    assert.equal(cs.body.error?.details?.reason, 'ROLE_FORBIDS');
    for (const role of ['finance', 'operator']) {
      const r = await get(e, await member(e, owner, role), { ...q, accountId: account.id });
      assert.equal(r.status, 200, role);
      assert.equal(r.body.funnel.overall.scans, 4);
    }
    assert.equal((await get(e, {}, q)).status, 401);

    const bad = async (query: Record<string, string>) => {
      const r = await get(e, owner.headers, query);
      assert.equal(r.status, 400, JSON.stringify(query));
      return r.body.error;
    };
    assert.equal((await bad({ from: '2026-02-30', to: dayToDate(b) }))?.details?.reason, 'BAD_RANGE');
    assert.equal((await bad({ from: dayToDate(b + 1), to: dayToDate(b) }))?.details?.reason, 'BAD_RANGE');
    assert.equal((await bad({ from: dayToDate(today() - 366), to: dayToDate(today()) }))?.details?.reason, 'BAD_RANGE');
    assert.equal((await bad({ from: dayToDate(today()), to: dayToDate(today() + 1) }))?.details?.reason, 'BAD_RANGE');
    await bad({ from: dayToDate(b) });
    assert.equal((await get(e, owner.headers, { from: dayToDate(today() - 365), to: dayToDate(today()) })).status, 200, '366 days are fine');
  });

  it('real traffic today (a follow, a message, a menu tap) is counted live', async () => {
    const e = env();
    const q = { from: dayToDate(today()), to: dayToDate(today()), accountId: account.id };
    const before = (await get(e, owner.headers, q)).body;
    const c = await createConsumer(e);
    await follow(e, c, account);
    await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'hello' });
    await e.platform.services.menus.tap(c.ctx, account.id, { path: [0] });
    const after = (await get(e, owner.headers, q)).body;
    assert.equal(after.followers[0]?.new, (before.followers[0]?.new ?? 0) + 1);
    assert.equal(after.followers[0]?.cumulative, (before.followers[0]?.cumulative ?? 0) + 1);
    assert.deepEqual(after.messages, [{ date: q.from, type: 'text', count: 1, users: 1 }]);
    assert.deepEqual(after.menu, [{ event: 'CLICK', key: 'book', name: 'Book a test drive', clicks: 1 }]);
  });
});
