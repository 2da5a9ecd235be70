// Acceptance: a merchant server built on the community `wechat` middleware (node-webot) receives
// Lianjie's pushes in plain, compatible and safe mode, and its passive replies reach the consumer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestAccount, type TestConsumer } from '../../testing/factories.ts';
import { parseWechatXml, xmlText } from '../../wire/wechat/xml.ts';
import { SERVICE_UNAVAILABLE_NOTICE } from '../messaging/model.ts';
import { startWechatMerchant, type WechatMerchant } from './testing-merchant.ts';

interface Outcome {
  openid: string;
  replies: { direction: string; source: string; content: { type: string; content?: string; articles?: { title: string; url?: string }[] } }[];
  delivery: { outboxId: string; status: string; attempts: number; lastError: string | null }[];
}

async function sim(env: TestEnv, path: string, body: unknown, method: 'POST' | 'PUT' = 'POST') {
  const res = await env.app.inject({ method, url: path, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.json() as Outcome & { error?: { code: string; message: string } } };
}

describeOnBothDbs('simulator × wechat middleware (acceptance)', (env) => {
  let merchant: WechatMerchant;
  let account: TestAccount;

  before(async () => {
    account = await createAccount(env(), await createMerchant(env()));
    merchant = await startWechatMerchant({ token: account.token, appid: account.appid, encodingAESKey: account.encodingAESKey });
  });
  after(async () => merchant.close());

  const who = (c: TestConsumer) => ({ consumer: { phone: c.phone, password: c.password }, account: account.appid });
  const setMode = async (mode: 'plain' | 'compatible' | 'safe') => {
    const res = await sim(env(), `/api/v1/sim/accounts/${account.appid}/callback`, { appsecret: account.appsecret, url: merchant.url, mode }, 'PUT');
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const lastAttempt = async (outboxId: string) =>
    env().platform.handle.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', BigInt(outboxId)).orderBy('attempt', 'desc').executeTakeFirstOrThrow();

  for (const mode of ['plain', 'compatible', 'safe'] as const) {
    it(`${mode} mode: subscribe, text, "menu" and CLICK are answered by the middleware`, async () => {
      await setMode(mode);
      const c = await createConsumer(env());
      merchant.received.length = 0;

      const followed = await sim(env(), '/api/v1/sim/follow', who(c));
      assert.equal(followed.status, 200, JSON.stringify(followed.body));
      assert.deepEqual(followed.body.replies.map((r) => [r.source, r.content.content]), [['passive_reply', 'Welcome! Send "menu" for today\'s dishes.']]);

      const echoed = await sim(env(), '/api/v1/sim/message', { ...who(c), text: 'hello 你好' });
      assert.deepEqual(echoed.body.replies.map((r) => r.content), [{ type: 'text', content: 'You said: hello 你好' }]);
      assert.deepEqual(echoed.body.delivery.map((d) => [d.status, d.attempts]), [['done', 1]]);

      const news = await sim(env(), '/api/v1/sim/message', { ...who(c), text: 'menu' });
      assert.equal(news.body.replies.length, 1);
      assert.equal(news.body.replies[0]?.content.type, 'news');
      assert.equal(news.body.replies[0]?.content.articles?.[0]?.title, "Today's menu");
      assert.equal(news.body.replies[0]?.content.articles?.[0]?.url, 'https://example.com/menu');

      const click = await sim(env(), '/api/v1/sim/event', { ...who(c), event: 'CLICK', key: 'V1001_TODAY' });
      assert.deepEqual(click.body.replies.map((r) => r.content.content), ['You tapped V1001_TODAY']);

      // What the middleware saw, and how it was sent
      assert.deepEqual(merchant.received.map((r) => r.message?.MsgType), ['event', 'text', 'text', 'event']);
      assert.equal(merchant.received[1]?.message?.FromUserName, echoed.body.openid);
      assert.equal(merchant.received[1]?.message?.ToUserName, account.originalId);
      for (const r of merchant.received) assert.equal(r.query.encrypt_type === 'aes' && r.query.msg_signature !== undefined, mode !== 'plain');
      const sent = await lastAttempt(echoed.body.delivery[0]?.outboxId ?? '0');
      const body = (sent.request as { body: string }).body;
      assert.equal(body.includes('<Content>'), mode !== 'safe', 'plaintext fields only outside safe mode');
      assert.equal(body.includes('<Encrypt>'), mode !== 'plain');
      assert.equal(sent.response_body?.includes('<Encrypt>'), mode !== 'plain', 'the middleware encrypts its reply in compatible/safe mode');
    });
  }

  it('scan and location events reach the middleware with their nested fields', async () => {
    await setMode('safe');
    const c = await createConsumer(env());
    await sim(env(), '/api/v1/sim/follow', who(c));
    merchant.received.length = 0;
    const scan = await sim(env(), '/api/v1/sim/event', { ...who(c), event: 'scancode_push', key: 'scan1', scanResult: 'https://lianjie.test/t/12' });
    assert.equal(scan.status, 200);
    const loc = await sim(env(), '/api/v1/sim/event', { ...who(c), event: 'location_select', key: 'where', latitude: 31.2304, longitude: 121.4737, label: 'People Square' });
    assert.equal(loc.status, 200);
    const [s, l] = merchant.received.map((r) => r.message);
    assert.equal(s?.Event, 'scancode_push');
    assert.deepEqual(s?.ScanCodeInfo, { ScanType: 'qrcode', ScanResult: 'https://lianjie.test/t/12' });
    assert.equal(l?.Event, 'location_select');
    assert.deepEqual(l?.SendLocationInfo, { Location_X: '31.2304', Location_Y: '121.4737', Scale: '15', Label: 'People Square', Poiname: 'People Square' });
  });

  it('a push that failed once is retried with the same MsgId and answered once', async () => {
    await setMode('plain');
    const c = await createConsumer(env());
    await sim(env(), '/api/v1/sim/follow', who(c));
    merchant.received.length = 0;
    merchant.failNext = 1;
    const res = await sim(env(), '/api/v1/sim/message', { ...who(c), text: 'retry me' });
    assert.deepEqual(res.body.delivery.map((d) => [d.status, d.attempts]), [['done', 2]]);
    assert.deepEqual(res.body.replies.map((r) => r.content.content), ['You said: retry me']);
    const attempts = await env().platform.handle.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', BigInt(res.body.delivery[0]?.outboxId ?? '0')).orderBy('attempt').execute();
    assert.deepEqual(attempts.map((a) => [a.attempt, a.response_status, a.outcome]), [[1, 500, 'failure'], [2, 200, 'success']]);
    const msgIds = attempts.map((a) => xmlText(parseWechatXml((a.request as { body: string }).body), 'MsgId'));
    assert.ok(msgIds[0], 'the push carries a MsgId');
    assert.equal(msgIds[0], msgIds[1], 'the retry carries the same MsgId');
    assert.deepEqual(merchant.received.map((r) => r.status), [500, 200]);
    assert.equal(merchant.received[1]?.message?.MsgId, msgIds[0], 'the middleware sees that MsgId');
    const thread = await sim(env(), '/api/v1/sim/thread', who(c));
    const answers = (thread.body as unknown as Outcome['replies']).filter((m) => m.content.content === 'You said: retry me');
    assert.equal(answers.length, 1, 'one reply in the thread');
  });

  it('a merchant that keeps failing: 3 attempts, then the consumer sees WeChat\'s notice', async () => {
    await setMode('plain');
    const c = await createConsumer(env());
    await sim(env(), '/api/v1/sim/follow', who(c));
    merchant.failAll = true;
    try {
      const res = await sim(env(), '/api/v1/sim/message', { ...who(c), text: 'anyone there?' });
      assert.deepEqual(res.body.delivery.map((d) => [d.status, d.attempts, d.lastError]), [['dead', 3, 'HTTP 500']]);
      assert.deepEqual(res.body.replies.map((r) => [r.source, r.content.content]), [['system', SERVICE_UNAVAILABLE_NOTICE]]);
    } finally {
      merchant.failAll = false;
    }
  });
}, { listen: true, background: true });
