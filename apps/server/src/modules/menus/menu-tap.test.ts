import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestAccount, type TestConsumer, type TestMerchant } from '../../testing/factories.ts';
import { buildWechatXml, parseWechatXml, xmlText, type WechatXmlObject } from '../../wire/wechat/xml.ts';

interface Push {
  raw: string;
  fields: WechatXmlObject;
  signed: boolean;
}

/** A merchant server: answers the echostr check, records pushes, replies `reply to <Event>`. */
async function startMerchantServer(token: string) {
  const pushes: Push[] = [];
  const server: Server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://stub').searchParams;
    const expected = createHash('sha1').update([token, q.get('timestamp') ?? '', q.get('nonce') ?? ''].sort().join('')).digest('hex');
    if (req.method === 'GET') {
      res.end(q.get('echostr') ?? '');
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const fields = parseWechatXml(raw);
      pushes.push({ raw, fields, signed: q.get('signature') === expected });
      const reply = { ToUserName: xmlText(fields, 'FromUserName'), FromUserName: xmlText(fields, 'ToUserName'), CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: `reply to ${xmlText(fields, 'Event')}` };
      res.writeHead(200, { 'content-type': 'application/xml' }).end(buildWechatXml(reply));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wx`, pushes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const MENU = {
  button: [
    { type: 'click', name: 'Today', key: 'V1001_TODAY' },
    { type: 'view', name: 'Site', url: 'https://shop.example/menu?x=1' },
    {
      name: 'More',
      sub_button: [
        { type: 'scancode_push', name: 'Scan', key: 'SCAN_1' },
        { type: 'location_select', name: 'Where', key: 'LOC_1' },
        { type: 'media_id', name: 'Picture', media_id: 'MEDIA_1' },
        { type: 'pic_sysphoto', name: 'Photo', key: 'PIC_1' },
      ],
    },
  ],
};

describeOnBothDbs('consumers tapping custom menus', (env) => {
  let merchant: TestMerchant;
  let account: TestAccount;
  let token: string;
  let consumer: TestConsumer;
  let openid: string;
  let stub: Awaited<ReturnType<typeof startMerchantServer>>;

  const tap = (c: TestConsumer, accountId: string, payload: unknown) =>
    env().app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/menu/tap`, headers: c.headers, payload: payload as Record<string, unknown> });
  const menuOf = (c: TestConsumer, accountId: string) => env().app.inject({ method: 'GET', url: `/api/v1/accounts/${accountId}/menu`, headers: c.headers });
  const outboxCount = async (e: TestEnv) => Number((await e.platform.handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    const e = env();
    merchant = await createMerchant(e);
    account = await createAccount(e, merchant);
    token = await accessToken(e, account);
    assert.equal((await wxPost(e, '/cgi-bin/menu/create', token, MENU)).errcode, 0);
    stub = await startMerchantServer(account.token);
    await e.platform.services.accounts.setCallback(merchant.ctx, account.id, { url: stub.url, token: account.token, encodingAESKey: account.encodingAESKey, mode: 'plain' });
    consumer = await createConsumer(e);
    openid = await follow(e, consumer, account);
  });

  after(async () => {
    await stub?.close();
  });

  it('shows the consumer the menu without keys', async () => {
    const res = await menuOf(consumer, account.id);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.match(body.menuid, /^\d+$/);
    assert.deepEqual(body.button[0], { type: 'click', name: 'Today' });
    assert.deepEqual(body.button[1], { type: 'view', name: 'Site', url: 'https://shop.example/menu?x=1' });
    assert.deepEqual(body.button[2].sub_button.map((b: { type: string }) => b.type), ['scancode_push', 'location_select', 'media_id', 'pic_sysphoto']);
    assert.ok(!res.body.includes('V1001_TODAY') && !res.body.includes('MEDIA_1'), 'keys stay on the server');
  });

  it('a click pushes CLICK with the stored key; the passive reply reaches the thread', async () => {
    const e = env();
    const res = await tap(consumer, account.id, { path: [0], key: 'FORGED', EventKey: 'FORGED' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.action, 'event');
    assert.equal(body.outboxIds.length, 1);
    await e.platform.worker.drain();
    const push = stub.pushes.findLast((p) => xmlText(p.fields, 'Event') === 'CLICK');
    assert.ok(push, 'the merchant got a push');
    assert.ok(push.signed, 'signed with the account token');
    assert.ok(push.raw.includes('<Event><![CDATA[CLICK]]></Event>'), push.raw);
    assert.ok(push.raw.includes('<EventKey><![CDATA[V1001_TODAY]]></EventKey>'), 'the key comes from the stored menu');
    assert.ok(!push.raw.includes('FORGED'));
    assert.equal(xmlText(push.fields, 'FromUserName'), openid);
    assert.equal(xmlText(push.fields, 'MsgType'), 'event');
    const thread = await e.platform.services.conversations.messages(consumer.ctx, account.id);
    const reply = thread.find((m) => m.direction === 'out' && m.content.type === 'text' && m.content.content === 'reply to CLICK');
    assert.ok(reply, `the passive reply is in the thread: ${JSON.stringify(thread)}`);
    assert.equal(reply.source, 'passive_reply');
  });

  it('a view button opens its URL and pushes VIEW with the menuid; its reply is ignored', async () => {
    const e = env();
    const menuid = (await menuOf(consumer, account.id)).json().menuid as string;
    const res = await tap(consumer, account.id, { path: [1] });
    const body = res.json() as { action: string; url: string; outboxIds: string[] };
    assert.equal(body.action, 'open_url');
    assert.equal(body.url, 'https://shop.example/menu?x=1');
    assert.equal(body.outboxIds.length, 1);
    await e.platform.worker.drain();
    const push = stub.pushes.findLast((p) => xmlText(p.fields, 'Event') === 'VIEW');
    assert.ok(push);
    assert.equal(xmlText(push?.fields ?? {}, 'EventKey'), 'https://shop.example/menu?x=1');
    assert.equal(xmlText(push?.fields ?? {}, 'MenuId'), menuid);
    const thread = await e.platform.services.conversations.messages(consumer.ctx, account.id);
    assert.equal(thread.find((m) => m.content.type === 'text' && m.content.content === 'reply to VIEW'), undefined);
  });

  it('scan, location and photo buttons carry what the client reports', async () => {
    const e = env();
    assert.equal((await tap(consumer, account.id, { path: [2, 0], scanResult: 'https://lianjie.test/q/42' })).statusCode, 200);
    assert.equal((await tap(consumer, account.id, { path: [2, 1], location: { latitude: 23.13, longitude: 113.26, label: 'Canton Tower', poiname: 'Tower' } })).statusCode, 200);
    assert.equal((await tap(consumer, account.id, { path: [2, 3] })).statusCode, 200);
    await e.platform.worker.drain();
    const byEvent = (event: string) => stub.pushes.findLast((p) => xmlText(p.fields, 'Event') === event)?.fields;
    const [scan, loc, pic] = [byEvent('scancode_push'), byEvent('location_select'), byEvent('pic_sysphoto')];
    assert.equal(xmlText(scan ?? {}, 'Event'), 'scancode_push');
    assert.deepEqual(scan?.ScanCodeInfo, { ScanType: 'qrcode', ScanResult: 'https://lianjie.test/q/42' });
    assert.equal(xmlText(loc ?? {}, 'EventKey'), 'LOC_1');
    assert.deepEqual(loc?.SendLocationInfo, { Location_X: '23.13', Location_Y: '113.26', Scale: '15', Label: 'Canton Tower', Poiname: 'Tower' });
    assert.equal(xmlText(pic ?? {}, 'Event'), 'pic_sysphoto');
    assert.equal((pic?.SendPicsInfo as WechatXmlObject | undefined)?.Count, '0');
  });

  it('refuses taps on paths that do not exist, on parents and without required input; nothing is pushed', async () => {
    const e = env();
    const before = await outboxCount(e);
    for (const path of [[3], [2], [0, 0], [2, 4], [1, 1]]) {
      const res = await tap(consumer, account.id, { path });
      assert.equal(res.statusCode, 400, `path ${JSON.stringify(path)}: ${res.body}`);
    }
    assert.equal((await tap(consumer, account.id, { path: [2, 0] })).statusCode, 400, 'scancode needs a scanResult');
    assert.equal((await tap(consumer, account.id, { path: [2, 1] })).statusCode, 400, 'location_select needs a location');
    assert.equal((await tap(consumer, account.id, { path: [] })).statusCode, 400);
    assert.equal((await tap(consumer, account.id, { path: [0, 0, 0] })).statusCode, 400);
    assert.equal((await tap(consumer, account.id, { key: 'V1001_TODAY' })).statusCode, 400, 'a key alone is not a tap');
    const material = await tap(consumer, account.id, { path: [2, 2] });
    assert.deepEqual(material.json(), { action: 'none', outboxIds: [] }, 'material buttons push nothing');
    assert.equal(await outboxCount(e), before);
  });

  it('requires a signed-in, following consumer; other accounts’ menus are their own', async () => {
    const e = env();
    const stranger = await createConsumer(e);
    assert.equal((await tap(stranger, account.id, { path: [0] })).statusCode, 412, 'not following');
    assert.equal((await menuOf(stranger, account.id)).json().button.length, 3, 'a visitor sees the default menu');
    const anon = await e.app.inject({ method: 'POST', url: `/api/v1/accounts/${account.id}/menu/tap`, payload: { path: [0] } });
    assert.equal(anon.statusCode, 401);
    assert.equal((await menuOf(consumer, 'no-such-account')).statusCode, 404);

    const other = await createAccount(e, await createMerchant(e));
    await follow(e, consumer, other);
    assert.deepEqual((await menuOf(consumer, other.id)).json(), { menuid: null, button: [] });
    const res = await tap(consumer, other.id, { path: [0] });
    assert.equal(res.statusCode, 400, "A's menu does not apply to B");
  });

  it('a tagged follower sees and taps the conditional menu for their tag', async () => {
    const e = env();
    const tagged = await createConsumer(e);
    const taggedOpenid = await follow(e, tagged, account);
    const tag = await wxPost(e, '/cgi-bin/tags/create', token, { tag: { name: 'VIP' } });
    const tagId = (tag.tag as { id: number }).id;
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchtagging', token, { openid_list: [taggedOpenid], tagid: tagId })).errcode, 0);
    const added = await wxPost(e, '/cgi-bin/menu/addconditional', token, { button: [{ type: 'click', name: 'VIP', key: 'VIP_ONLY' }], matchrule: { tag_id: String(tagId) } });
    assert.match(String(added.menuid), /^\d+$/);

    assert.deepEqual((await menuOf(tagged, account.id)).json(), { menuid: String(added.menuid), button: [{ type: 'click', name: 'VIP' }] });
    assert.equal((await menuOf(consumer, account.id)).json().button.length, 3, 'untagged followers keep the default menu');
    assert.equal((await tap(tagged, account.id, { path: [0] })).statusCode, 200);
    await e.platform.worker.drain();
    const push = stub.pushes.findLast((p) => xmlText(p.fields, 'Event') === 'CLICK' && xmlText(p.fields, 'FromUserName') === taggedOpenid);
    assert.equal(xmlText(push?.fields ?? {}, 'EventKey'), 'VIP_ONLY');
    assert.equal((await tap(tagged, account.id, { path: [1] })).statusCode, 400, 'the conditional menu has one button');
    assert.equal((await wxPost(e, '/cgi-bin/menu/delconditional', token, { menuid: added.menuid })).errcode, 0);
  });
});
