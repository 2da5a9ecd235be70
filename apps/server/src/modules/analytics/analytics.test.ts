import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestAccount } from '../../testing/factories.ts';
import { cstDate } from '../../platform/time.ts';
import { cstDayStart, dayToDate, parseDay } from './range.ts';
import { call, sdkFor } from '../../testing/wechat-sdk.ts';

const HOUR = 3600_000;
const today = () => {
  const d = parseDay(cstDate());
  assert.ok(d !== undefined);
  return d;
};
/** `hh` hours (and `ms` milliseconds) into CST day `day`. */
const atCst = (day: number, hh: number, ms = 0) => new Date(cstDayStart(day).getTime() + hh * HOUR + ms);

async function insertEvent(e: TestEnv, accountId: string, consumerId: string, kind: 'subscribe' | 'unsubscribe', at: Date, scene: string | null = null) {
  await e.platform.handle.db
    .insertInto('follow_events')
    .values({ account_id: accountId, consumer_id: consumerId, openid: `o${randomUUID().replaceAll('-', '').slice(0, 27)}`, kind, scene: kind === 'subscribe' ? scene : null, qr_scene: null, at })
    .execute();
}

describeOnBothDbs('datacube user analytics', (env) => {
  // Range b..e is the five days before today; d0 is before the range.
  const b = today() - 5;
  const e = b + 4;
  const d0 = b - 3;
  let account: TestAccount;
  let token: string;

  before(async () => {
    const en = env();
    account = await createAccount(en, await createMerchant(en));
    token = await accessToken(en, account);
    const ev = (c: string, kind: 'subscribe' | 'unsubscribe', at: Date, scene?: string) => insertEvent(en, account.id, c, kind, at, scene ?? null);
    // Before the range: three followers.
    await ev('c1', 'subscribe', atCst(d0, 10), 'ADD_SCENE_SEARCH');
    await ev('c2', 'subscribe', atCst(d0, 10), 'ADD_SCENE_QR_CODE');
    await ev('c3', 'subscribe', atCst(d0, 11), 'ADD_SCENE_PROFILE_CARD');
    // Day b; c5 in its very last millisecond (15:59:59.999 UTC).
    await ev('c4', 'subscribe', atCst(b, 9), 'ADD_SCENE_QR_CODE');
    await ev('c5', 'subscribe', new Date(cstDayStart(b + 1).getTime() - 1), 'ADD_SCENE_SEARCH');
    // Day b+1 from CST midnight (16:00 UTC): c2 leaves (its subscription came from a QR code).
    await ev('c2', 'unsubscribe', cstDayStart(b + 1));
    await ev('c6', 'subscribe', atCst(b + 1, 8), 'ADD_SCENE_OTHERS');
    await ev('c7', 'subscribe', atCst(b + 1, 9), 'ADD_SCENE_ACCOUNT_MIGRATION');
    // Day b+3: c4 leaves (QR subscription) and comes back by search; c1 leaves.
    await ev('c4', 'unsubscribe', atCst(b + 3, 10));
    await ev('c4', 'subscribe', atCst(b + 3, 11), 'ADD_SCENE_PROFILE_LINK');
    await ev('c1', 'unsubscribe', atCst(b + 3, 12));
    // Today: never reported.
    await ev('c8', 'subscribe', new Date(), 'ADD_SCENE_SEARCH');
    // Day e: real follows through the platform, moved back to day e.
    const x = await createConsumer(en);
    const y = await createConsumer(en);
    await follow(en, x, account, { scene: 'ADD_SCENE_QR_CODE', qrScene: 7n });
    await follow(en, y, account, { scene: 'ADD_SCENE_SEARCH' });
    await en.platform.services.conversations.unfollow(y.ctx, account.id);
    const db = en.platform.handle.db;
    await db.updateTable('follow_events').set({ at: atCst(e, 12) }).where('consumer_id', 'in', [x.id, y.id]).where('kind', '=', 'subscribe').execute();
    await db.updateTable('follow_events').set({ at: atCst(e, 13) }).where('consumer_id', '=', y.id).where('kind', '=', 'unsubscribe').execute();
  });

  it('getusersummary: new and cancelled follows per CST day and WeChat user_source', async () => {
    assert.equal(cstDayStart(b + 1).getUTCHours(), 16, 'CST midnight is 16:00 UTC');
    const res = await wxPost(env(), '/datacube/getusersummary', token, { begin_date: dayToDate(b), end_date: dayToDate(e) });
    const row = (day: number, user_source: number, new_user: number, cancel_user: number) => ({ ref_date: dayToDate(day), user_source, new_user, cancel_user });
    assert.deepEqual(res.list, [
      row(b, 0, 0, 0),
      row(b, 1, 1, 0),
      row(b, 30, 1, 0),
      row(b + 1, 0, 2, 0),
      row(b + 1, 30, 0, 1),
      row(b + 2, 0, 0, 0),
      row(b + 3, 0, 0, 0),
      row(b + 3, 1, 0, 1),
      row(b + 3, 30, 0, 1),
      row(b + 3, 57, 1, 0),
      row(e, 0, 0, 0),
      row(e, 1, 1, 1),
      row(e, 30, 1, 0),
    ]);
  });

  it('getusercumulate: followers at the end of each day, continuous across calls', async () => {
    const cumulate = async (from: number, to: number) =>
      ((await wxPost(env(), '/datacube/getusercumulate', token, { begin_date: dayToDate(from), end_date: dayToDate(to) })).list as Array<{ ref_date: string; cumulate_user: number; user_source: number }>);
    const all = await cumulate(b, e);
    assert.deepEqual(all.map((r) => [r.ref_date, r.cumulate_user]), [
      [dayToDate(b), 5],
      [dayToDate(b + 1), 6],
      [dayToDate(b + 2), 6],
      [dayToDate(b + 3), 5],
      [dayToDate(e), 6],
    ]);
    assert.ok(all.every((r) => r.user_source === 0));
    // A later start carries the history before it; a day before everything is 0.
    assert.deepEqual((await cumulate(b + 1, b + 1)).map((r) => r.cumulate_user), [6]);
    assert.deepEqual((await cumulate(d0 - 1, d0 + 1)).map((r) => r.cumulate_user), [0, 3, 3]);
  });

  it('the day boundary is CST midnight: the last millisecond before it belongs to the previous day', async () => {
    const day = (d: number) => wxPost(env(), '/datacube/getusersummary', token, { begin_date: dayToDate(d), end_date: dayToDate(d) });
    assert.deepEqual((await day(b)).list, [
      { ref_date: dayToDate(b), user_source: 0, new_user: 0, cancel_user: 0 },
      { ref_date: dayToDate(b), user_source: 1, new_user: 1, cancel_user: 0 },
      { ref_date: dayToDate(b), user_source: 30, new_user: 1, cancel_user: 0 },
    ]);
    assert.deepEqual((await day(b + 1)).list, [
      { ref_date: dayToDate(b + 1), user_source: 0, new_user: 2, cancel_user: 0 },
      { ref_date: dayToDate(b + 1), user_source: 30, new_user: 0, cancel_user: 1 },
    ]);
  });

  it('refuses bad ranges with 61501, bad dates with 61500 and a malformed body with 47001', async () => {
    const en = env();
    const post = async (body: unknown) => (await wxPost(en, '/datacube/getusersummary', token, body)).errcode;
    const d = (n: number) => dayToDate(today() + n);
    assert.equal(await post({ begin_date: d(-1), end_date: d(0) }), 61501, 'today has no data yet');
    assert.equal(await post({ begin_date: d(-2), end_date: d(-3) }), 61501, 'end before begin');
    assert.equal(await post({ begin_date: d(-8), end_date: d(-1) }), 61501, '8 days');
    assert.equal(await post({ begin_date: d(-7), end_date: d(-1) }), undefined, '7 days are fine');
    assert.equal(await post({ begin_date: '2024-2-01', end_date: d(-1) }), 61500);
    assert.equal(await post({ begin_date: '2023-02-29', end_date: '2023-03-01' }), 61500);
    assert.equal(await post({ begin_date: d(-2) }), 47001);
    assert.equal(await post({ begin_date: 20240101, end_date: d(-1) }), 47001);
    const raw = await en.app.inject({ method: 'POST', url: `/datacube/getusercumulate?access_token=${token}`, payload: '{"begin_date":' });
    assert.equal(raw.json().errcode, 47001);
    assert.equal((await wxPost(en, '/datacube/getusercumulate', 'x'.repeat(128), { begin_date: d(-2), end_date: d(-1) })).errcode, 40001);
  });

  it("another merchant's token sees only its own account's numbers", async () => {
    const en = env();
    const mB = await createMerchant(en);
    const accountB = await createAccount(en, mB);
    await insertEvent(en, accountB.id, 'z1', 'subscribe', atCst(b, 12), 'ADD_SCENE_PROFILE_CARD');
    const tokenB = await accessToken(en, accountB);
    const range = { begin_date: dayToDate(b), end_date: dayToDate(b + 1) };
    assert.deepEqual((await wxPost(en, '/datacube/getusersummary', tokenB, range)).list, [
      { ref_date: dayToDate(b), user_source: 0, new_user: 0, cancel_user: 0 },
      { ref_date: dayToDate(b), user_source: 17, new_user: 1, cancel_user: 0 },
      { ref_date: dayToDate(b + 1), user_source: 0, new_user: 0, cancel_user: 0 },
    ]);
    assert.deepEqual(((await wxPost(en, '/datacube/getusercumulate', tokenB, range)).list as Array<{ cumulate_user: number }>).map((r) => r.cumulate_user), [1, 1]);
    // Nor can B's merchant read A's account through the service.
    const err = await en.platform.services.analytics.userSummary(mB.ctx, account.id, { beginDate: range.begin_date, endDate: range.end_date }).catch((x: { wxErrcode: number }) => x);
    assert.equal((err as { wxErrcode: number }).wxErrcode, 40003);
  });

  it('works with the unmodified wechat-api SDK', async () => {
    const api = sdkFor(env(), account);
    const summary = await call<{ list: Array<{ ref_date: string; user_source: number; new_user: number; cancel_user: number }> }>((cb) => api.getUserSummary(dayToDate(b + 3), dayToDate(b + 3), cb));
    assert.deepEqual(summary.list.map((r) => [r.user_source, r.new_user, r.cancel_user]), [[0, 0, 0], [1, 0, 1], [30, 0, 1], [57, 1, 0]]);
    const cumulate = await call<{ list: Array<{ ref_date: string; cumulate_user: number }> }>((cb) => api.getUserCumulate(dayToDate(b), dayToDate(e), cb));
    assert.deepEqual(cumulate.list.map((r) => r.cumulate_user), [5, 6, 6, 5, 6]);
    const err = await call((cb) => api.getUserCumulate(dayToDate(b), dayToDate(today()), cb)).catch((x: { code?: number }) => x);
    assert.equal((err as { code?: number }).code, 61501);
  });
}, { listen: true });
