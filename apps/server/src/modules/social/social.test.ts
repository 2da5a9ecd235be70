import assert from 'node:assert/strict';
import { it } from 'node:test';
import WebSocket from 'ws';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestConsumer } from '../../testing/factories.ts';

async function call(env: TestEnv, who: TestConsumer, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
  const res = await env.app.inject({ method, url, headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown> & { error?: { code: string } }) : {} };
}

async function friends(env: TestEnv) {
  const ann = await createConsumer(env, 'Ann');
  const bob = await createConsumer(env, 'Bob');
  const added = await call(env, ann, 'POST', '/api/v1/friends', { phone: bob.phone });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  return { ann, bob };
}

const dmCount = async (env: TestEnv) => Number((await env.platform.handle.db.selectFrom('dm_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describeOnBothDbs('social: friends, 1:1 threads, sharing', (env) => {
  it('adds a friend by phone (both directions), lists and removes; refuses self and unknown phones', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const annList = await call(e, ann, 'GET', '/api/v1/friends');
    assert.deepEqual(annList.body, [{ id: bob.id, nickname: 'Bob', avatarUrl: null }]);
    const bobList = (await call(e, bob, 'GET', '/api/v1/friends')).body as unknown as { id: string }[];
    assert.deepEqual(bobList.map((f) => f.id), [ann.id]);
    assert.equal((await call(e, ann, 'POST', '/api/v1/friends', { phone: bob.phone })).status, 201, 'adding again is harmless');

    const self = await call(e, ann, 'POST', '/api/v1/friends', { phone: ann.phone });
    assert.equal(self.status, 400);
    assert.equal(self.body.error?.code, 'invalid_argument');
    const unknown = await call(e, ann, 'POST', '/api/v1/friends', { phone: '+100000000009' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body.error, { code: 'not_found', message: 'no one with this phone number' });
    assert.equal((await call(e, ann, 'POST', '/api/v1/friends', { phone: 'abc' })).status, 400);
    assert.equal((await e.app.inject({ method: 'GET', url: '/api/v1/friends' })).statusCode, 401);

    assert.equal((await call(e, bob, 'DELETE', `/api/v1/friends/${ann.id}`)).status, 200);
    assert.deepEqual((await call(e, ann, 'GET', '/api/v1/friends')).body, []);
    assert.equal((await call(e, ann, 'DELETE', `/api/v1/friends/${bob.id}`)).status, 404);
  });

  it('messages only between friends; each reads only their own conversations; unread and read marks', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const carol = await createConsumer(e, 'Carol');
    const sent = await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'text', content: ' hi Bob ' });
    assert.equal(sent.status, 201);
    assert.deepEqual(sent.body.content, { type: 'text', content: 'hi Bob' });
    assert.equal(sent.body.senderId, ann.id);

    const stranger = await call(e, carol, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'text', content: 'hello?' });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.error?.code, 'permission_denied');
    assert.deepEqual((await call(e, carol, 'GET', `/api/v1/dm/${bob.id}/messages`)).body, [], 'a stranger reads nothing');
    assert.deepEqual((await call(e, carol, 'GET', `/api/v1/dm/${ann.id}/messages`)).body, []);
    assert.deepEqual((await call(e, carol, 'GET', '/api/v1/dm')).body, []);

    const bobThread = (await call(e, bob, 'GET', `/api/v1/dm/${ann.id}/messages`)).body as unknown as { id: string }[];
    assert.deepEqual(bobThread.map((m) => m.id), [sent.body.id]);
    const convs = (await call(e, bob, 'GET', '/api/v1/dm')).body as unknown as { friend: { id: string }; unread: number; lastMessage: { id: string } }[];
    assert.equal(convs.length, 1);
    assert.equal(convs[0]?.friend.id, ann.id);
    assert.equal(convs[0]?.unread, 1);
    assert.equal(convs[0]?.lastMessage.id, sent.body.id);
    assert.equal((await call(e, bob, 'POST', `/api/v1/dm/${ann.id}/read`, { upTo: sent.body.id })).status, 200);
    const after = (await call(e, bob, 'GET', '/api/v1/dm')).body as unknown as { unread: number }[];
    assert.equal(after[0]?.unread, 0);
    const annConvs = (await call(e, ann, 'GET', '/api/v1/dm')).body as unknown as { unread: number }[];
    assert.equal(annConvs[0]?.unread, 0, 'own messages are never unread');

    await call(e, ann, 'DELETE', `/api/v1/friends/${bob.id}`);
    assert.equal((await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'text', content: 'still there?' })).status, 403, 'no longer friends');
  });

  it('refuses bad input with typed errors and stores nothing', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const before = await dmCount(e);
    const cases: [unknown, number, string][] = [
      [{ type: 'text', content: '   ' }, 400, 'invalid_argument'],
      [{ type: 'text', content: 'x'.repeat(2049) }, 400, 'invalid_argument'],
      [{ type: 'voice', content: 'x' }, 400, 'invalid_argument'],
      [{ type: 'account_card', accountId: 'acc_nope' }, 404, 'not_found'],
      [{ type: 'page_card', url: 'javascript:alert(1)', title: 'x' }, 400, 'invalid_argument'],
      [{ type: 'page_card', url: 'https://shop.example.com/', title: '' }, 400, 'invalid_argument'],
      [{ type: 'page_card', url: `https://shop.example.com/${'a'.repeat(2100)}`, title: 't' }, 400, 'invalid_argument'],
      [{ type: 'page_card', url: 'https://shop.example.com/', title: 't', accountId: 'acc_nope' }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, body);
      assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
      assert.equal(res.body.error?.code, code);
    }
    assert.equal((await call(e, ann, 'POST', '/api/v1/share/page', { friendId: bob.id, url: 'ftp://x.example/', title: 't' })).status, 400);
    assert.equal((await call(e, ann, 'POST', '/api/v1/share/open', { messageId: 'abc' })).status, 400);
    assert.equal(await dmCount(e), before, 'nothing stored');
  });

  it('delivers a message to both sides over the WebSocket, and nothing to others', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const carol = await createConsumer(e);
    const open = async (token: string) => {
      const ws = new WebSocket(`${e.baseUrl.replace('http', 'ws')}/api/v1/ws`, { headers: { cookie: `lj_c=${token}` } });
      const events: { type: string; message?: { id: string; content: { content?: string } } }[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.once('error', reject);
        ws.on('message', (d) => {
          const ev = JSON.parse(String(d)) as (typeof events)[number];
          events.push(ev);
          if (ev.type === 'hello') resolve();
        });
      });
      return { ws, events };
    };
    const [b, a, c] = [await open(bob.token), await open(ann.token), await open(carol.token)];
    const sent = await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'text', content: 'live' });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(b.events.some((x) => x.type === 'dm') && a.events.some((x) => x.type === 'dm'))) await new Promise((r) => setTimeout(r, 20));
    assert.equal(b.events.find((x) => x.type === 'dm')?.message?.id, sent.body.id);
    assert.equal(a.events.find((x) => x.type === 'dm')?.message?.content.content, 'live');
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(!c.events.some((x) => x.type === 'dm'), 'a third consumer receives nothing');
    for (const s of [a, b, c]) s.ws.close();
  });

  it('an account card: opening records one referral, following from it sets followed_at with scene ADD_SCENE_PROFILE_CARD', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const carol = await createConsumer(e);
    const acc = await createAccount(e, await createMerchant(e), 'service', 'Tea House');
    const card = await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'account_card', accountId: acc.id });
    assert.equal(card.status, 201);
    assert.deepEqual(card.body.content, { type: 'account_card', accountId: acc.id, name: 'Tea House', avatarUrl: null, description: '' });
    const messageId = String(card.body.id);
    const db = e.platform.handle.db;
    const referrals = () => db.selectFrom('referrals').selectAll().where('account_id', '=', acc.id).execute();

    assert.equal((await call(e, carol, 'POST', '/api/v1/share/open', { messageId })).status, 404, 'not a party to the message');
    assert.deepEqual((await call(e, ann, 'POST', '/api/v1/share/open', { messageId })).body, { accountId: acc.id });
    assert.equal((await referrals()).length, 0, 'the sharer opening their own card is no referral');
    for (let i = 0; i < 2; i++) assert.deepEqual((await call(e, bob, 'POST', '/api/v1/share/open', { messageId })).body, { accountId: acc.id });
    const opened = await referrals();
    assert.equal(opened.length, 1, 'first open only');
    assert.equal(opened[0]?.referrer_consumer_id, ann.id);
    assert.equal(opened[0]?.referred_consumer_id, bob.id);
    assert.equal(opened[0]?.share_message_id, BigInt(messageId));
    assert.equal(opened[0]?.followed_at, null);

    const followed = await call(e, bob, 'POST', '/api/v1/share/follow', { messageId });
    assert.equal(followed.status, 200, JSON.stringify(followed.body));
    assert.equal(followed.body.isNew, true);
    assert.equal(followed.body.attributed, true);
    const [ref] = await referrals();
    assert.ok(ref?.followed_at instanceof Date);
    const f = await db.selectFrom('follows').selectAll().where('account_id', '=', acc.id).where('consumer_id', '=', bob.id).executeTakeFirstOrThrow();
    assert.equal(f.subscribe_scene, 'ADD_SCENE_PROFILE_CARD');
    assert.equal(f.subscribed, true);

    const again = await call(e, bob, 'POST', '/api/v1/share/follow', { messageId });
    assert.equal(again.body.isNew, false);
    assert.equal(again.body.attributed, false);
    assert.equal((await referrals()).length, 1);

    const text = await call(e, ann, 'POST', `/api/v1/dm/${bob.id}/messages`, { type: 'text', content: 'not a card' });
    const notCard = await call(e, bob, 'POST', '/api/v1/share/open', { messageId: text.body.id });
    assert.equal(notCard.status, 400);
    assert.equal(notCard.body.error?.code, 'invalid_argument');
  });

  it('shares a web page as a page card (updateAppMessageShareData)', async () => {
    const e = env();
    const { ann, bob } = await friends(e);
    const acc = await createAccount(e, await createMerchant(e));
    const res = await call(e, ann, 'POST', '/api/v1/share/page', { friendId: bob.id, url: 'https://shop.example.com/p/1', title: 'Green tea', imgUrl: 'https://shop.example.com/t.png', accountId: acc.id });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.content, { type: 'page_card', url: 'https://shop.example.com/p/1', title: 'Green tea', description: '', imgUrl: 'https://shop.example.com/t.png', accountId: acc.id });
    const thread = (await call(e, bob, 'GET', `/api/v1/dm/${ann.id}/messages`)).body as unknown as { id: string }[];
    assert.deepEqual(thread.map((m) => m.id), [res.body.id]);
    const carol = await createConsumer(e);
    assert.equal((await call(e, carol, 'POST', '/api/v1/share/page', { friendId: bob.id, url: 'https://shop.example.com/', title: 't' })).status, 403);
  });
}, { listen: true, background: true });
