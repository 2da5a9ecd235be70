import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createConsumer, follow, wxPost } from '../../testing/factories.ts';
import { ageInteraction, call, errcodeOf, tenant, threadOf } from './test-support.ts';

describeOnBothDbs('customer-service messages over the OA wire', (env) => {
  it('wechat-api sends text, image and a news card into the consumer thread', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const openid = t.openids[0] ?? '';
    assert.deepEqual(await call((cb) => t.api.sendText(openid, '您好，您的菜马上就到 🍜', cb)), { errcode: 0, errmsg: 'ok' });
    assert.equal(await errcodeOf(call((cb) => t.api.sendImage(openid, 'NOT_A_MEDIA_ID', cb))), 40007, 'an image needs a media_id of the account');
    const dir = await mkdtemp(path.join(tmpdir(), 'lj-cs-'));
    const file = path.join(dir, 'dish.png');
    await writeFile(file, await QRCode.toBuffer('mapo tofu', { type: 'png', width: 64 }));
    const { media_id: mediaId } = await call<{ media_id: string }>((cb) => t.api.uploadMedia(file, 'image', cb));
    await call((cb) => t.api.sendImage(openid, mediaId, cb));
    await rm(dir, { recursive: true });
    await call((cb) => t.api.sendNews(openid, [{ title: '今日特价', description: '麻婆豆腐 ¥22', url: 'https://demo.test/specials', picurl: 'https://demo.test/p.jpg' }], cb));
    const thread = (await threadOf(e, c, t)).filter((m) => m.source === 'cs');
    assert.deepEqual(
      thread.map((m) => m.content),
      [
        { type: 'text', content: '您好，您的菜马上就到 🍜' },
        { type: 'image', mediaId },
        { type: 'news', articles: [{ title: '今日特价', description: '麻婆豆腐 ¥22', url: 'https://demo.test/specials', picUrl: 'https://demo.test/p.jpg' }] },
      ],
    );
    assert.ok(thread.every((m) => m.direction === 'out'));
  });

  it('sends a link; bad input (unknown msgtype, empty or long text, two articles, no touser) writes nothing', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const link = await wxPost(e, '/cgi-bin/message/custom/send', t.token, { touser: t.openids[0], msgtype: 'link', link: { title: '点餐', description: '扫码点餐', url: 'https://demo.test/order', thumb_url: 'https://demo.test/t.jpg' } });
    assert.equal(link.errcode, 0);
    const before = (await threadOf(e, c, t)).length;
    const bad = [
      [{ touser: t.openids[0], msgtype: 'sticker', sticker: {} }, 40008],
      [{ touser: t.openids[0], msgtype: 'text', text: { content: '   ' } }, 44004],
      [{ touser: t.openids[0], msgtype: 'text', text: { content: 'x'.repeat(2049) } }, 45002],
      [{ touser: t.openids[0], msgtype: 'text' }, 47003],
      [{ touser: t.openids[0], msgtype: 'text', text: { content: 42 } }, 47001],
      [{ touser: t.openids[0], msgtype: 'news', news: { articles: [{ title: 'a' }, { title: 'b' }] } }, 45008],
      [{ msgtype: 'text', text: { content: 'no touser' } }, 40003],
    ] as const;
    for (const [body, errcode] of bad) assert.equal((await wxPost(e, '/cgi-bin/message/custom/send', t.token, body)).errcode, errcode, JSON.stringify(body));
    const malformed = await e.app.inject({ method: 'POST', url: `/cgi-bin/message/custom/send?access_token=${t.token}`, payload: '{"touser":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.json().errcode, 47001);
    assert.equal((await threadOf(e, c, t)).length, before, 'nothing was written');
  });

  it('only within 48 h of the last interaction (45015); a new message from the consumer reopens the window', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const openid = t.openids[0] ?? '';
    await ageInteraction(e, t, c, 47);
    await call((cb) => t.api.sendText(openid, 'still inside', cb));
    await ageInteraction(e, t, c, 49);
    assert.equal(await errcodeOf(call((cb) => t.api.sendText(openid, 'too late', cb))), 45015);
    await e.platform.services.conversations.sendMessage(c.ctx, t.account.id, { type: 'text', content: '在吗？' });
    await call((cb) => t.api.sendText(openid, '在的', cb));
    const texts = (await threadOf(e, c, t)).filter((m) => m.source === 'cs').map((m) => (m.content.type === 'text' ? m.content.content : ''));
    assert.deepEqual(texts, ['still inside', '在的']);
  });

  it('at most 5 messages after the consumer last interacted (45047)', async () => {
    const e = env();
    const t = await tenant(e, 1);
    const [c] = t.consumers;
    assert.ok(c);
    const openid = t.openids[0] ?? '';
    for (let i = 1; i <= 5; i++) await call((cb) => t.api.sendText(openid, `msg ${i}`, cb));
    assert.equal(await errcodeOf(call((cb) => t.api.sendText(openid, 'msg 6', cb))), 45047);
    await e.platform.services.conversations.sendMessage(c.ctx, t.account.id, { type: 'text', content: 'ok' });
    await call((cb) => t.api.sendText(openid, 'msg 6 after the reply', cb));
    assert.equal((await threadOf(e, c, t)).filter((m) => m.source === 'cs').length, 6);
  });

  it('never reaches a consumer who unfollowed (43004) or blocked the account (43101)', async () => {
    const e = env();
    const t = await tenant(e, 2);
    const [gone, blocker] = t.consumers;
    assert.ok(gone && blocker);
    await e.platform.services.conversations.unfollow(gone.ctx, t.account.id);
    assert.equal(await errcodeOf(call((cb) => t.api.sendText(t.openids[0] ?? '', 'come back', cb))), 43004);
    await e.platform.services.conversations.setBlocked(blocker.ctx, t.account.id, true);
    assert.equal(await errcodeOf(call((cb) => t.api.sendText(t.openids[1] ?? '', 'hello?', cb))), 43101);
    assert.equal((await threadOf(e, blocker, t)).filter((m) => m.source === 'cs').length, 0);
    await e.platform.services.conversations.setBlocked(blocker.ctx, t.account.id, false);
    await call((cb) => t.api.sendText(t.openids[1] ?? '', 'hello again', cb));
  });

  it("another merchant's token cannot message this account's followers (40003)", async () => {
    const e = env();
    const a = await tenant(e, 1);
    const b = await tenant(e, 0);
    const [c] = a.consumers;
    assert.ok(c);
    assert.equal(await errcodeOf(call((cb) => b.api.sendText(a.openids[0] ?? '', 'spam', cb))), 40003);
    // Even when the consumer also follows B, A's openid means nothing to B.
    await follow(e, c, b.account);
    assert.equal(await errcodeOf(call((cb) => b.api.sendText(a.openids[0] ?? '', 'spam', cb))), 40003);
    const stranger = await createConsumer(e);
    assert.equal((await wxPost(e, '/cgi-bin/message/custom/send', a.token, { touser: `o${stranger.id}`, msgtype: 'text', text: { content: 'x' } })).errcode, 40003);
    assert.equal((await threadOf(e, c, a)).filter((m) => m.source === 'cs').length, 0);
  });
}, { listen: true });
