import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { systemContext } from '../../platform/context.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { wxPost } from '../../testing/factories.ts';
import type { MerchantStub } from '../../testing/merchant-stub.ts';
import { quotaUsed } from '../accounts/quota.ts';
import { call, errcodeOf, eventsOf, tenant, threadOf, withMerchantServer, type Tenant } from './test-support.ts';

type Submitted = { errcode: number; errmsg: string; msg_id: number; msg_data_id?: number };
type Status = { msg_id: number; msg_status: string };

const massTexts = async (e: TestEnv, t: Tenant, i: number) => (await threadOf(e, t.consumers[i] ?? assert.fail('no consumer'), t)).filter((m) => m.source === 'mass').map((m) => m.content);
const finishedOf = (stub: MerchantStub) =>
  eventsOf(stub, 'MASSSENDJOBFINISH').map((ev) => ({ id: ev.MsgID, from: ev.FromUserName, status: ev.Status, total: ev.TotalCount, filter: ev.FilterCount, sent: ev.SentCount, errors: ev.ErrorCount }));

describeOnBothDbs('mass messages over the OA wire', (env) => {
  const stubs: MerchantStub[] = [];
  after(async () => {
    for (const s of stubs) await s.close();
  });
  const server = async (t: Tenant) => {
    const s = await withMerchantServer(env(), t);
    stubs.push(s);
    return s;
  };

  it('sendall to everyone: a background job skips who blocked the account and reports MASSSENDJOBFINISH', async () => {
    const e = env();
    const t = await tenant(e, 4);
    const stub = await server(t);
    const [, blocker, , gone] = t.consumers;
    assert.ok(blocker && gone);
    await e.platform.services.conversations.setBlocked(blocker.ctx, t.account.id, true);
    await e.platform.services.conversations.unfollow(gone.ctx, t.account.id);
    const r = await call<Submitted>((cb) => t.api.massSendText('本周六全场八折 🎉', true, cb));
    assert.equal(r.errmsg, 'send job submission success');
    assert.ok(Number.isSafeInteger(r.msg_id) && r.msg_id > 1e9);
    assert.equal(r.msg_data_id, undefined, 'only news has a msg_data_id');
    assert.equal((await call<Status>((cb) => t.api.getMassMessageStatus(r.msg_id, cb))).msg_status, 'SENDING');
    await e.platform.worker.drain();
    assert.deepEqual(await call<Status>((cb) => t.api.getMassMessageStatus(r.msg_id, cb)), { msg_id: r.msg_id, msg_status: 'SEND_SUCCESS' });
    // Who unfollowed is no longer in "everyone"; FilterCount is who remained after filtering (= sent + errors).
    assert.deepEqual(finishedOf(stub), [{ id: String(r.msg_id), from: 'mphelper', status: 'send success', total: '3', filter: '2', sent: '2', errors: '0' }]);
    assert.deepEqual(await massTexts(e, t, 0), [{ type: 'text', content: '本周六全场八折 🎉' }]);
    assert.deepEqual(await massTexts(e, t, 1), [], 'blocked');
    assert.deepEqual(await massTexts(e, t, 2), [{ type: 'text', content: '本周六全场八折 🎉' }]);
    const progress = await e.platform.services.mass.progress(t.merchant.ctx, t.account.id, BigInt(r.msg_id));
    assert.deepEqual({ status: progress.status, total: progress.total, sent: progress.sent, filtered: progress.filtered, errors: progress.errors }, { status: 'success', total: 3, sent: 2, filtered: 1, errors: 0 });
  });

  it('send to an openid list counts who unfollowed as filtered; by tag reaches only its members', async () => {
    const e = env();
    const t = await tenant(e, 4);
    const stub = await server(t);
    const [, , gone] = t.consumers;
    assert.ok(gone);
    await e.platform.services.conversations.unfollow(gone.ctx, t.account.id);
    const list = await call<Submitted>((cb) => t.api.massSendText('to a list', [t.openids[0] ?? '', t.openids[2] ?? '', t.openids[0] ?? ''], cb));
    const tag = await call<{ tag: { id: number } }>((cb) => t.api.createTag('VIP', cb));
    await call((cb) => t.api.membersBatchtagging(tag.tag.id, [t.openids[1] ?? '', t.openids[3] ?? ''], cb));
    const byTag = await wxPost(e, '/cgi-bin/message/mass/sendall', t.token, { filter: { is_to_all: false, tag_id: tag.tag.id }, msgtype: 'text', text: { content: 'VIP only' } });
    // wechat-api's massSend(opts, tagId) still says filter.group_id.
    const byGroup = await call<Submitted>((cb) => t.api.massSendText('VIP again', tag.tag.id, cb));
    await e.platform.worker.drain();
    const done = finishedOf(stub);
    assert.deepEqual(done.find((d) => d.id === String(list.msg_id)), { id: String(list.msg_id), from: 'mphelper', status: 'send success', total: '2', filter: '1', sent: '1', errors: '0' });
    for (const id of [byTag.msg_id, byGroup.msg_id]) assert.deepEqual(done.find((d) => d.id === String(id))?.sent, '2');
    assert.deepEqual((await massTexts(e, t, 0)).length, 1);
    // The two jobs run side by side: their order in the thread is not fixed.
    assert.deepEqual((await massTexts(e, t, 1)).map((c) => (c.type === 'text' ? c.content : '')).sort(), ['VIP again', 'VIP only']);
    assert.equal((await wxPost(e, '/cgi-bin/message/mass/sendall', t.token, { filter: { is_to_all: false, tag_id: 9999 }, msgtype: 'text', text: { content: 'x' } })).errcode, 45159);
  });

  it('preview reaches one follower at once and uses no quota; news carries msg_data_id; delete withdraws', async () => {
    const e = env();
    const t = await tenant(e, 2, 'subscription');
    const [first, second] = t.consumers;
    assert.ok(first && second);
    const p = await call<Submitted>((cb) => t.api.previewText(t.openids[0] ?? '', '预览', cb));
    assert.deepEqual(await massTexts(e, t, 0), [{ type: 'text', content: '预览' }]);
    assert.equal((await call<Status>((cb) => t.api.getMassMessageStatus(p.msg_id, cb))).msg_status, 'SEND_SUCCESS');
    assert.equal(await quotaUsed(e.platform.handle.db, t.account.id, 'mass_send'), 0);
    await e.platform.services.conversations.unfollow(second.ctx, t.account.id);
    assert.equal(await errcodeOf(call((cb) => t.api.previewText(t.openids[1] ?? '', 'x', cb))), 43004);
    const news = await call<Submitted>((cb) => t.api.massSendNews('NEWS_MEDIA_ID', true, cb));
    assert.ok(news.msg_data_id !== undefined && news.msg_data_id !== news.msg_id);
    await e.platform.worker.drain();
    const card = (await massTexts(e, t, 0))[1];
    assert.equal(card?.type, 'news', 'mpnews arrives as a news card (placeholder articles)');
    await call((cb) => t.api.deleteMass(news.msg_id, cb));
    assert.equal((await call<Status>((cb) => t.api.getMassMessageStatus(news.msg_id, cb))).msg_status, 'DELETE');
  });

  it('subscription accounts: one mass send a day (45028)', async () => {
    const e = env();
    const t = await tenant(e, 2, 'subscription');
    await call((cb) => t.api.massSendText('today', true, cb));
    assert.equal(await errcodeOf(call((cb) => t.api.massSendText('again', true, cb))), 45028);
    assert.equal(await errcodeOf(call((cb) => t.api.massSendText('again', t.openids, cb))), 45028);
    await e.platform.worker.drain();
    assert.equal((await massTexts(e, t, 0)).length, 1);
  });

  it('service accounts: a follower receives at most 4 a month, the rest counted as filtered', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const stub = await server(t);
    for (let i = 1; i <= 4; i++) await call((cb) => t.api.massSendText(`news ${i}`, [t.openids[0] ?? '', t.openids[1] ?? ''], cb));
    await e.platform.worker.drain();
    const fifth = await call<Submitted>((cb) => t.api.massSendText('news 5', true, cb));
    await e.platform.worker.drain();
    assert.deepEqual(finishedOf(stub).find((d) => d.id === String(fifth.msg_id)), { id: String(fifth.msg_id), from: 'mphelper', status: 'send success', total: '2', filter: '0', sent: '0', errors: '0' });
    assert.equal((await massTexts(e, t, 0)).length, 4);
    await call((cb) => t.api.previewText(t.openids[0] ?? '', 'a preview still arrives', cb));
    assert.equal((await massTexts(e, t, 0)).length, 5);
  });

  it('clientmsgid dedupes a submission (45065 names the first job)', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'once' }, clientmsgid: 'promo-2024-06' };
    const first = await wxPost(e, '/cgi-bin/message/mass/sendall', t.token, body);
    assert.equal(first.errcode, 0);
    const again = await wxPost(e, '/cgi-bin/message/mass/send', t.token, { ...body, touser: t.openids });
    assert.deepEqual({ errcode: again.errcode, msg_id: again.msg_id }, { errcode: 45065, msg_id: first.msg_id });
    assert.match(String(again.errmsg), /^clientmsgid exist/);
    assert.equal((await wxPost(e, '/cgi-bin/message/mass/sendall', t.token, { ...body, clientmsgid: 'x'.repeat(65) })).errcode, 45067);
    await e.platform.worker.drain();
    assert.equal((await massTexts(e, t, 0)).length, 1);
  });

  it('a job resumes where it stopped: batches are their own transactions, nobody gets it twice', async () => {
    const e = env();
    const t = await tenant(e, 5);
    const stub = await server(t);
    const r = await call<Submitted>((cb) => t.api.massSendText('resumable', true, cb));
    // One batch of two, then the worker "crashes" (the outbox row stays pending, as after a lost lease).
    assert.equal(await e.platform.services.mass.runJob(systemContext(), BigInt(r.msg_id), { batchSize: 2, maxBatches: 1 }), 'more');
    const mid = await e.platform.services.mass.progress(t.merchant.ctx, t.account.id, BigInt(r.msg_id));
    assert.deepEqual({ status: mid.status, total: mid.total, sent: mid.sent }, { status: 'sending', total: 5, sent: 2 });
    await e.platform.worker.drain();
    for (let i = 0; i < 5; i++) assert.deepEqual(await massTexts(e, t, i), [{ type: 'text', content: 'resumable' }], `consumer ${i}`);
    assert.deepEqual(finishedOf(stub).map((d) => [d.id, d.sent]), [[String(r.msg_id), '5']]);
    await assert.rejects(e.platform.services.mass.runJob(t.merchant.ctx, BigInt(r.msg_id)), /system only/);
  });

  it('a job deleted while sending stops; a job the worker gives up on ends SEND_FAIL and the merchant is told', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const stub = await server(t);
    const deleted = await call<Submitted>((cb) => t.api.massSendText('withdrawn', true, cb));
    await call((cb) => t.api.deleteMass(deleted.msg_id, cb));
    const failing = await call<Submitted>((cb) => t.api.massSendText('never delivered', true, cb));
    // What the outbox worker does after the last failed attempt of the job's row.
    await e.platform.handle.db.transaction().execute((tx) => e.platform.services.mass.failJob(systemContext(), tx, BigInt(failing.msg_id)));
    await e.platform.worker.drain();
    assert.equal((await call<Status>((cb) => t.api.getMassMessageStatus(deleted.msg_id, cb))).msg_status, 'DELETE');
    assert.equal((await call<Status>((cb) => t.api.getMassMessageStatus(failing.msg_id, cb))).msg_status, 'SEND_FAIL');
    assert.deepEqual(await massTexts(e, t, 0), []);
    assert.deepEqual(finishedOf(stub), [{ id: String(failing.msg_id), from: 'mphelper', status: 'send fail', total: '0', filter: '0', sent: '0', errors: '0' }]);
  });

  it('bad input gets the protocol error and changes nothing', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const [a, b] = t.openids;
    const cases = [
      ['/cgi-bin/message/mass/send', { touser: [a], msgtype: 'text', text: { content: 'x' } }, 40130],
      ['/cgi-bin/message/mass/send', { touser: [a, 'oNOBODY'], msgtype: 'text', text: { content: 'x' } }, 40003],
      ['/cgi-bin/message/mass/send', { touser: a, msgtype: 'text', text: { content: 'x' } }, 47001],
      ['/cgi-bin/message/mass/send', { touser: [a, b], msgtype: 'wxcard', wxcard: { card_id: 'c' } }, 40008],
      ['/cgi-bin/message/mass/send', { touser: [a, b], msgtype: 'text', text: { content: ' ' } }, 44004],
      ['/cgi-bin/message/mass/send', { touser: [a, b], msgtype: 'image', image: { media_id: 'NOT_MINE' } }, 40007],
      ['/cgi-bin/message/mass/sendall', { msgtype: 'text', text: { content: 'x' } }, 47003],
      ['/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'mpnews' }, 47003],
      ['/cgi-bin/message/mass/preview', { touser: 'oNOBODY', msgtype: 'text', text: { content: 'x' } }, 40003],
      ['/cgi-bin/message/mass/get', { msg_id: 'abc' }, 47001],
      ['/cgi-bin/message/mass/get', { msg_id: 1 }, 47001],
      ['/cgi-bin/message/mass/delete', {}, 47001],
    ] as const;
    for (const [path, body, errcode] of cases) assert.equal((await wxPost(e, path, t.token, body)).errcode, errcode, `${path} ${JSON.stringify(body)}`);
    const malformed = await e.app.inject({ method: 'POST', url: `/cgi-bin/message/mass/sendall?access_token=${t.token}`, payload: '{"filter":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.json().errcode, 47001);
    assert.equal((await e.platform.handle.db.selectFrom('mass_jobs').select('id').where('account_id', '=', t.account.id).execute()).length, 0);
    assert.equal(await quotaUsed(e.platform.handle.db, t.account.id, 'mass_send'), 0);
    assert.equal(await e.platform.worker.drain(), 0);
  });

  it("another merchant's token: A's openids are 40003, A's jobs unknown to B", async () => {
    const e = env();
    const a = await tenant(e, 2);
    const b = await tenant(e, 2);
    assert.equal(await errcodeOf(call((cb) => b.api.massSendText('spam', a.openids, cb))), 40003);
    assert.equal(await errcodeOf(call((cb) => b.api.previewText(a.openids[0] ?? '', 'spam', cb))), 40003);
    const r = await call<Submitted>((cb) => a.api.massSendText('mine', true, cb));
    assert.equal(await errcodeOf(call((cb) => b.api.getMassMessageStatus(r.msg_id, cb))), 47001);
    assert.equal(await errcodeOf(call((cb) => b.api.deleteMass(r.msg_id, cb))), 47001);
    await assert.rejects(e.platform.services.mass.progress(b.merchant.ctx, a.account.id, BigInt(r.msg_id)));
    await e.platform.worker.drain();
    assert.equal((await call<Status>((cb) => a.api.getMassMessageStatus(r.msg_id, cb))).msg_status, 'SEND_SUCCESS');
    assert.equal((await massTexts(e, a, 0)).length, 1);
    assert.equal((await massTexts(e, b, 0)).length, 0);
  });
}, { listen: true });
