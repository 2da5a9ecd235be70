import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAccount, createConsumer, createMerchant, follow, type TestMerchant } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { randomString } from '../../platform/ids.ts';
import { startMerchantStub } from '../../testing/merchant-stub.ts';
import { buildWechatXml, xmlText } from '../../wire/wechat/xml.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Res { status: number; raw: string; body: Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } }
type Conv = { openid: string; unread: number; needsAgent: boolean; status: string; assignee: { id: string } | null; window: { endsAt: string | null; repliesLeft: number; canReply: boolean; reason: string | null }; lastMessage: { id: string; content: { content?: string } } | null };

async function call(e: TestEnv, method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const res = await e.app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, raw: res.body, body: res.body ? (JSON.parse(res.body) as Res['body']) : {} };
}
const list = async (e: TestEnv, h: Record<string, string>, q = '') => {
  const res = await call(e, 'GET', `/api/v1/merchant/inbox/conversations${q}`, h);
  assert.equal(res.status, 200, res.raw);
  return JSON.parse(res.raw) as Conv[];
};

async function member(e: TestEnv, owner: TestMerchant, role: string): Promise<{ id: string; headers: Record<string, string> }> {
  const email = `${randomString(8).toLowerCase()}@member.test`;
  const invited = await call(e, 'POST', '/api/v1/merchant/staff', owner.headers, { email, name: `${role} member`, role, password: 'member-pass-1' });
  assert.equal(invited.status, 201, invited.raw);
  const signed = await call(e, 'POST', '/api/v1/merchant/signin', {}, { email, password: 'member-pass-1' });
  return { id: String(invited.body.id), headers: { authorization: `Bearer ${String(signed.body.token)}`, 'x-lianjie-session-kind': 'merchant' } };
}

/** An org with an account and a consumer who followed it and wrote `text`. */
async function setup(e: TestEnv, text = 'hello shop') {
  const owner = await createMerchant(e);
  const account = await createAccount(e, owner);
  const consumer = await createConsumer(e, `Nick ${randomString(4)}`);
  const openid = await follow(e, consumer, account);
  await e.platform.services.conversations.sendMessage(consumer.ctx, account.id, { type: 'text', content: text });
  return { owner, account, consumer, openid, thread: `/api/v1/merchant/inbox/conversations/${account.id}/${openid}` };
}

describeOnBothDbs('Inbox (console customer service)', (env) => {
  it('lists conversations with unread count and the 48 h window; other orgs see nothing; cs reads, finance is refused', async () => {
    const e = env();
    const s = await setup(e);
    const [c, ...rest] = await list(e, s.owner.headers);
    assert.equal(rest.length, 0);
    assert.ok(c);
    assert.equal(c.openid, s.openid);
    assert.equal(c.unread, 1);
    assert.equal(c.lastMessage?.content.content, 'hello shop');
    assert.equal(c.window.canReply, true);
    assert.equal(c.window.repliesLeft, 5);
    const follow = await e.platform.handle.db.selectFrom('follows').select('last_interaction_at').where('openid', '=', s.openid).executeTakeFirstOrThrow();
    assert.equal(c.window.endsAt, new Date((follow.last_interaction_at?.getTime() ?? 0) + 48 * 3600_000).toISOString());

    const other = await createMerchant(e);
    await createAccount(e, other);
    assert.deepEqual(await list(e, other.headers), []);
    assert.equal((await call(e, 'GET', s.thread, other.headers)).status, 404);
    assert.equal((await call(e, 'GET', `${s.thread}/messages`, other.headers)).status, 404);
    assert.equal((await call(e, 'POST', `${s.thread}/messages`, other.headers, { type: 'text', content: 'hi' })).status, 404);
    assert.equal((await call(e, 'GET', `/api/v1/merchant/inbox/conversations?accountId=${s.account.id}`, other.headers)).status, 404);

    const cs = await member(e, s.owner, 'cs');
    assert.equal((await list(e, cs.headers)).length, 1);
    const finance = await member(e, s.owner, 'finance');
    const refused = await call(e, 'GET', '/api/v1/merchant/inbox/conversations', finance.headers);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.details?.reason, 'ROLE_FORBIDS');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/inbox/conversations', {})).status, 401);
  });

  it('replies reach the consumer through customer service; the window expires after 48 h and counts 5 replies', async () => {
    const e = env();
    const s = await setup(e);
    const sent = await call(e, 'POST', `${s.thread}/messages`, s.owner.headers, { type: 'text', content: 'Hi, how can we help?' });
    assert.equal(sent.status, 201, sent.raw);
    assert.equal(sent.body.source, 'cs');
    const seen = await e.platform.services.conversations.messages(s.consumer.ctx, s.account.id);
    assert.deepEqual(seen.at(-1)?.content, { type: 'text', content: 'Hi, how can we help?' });
    assert.deepEqual(seen.map((m) => m.direction), ['in', 'out']);
    const msgs = await call(e, 'GET', `${s.thread}/messages`, s.owner.headers);
    assert.deepEqual((JSON.parse(msgs.raw) as { direction: string }[]).map((m) => m.direction), ['in', 'out']);

    assert.equal((await list(e, s.owner.headers))[0]?.window.repliesLeft, 4);
    const bad = await call(e, 'POST', `${s.thread}/messages`, s.owner.headers, { type: 'text', content: '   ' });
    assert.equal(bad.status, 400);
    for (let i = 0; i < 4; i++) assert.equal((await call(e, 'POST', `${s.thread}/messages`, s.owner.headers, { type: 'text', content: `more ${i}` })).status, 201);
    const [full] = await list(e, s.owner.headers);
    assert.deepEqual([full?.window.canReply, full?.window.reason, full?.window.repliesLeft], [false, 'REPLY_LIMIT', 0]);
    const sixth = await call(e, 'POST', `${s.thread}/messages`, s.owner.headers, { type: 'text', content: 'one too many' });
    assert.equal(sixth.body.error?.details?.reason, 'REPLY_LIMIT', sixth.raw);

    await e.platform.handle.db.updateTable('follows').set({ last_interaction_at: new Date(Date.now() - 49 * 3600_000) }).where('openid', '=', s.openid).execute();
    const [late] = await list(e, s.owner.headers);
    assert.deepEqual([late?.window.canReply, late?.window.reason], [false, 'WINDOW_EXPIRED']);
    const refused = await call(e, 'POST', `${s.thread}/messages`, s.owner.headers, { type: 'text', content: 'too late' });
    assert.equal(refused.status, 412, refused.raw);
    assert.equal(refused.body.error?.details?.reason, 'WINDOW_EXPIRED');
    assert.equal((await e.platform.services.conversations.messages(s.consumer.ctx, s.account.id)).length, 6);
  });

  it('assigns conversations (me / unassigned filters), closes and reopens them, marks them read', async () => {
    const e = env();
    const s = await setup(e);
    const cs = await member(e, s.owner, 'cs');
    const finance = await member(e, s.owner, 'finance');
    const other = await createMerchant(e);
    assert.equal((await list(e, cs.headers, '?assigned=me')).length, 0);
    assert.equal((await list(e, cs.headers, '?assigned=unassigned')).length, 1);
    const assigned = await call(e, 'PUT', `${s.thread}/assignee`, s.owner.headers, { userId: cs.id });
    assert.equal(assigned.status, 200, assigned.raw);
    assert.equal((assigned.body.assignee as { id: string }).id, cs.id);
    assert.equal((await list(e, cs.headers, '?assigned=me')).length, 1);
    assert.equal((await list(e, s.owner.headers, '?assigned=me')).length, 0);
    assert.equal((await list(e, s.owner.headers, '?assigned=unassigned')).length, 0);
    assert.equal((await call(e, 'PUT', `${s.thread}/assignee`, s.owner.headers, { userId: finance.id })).body.error?.details?.reason, 'ASSIGNEE_CANNOT_USE_INBOX');
    assert.equal((await call(e, 'PUT', `${s.thread}/assignee`, s.owner.headers, { userId: other.userId })).status, 404);
    assert.equal((await call(e, 'PUT', `${s.thread}/assignee`, other.headers, { userId: other.userId })).status, 404);

    const lastId = (await list(e, cs.headers))[0]?.lastMessage?.id ?? '0';
    const read = await call(e, 'POST', `${s.thread}/read`, cs.headers, { upTo: lastId });
    assert.equal(read.status, 200);
    assert.equal((await list(e, cs.headers))[0]?.unread, 0);
    assert.equal((await call(e, 'PUT', `${s.thread}/status`, cs.headers, { status: 'closed' })).body.status, 'closed');
    assert.equal((await list(e, cs.headers)).length, 0, JSON.stringify(await list(e, cs.headers)));
    assert.equal((await list(e, cs.headers, '?status=closed')).length, 1);
    await e.platform.services.conversations.sendMessage(s.consumer.ctx, s.account.id, { type: 'text', content: 'still there?' });
    const [again] = await list(e, cs.headers);
    assert.deepEqual([again?.status, again?.unread], ['open', 1]);
  });

  it('a transfer_customer_service passive reply from the merchant server marks the conversation as needing an agent until one answers', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const stub = await startMerchantStub(account, (push) => ({
      body: buildWechatXml({ ToUserName: xmlText(push.fields, 'FromUserName') ?? '', FromUserName: xmlText(push.fields, 'ToUserName') ?? '', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'transfer_customer_service' }),
    }));
    try {
      await e.platform.services.accounts.setCallback(owner.ctx, account.id, { url: stub.url, token: account.token, encodingAESKey: account.encodingAESKey, mode: 'plain' });
      const consumer = await createConsumer(e, 'Dan');
      const openid = await follow(e, consumer, account);
      await e.platform.services.conversations.sendMessage(consumer.ctx, account.id, { type: 'text', content: 'I need a human' });
      for (let i = 0; i < 5; i++) {
        await e.platform.handle.db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('status', '=', 'pending').execute();
        if ((await e.platform.worker.drain()) === 0) break;
      }
      assert.ok(stub.pushes.some((p) => xmlText(p.fields, 'Content') === 'I need a human'));
      const [c] = await list(e, owner.headers);
      assert.equal(c?.needsAgent, true, JSON.stringify(c));
      const thread = `/api/v1/merchant/inbox/conversations/${account.id}/${openid}`;
      const history = JSON.parse((await call(e, 'GET', `${thread}/messages`, owner.headers)).raw) as { content: { type: string; event?: string } }[];
      assert.deepEqual(history.at(-1)?.content, { type: 'event', event: 'transfer_customer_service' });
      assert.equal((await call(e, 'POST', `${thread}/messages`, owner.headers, { type: 'text', content: 'An agent here' })).status, 201);
      assert.equal((await list(e, owner.headers))[0]?.needsAgent, false);
    } finally {
      await stub.close();
    }
  });

  it('quick replies: CRUD per organisation, validated, invisible to other orgs', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const other = await createMerchant(e);
    const cs = await member(e, owner, 'cs');
    const base = '/api/v1/merchant/inbox/quick-replies';
    const created = await call(e, 'POST', base, cs.headers, { title: 'Hours', content: 'We open 9–18.' });
    assert.equal(created.status, 201, created.raw);
    const id = String(created.body.id);
    assert.equal((await call(e, 'POST', base, owner.headers, { title: '', content: 'x' })).status, 400);
    assert.deepEqual((JSON.parse((await call(e, 'GET', base, owner.headers)).raw) as { title: string }[]).map((q) => q.title), ['Hours']);
    assert.deepEqual(JSON.parse((await call(e, 'GET', base, other.headers)).raw), []);
    assert.equal((await call(e, 'PUT', `${base}/${id}`, other.headers, { title: 'x', content: 'y' })).status, 404);
    assert.equal((await call(e, 'DELETE', `${base}/${id}`, other.headers)).status, 404);
    const updated = await call(e, 'PUT', `${base}/${id}`, owner.headers, { title: 'Opening hours', content: 'We open 9–18.' });
    assert.equal(updated.body.title, 'Opening hours');
    assert.equal((await call(e, 'DELETE', `${base}/${id}`, owner.headers)).status, 200);
    assert.deepEqual(JSON.parse((await call(e, 'GET', base, owner.headers)).raw), []);
    const finance = await member(e, owner, 'finance');
    assert.equal((await call(e, 'GET', base, finance.headers)).status, 403);
  });
});
