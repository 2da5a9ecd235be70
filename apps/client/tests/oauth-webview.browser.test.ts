// Acceptance, in Chromium at 375×667: a view menu opens a merchant page (another local origin) in the web
// view; the page does OAuth (snsapi_userinfo) → the consent screen opens INSIDE the web view's iframe →
// Allow → the page greets the consumer by nickname (its backend exchanged the code at /sns/*) → wx.config
// signed with a jsapi ticket → wx.getLocation and wx.scanQRCode through the bridge. Also: Refuse gives the
// page `state` without a code; sign-in's `next` goes on to /connect/… but never to another origin.
// Needs `npm run build` first.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestAccount, type TestConsumer } from '../../server/src/testing/factories.ts';
import { resolveNext } from '../src/oauth/next.ts';

const NICKNAME = 'Xiao Hong';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** The merchant's order page after OAuth: greeting, jweixin, wx.config, Locate and Scan buttons. */
const orderPage = (o: { baseUrl: string; greeting: string; config: Record<string, string> }) => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Noodle Order</title>
<script src="${o.baseUrl}/jssdk/jweixin-1.6.0.js"></script>
<style>body{font-family:sans-serif;padding:12px;margin:0}button{font-size:16px;padding:8px 14px;margin:4px 8px 4px 0}output{display:block;margin:6px 0;font-family:monospace;font-size:13px;word-break:break-all}</style></head>
<body><h2 id="hello">${esc(o.greeting)}</h2><p id="ready">configuring…</p>
<button id="locate" type="button">Locate</button><button id="scan" type="button">Scan</button>
<output id="loc"></output><output id="code"></output>
<script>
function put(id, v) { document.getElementById(id).textContent = typeof v === 'string' ? v : JSON.stringify(v); }
wx.config(Object.assign({ debug: false, jsApiList: ['getLocation', 'scanQRCode'] }, ${JSON.stringify(o.config)}));
wx.ready(function () { put('ready', 'ready'); });
wx.error(function (res) { put('ready', 'error: ' + res.errMsg); });
document.getElementById('locate').onclick = function () {
  wx.getLocation({ type: 'wgs84', success: function (r) { put('loc', r.latitude + ',' + r.longitude); }, fail: function (r) { put('loc', r.errMsg); } });
};
document.getElementById('scan').onclick = function () {
  wx.scanQRCode({ needResult: 1, scanType: ['qrCode'], success: function (r) { put('code', r.resultStr); }, fail: function (r) { put('code', r.errMsg); } });
};
</script></body></html>`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('OAuth consent inside the web view, then the JS-SDK (Chromium)', () => {
  let env: TestEnv & { close(): Promise<void> };
  let shop: Server;
  let shopOrigin = '';
  let account: TestAccount;
  let accountName = '';
  let consumer: TestConsumer;
  let browser: Browser;
  const seen: URL[] = [];

  /** The merchant's site: /order starts OAuth without a code; with one, its backend does the rest. */
  async function shopHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', shopOrigin);
    if (url.pathname !== '/order') return void res.writeHead(404).end();
    seen.push(url);
    const code = url.searchParams.get('code');
    if (!code) {
      if (url.searchParams.has('state')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Refused</title><p id="refused">No login (state=${esc(url.searchParams.get('state') ?? '')})</p>`);
        return;
      }
      const authorize = `${env.baseUrl}/connect/oauth2/authorize?appid=${account.appid}&redirect_uri=${encodeURIComponent(`${shopOrigin}/order`)}&response_type=code&scope=snsapi_userinfo&state=xyz#wechat_redirect`;
      res.writeHead(302, { location: authorize }).end();
      return;
    }
    const tok = await getJson<{ access_token: string; openid: string }>(`${env.baseUrl}/sns/oauth2/access_token?appid=${account.appid}&secret=${account.appsecret}&code=${encodeURIComponent(code)}&grant_type=authorization_code`);
    const user = await getJson<{ nickname?: string; errmsg?: string }>(`${env.baseUrl}/sns/userinfo?access_token=${tok.access_token}&openid=${tok.openid}&lang=zh_CN`);
    const cgi = await getJson<{ access_token: string }>(`${env.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.appsecret}`);
    const { ticket } = await getJson<{ ticket: string }>(`${env.baseUrl}/cgi-bin/ticket/getticket?access_token=${cgi.access_token}&type=jsapi`);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonceStr = 'nonce' + timestamp;
    const signature = sha1(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${shopOrigin}${req.url ?? ''}`);
    const greeting = user.nickname ? `Hello, ${user.nickname}` : `No user: ${user.errmsg ?? JSON.stringify(tok)}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(orderPage({ baseUrl: env.baseUrl, greeting, config: { appId: account.appid, timestamp, nonceStr, signature } }));
  }

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    const merchant = await createMerchant(env);
    accountName = 'Noodle House';
    account = await createAccount(env, merchant, 'service', accountName);
    consumer = await createConsumer(env, NICKNAME);
    await follow(env, consumer, account);
    shop = createServer((req, res) => {
      shopHandler(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    shopOrigin = `http://127.0.0.1:${await listen(shop)}`;
    const host = new URL(shopOrigin).host;
    await env.platform.services.accounts.setDomains(merchant.ctx, account.id, { webDomain: host, jssdkDomain: host });
    const menu = await wxPost(env, '/cgi-bin/menu/create', await accessToken(env, account), { button: [{ type: 'view', name: 'Order', url: `${shopOrigin}/order` }] });
    assert.equal(menu.errcode, 0, JSON.stringify(menu));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    shop?.close();
    await env?.close();
  });

  const newContext = (): Promise<BrowserContext> =>
    browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US', geolocation: { latitude: 31.2304, longitude: 121.4737, accuracy: 20 }, permissions: ['geolocation'] });
  const frameAt = (page: Page, prefix: string): Frame | undefined => page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(prefix));
  const waitFrame = async (page: Page, prefix: string): Promise<Frame> => {
    for (let i = 0; i < 100; i++) {
      const f = frameAt(page, prefix);
      if (f) return f;
      await page.waitForTimeout(100);
    }
    assert.fail(`no iframe at ${prefix}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
  };

  it('view menu → OAuth consent in the iframe → Allow → "Hello, <nickname>" → getLocation and scanQRCode', { timeout: 60_000 }, async () => {
    const context = await newContext();
    await context.addCookies([{ name: 'lj_c', value: consumer.token, url: env.baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/chat/${account.id}`);
    await page.getByRole('navigation', { name: 'Account menu' }).getByRole('button', { name: 'Order' }).click();
    await page.waitForURL((u) => u.pathname === '/webview');
    assert.equal(await page.getByTestId('webview-url').textContent(), `${shopOrigin}/order`);

    // The merchant page sent the frame to /connect/oauth2/authorize, which answered with the consent page.
    const consent = await waitFrame(page, `${env.baseUrl}/oauth/consent?request=`);
    const allow = consent.getByRole('button', { name: `Allow ${accountName} to get your profile` });
    await allow.waitFor({ timeout: 15_000 });
    assert.equal(await consent.getByRole('heading', { name: accountName }).count(), 1);
    assert.equal(await consent.getByText(`${accountName} requests:`).count(), 1);
    assert.match((await consent.getByTestId('consent-fields').textContent()) ?? '', /your nickname and avatar \(and region, sex\)/);
    assert.equal(await consent.getByTestId('consent-host').textContent(), new URL(shopOrigin).host);
    assert.equal(await consent.getByRole('button', { name: `Refuse ${accountName} your profile` }).count(), 1);
    await screenshot(page, 'client-consent.png');
    await allow.click();

    const shopFrame = await waitFrame(page, `${shopOrigin}/order?code=`);
    await shopFrame.locator('#hello').filter({ hasText: `Hello, ${NICKNAME}` }).waitFor({ timeout: 15_000 });
    assert.equal(new URL(shopFrame.url()).searchParams.get('state'), 'xyz');
    await shopFrame.locator('#ready').filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 });
    assert.equal(await shopFrame.locator('#ready').textContent(), 'ready');

    await shopFrame.getByRole('button', { name: 'Locate' }).click();
    await shopFrame.locator('#loc').filter({ hasText: ',' }).waitFor({ timeout: 15_000 });
    assert.equal(await shopFrame.locator('#loc').textContent(), '31.2304,121.4737');

    // scanQRCode: the scanner overlay opens in the client (the parent page), not in the merchant page.
    await shopFrame.getByRole('button', { name: 'Scan' }).click();
    const paste = page.getByLabel('Paste text');
    await paste.waitFor({ timeout: 10_000 });
    await paste.fill('TABLE-12');
    await page.getByRole('button', { name: 'Use text' }).click();
    await shopFrame.locator('#code').filter({ hasText: 'TABLE-12' }).waitFor({ timeout: 10_000 });
    assert.equal(await shopFrame.locator('#code').textContent(), 'TABLE-12');
    await screenshot(page, 'client-webview.png');
    await context.close();
  });

  it('signed out: authorize → sign in → next=/connect/… by a full navigation → consent top-level → Refuse gives state without a code', { timeout: 30_000 }, async () => {
    const other = await createConsumer(env, 'Refuser');
    const context = await newContext();
    const page = await context.newPage();
    const authorize = `${env.baseUrl}/connect/oauth2/authorize?appid=${account.appid}&redirect_uri=${encodeURIComponent(`${shopOrigin}/order`)}&response_type=code&scope=snsapi_userinfo&state=xyz`;
    await page.goto(authorize);
    await page.waitForURL((u) => u.pathname === '/signin');
    assert.ok(new URL(page.url()).searchParams.get('next')?.startsWith('/connect/oauth2/authorize?'));
    await page.getByLabel('Phone number').fill(other.phone);
    await page.getByLabel('Password').fill(other.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/oauth/consent');
    const before = seen.length;
    await page.getByRole('button', { name: `Refuse ${accountName} your profile` }).click();
    await page.locator('#refused').waitFor({ timeout: 10_000 });
    const landed = new URL(page.url());
    assert.equal(landed.origin + landed.pathname, `${shopOrigin}/order`);
    assert.equal(landed.searchParams.get('state'), 'xyz');
    assert.equal(landed.searchParams.has('code'), false);
    assert.ok(seen.slice(before).every((u) => !u.searchParams.has('code')), 'the merchant never got a code');

    // An unknown request: a clear error and a way back.
    await page.goto(`${env.baseUrl}/oauth/consent?request=nope`);
    await page.getByRole('alert').filter({ hasText: 'expired or is unknown' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Back' }).click();
    await page.waitForURL((u) => u.pathname === '/chats');
    await context.close();
  });

  it('sign-in never follows next to another origin (open redirect)', { timeout: 30_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const evil = shopOrigin.replace(/^http:/, '');
    for (const next of [`${evil}/order`, `/\\${evil.slice(2)}/order`, `http:${evil}/order`, `/\t${evil.slice(1)}/order`, 'javascript:alert(1)']) {
      await page.goto(`${env.baseUrl}/signin?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Phone number').fill(consumer.phone);
      await page.getByLabel('Password').fill(consumer.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/chats' || u.origin !== env.baseUrl, { timeout: 10_000 });
      assert.equal(page.url(), `${env.baseUrl}/chats`, `next=${JSON.stringify(next)} stays on the client`);
    }
    await context.close();
  });

  it('resolveNext: client routes in place, platform paths by full navigation, anything else to /chats', () => {
    const origin = 'https://lianjie.example';
    const isRoute = (p: string) => p === '/chats' || p.startsWith('/chat/');
    assert.deepEqual(resolveNext('/chat/acc_1?x=1', isRoute, origin), { kind: 'route', path: '/chat/acc_1?x=1' });
    assert.deepEqual(resolveNext('/connect/oauth2/authorize?appid=wx1&state=s#wechat_redirect', isRoute, origin), { kind: 'full', path: '/connect/oauth2/authorize?appid=wx1&state=s#wechat_redirect' });
    for (const bad of [null, '', 'chats', '//evil.example/x', '/\\evil.example/x', '/\t/evil.example', '/\n/evil.example', 'https://evil.example/', 'javascript:alert(1)', ' /chats']) {
      assert.deepEqual(resolveNext(bad, isRoute, origin), { kind: 'route', path: '/chats' }, JSON.stringify(bad));
    }
  });
});
