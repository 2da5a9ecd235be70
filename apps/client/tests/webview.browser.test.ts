// The web view and the JS-SDK in a real browser: a merchant page on another origin (a tiny node:http
// server) includes the platform's jweixin.js, signs its URL with a jsapi ticket from its own backend, and
// calls wx.config → wx.getLocation → wx.scanQRCode through the bridge. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, type TestAccount, type TestConsumer } from '../../server/src/testing/factories.ts';


/** The merchant's page: records every bridge reply id it receives, then does config → location → scan. */
const shopPage = (baseUrl: string, mode: 'good' | 'bad') => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${mode === 'good' ? 'Noodle Shop' : 'Bad Shop'}</title>
<style>pre{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;padding:6px;border-radius:4px}</style>
<script src="${baseUrl}/jssdk/jweixin-1.6.0.js"></script></head>
<body style="font-family:sans-serif;padding:12px"><h2>Merchant page (${mode})</h2><div id="out"></div>
<script>
window.__ids = [];
window.addEventListener('message', function (e) { if (e.data && e.data.__lianjie === 1) window.__ids.push(e.data.id); });
function put(id, v) { var d = document.createElement('pre'); d.id = id; d.textContent = JSON.stringify(v); document.getElementById('out').appendChild(d); }
wx.error(function (res) { put('error', res); });
wx.ready(function () {
  put('ready', true);
  wx.chooseImage({ count: 1, fail: function (res) { put('chooseImageDenied', res); } });
  wx.getLocation({ type: 'wgs84', success: function (loc) {
    put('location', loc);
    wx.scanQRCode({ needResult: 1, scanType: ['qrCode'], success: function (res) { put('scan', res); }, fail: function (res) { put('scanFail', res); } });
  }, fail: function (res) { put('locationFail', res); } });
});
fetch('/config?mode=${mode}&url=' + encodeURIComponent(location.href.split('#')[0])).then(function (r) { return r.json(); }).then(function (c) {
  wx.config({ debug: false, appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: ['getLocation', 'scanQRCode'] });
});
</script></body></html>`;

/** A page of another origin that tries to use the bridge from inside the web view's iframe. */
const intruderPage = `<!doctype html><html><head><title>Intruder</title></head><body><div id="status">waiting</div><script>
var got = 0;
window.addEventListener('message', function (e) { if (e.data && e.data.__lianjie === 1) got++; });
parent.postMessage({ __lianjie: 1, id: 'intruder:1', method: 'getLocation', args: {} }, '*');
parent.postMessage({ __lianjie: 1, id: 'intruder:2', method: 'config', args: { url: location.href } }, '*');
setTimeout(function () { document.getElementById('status').textContent = 'replies:' + got; }, 1000);
</script></body></html>`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('web view + JS-SDK in Chromium', () => {
  let env: TestEnv & { close(): Promise<void> };
  let shop: Server;
  let intruder: Server;
  let shopOrigin = '';
  let intruderOrigin = '';
  let account: TestAccount;
  let consumer: TestConsumer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    const merchant = await createMerchant(env);
    account = await createAccount(env, merchant);
    consumer = await createConsumer(env, 'Web Viewer');
    let token: string | undefined;
    shop = createServer((req, res) => {
      const url = new URL(req.url ?? '/', shopOrigin);
      if (url.pathname === '/config') {
        void (async () => {
          // The merchant's backend: a jsapi ticket through the OA API, then the page signature.
          token ??= await accessToken(env, account);
          const t = (await (await fetch(`${env.baseUrl}/cgi-bin/ticket/getticket?access_token=${token}&type=jsapi`)).json()) as { ticket: string };
          const timestamp = String(Math.floor(Date.now() / 1000));
          const nonceStr = 'n0nce' + timestamp;
          const pageUrl = url.searchParams.get('url') ?? '';
          const good = createHash('sha1').update(`jsapi_ticket=${t.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${pageUrl}`).digest('hex');
          const signature = url.searchParams.get('mode') === 'good' ? good : createHash('sha1').update('not the ticket').digest('hex');
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ appId: account.appid, timestamp, nonceStr, signature }));
        })();
        return;
      }
      const mode = url.pathname === '/bad' ? 'bad' : 'good';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(shopPage(env.baseUrl, mode));
    });
    shopOrigin = `http://127.0.0.1:${await listen(shop)}`;
    intruder = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(intruderPage));
    intruderOrigin = `http://127.0.0.1:${await listen(intruder)}`;
    // The account's JS-SDK domain is the shop's host:port (set before anything reads the account).
    await env.platform.handle.db.updateTable('official_accounts').set({ jssdk_domain: new URL(shopOrigin).host }).where('id', '=', account.id).execute();
    env.platform.caches.evict('account', account.id);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US', geolocation: { latitude: 31.2304, longitude: 121.4737, accuracy: 20 } });
    await context.grantPermissions(['geolocation'], { origin: env.baseUrl });
    await context.addCookies([{ name: 'lj_c', value: consumer.token, url: env.baseUrl }]);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    shop?.close();
    intruder?.close();
    await env?.close();
  });

  const webviewUrl = (path: string) => `${env.baseUrl}/webview?url=${encodeURIComponent(shopOrigin + path)}&account=${account.id}`;
  const shopFrame = (): Frame => {
    const f = page.frames().find((fr) => fr.url().startsWith(shopOrigin));
    assert.ok(f, 'the merchant page is loaded in the iframe');
    return f;
  };
  const json = async (f: Frame, id: string) => JSON.parse((await f.locator(`#${id}`).textContent({ timeout: 15_000 })) ?? 'null') as Record<string, unknown>;

  it('a signed page gets wx.ready, getLocation and scanQRCode (pasted text) through the bridge', async () => {
    await page.goto(webviewUrl('/shop?item=7#top'));
    const paste = page.getByLabel('Paste text');
    await paste.waitFor({ timeout: 20_000 });
    const f = shopFrame();
    const location = await json(f, 'location');
    assert.equal(location.errMsg, 'getLocation:ok');
    assert.equal(location.latitude, 31.2304);
    assert.equal(location.longitude, 121.4737);
    assert.deepEqual(await json(f, 'chooseImageDenied'), { errMsg: 'chooseImage:permission denied' });
    await paste.fill('https://shop.example/qr/42');
    await page.getByRole('button', { name: 'Use text' }).click();
    assert.deepEqual(await json(f, 'scan'), { resultStr: 'https://shop.example/qr/42', errMsg: 'scanQRCode:ok' });
    assert.equal(await page.getByTestId('webview-title').textContent(), 'Noodle Shop');
    assert.equal(await page.getByTestId('webview-url').textContent(), `${shopOrigin}/shop?item=7#top`);
    assert.equal(await page.locator('iframe').getAttribute('sandbox'), 'allow-scripts allow-forms allow-same-origin allow-popups');
    await screenshot(page, 'client-webview-jssdk.png');
  });

  it('ignores bridge messages from another window or another origin (no reply)', async () => {
    const f = shopFrame();
    // Posted by the client's own window: the right origin for nothing, the wrong source.
    await page.evaluate(() => window.postMessage({ __lianjie: 1, id: 'self:1', method: 'getLocation', args: {} }, '*'));
    await page.waitForTimeout(600);
    const ids = (await f.evaluate(() => (window as unknown as { __ids: string[] }).__ids)) as string[];
    assert.ok(ids.length >= 3, 'the page did get its own replies');
    assert.ok(!ids.includes('self:1'), 'a message not from the iframe gets no reply');
    // The iframe navigates to another origin: its messages come from the right window but the wrong origin.
    await f.evaluate((u) => {
      location.href = u;
    }, `${intruderOrigin}/`);
    const intruderFrame = page.frameLocator('iframe');
    await intruderFrame.locator('#status').filter({ hasText: 'replies:' }).waitFor({ timeout: 10_000 });
    assert.equal(await intruderFrame.locator('#status').textContent(), 'replies:0');
  });

  it('outside the web view, wx.config reports wx.error "config:fail not in Lianjie"', async () => {
    const direct = await context.newPage();
    await direct.goto(`${shopOrigin}/shop`);
    const err = JSON.parse((await direct.locator('#error').textContent({ timeout: 15_000 })) ?? 'null') as unknown;
    assert.deepEqual(err, { errMsg: 'config:fail not in Lianjie' });
    await direct.close();
  });

  it('a page with a wrong signature gets wx.error with config:invalid signature', async () => {
    await page.goto(webviewUrl('/bad'));
    await page.getByTestId('webview-title').filter({ hasText: 'Bad Shop' }).waitFor({ timeout: 15_000 });
    const f = shopFrame();
    assert.deepEqual(await json(f, 'error'), { errMsg: 'config:invalid signature' });
    assert.equal(await f.locator('#ready').count(), 0);
  });
});
