import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeContext } from '../../platform/context.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestAccount, type TestConsumer } from '../../testing/factories.ts';
import { eventExtra } from './service.ts';
import { startWechatMerchant } from './testing-merchant.ts';

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

async function call(env: TestEnv, path: string, body: unknown, method: 'POST' | 'PUT' = 'POST') {
  const res = await env.app.inject({ method, url: path, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.json() as Json };
}

const who = (c: { phone: string; password: string }, a: TestAccount) => ({ consumer: { phone: c.phone, password: c.password }, account: a.appid });
const contents = (body: Json, key = 'replies') => (body[key] as { source: string; content: { type: string; content?: string } }[]).map((m) => [m.source, m.content.content]);

async function threadLength(env: TestEnv, c: TestConsumer, a: TestAccount): Promise<number> {
  return (await env.platform.services.conversations.messages(c.ctx, a.id, { limit: 200 })).length;
}

// Without `background`: the simulator drains the outbox itself (the path a CLI-less test takes).
describeOnBothDbs('simulator endpoints', (env) => {
  it('creates consumers with random or given credentials, refusing a taken or bad phone', async () => {
    const random = await call(env(), '/api/v1/sim/consumers', {});
    assert.equal(random.status, 201);
    assert.match(String(random.body.phone), /^170\d{8}$/);
    assert.equal(String(random.body.password).length, 12);
    const signedIn = await env().platform.services.identity.signInConsumer(makeContext({ kind: 'anonymous' }), { phone: String(random.body.phone), password: String(random.body.password) });
    assert.equal(signedIn.consumer.id, random.body.id);

    const phone = `1390000${String(Date.now()).slice(-4)}`;
    const given = await call(env(), '/api/v1/sim/consumers', { phone, password: 'given-pass-1', nickname: 'Li Lei' });
    assert.equal(given.status, 201);
    assert.deepEqual([given.body.phone, given.body.password, given.body.nickname], [phone, 'given-pass-1', 'Li Lei']);
    assert.equal((await call(env(), '/api/v1/sim/consumers', { phone, password: 'another-pass' })).status, 409);
    assert.equal((await call(env(), '/api/v1/sim/consumers', { phone: 'not-a-phone', password: 'given-pass-1' })).status, 400);
    assert.equal((await call(env(), '/api/v1/sim/consumers', { password: 'short' })).status, 400);
  });

  it('without a callback URL: the welcome message on follow and keyword auto-replies', async () => {
    const m = await createMerchant(env());
    const a = await createAccount(env(), m);
    await env().platform.services.accounts.updateProfile(m.ctx, a.id, { welcomeMessage: 'Welcome aboard' });
    await env().platform.services.accounts.addAutoReply(m.ctx, a.id, { match: 'contains', keyword: 'hours', replyText: 'Open 9–21' });
    const c = await createConsumer(env());
    const followed = await call(env(), '/api/v1/sim/follow', { ...who(c, a), account: a.id });
    assert.equal(followed.status, 200);
    assert.deepEqual(contents(followed.body), [['welcome', 'Welcome aboard']]);
    assert.deepEqual(followed.body.delivery, []);
    const asked = await call(env(), '/api/v1/sim/message', { ...who(c, a), text: 'your hours?' });
    assert.deepEqual(contents(asked.body), [['auto_reply', 'Open 9–21']]);
    assert.deepEqual((asked.body.sent as { content: unknown }).content, { type: 'text', content: 'your hours?' });
    const thread = await call(env(), '/api/v1/sim/thread', who(c, a));
    assert.deepEqual((thread.body as unknown as { direction: string; content: { content: string } }[]).map((m) => [m.direction, m.content.content]), [
      ['out', 'Welcome aboard'],
      ['in', 'your hours?'],
      ['out', 'Open 9–21'],
    ]);
  });

  it('QR follow pushes subscribe with qrscene_ and Ticket; a follower scanning gets SCAN', async () => {
    const a = await createAccount(env(), await createMerchant(env()));
    const merchant = await startWechatMerchant({ token: a.token, appid: a.appid, encodingAESKey: a.encodingAESKey });
    try {
      const set = await call(env(), `/api/v1/sim/accounts/${a.appid}/callback`, { appsecret: a.appsecret, url: merchant.url, mode: 'plain' }, 'PUT');
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const c = await createConsumer(env());
      const first = await call(env(), '/api/v1/sim/follow', { ...who(c, a), scene: 'qr', qrScene: 42, ticket: 'gQTicket1' });
      assert.deepEqual(contents(first.body), [['passive_reply', 'Welcome! Send "menu" for today\'s dishes.']]);
      const again = await call(env(), '/api/v1/sim/follow', { ...who(c, a), qrScene: 'table-7' });
      assert.deepEqual(again.body.replies, [], 'the sample answers SCAN with an empty body');
      const seen = merchant.received.map((r) => [r.message?.Event, r.message?.EventKey, r.message?.Ticket]);
      assert.deepEqual(seen, [['subscribe', 'qrscene_42', 'gQTicket1'], ['SCAN', 'table-7', '']]);
      const f = await env().platform.services.followers.findFollow(env().platform.handle.db, a.id, c.id);
      assert.equal(f?.subscribe_scene, 'ADD_SCENE_QR_CODE');
      assert.equal(f?.qr_scene, 42n);

      const left = await call(env(), '/api/v1/sim/unfollow', who(c, a));
      assert.deepEqual([left.body.replies, (left.body.delivery as { status: string }[]).map((d) => d.status)], [[], ['done']]);
      assert.equal(merchant.received.at(-1)?.message?.Event, 'unsubscribe');
      assert.equal((await call(env(), '/api/v1/sim/message', { ...who(c, a), text: 'still there?' })).status, 412, 'an unfollowed account cannot be messaged');
    } finally {
      await merchant.close();
    }
  });

  it("checks the consumer's credentials: a wrong password or unknown phone gets 401 and changes nothing", async () => {
    const a = await createAccount(env(), await createMerchant(env()));
    const c = await createConsumer(env());
    const wrong = await call(env(), '/api/v1/sim/follow', who({ phone: c.phone, password: 'not-the-password' }, a));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error?.code, 'unauthenticated');
    assert.equal((await call(env(), '/api/v1/sim/follow', who({ phone: '13999999999', password: 'whatever-1' }, a))).status, 401);
    assert.equal(await env().platform.services.followers.findFollow(env().platform.handle.db, a.id, c.id), undefined);
    await call(env(), '/api/v1/sim/follow', who(c, a));
    const before = await threadLength(env(), c, a);
    assert.equal((await call(env(), '/api/v1/sim/message', { ...who({ phone: c.phone, password: 'nope-nope-1' }, a), text: 'hi' })).status, 401);
    assert.equal((await call(env(), '/api/v1/sim/thread', who({ phone: c.phone, password: 'nope-nope-1' }, a))).status, 401);
    assert.equal(await threadLength(env(), c, a), before);
  });

  it('refuses bad input with 400 and sends nothing; an unknown account is 404', async () => {
    const a = await createAccount(env(), await createMerchant(env()));
    const c = await createConsumer(env());
    await call(env(), '/api/v1/sim/follow', who(c, a));
    const before = await threadLength(env(), c, a);
    const bad: unknown[] = [
      { ...who(c, a) },
      { ...who(c, a), text: 'hi', image: { url: 'https://example.com/a.jpg' } },
      { ...who(c, a), text: '' },
      { ...who(c, a), image: { url: 'not a url' } },
      { ...who(c, a), location: { latitude: 91, longitude: 0 } },
      { consumer: { phone: c.phone }, account: a.appid, text: 'hi' },
    ];
    for (const body of bad) assert.equal((await call(env(), '/api/v1/sim/message', body)).status, 400, JSON.stringify(body));
    for (const body of [{ ...who(c, a), event: 'CLICK' }, { ...who(c, a), event: 'scancode_push', key: 'k' }, { ...who(c, a), event: 'LOCATION', latitude: 30 }, { ...who(c, a), event: 'subscribe', key: 'k' }]) {
      assert.equal((await call(env(), '/api/v1/sim/event', body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await call(env(), '/api/v1/sim/follow', { ...who(c, a), scene: 'qr' })).status, 400, 'a QR follow needs a scene');
    assert.equal(await threadLength(env(), c, a), before);
    assert.equal((await call(env(), '/api/v1/sim/message', { ...who(c, a), account: 'wx0000000000000000', text: 'hi' })).status, 404);
    const other = await createAccount(env(), await createMerchant(env()));
    assert.equal((await call(env(), '/api/v1/sim/message', { ...who(c, other), text: 'hi' })).status, 412, 'not following');
  });

  it("sets a callback only with the account's own appsecret, after the echostr check", async () => {
    const a = await createAccount(env(), await createMerchant(env()));
    const b = await createAccount(env(), await createMerchant(env()));
    const merchant = await startWechatMerchant({ token: a.token, appid: a.appid, encodingAESKey: a.encodingAESKey });
    const impostor = await startWechatMerchant({ token: 'someOtherToken', appid: a.appid, encodingAESKey: a.encodingAESKey });
    try {
      const put = (appid: string, body: unknown) => call(env(), `/api/v1/sim/accounts/${appid}/callback`, body, 'PUT');
      const withB = await put(a.appid, { appsecret: b.appsecret, url: merchant.url, mode: 'safe' });
      assert.equal(withB.status, 401, "another account's secret");
      assert.equal((await put('wx0000000000000000', { appsecret: a.appsecret, url: merchant.url, mode: 'safe' })).status, 404);
      assert.equal((await put(a.appid, { appsecret: a.appsecret, url: merchant.url, mode: 'encrypted' })).status, 400);
      assert.equal((await put(a.appid, { appsecret: a.appsecret, url: merchant.url, mode: 'safe', encodingAESKey: 'short' })).status, 400);
      const failed = await put(a.appid, { appsecret: a.appsecret, url: impostor.url, mode: 'safe' });
      assert.equal(failed.status, 412);
      assert.match(failed.body.error?.message ?? '', /verification failed/);
      const unchanged = await env().platform.services.accounts.findById(a.id);
      assert.deepEqual([unchanged?.callback_url, unchanged?.msg_mode], [null, 'plain']);

      const ok = await put(a.appid, { appsecret: a.appsecret, url: merchant.url, mode: 'safe' });
      assert.equal(ok.status, 200);
      assert.deepEqual([ok.body.callbackUrl, ok.body.msgMode, ok.body.token], [merchant.url, 'safe', a.token]);
      assert.equal('appsecret' in ok.body, false);
      const cleared = await put(a.appid, { appsecret: a.appsecret, url: null, mode: 'plain' });
      assert.equal(cleared.body.callbackUrl, null);
      assert.equal((await env().platform.services.accounts.findById(b.id))?.callback_url, null, 'the other account is untouched');
    } finally {
      await merchant.close();
      await impostor.close();
    }
  });

  it("tops up a consumer's wallet from a sandbox card, with their own credentials only", async () => {
    const e = env();
    const c = await createConsumer(e);
    const first = await call(e, '/api/v1/sim/wallet/topup', { consumer: { phone: c.phone, password: c.password }, amount: 12345 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { balance: 12345, cardLast4: '0007' });
    const second = await call(e, '/api/v1/sim/wallet/topup', { consumer: { phone: c.phone, password: c.password }, amount: 55 });
    assert.equal((second.body as { balance: number }).balance, 12400, 'the same card, balance adds up');
    assert.equal((await e.platform.services.wallet.listCards(c.ctx)).length, 1);
    const wrong = await call(e, '/api/v1/sim/wallet/topup', { consumer: { phone: c.phone, password: 'nope-nope' }, amount: 100 });
    assert.equal(wrong.status, 401);
    const bad = await call(e, '/api/v1/sim/wallet/topup', { consumer: { phone: c.phone, password: c.password }, amount: 0 });
    assert.equal(bad.status, 400);
    assert.equal((await e.platform.services.wallet.summary(c.ctx)).balance, 12400n);
    assert.deepEqual(await e.platform.services.ledger.verify(e.platform.handle.db), { transactionsNotZero: [], transactionsEmpty: [], balancesMismatched: [], negative: [] });
  });

  it('documents the simulator in the OpenAPI document', async () => {
    const doc = (await env().app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/sim/consumers', '/api/v1/sim/follow', '/api/v1/sim/unfollow', '/api/v1/sim/message', '/api/v1/sim/event', '/api/v1/sim/thread', '/api/v1/sim/accounts/{appid}/callback']) {
      assert.ok(doc.paths[p], `${p} in openapi.json`);
    }
  });
});

describeOnBothDbs('simulator in production mode', (env) => {
  it('is not registered: 404 and absent from the OpenAPI document', async () => {
    assert.equal((await call(env(), '/api/v1/sim/consumers', {})).status, 404);
    assert.equal((await call(env(), '/api/v1/sim/message', { consumer: { phone: '1', password: '2' }, account: 'x', text: 'hi' })).status, 404);
    assert.equal((await call(env(), '/api/v1/sim/accounts/wx0000000000000000/callback', { appsecret: 'x', url: null, mode: 'plain' }, 'PUT')).status, 404);
    const doc = (await env().app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    assert.equal(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/sim/')), false);
  });
}, { env: { LIANJIE_MODE: 'production' } });

describe('simulated event fields', () => {
  it('carries the fields WeChat sends for each event, in order', () => {
    assert.deepEqual(eventExtra({ event: 'CLICK', key: 'K1' }), { EventKey: 'K1' });
    assert.deepEqual(eventExtra({ event: 'VIEW', key: 'https://m.example.com' }), { EventKey: 'https://m.example.com' });
    assert.deepEqual(Object.entries(eventExtra({ event: 'LOCATION', latitude: 23.1, longitude: 113.3 })), [['Latitude', 23.1], ['Longitude', 113.3], ['Precision', 30]]);
    assert.deepEqual(eventExtra({ event: 'scancode_waitmsg', key: 's', scanResult: 'r' }), { EventKey: 's', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: 'r' } });
    assert.deepEqual(eventExtra({ event: 'location_select', key: 'l', latitude: 1, longitude: 2, scale: 12, label: 'Here' }), {
      EventKey: 'l',
      SendLocationInfo: { Location_X: 1, Location_Y: 2, Scale: 12, Label: 'Here', Poiname: 'Here' },
    });
    assert.deepEqual(eventExtra({ event: 'SCAN', key: '42' }), { EventKey: '42' });
  });

  it('refuses an event without the fields it needs', () => {
    assert.throws(() => eventExtra({ event: 'CLICK' }), /CLICK needs key/);
    assert.throws(() => eventExtra({ event: 'scancode_push', key: 'k' }), /needs scanResult/);
    assert.throws(() => eventExtra({ event: 'location_select', key: 'k', latitude: 1 }), /needs longitude/);
  });
});
