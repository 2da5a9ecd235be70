import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestAccount, type TestMerchant } from '../../testing/factories.ts';
import { startMerchantStub, textReply, type MerchantStub } from '../../testing/merchant-stub.ts';
import { xmlText } from '../../wire/wechat/xml.ts';
import { SERVICE_UNAVAILABLE_NOTICE } from './model.ts';
import type { MsgMode } from '../accounts/tables.ts';

const stubs: MerchantStub[] = [];
after(async () => {
  await Promise.all(stubs.map((s) => s.close()));
});

async function accountWithServer(env: TestEnv, mode: MsgMode = 'plain'): Promise<{ merchant: TestMerchant; account: TestAccount; stub: MerchantStub }> {
  const merchant = await createMerchant(env);
  const account = await createAccount(env, merchant);
  const stub = await startMerchantStub(account, (push) => ({ body: textReply(push, `echo: ${xmlText(push.fields, 'Content') ?? xmlText(push.fields, 'Event')}`) }));
  stubs.push(stub);
  await env.platform.services.accounts.setCallback(merchant.ctx, account.id, { url: stub.url, token: account.token, encodingAESKey: account.encodingAESKey, mode });
  return { merchant, account, stub };
}

/** Makes every pending outbox row due now and delivers. */
async function deliverAll(env: TestEnv): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await env.platform.handle.db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('status', '=', 'pending').execute();
    if ((await env.platform.worker.drain()) === 0) break;
  }
}

describeOnBothDbs('consumer ↔ merchant messaging', (env) => {
  it('without a callback URL: the welcome message and keyword auto-replies answer', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    await e.platform.services.accounts.updateProfile(m.ctx, a.id, { welcomeMessage: 'Welcome!' });
    await e.platform.services.accounts.addAutoReply(m.ctx, a.id, { match: 'exact', keyword: 'hours', replyText: 'Open 10–22' });
    await e.platform.services.accounts.addAutoReply(m.ctx, a.id, { match: 'default', replyText: 'We will answer soon' });
    const c = await createConsumer(e);
    await follow(e, c, a);
    await e.platform.services.conversations.sendMessage(c.ctx, a.id, { type: 'text', content: 'hours' });
    await e.platform.services.conversations.sendMessage(c.ctx, a.id, { type: 'text', content: 'anything else' });
    const msgs = await e.platform.services.conversations.messages(c.ctx, a.id);
    assert.deepEqual(
      msgs.map((x) => [x.direction, x.source, (x.content as { content?: string }).content]),
      [
        ['out', 'welcome', 'Welcome!'],
        ['in', 'consumer', 'hours'],
        ['out', 'auto_reply', 'Open 10–22'],
        ['in', 'consumer', 'anything else'],
        ['out', 'auto_reply', 'We will answer soon'],
      ],
    );
  });

  for (const mode of ['plain', 'compatible', 'safe'] as const) {
    it(`pushes a text message in ${mode} mode and delivers the passive reply to the thread`, async () => {
      const e = env();
      const { account, stub } = await accountWithServer(e, mode);
      const c = await createConsumer(e);
      const openid = await follow(e, c, account);
      const sent = await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: `hello ${mode}` });
      await deliverAll(e);
      const text = stub.pushes.find((p) => xmlText(p.fields, 'MsgType') === 'text');
      assert.ok(text, 'the merchant received the text push');
      assert.equal(xmlText(text.fields, 'Content'), `hello ${mode}`);
      assert.equal(xmlText(text.fields, 'FromUserName'), openid);
      assert.equal(xmlText(text.fields, 'ToUserName'), account.originalId);
      assert.equal(xmlText(text.fields, 'MsgId'), sent.message?.id);
      assert.match(xmlText(text.fields, 'CreateTime') ?? '', /^\d{10}$/, 'CreateTime is in seconds');
      assert.equal(text.query.get('openid'), openid);
      if (mode === 'plain') {
        assert.equal(text.query.get('encrypt_type'), null);
        assert.match(text.raw, /<MsgId>\d{16,20}<\/MsgId>/, 'MsgId is a bare 64-bit number, as WeChat writes it');
        assert.match(text.raw, /<CreateTime>\d{10}<\/CreateTime>/);
      } else {
        assert.equal(text.query.get('encrypt_type'), 'aes');
        assert.ok(text.query.get('msg_signature'));
        assert.ok(text.query.get('signature'), 'safe mode still sends signature, as WeChat does');
        assert.equal(text.raw.includes(`hello ${mode}`), mode === 'compatible', 'only compatible mode carries plaintext');
      }
      const msgs = await e.platform.services.conversations.messages(c.ctx, account.id);
      const last = msgs.at(-1);
      assert.equal(last?.source, 'passive_reply');
      assert.deepEqual(last?.content, { type: 'text', content: `echo: hello ${mode}` });
    });
  }

  it('retries a failed push with the same MsgId and delivers the reply once', async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    const c = await createConsumer(e);
    await follow(e, c, account);
    await deliverAll(e);
    stub.pushes.length = 0;
    let calls = 0;
    stub.answer = (push) => (++calls === 1 ? { status: 500, body: 'oops' } : { body: textReply(push, 'second time lucky') });
    const sent = await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'retry me' });
    await deliverAll(e);
    assert.equal(stub.pushes.length, 2);
    assert.equal(xmlText(stub.pushes[0]!.fields, 'MsgId'), xmlText(stub.pushes[1]!.fields, 'MsgId'));
    const attempts = await e.platform.handle.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', BigInt(sent.outboxIds[0]!)).orderBy('attempt').execute();
    assert.deepEqual(attempts.map((x) => [x.attempt, x.outcome, x.response_status]), [[1, 'failure', 500], [2, 'success', 200]]);
    assert.ok(attempts.every((x) => x.latency_ms >= 0 && (x.request as { url: string }).url.startsWith(stub.url)));
    const replies = (await e.platform.services.conversations.messages(c.ctx, account.id)).filter((x) => x.source === 'passive_reply' && JSON.stringify(x.content).includes('second time lucky'));
    assert.equal(replies.length, 1);
  });

  it('after 3 failed tries the consumer sees that the account cannot serve now', async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    const c = await createConsumer(e);
    await follow(e, c, account);
    await deliverAll(e);
    stub.pushes.length = 0;
    stub.answer = { status: 502, body: 'down' };
    const sent = await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'anyone?' });
    await deliverAll(e);
    assert.equal(stub.pushes.length, 3, 'three tries in all');
    const row = await e.platform.handle.db.selectFrom('outbox').selectAll().where('id', '=', BigInt(sent.outboxIds[0]!)).executeTakeFirstOrThrow();
    assert.equal(row.status, 'dead');
    const last = (await e.platform.services.conversations.messages(c.ctx, account.id)).at(-1);
    assert.deepEqual(last?.content, { type: 'system', content: SERVICE_UNAVAILABLE_NOTICE });
  });

  it('a reply addressed to someone else is refused and not shown', async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    stub.answer = (push) => ({ body: textReply({ ...push, fields: { ...push.fields, FromUserName: 'o-someone-else' } }, 'misrouted') });
    const c = await createConsumer(e);
    await follow(e, c, account);
    await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'hi' });
    await deliverAll(e);
    const msgs = await e.platform.services.conversations.messages(c.ctx, account.id);
    assert.ok(!msgs.some((x) => JSON.stringify(x.content).includes('misrouted')));
  });

  it('refuses a reply with a DTD/entities, and a safe-mode reply with a wrong MsgSignature', async () => {
    for (const [mode, body] of [
      ['plain', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><ToUserName>u</ToUserName><MsgType>text</MsgType><Content>&e;</Content></xml>'],
      ['safe', '<xml><Encrypt><![CDATA[AAAA]]></Encrypt><MsgSignature>0000000000000000000000000000000000000000</MsgSignature><TimeStamp>1</TimeStamp><Nonce>1</Nonce></xml>'],
    ] as const) {
      const e = env();
      const { account, stub } = await accountWithServer(e, mode);
      const c = await createConsumer(e);
      await follow(e, c, account);
      await deliverAll(e);
      stub.answer = { body };
      const sent = await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'hi' });
      await deliverAll(e);
      const attempts = await e.platform.handle.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', BigInt(sent.outboxIds[0]!)).execute();
      assert.equal(attempts.length, 1, 'a malformed reply is not retried');
      assert.match(attempts[0]?.error ?? '', /invalid passive reply/);
      const last = (await e.platform.services.conversations.messages(c.ctx, account.id)).at(-1);
      assert.deepEqual(last?.content, { type: 'system', content: SERVICE_UNAVAILABLE_NOTICE }, `${mode}: the consumer is told, nothing of the body leaks`);
    }
  });

  it("a consumer on the merchant's blacklist reaches nobody until taken off it", async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    const c = await createConsumer(e);
    const openid = await follow(e, c, account);
    await deliverAll(e);
    stub.pushes.length = 0;
    const token = await accessToken(e, account);
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchblacklist', token, { openid_list: [openid] })).errcode, 0);
    const blocked = await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'let me in' });
    assert.deepEqual(blocked.outboxIds, []);
    await deliverAll(e);
    assert.equal(stub.pushes.length, 0);
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchunblacklist', token, { openid_list: [openid] })).errcode, 0);
    await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'hello again' });
    await deliverAll(e);
    assert.deepEqual(stub.pushes.map((p) => xmlText(p.fields, 'Content')), ['hello again']);
  });

  it('subscribe carries qrscene_ and Ticket; a second scan is a SCAN event; unsubscribe is pushed and ends messaging', async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    const c = await createConsumer(e);
    await e.platform.services.conversations.follow(c.ctx, account.id, { scene: 'ADD_SCENE_QR_CODE', qrScene: 42n, ticket: 'T1' });
    await e.platform.services.conversations.follow(c.ctx, account.id, { scene: 'ADD_SCENE_QR_CODE', qrScene: 42n, ticket: 'T1' });
    await e.platform.services.conversations.unfollow(c.ctx, account.id);
    await deliverAll(e);
    const events = stub.pushes.map((p) => [xmlText(p.fields, 'Event'), xmlText(p.fields, 'EventKey') ?? '', xmlText(p.fields, 'Ticket') ?? '']);
    assert.deepEqual(events, [['subscribe', 'qrscene_42', 'T1'], ['SCAN', '42', 'T1'], ['unsubscribe', '', '']]);
    await assert.rejects(e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'still there?' }), /follow this account first/);
  });

  it('refuses to save a callback URL that fails the echostr check, and changes nothing', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const stub = await startMerchantStub({ ...a, token: 'someOtherToken' });
    stubs.push(stub);
    await assert.rejects(
      e.platform.services.accounts.setCallback(m.ctx, a.id, { url: stub.url, token: a.token, encodingAESKey: a.encodingAESKey, mode: 'safe' }),
      /verification failed/,
    );
    const after = await e.platform.services.accounts.get(m.ctx, a.id);
    assert.equal(after.callbackUrl, null);
    assert.equal(after.msgMode, 'plain');
  });

  it("another merchant cannot read or configure this merchant's account", async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const other = await createMerchant(e);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/merchant/accounts/${a.id}`, undefined],
      ['PATCH', `/api/v1/merchant/accounts/${a.id}`, { name: 'Hijacked' }],
      ['POST', `/api/v1/merchant/accounts/${a.id}/secret/reset`, undefined],
      ['GET', `/api/v1/merchant/accounts/${a.id}/secret`, undefined],
      ['PUT', `/api/v1/merchant/accounts/${a.id}/callback`, { url: null, token: 'abcdef', encodingAESKey: 'a'.repeat(43), mode: 'plain' }],
      ['GET', `/api/v1/merchant/accounts/${a.id}/auto-replies`, undefined],
      ['POST', `/api/v1/merchant/accounts/${a.id}/auto-replies`, { match: 'default', replyText: 'x' }],
    ] as const) {
      const res = await e.app.inject({ method, url, headers: other.headers, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 404, `${method} ${url} → ${res.statusCode}`);
      assert.equal(res.json().error.code, 'not_found');
    }
    const list = await e.app.inject({ url: '/api/v1/merchant/accounts', headers: other.headers });
    assert.deepEqual(list.json(), []);
    assert.equal((await e.platform.services.accounts.get(m.ctx, a.id)).name, (await e.platform.services.accounts.list(m.ctx))[0]?.name);
  });
});

describeOnBothDbs('consumer JSON API', (env) => {
  it('signs up, follows, sends, and reads threads over HTTP; another consumer sees none of it', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    await e.platform.services.accounts.updateProfile(m.ctx, a.id, { welcomeMessage: 'Hi there' });
    const signup = await e.app.inject({ method: 'POST', url: '/api/v1/consumer/signup', payload: { phone: '13912340001', password: 'long-enough-1', nickname: 'Ann' } });
    assert.equal(signup.statusCode, 201);
    const cookie = signup.cookies.find((k) => k.name === 'lj_c');
    assert.ok(cookie?.httpOnly, 'session cookie is httpOnly');
    assert.equal(cookie?.sameSite, 'Lax');
    const headers = { cookie: `lj_c=${cookie.value}` };
    const found = await e.app.inject({ url: `/api/v1/accounts?q=${encodeURIComponent(a.id.slice(0, 0))}`, headers });
    assert.equal(found.statusCode, 200);
    const fol = await e.app.inject({ method: 'POST', url: `/api/v1/accounts/${a.id}/follow`, headers, payload: {} });
    assert.equal(fol.statusCode, 200, fol.body);
    assert.equal(fol.json().isNew, true);
    const send = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers, payload: { type: 'text', content: 'hello' } });
    assert.equal(send.statusCode, 201, send.body);
    const threads = (await e.app.inject({ url: '/api/v1/threads', headers })).json();
    assert.equal(threads.length, 1);
    assert.equal(threads[0].account.id, a.id);
    assert.equal(threads[0].unread, 1, 'the welcome message is unread');
    const msgs = (await e.app.inject({ url: `/api/v1/threads/${a.id}/messages`, headers })).json();
    assert.equal(msgs.length, 2);
    const read = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/read`, headers, payload: { upTo: msgs[1].id } });
    assert.equal(read.statusCode, 200);
    assert.equal((await e.app.inject({ url: '/api/v1/threads', headers })).json()[0].unread, 0);

    const other = await createConsumer(e);
    assert.deepEqual((await e.app.inject({ url: `/api/v1/threads/${a.id}/messages`, headers: other.headers })).json(), []);
    assert.deepEqual((await e.app.inject({ url: '/api/v1/threads', headers: other.headers })).json(), []);
    const notFollowing = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers: other.headers, payload: { type: 'text', content: 'hi' } });
    assert.equal(notFollowing.statusCode, 412);
  });

  it('answers bad input with typed errors and changes nothing', async () => {
    const e = env();
    const c = await createConsumer(e);
    const a = await createAccount(e, await createMerchant(e));
    await follow(e, c, a);
    const before = (await e.platform.services.conversations.messages(c.ctx, a.id)).length;
    const cases = [
      { payload: { type: 'text', content: '' }, status: 400 },
      { payload: { type: 'text', content: 'x'.repeat(3000) }, status: 400 },
      { payload: { type: 'voice', mediaId: 'x' }, status: 400 },
      { payload: { type: 'location', latitude: 91, longitude: 0 }, status: 400 },
      { payload: '{"type":"text",', status: 400 },
    ];
    for (const k of cases) {
      const res = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers: { ...c.headers, 'content-type': 'application/json' }, payload: typeof k.payload === 'string' ? k.payload : JSON.stringify(k.payload) });
      assert.equal(res.statusCode, k.status, res.body);
      assert.equal(res.json().error.code, 'invalid_argument');
    }
    const big = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers: { ...c.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ type: 'text', content: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'payload_too_large');
    const unauth = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, payload: { type: 'text', content: 'hi' } });
    assert.equal(unauth.statusCode, 401);
    const unknown = await e.app.inject({ method: 'POST', url: '/api/v1/threads/acc_nope/messages', headers: c.headers, payload: { type: 'text', content: 'hi' } });
    assert.equal(unknown.statusCode, 404);
    assert.equal((await e.platform.services.conversations.messages(c.ctx, a.id)).length, before);
  });
});
