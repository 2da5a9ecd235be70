/**
 * Browser test of sharing a web page (playwright-core + Debian Chromium at 375×667, PGlite): a merchant page
 * on another origin signs wx.config and calls wx.updateAppMessageShareData; Ann opens it in the web view,
 * taps Share and picks Bob; Bob (another browser context) sees the page card arrive live (and the Chats tab
 * badge counts it), opens it, and the page opens in his web view. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, type TestAccount, type TestConsumer, type TestMerchant } from '../../server/src/testing/factories.ts';
import { CLIENT_DIST } from '../../server/src/web/client.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The merchant's page: signs wx.config, then sets its share card (the link carries ?from=share). */
const teaPage = (baseUrl: string) => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Tea of the day</title>
<script src="${baseUrl}/jssdk/jweixin-1.6.0.js"></script></head>
<body style="font-family:sans-serif;padding:12px"><h2 id="h">Green tea</h2><div id="out"></div>
<script>
function put(id, v) { var d = document.createElement('pre'); d.id = id; d.textContent = JSON.stringify(v); document.getElementById('out').appendChild(d); }
wx.error(function (res) { put('error', res); });
wx.ready(function () {
  wx.updateAppMessageShareData({ title: 'Green tea, 20% off', desc: 'Fresh from Hangzhou', link: location.origin + '/tea?from=share', imgUrl: location.origin + '/t.png',
    success: function (res) { put('shareSet', res); }, fail: function (res) { put('shareFail', res); } });
});
fetch('/config?url=' + encodeURIComponent(location.href.split('#')[0])).then(function (r) { return r.json(); }).then(function (c) {
  wx.config({ appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: ['updateAppMessageShareData'] });
});
</script></body></html>`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('sharing a web page from the web view [pglite]', { skip: existsSync(CLIENT_DIST) ? false : 'client not built: run npm run build' }, () => {
  let env: (TestEnv & { close(): Promise<void> }) | undefined;
  let browser: Browser | undefined;
  let shop: Server | undefined;
  let shopOrigin = '';
  let account: TestAccount | undefined;
  let merchant: TestMerchant | undefined;

  before(async () => {
    const e = await startTestEnv('pglite', { listen: true, background: true });
    env = e;
    const m = await createMerchant(e);
    merchant = m;
    const a = await createAccount(e, m, 'service', 'Tea House');
    account = a;
    let token: string | undefined;
    shop = createServer((req, res) => {
      const url = new URL(req.url ?? '/', shopOrigin);
      if (url.pathname === '/t.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      if (url.pathname === '/config') {
        void (async () => {
          // The merchant's backend: a jsapi ticket through the OA API, then the page's signature.
          token ??= await accessToken(e, a);
          const t = (await (await fetch(`${e.baseUrl}/cgi-bin/ticket/getticket?access_token=${token}&type=jsapi`)).json()) as { ticket: string };
          const timestamp = String(Math.floor(Date.now() / 1000));
          const nonceStr = 'n0nce' + timestamp;
          const signature = createHash('sha1').update(`jsapi_ticket=${t.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url.searchParams.get('url') ?? ''}`).digest('hex');
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ appId: a.appid, timestamp, nonceStr, signature }));
        })();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(teaPage(e.baseUrl));
    });
    shopOrigin = `http://127.0.0.1:${await listen(shop)}`;
    await e.platform.services.accounts.setDomains(m.ctx, a.id, { jssdkDomain: new URL(shopOrigin).host });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    shop?.close();
    await env?.close();
  });

  async function signedIn(who: TestConsumer): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    assert.ok(env && browser);
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
    await context.addCookies([{ name: 'lj_c', value: who.token, url: env.baseUrl }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.setDefaultTimeout(10_000);
    return { context, page, errors };
  }

  it('Ann shares the page card to Bob; Bob gets it live (tab badge too) and opens the page in his web view', { timeout: 45_000 }, async () => {
    assert.ok(env && account);
    const annC = await createConsumer(env, 'Ann');
    const bobC = await createConsumer(env, 'Bob');
    await env.platform.services.social.addFriend(annC.ctx, bobC.phone);
    const ann = await signedIn(annC);
    const bob = await signedIn(bobC);

    // Bob waits on his chats list, connected; nothing unread yet.
    await bob.page.goto(`${env.baseUrl}/chats`);
    await bob.page.getByRole('link', { name: 'Friends' }).waitFor();
    await bob.page.getByText('Connecting…').waitFor({ state: 'detached' });
    assert.equal(await bob.page.locator('.tab-badge').count(), 0);

    // Ann opens the merchant page; it sets its share card (the success callback comes at once).
    await ann.page.goto(`${env.baseUrl}/webview?url=${encodeURIComponent(shopOrigin + '/tea')}&account=${account.id}`);
    const frame = ann.page.frameLocator('iframe');
    assert.deepEqual(JSON.parse((await frame.locator('#shareSet').textContent({ timeout: 15_000 })) ?? 'null'), { errMsg: 'updateAppMessageShareData:ok' });
    await ann.page.getByRole('button', { name: 'Share', exact: true }).click();
    await ann.page.getByRole('dialog', { name: 'Send to' }).getByRole('button', { name: 'Bob' }).click();
    await ann.page.getByRole('status').filter({ hasText: 'Sent to Bob' }).waitFor();
    await screenshot(ann.page, 'client-webview-share.png');

    // Bob: the conversation with Ann appears with the card's preview, and the Chats tab counts it.
    await bob.page.getByRole('link', { name: 'Ann, 1 unread' }).waitFor();
    await bob.page.getByText('[Link] Green tea, 20% off').waitFor();
    assert.equal(await bob.page.locator('.tab-badge').textContent(), '1');

    const stored = await env.platform.handle.db.selectFrom('dm_messages').select('content').where('sender_id', '=', annC.id).execute();
    assert.deepEqual(stored.map((r) => r.content), [
      { type: 'page_card', url: `${shopOrigin}/tea?from=share`, title: 'Green tea, 20% off', description: 'Fresh from Hangzhou', imgUrl: `${shopOrigin}/t.png`, accountId: account.id },
    ]);

    // Opening the thread and then the card: the shared link in Bob's web view, the page running in it.
    await bob.page.getByRole('link', { name: 'Ann, 1 unread' }).click();
    await bob.page.waitForURL(/\/dm\//);
    await bob.page.getByRole('button', { name: 'Green tea, 20% off' }).click();
    await bob.page.waitForURL((u) => u.pathname === '/webview' && u.searchParams.get('url') === `${shopOrigin}/tea?from=share` && u.searchParams.get('account') === account?.id);
    assert.equal(await bob.page.getByTestId('webview-url').textContent(), `${shopOrigin}/tea?from=share`);
    await bob.page.frameLocator('iframe').locator('#h').filter({ hasText: 'Green tea' }).waitFor();
    await bob.page.frameLocator('iframe').locator('#shareSet').waitFor({ timeout: 15_000 });
    assert.deepEqual([...ann.errors, ...bob.errors], []);
    await ann.context.close();
    await bob.context.close();
  });

  it('a pic_photo_or_album menu button: pick an image → it is uploaded, sent to the thread, then the tap event', { timeout: 30_000 }, async () => {
    assert.ok(env && account && merchant);
    await env.platform.services.menus.create(merchant.ctx, account.id, { button: [{ type: 'pic_photo_or_album', name: 'Send a photo', key: 'PIC_1' }] });
    const carolC = await createConsumer(env, 'Carol');
    await follow(env, carolC, account);
    const carol = await signedIn(carolC);
    await carol.page.goto(`${env.baseUrl}/chat/${account.id}`);
    const chooser = carol.page.waitForEvent('filechooser');
    await carol.page.getByRole('button', { name: 'Send a photo' }).click();
    const fc = await chooser;
    assert.equal(await fc.element().getAttribute('accept'), 'image/*');
    assert.equal(await fc.element().getAttribute('capture'), null, 'album, not camera only');
    const tapped = carol.page.waitForResponse((r) => r.url().endsWith(`/api/v1/accounts/${account?.id}/menu/tap`));
    await fc.setFiles({ name: 'tea.png', mimeType: 'image/png', buffer: PNG });
    const tap = await tapped;
    assert.equal(tap.status(), 200);
    assert.equal(((await tap.json()) as { action: string }).action, 'event');
    await carol.page.locator('.msg img').first().waitFor();
    const sent = await env.platform.services.conversations.messages(carolC.ctx, account.id);
    assert.equal(sent.filter((m) => m.direction === 'in' && m.content.type === 'image').length, 1);
    assert.deepEqual(carol.errors, []);
    await carol.context.close();
  });
});
