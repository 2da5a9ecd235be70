import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { follow, wxGet, wxPost } from '../../testing/factories.ts';
import type { MerchantStub } from '../../testing/merchant-stub.ts';
import { call, errcodeOf, eventsOf, tenant, threadOf, withMerchantServer, type Tenant } from './test-support.ts';

type TemplateList = { template_list: Array<Record<string, string>> };
type Sent = { msgid: number };

const ORDER = { title: '订单支付成功', content: '{{first.DATA}}\n订单号：{{keyword1.DATA}}\n支付金额：{{keyword2.DATA}}\n{{remark.DATA}}', primaryIndustry: 'IT科技', deputyIndustry: '餐饮', example: '订单号：1' };
const DATA = { first: { value: '您的订单已支付', color: '#173177' }, keyword1: { value: '202401010001' }, keyword2: { value: '¥36.00' }, remark: { value: '欢迎再次光临' } };

describeOnBothDbs('template messages over the OA wire', (env) => {
  const stubs: MerchantStub[] = [];
  after(async () => {
    for (const s of stubs) await s.close();
  });
  const templateOf = async (t: Tenant) => (await env().platform.services.templates.create(t.merchant.ctx, t.account.id, ORDER)).templateId;

  it('lists, adds from the library and deletes private templates with wechat-api', async () => {
    const t = await tenant(env(), 0);
    const id = await templateOf(t);
    const listed = await call<TemplateList>((cb) => t.api.getAllPrivateTemplate(cb));
    assert.deepEqual(listed.template_list, [{ template_id: id, title: ORDER.title, primary_industry: ORDER.primaryIndustry, deputy_industry: ORDER.deputyIndustry, content: ORDER.content, example: ORDER.example }]);
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const added = await call<{ template_id: string }>((cb) => t.api.addTemplate('LJ0002', cb));
    assert.equal((await call<TemplateList>((cb) => t.api.getAllPrivateTemplate(cb))).template_list.length, 2);
    assert.equal(await errcodeOf(call((cb) => t.api.addTemplate('TM00015', cb))), 40037, "WeChat's library is not emulated");
    await call((cb) => t.api.delPrivateTemplate(added.template_id, cb));
    assert.equal(await errcodeOf(call((cb) => t.api.delPrivateTemplate(added.template_id, cb))), 40037);
    assert.deepEqual((await call<TemplateList>((cb) => t.api.getAllPrivateTemplate(cb))).template_list.map((x) => x.template_id), [id]);
  });

  it('sends with a msgid, writes the thread and pushes TEMPLATESENDJOBFINISH success', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const stub = await withMerchantServer(e, t);
    stubs.push(stub);
    const id = await templateOf(t);
    const r1 = await call<Sent>((cb) => t.api.sendTemplate(t.openids[0] ?? '', id, 'https://demo.test/orders/1', DATA, cb));
    const r2 = await call<Sent>((cb) => t.api.sendTemplate(t.openids[0] ?? '', id, undefined, DATA, cb));
    assert.ok(Number.isSafeInteger(r1.msgid) && r1.msgid > 1e9, `msgid ${r1.msgid}`);
    assert.notEqual(r1.msgid, r2.msgid);
    await e.platform.worker.drain();
    const events = eventsOf(stub, 'TEMPLATESENDJOBFINISH');
    assert.deepEqual(
      events.map((ev) => ({ to: ev.ToUserName, from: ev.FromUserName, type: ev.MsgType, id: ev.MsgID, status: ev.Status })),
      [r1, r2].map((r) => ({ to: t.account.originalId, from: t.openids[0], type: 'event', id: String(r.msgid), status: 'success' })),
    );
    assert.ok(events.every((ev) => /^\d{10}$/.test(ev.CreateTime ?? '')));
    const thread = (await threadOf(e, c, t)).filter((m) => m.source === 'template');
    assert.deepEqual(thread[0]?.content, { type: 'template', templateId: id, title: ORDER.title, url: 'https://demo.test/orders/1', data: DATA });
    assert.equal(thread.length, 2);
  });

  it('needs no 48 h window, but a follower: blocked → failed:user block and nothing delivered; unsubscribed → 43004', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const [blocker, gone] = t.consumers;
    assert.ok(blocker && gone);
    const stub = await withMerchantServer(e, t);
    stubs.push(stub);
    const id = await templateOf(t);
    await e.platform.handle.db.updateTable('follows').set({ last_interaction_at: new Date(Date.now() - 30 * 86400_000) }).where('account_id', '=', t.account.id).execute();
    await e.platform.services.conversations.setBlocked(blocker.ctx, t.account.id, true);
    const r = await call<Sent>((cb) => t.api.sendTemplate(t.openids[0] ?? '', id, undefined, DATA, cb));
    await e.platform.services.conversations.unfollow(gone.ctx, t.account.id);
    assert.equal(await errcodeOf(call((cb) => t.api.sendTemplate(t.openids[1] ?? '', id, undefined, DATA, cb))), 43004);
    await e.platform.worker.drain();
    assert.deepEqual(eventsOf(stub, 'TEMPLATESENDJOBFINISH').map((ev) => [ev.MsgID, ev.Status]), [[String(r.msgid), 'failed:user block']]);
    assert.equal((await threadOf(e, blocker, t)).filter((m) => m.source === 'template').length, 0);
  });

  it('counts 100 000 sends a day (45009)', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const id = await templateOf(t);
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await e.platform.handle.db.insertInto('api_quota_usage').values({ account_id: t.account.id, api: 'template_send', day, count: 99_999 }).execute();
    await call((cb) => t.api.sendTemplate(t.openids[0] ?? '', id, undefined, DATA, cb));
    assert.equal(await errcodeOf(call((cb) => t.api.sendTemplate(t.openids[0] ?? '', id, undefined, DATA, cb))), 45009);
  });

  it('bad input gets the protocol error and sends nothing', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const id = await templateOf(t);
    const cases = [
      [{ touser: t.openids[0], template_id: 'no-such-template', data: DATA }, 40037],
      [{ touser: t.openids[0], data: DATA }, 40037],
      [{ touser: 'oNOBODY', template_id: id, data: DATA }, 40003],
      [{ touser: t.openids[0], template_id: id, data: { first: { value: 'x'.repeat(201) } } }, 47003],
      [{ touser: t.openids[0], template_id: id, data: { first: 'not an object' } }, 47001],
      [{ touser: t.openids[0], template_id: id, data: [] }, 47001],
    ] as const;
    for (const [body, errcode] of cases) assert.equal((await wxPost(e, '/cgi-bin/message/template/send', t.token, body)).errcode, errcode, JSON.stringify(body));
    assert.equal((await wxPost(e, '/cgi-bin/template/api_add_template', t.token, {})).errcode, 40037);
    assert.equal((await wxPost(e, '/cgi-bin/template/del_private_template', t.token, { template_id: 42 })).errcode, 47001);
    await assert.rejects(e.platform.services.templates.create(t.merchant.ctx, t.account.id, { title: 'No fields', content: 'plain text' }));
    assert.equal((await threadOf(e, c, t)).length, 0);
    assert.equal((await e.platform.handle.db.selectFrom('template_sends').select('msgid').where('account_id', '=', t.account.id).execute()).length, 0);
    assert.equal((await wxGet(e, '/cgi-bin/template/get_all_private_template', t.token)).template_list instanceof Array, true);
  });

  it('an account holds at most 25 templates (45026)', async () => {
    const t = await tenant(env(), 0);
    for (let i = 0; i < 25; i++) await templateOf(t);
    assert.equal(await errcodeOf(call((cb) => t.api.addTemplate('LJ0001', cb))), 45026);
  });

  it("another merchant's token: A's openids are 40003, A's templates 40037, A's list invisible", async () => {
    const e = env();
    const a = await tenant(e, 1);
    const b = await tenant(e, 0);
    const [c] = a.consumers;
    assert.ok(c);
    const idA = await templateOf(a);
    const idB = await templateOf(b);
    const openidAtB = await follow(e, c, b.account);
    assert.equal(await errcodeOf(call((cb) => b.api.sendTemplate(a.openids[0] ?? '', idB, undefined, DATA, cb))), 40003);
    assert.equal(await errcodeOf(call((cb) => b.api.sendTemplate(openidAtB, idA, undefined, DATA, cb))), 40037);
    assert.equal(await errcodeOf(call((cb) => b.api.delPrivateTemplate(idA, cb))), 40037);
    assert.deepEqual((await call<TemplateList>((cb) => b.api.getAllPrivateTemplate(cb))).template_list.map((x) => x.template_id), [idB]);
    assert.equal((await threadOf(e, c, a)).filter((m) => m.source === 'template').length, 0);
    assert.equal((await e.platform.services.templates.list(a.merchant.ctx, a.account.id)).length, 1, "A's template is still there");
    await assert.rejects(e.platform.services.templates.create(b.merchant.ctx, a.account.id, ORDER), /not found/);
  });
}, { listen: true });
