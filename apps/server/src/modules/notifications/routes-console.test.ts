import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemContext } from '../../platform/context.ts';
import { randomString } from '../../platform/ids.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestAccount, type TestConsumer, type TestMerchant } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { multipart, samplePng } from '../media/samples.test-util.ts';

type Method = 'GET' | 'POST' | 'DELETE';
interface Res { status: number; raw: string; body: Record<string, unknown> & { error?: { code: string; message: string } } }
type Json = Record<string, unknown>;

async function call(e: TestEnv, method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const res = await e.app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, raw: res.body, body: res.body ? (JSON.parse(res.body) as Res['body']) : {} };
}

/** A member with `role`, signed in through the API. */
async function member(e: TestEnv, owner: TestMerchant, role: string): Promise<Record<string, string>> {
  const email = `${randomString(8).toLowerCase()}@member.test`;
  assert.equal((await call(e, 'POST', '/api/v1/merchant/staff', owner.headers, { email, name: role, role, password: 'member-pass-1' })).status, 201);
  const signed = await call(e, 'POST', '/api/v1/merchant/signin', {}, { email, password: 'member-pass-1' });
  return { authorization: `Bearer ${String(signed.body.token)}`, 'x-lianjie-session-kind': 'merchant' };
}

interface Shop { merchant: TestMerchant; account: TestAccount; consumers: TestConsumer[]; openids: string[] }
async function shop(e: TestEnv, n: number, type: 'service' | 'subscription' = 'service'): Promise<Shop> {
  const merchant = await createMerchant(e);
  const account = await createAccount(e, merchant, type);
  const consumers: TestConsumer[] = [];
  const openids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await createConsumer(e, `Diner ${i} ${randomString(4)}`);
    consumers.push(c);
    openids.push(await follow(e, c, account));
  }
  return { merchant, account, consumers, openids };
}

const thread = (e: TestEnv, c: TestConsumer, a: TestAccount) => e.platform.services.conversations.messages(c.ctx, a.id);
const base = (a: TestAccount) => `/api/v1/merchant/accounts/${a.id}`;

describeOnBothDbs('console templates and broadcasts (JSON API)', (env) => {
  it('templates: library, add, send to a follower (blocked: failed:user block), status, delete; bad input refused', async () => {
    const e = env();
    const s = await shop(e, 2);
    const h = s.merchant.headers;
    const [diner, blocker] = s.consumers;
    assert.ok(diner && blocker);
    const library = await call(e, 'GET', `${base(s.account)}/templates/library`, h);
    assert.equal(library.status, 200);
    assert.ok((library.body as unknown as Json[]).some((t) => t.shortId === 'LJ0001'));
    const added = await call(e, 'POST', `${base(s.account)}/templates`, h, { shortId: 'LJ0001' });
    assert.equal(added.status, 201, added.raw);
    const templateId = String(added.body.templateId);
    assert.match(String(added.body.content), /\{\{keyword1\.DATA\}\}/);
    // A template without any {{x.DATA}} field, or an unknown library id: refused, nothing added.
    assert.equal((await call(e, 'POST', `${base(s.account)}/templates`, h, { title: 'Plain', content: 'no fields' })).status, 400);
    assert.equal((await call(e, 'POST', `${base(s.account)}/templates`, h, { shortId: 'TM0000' })).status, 404);
    assert.equal(((await call(e, 'GET', `${base(s.account)}/templates`, h)).body as unknown as Json[]).length, 1);

    const data = { first: '您的订单已支付', keyword1: 'A001', keyword2: '¥36.00', keyword3: '12:00', remark: '谢谢' };
    const sent = await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, h, { openid: s.openids[0], url: 'https://shop.example.com/o/A001', data });
    assert.equal(sent.status, 201, sent.raw);
    assert.equal(sent.body.status, 'success');
    const last = (await thread(e, diner, s.account)).at(-1);
    assert.equal(last?.content.type, 'template');
    assert.deepEqual(last?.content.type === 'template' ? last.content.data.keyword1 : undefined, { value: 'A001' });
    const status = await call(e, 'GET', `${base(s.account)}/template-sends/${String(sent.body.msgid)}`, h);
    assert.deepEqual([status.status, status.body.status, status.body.openid], [200, 'success', s.openids[0]]);

    await e.platform.services.conversations.setBlocked(blocker.ctx, s.account.id, true);
    const refused = await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, h, { openid: s.openids[1], data });
    assert.equal(refused.body.status, 'failed:user block');
    assert.equal((await thread(e, blocker, s.account)).filter((m) => m.content.type === 'template').length, 0);

    // Bad input: unknown follower, a non-http url, an over-long value.
    assert.equal((await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, h, { openid: 'nobody', data })).status, 404);
    assert.equal((await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, h, { openid: s.openids[0], url: 'javascript:alert(1)', data })).status, 400);
    assert.equal((await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, h, { openid: s.openids[0], data: { first: 'x'.repeat(201) } })).status, 400);

    assert.equal((await call(e, 'DELETE', `${base(s.account)}/templates/${templateId}`, h)).status, 200);
    assert.equal((await call(e, 'DELETE', `${base(s.account)}/templates/${templateId}`, h)).status, 404);
  });

  it('another organisation gets nothing; a customer-service member is refused', async () => {
    const e = env();
    const s = await shop(e, 2);
    const other = await shop(e, 1);
    const added = await call(e, 'POST', `${base(s.account)}/templates`, s.merchant.headers, { shortId: 'LJ0002' });
    const templateId = String(added.body.templateId);
    const tpl = await call(e, 'POST', `${base(s.account)}/templates/${templateId}/send`, s.merchant.headers, { openid: s.openids[0], data: { first: 'hi' } });
    const job = await call(e, 'POST', `${base(s.account)}/broadcasts`, s.merchant.headers, { audience: { kind: 'all' }, message: { type: 'text', content: 'hello' } });
    assert.equal(job.status, 202, job.raw);
    const msgId = String(job.body.msgId);

    const h = other.merchant.headers;
    const probes: Array<[Method, string, unknown?]> = [
      ['GET', `${base(s.account)}/templates`],
      ['GET', `${base(s.account)}/templates/library`],
      ['POST', `${base(s.account)}/templates`, { shortId: 'LJ0001' }],
      ['DELETE', `${base(s.account)}/templates/${templateId}`],
      ['POST', `${base(s.account)}/templates/${templateId}/send`, { openid: s.openids[0], data: { first: 'x' } }],
      ['GET', `${base(s.account)}/template-sends/${String(tpl.body.msgid)}`],
      ['GET', `${base(s.account)}/broadcasts`],
      ['GET', `${base(s.account)}/broadcasts/${msgId}`],
      ['GET', `${base(s.account)}/broadcasts/quota`],
      ['GET', `${base(s.account)}/broadcasts/audiences`],
      ['GET', `${base(s.account)}/broadcasts/recipients?q=Diner`],
      ['POST', `${base(s.account)}/broadcasts/preview`, { openid: s.openids[0], message: { type: 'text', content: 'x' } }],
      ['POST', `${base(s.account)}/broadcasts`, { audience: { kind: 'all' }, message: { type: 'text', content: 'x' } }],
    ];
    for (const [m, url, body] of probes) assert.equal((await call(e, m, url, h, body)).status, 404, `${m} ${url}`);
    // Through its own account, the other org cannot reach the first one's broadcast or template send either.
    assert.equal((await call(e, 'GET', `${base(other.account)}/broadcasts/${msgId}`, h)).status, 404);
    assert.equal((await call(e, 'GET', `${base(other.account)}/template-sends/${String(tpl.body.msgid)}`, h)).status, 404);
    assert.deepEqual((await call(e, 'GET', `${base(other.account)}/broadcasts`, h)).body, []);
    assert.deepEqual((await call(e, 'GET', `${base(other.account)}/broadcasts/recipients?q=`, h)).body.length, 1);

    const cs = await member(e, s.merchant, 'cs');
    for (const [m, url, body] of probes) {
      const r = await call(e, m, url, cs, body);
      assert.equal(r.status, 403, `${m} ${url}`);
    }
    const operator = await member(e, s.merchant, 'operator');
    assert.equal((await call(e, 'GET', `${base(s.account)}/broadcasts/${msgId}`, operator)).status, 200);
  });

  it('bad broadcasts change nothing: empty text, a tag of another account, a foreign image; preview reaches one follower', async () => {
    const e = env();
    const s = await shop(e, 2, 'subscription');
    const other = await shop(e, 1);
    const h = s.merchant.headers;
    const otherTag = await e.platform.services.tags.create(other.merchant.ctx, other.account.id, 'VIP');
    const bad: unknown[] = [
      { audience: { kind: 'all' }, message: { type: 'text', content: '   ' } },
      { audience: { kind: 'tag', tagId: otherTag.id }, message: { type: 'text', content: 'hi' } },
      { audience: { kind: 'all' }, message: { type: 'news', title: '', url: 'https://x.example.com' } },
      { audience: { kind: 'all' }, message: { type: 'image', mediaId: 'not-mine' } },
      { audience: { kind: 'everyone' }, message: { type: 'text', content: 'hi' } },
    ];
    const statuses = [];
    for (const b of bad) statuses.push((await call(e, 'POST', `${base(s.account)}/broadcasts`, h, b)).status);
    assert.deepEqual(statuses, [400, 404, 400, 404, 400]);
    assert.equal(((await call(e, 'GET', `${base(s.account)}/broadcasts/quota`, h)).body as Json).usedToday, 0);
    assert.deepEqual((await call(e, 'GET', `${base(s.account)}/broadcasts`, h)).body, []);

    // Preview an article to one follower: at once, no quota used, not in the history.
    const article = { type: 'news', title: '新品上市', description: '本周六', url: 'https://shop.example.com/new', picUrl: 'https://shop.example.com/p.png' };
    const preview = await call(e, 'POST', `${base(s.account)}/broadcasts/preview`, h, { openid: s.openids[1], message: article });
    assert.equal(preview.status, 201, preview.raw);
    const [first, second] = s.consumers;
    assert.ok(first && second);
    assert.deepEqual((await thread(e, second, s.account)).at(-1)?.content, { type: 'news', articles: [{ title: '新品上市', description: '本周六', url: 'https://shop.example.com/new', picUrl: 'https://shop.example.com/p.png' }] });
    assert.equal((await thread(e, first, s.account)).filter((m) => m.source === 'mass').length, 0);
    assert.deepEqual((await call(e, 'GET', `${base(s.account)}/broadcasts`, h)).body, []);

    // An uploaded image broadcasts; a subscription account then has no quota left today (429).
    const form = multipart('media', 'a.png', await samplePng(), 'image/png');
    const upload = await e.app.inject({ method: 'POST', url: `${base(s.account)}/broadcasts/media`, headers: { ...h, ...form.headers }, payload: form.payload });
    assert.equal(upload.statusCode, 201, upload.body);
    const mediaId = String((upload.json() as Json).mediaId);
    const ok = await call(e, 'POST', `${base(s.account)}/broadcasts`, h, { audience: { kind: 'all' }, message: { type: 'image', mediaId } });
    assert.equal(ok.status, 202, ok.raw);
    const quota = (await call(e, 'GET', `${base(s.account)}/broadcasts/quota`, h)).body as Json;
    assert.deepEqual([quota.accountType, quota.perDay, quota.usedToday, quota.leftToday, quota.perFollowerMonth], ['subscription', 1, 1, 0, null]);
    assert.equal((await call(e, 'POST', `${base(s.account)}/broadcasts`, h, { audience: { kind: 'all' }, message: { type: 'text', content: 'again' } })).status, 429);
  });

  it('progress comes from the job rows: a broadcast to N followers reaches done with sent = N − blocked', async () => {
    const e = env();
    const n = 7;
    const s = await shop(e, n);
    const h = s.merchant.headers;
    const blocked = s.consumers.slice(0, 2);
    for (const c of blocked) await e.platform.services.conversations.setBlocked(c.ctx, s.account.id, true);
    const tag = await e.platform.services.tags.create(s.merchant.ctx, s.account.id, 'Regulars');
    await e.platform.services.tags.tag(s.merchant.ctx, s.account.id, tag.id, s.openids.slice(0, 3));
    const audiences = (await call(e, 'GET', `${base(s.account)}/broadcasts/audiences`, h)).body as { all: number; tags: Json[] };
    assert.equal(audiences.all, n);
    assert.equal(audiences.tags.find((t) => t.id === tag.id)?.count, 3);

    const job = await call(e, 'POST', `${base(s.account)}/broadcasts`, h, { audience: { kind: 'all' }, message: { type: 'text', content: '周末八折' } });
    assert.equal(job.status, 202, job.raw);
    const url = `${base(s.account)}/broadcasts/${String(job.body.msgId)}`;
    assert.deepEqual([job.body.done, job.body.status, job.body.sent], [false, 'sending', 0]);
    // One batch of 3: the report shows exactly what the rows say so far.
    await e.platform.services.mass.runJob(systemContext(), BigInt(String(job.body.msgId)), { batchSize: 3, maxBatches: 1 });
    const partial = (await call(e, 'GET', url, h)).body;
    assert.equal(partial.done, false);
    assert.equal(partial.total, n);
    assert.equal(Number(partial.sent) + Number(partial.filtered), 3);
    assert.equal(partial.pending, n - 3);
    await e.platform.worker.drain();
    const done = (await call(e, 'GET', url, h)).body;
    assert.deepEqual(
      { done: done.done, status: done.status, total: done.total, sent: done.sent, blocked: done.blocked, filtered: done.filtered, failed: done.failed, pending: done.pending },
      { done: true, status: 'success', total: n, sent: n - blocked.length, blocked: blocked.length, filtered: blocked.length, failed: 0, pending: 0 },
    );
    for (const [i, c] of s.consumers.entries()) {
      const got = (await thread(e, c, s.account)).filter((m) => m.source === 'mass').length;
      assert.equal(got, i < blocked.length ? 0 : 1);
    }
    const history = (await call(e, 'GET', `${base(s.account)}/broadcasts`, h)).body as unknown as Json[];
    assert.deepEqual(history.map((r) => [r.msgId, r.summary, r.sent]), [[job.body.msgId, '周末八折', n - blocked.length]]);
    const found = (await call(e, 'GET', `${base(s.account)}/broadcasts/recipients?q=${encodeURIComponent('Diner 4')}`, h)).body as unknown as Json[];
    assert.deepEqual(found.map((r) => r.openid), [s.openids[4]]);
  });
});
