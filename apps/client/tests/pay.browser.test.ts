// Pay in the consumer client, in Chromium at 375×667: (a) JSAPI — a merchant page in the web view creates
// an order through the v3 API on its backend, signs paySign (RSA) and calls WeixinJSBridge
// getBrandWCPayRequest (cancel) and wx.chooseWXPay (wrong PIN, then pay) → the page's callbacks, the order
// SUCCESS, the receipt in the thread; (b) Native — a code_url pasted on the Scan page → pay; H5 with the
// merchant's redirect_url; (c) the wallet — add a card, top up, history, a refund arriving, not enough
// balance → top up in the sheet; the pay code with a pending (USERPAYING) confirmation; the insured split
// in Chinese, and an accessibility / no-English check of the pay pages in zh-CN at phone and desktop sizes.
// Needs `npm run build` first. PGlite only.
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, type TestAccount, type TestConsumer, type TestMerchant } from '../../server/src/testing/factories.ts';
import type { PayMerchantCredentials } from '../../server/src/modules/paymerchants/service.ts';
import { makeContext } from '../../server/src/platform/context.ts';
import { CLIENT_DIST } from '../../server/src/web/client.ts';
import { fundInsurance } from '../../server/src/modules/insurance/service.ts';

const require = createRequire(import.meta.url);
interface Res { status: number; data: Record<string, unknown> }
type Call = { post(body: unknown, cfg?: unknown): Promise<Res>; get(cfg?: unknown): Promise<Res> };
type Chain = Call & { [k: string]: Chain };
const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => Chain };

const PIN = '135790';

/** The merchant's page: wx.config, then pays the order its backend creates, with one of the two JS APIs. */
const shopPage = (baseUrl: string) => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Noodle Shop</title>
<script src="${baseUrl}/jssdk/jweixin-1.6.0.js"></script></head>
<body style="font-family:sans-serif;padding:12px"><h2>Beef noodles ¥18</h2><div id="out"></div>
<script>
function put(id, v) { var d = document.createElement('pre'); d.id = id; d.textContent = JSON.stringify(v); document.getElementById('out').appendChild(d); }
var api = new URLSearchParams(location.search).get('api');
wx.error(function (res) { put('error', res); });
wx.ready(function () {
  fetch('/order').then(function (r) { return r.json(); }).then(function (p) {
    put('order', p.outTradeNo);
    if (api === 'bridge') {
      WeixinJSBridge.invoke('getBrandWCPayRequest', { appId: p.appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: 'RSA', paySign: p.paySign }, function (res) { put('bridge', res); });
    } else {
      wx.chooseWXPay({ timestamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: 'RSA', paySign: p.paySign,
        success: function (res) { put('paid', res); }, cancel: function (res) { put('cancel', res); }, fail: function (res) { put('fail', res); } });
    }
  });
});
fetch('/config?url=' + encodeURIComponent(location.href.split('#')[0])).then(function (r) { return r.json(); }).then(function (c) {
  wx.config({ debug: false, appId: c.appId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: ['chooseWXPay'] });
});
</script></body></html>`;

/** English strings of the pay UI (from src/pay/strings.ts), which must not show in the Chinese UI. */
const PAY_ENGLISH = (() => {
  const src = readFileSync(new URL('../src/pay/strings.ts', import.meta.url), 'utf8');
  const block = /const en = \{([\s\S]*?)\n\};/.exec(src)?.[1] ?? '';
  return [...block.matchAll(/^\s+\w+: '((?:[^'\\]|\\.)*)',$/gm)].map((m) => m[1] ?? '').filter((x) => x.length >= 4);
})();

/** Every control has a name with a letter or digit; no horizontal scrolling; no English pay strings in zh. */
async function auditPay(page: Page, where: string): Promise<void> {
  const unnamed = await page.locator('button, a[href], input:not([type=hidden]), select, [role=button], [role=img]').evaluateAll((els) =>
    els
      .filter((el) => !el.closest('[aria-hidden="true"]') && (el as HTMLElement).checkVisibility())
      .map((el) => {
        const labels = (el as HTMLInputElement).labels;
        const name = el.getAttribute('aria-label') ?? (labels && labels.length > 0 ? Array.from(labels).map((l) => l.textContent).join(' ') : el.getAttribute('title') ?? el.textContent ?? '');
        return { name: name.trim(), html: el.outerHTML.slice(0, 100) };
      })
      .filter((x) => !/[\p{L}\p{N}]/u.test(x.name))
      .map((x) => x.html),
  );
  assert.deepEqual(unnamed, [], `${where}: controls without an accessible name`);
  const facts = await page.evaluate(() => ({ sw: (document.scrollingElement ?? document.documentElement).scrollWidth, w: window.innerWidth, text: `${document.body.innerText}\n${Array.from(document.querySelectorAll('[aria-label]')).map((e) => e.getAttribute('aria-label')).join('\n')}`, lang: document.documentElement.lang }));
  assert.ok(facts.sw <= facts.w, `${where}: scrolls horizontally`);
  assert.equal(facts.lang, 'zh-CN');
  assert.deepEqual(PAY_ENGLISH.filter((e) => facts.text.includes(e)), [], `${where}: English pay strings in the Chinese UI`);
  assert.doesNotMatch(facts.text, /\b(?:Merchant|Refund|Wallet|undefined|NaN)\b/, `${where}: untranslated text`);
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('Pay in the consumer client [pglite]', { skip: existsSync(CLIENT_DIST) ? false : 'client not built: run npm run build' }, () => {
  let env: TestEnv & { close(): Promise<void> };
  let merchant: TestMerchant;
  let account: TestAccount;
  let creds: PayMerchantCredentials;
  let sdk: Chain;
  let consumer: TestConsumer;
  let openid = '';
  let shop: Server;
  let shopOrigin = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const orders: string[] = [];
  /** Payment notifications the merchant server received (raw v3 JSON bodies). */
  const notified: string[] = [];

  const newOrderNo = () => `T${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const tradeState = async (outTradeNo: string) =>
    (await sdk.v3.pay.transactions.outTradeNo.$out_trade_no$.get({ params: { mchid: creds.mchId }, out_trade_no: outTradeNo })).data.trade_state;

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    merchant = await createMerchant(env);
    account = await createAccount(env, merchant, 'service', 'Noodle Shop');
    creds = await env.platform.services.payMerchants.create(merchant.ctx, { appid: account.appid });
    const key = creds.platformKeys[0];
    assert.ok(key);
    sdk = new Wechatpay({ baseURL: `${env.baseUrl}/`, mchid: creds.mchId, serial: creds.merchantCertSerial, privateKey: creds.merchantPrivateKey, certs: { [key.serial]: key.certificate } });
    consumer = await createConsumer(env, 'Payer');
    openid = await follow(env, consumer, account);
    const { wallet } = env.platform.services;
    const card = await wallet.addCard(consumer.ctx, { number: '4111111111111111', bank: 'ICBC' });
    await wallet.topUp(consumer.ctx, { cardId: card.id, amount: 10_000n });
    await wallet.setPin(consumer.ctx, { pin: PIN });

    let token: string | undefined;
    shop = createServer((req, res) => {
      const url = new URL(req.url ?? '/', shopOrigin);
      const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (url.pathname === '/notify') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          notified.push(body);
          res.writeHead(204).end();
        });
        return;
      }
      if (url.pathname === '/config') {
        void (async () => {
          token ??= await accessToken(env, account);
          const t = (await (await fetch(`${env.baseUrl}/cgi-bin/ticket/getticket?access_token=${token}&type=jsapi`)).json()) as { ticket: string };
          const timestamp = String(Math.floor(Date.now() / 1000));
          const nonceStr = `n${timestamp}`;
          const { createHash } = await import('node:crypto');
          const signature = createHash('sha1').update(`jsapi_ticket=${t.ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url.searchParams.get('url') ?? ''}`).digest('hex');
          json({ appId: account.appid, timestamp, nonceStr, signature });
        })();
        return;
      }
      if (url.pathname === '/order') {
        // The merchant's backend: a JSAPI order through the v3 API, then paySign with its private key.
        void (async () => {
          const outTradeNo = newOrderNo();
          orders.push(outTradeNo);
          const r = await sdk.v3.pay.transactions.jsapi.post({ appid: account.appid, mchid: creds.mchId, description: 'Beef noodles', out_trade_no: outTradeNo, notify_url: `${shopOrigin}/notify`, amount: { total: 1800, currency: 'CNY' }, payer: { openid } });
          const timeStamp = String(Math.floor(Date.now() / 1000));
          const nonceStr = `pay${timeStamp}`;
          const pkg = `prepay_id=${String(r.data.prepay_id)}`;
          const paySign = createSign('RSA-SHA256').update(`${account.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`).sign(creds.merchantPrivateKey, 'base64');
          json({ appId: account.appid, timeStamp, nonceStr, package: pkg, paySign, outTradeNo });
        })();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(shopPage(env.baseUrl));
    });
    shopOrigin = `http://127.0.0.1:${await listen(shop)}`;
    await env.platform.handle.db.updateTable('official_accounts').set({ jssdk_domain: new URL(shopOrigin).host }).where('id', '=', account.id).execute();
    env.platform.caches.evict('account', account.id);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US', deviceScaleFactor: 2 });
    await context.addInitScript(() => localStorage.setItem('lianjie.lang', 'en'));
    await context.addCookies([{ name: 'lj_c', value: consumer.token, url: env.baseUrl }]);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    shop?.close();
    await env?.close();
  });

  const webviewUrl = (path: string) => `${env.baseUrl}/webview?url=${encodeURIComponent(shopOrigin + path)}&account=${account.id}`;
  const shopFrame = (): Frame => {
    const f = page.frames().find((fr) => fr.url().startsWith(shopOrigin));
    assert.ok(f, 'the merchant page is loaded in the iframe');
    return f;
  };
  const json = async (f: Frame, id: string) => JSON.parse((await f.locator(`#${id}`).textContent()) ?? 'null') as Record<string, unknown>;

  it('GET /pay/native/:token and /pay/h5/:token serve the app; the v2 XML API at /pay/* stays the API', async () => {
    for (const path of ['/pay/native/AbC123', '/pay/h5/AbC123?redirect_url=https%3A%2F%2Fshop.example%2Fdone']) {
      const res = await env.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html,application/xhtml+xml' } });
      assert.equal(res.statusCode, 200, path);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /<div id="root"><\/div>/);
    }
    const xml = await env.app.inject({ method: 'POST', url: '/pay/unifiedorder', payload: '<xml><appid>x</appid></xml>' });
    assert.match(String(xml.headers['content-type']), /xml/);
    assert.match(xml.body, /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>|<return_code>FAIL<\/return_code>/);
  });

  it('(a) JSAPI in the web view: cancel → get_brand_wcpay_request:cancel; wrong PIN, then pay → chooseWXPay:ok, SUCCESS, receipt', { timeout: 90_000 }, async () => {
    // WeixinJSBridge.getBrandWCPayRequest, cancelled on the sheet.
    await page.goto(webviewUrl('/?api=bridge'));
    let sheet = page.getByRole('dialog', { name: 'Pay' });
    await sheet.getByText('Noodle Shop').waitFor();
    assert.equal(await sheet.getByTestId('pay-amount').textContent(), '¥18.00');
    await sheet.getByText('Beef noodles').waitFor();
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    const f1 = shopFrame();
    assert.deepEqual(await json(f1, 'bridge'), { err_msg: 'get_brand_wcpay_request:cancel', errMsg: 'get_brand_wcpay_request:cancel' });
    const cancelled = orders.at(-1) ?? '';
    assert.equal(await tradeState(cancelled), 'NOTPAY');

    // wx.chooseWXPay: a wrong PIN shows the tries left, the right one pays.
    await page.goto(webviewUrl('/?api=wx'));
    sheet = page.getByRole('dialog', { name: 'Pay' });
    await sheet.getByText('Noodle Shop').waitFor();
    await screenshot(page, 'client-pay-sheet.png');
    await sheet.getByLabel('Enter your payment PIN').fill('000000');
    await sheet.getByRole('alert').filter({ hasText: 'Wrong PIN, 4 tries left' }).waitFor();
    for (const d of PIN) await sheet.getByRole('button', { name: `Digit ${d}` }).click();
    const done = page.getByRole('dialog', { name: 'Payment successful' });
    await done.getByRole('status').waitFor();
    const txId = (await done.getByTestId('pay-transaction-id').textContent()) ?? '';
    assert.match(txId, /^\d{28}$/);
    assert.equal(await done.getByTestId('pay-amount').textContent(), '¥18.00');
    await done.getByRole('button', { name: 'Done' }).click();
    const f2 = shopFrame();
    assert.deepEqual(await json(f2, 'paid'), { errMsg: 'chooseWXPay:ok' });
    assert.equal(await f2.locator('#fail').count(), 0);
    const paidNo = orders.at(-1) ?? '';
    assert.equal(await tradeState(paidNo), 'SUCCESS');
    assert.equal((await env.platform.services.wallet.summary(consumer.ctx)).balance, 10_000n - 1800n);

    // The merchant server got the signed, encrypted TRANSACTION.SUCCESS for this order.
    const { aeadDecrypt } = await import('../../server/src/wire/wechatpay/aead.ts');
    const deadline = Date.now() + 15_000;
    interface Notice { transaction_id?: string; trade_state?: string; out_trade_no?: string }
    let notice: Notice | undefined;
    while (!notice && Date.now() < deadline) {
      for (const raw of notified) {
        const n = JSON.parse(raw) as { event_type: string; resource: { ciphertext: string; nonce: string; associated_data: string } };
        const tx = JSON.parse(aeadDecrypt(n.resource.ciphertext, creds.apiV3Key, n.resource.nonce, n.resource.associated_data)) as Notice;
        if (n.event_type === 'TRANSACTION.SUCCESS' && tx.out_trade_no === paidNo) notice = tx;
      }
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual([notice?.transaction_id, notice?.trade_state], [txId, 'SUCCESS'], 'the merchant server was notified');

    // The receipt is in the account's thread.
    const msgs = (await (await fetch(`${env.baseUrl}/api/v1/threads/${account.id}/messages?limit=50`, { headers: consumer.headers })).json()) as { content: { type: string; content?: string } }[];
    assert.ok(msgs.some((m) => m.content.type === 'system' && m.content.content?.includes('¥18.00') && m.content.content.includes(txId)), 'receipt with amount and transaction id');
  });

  it('(b) Native: a pasted code_url opens the pay route → PIN → success', { timeout: 60_000 }, async () => {
    const outTradeNo = newOrderNo();
    const r = await sdk.v3.pay.transactions.native.post({ appid: account.appid, mchid: creds.mchId, description: 'Vending: cola', out_trade_no: outTradeNo, notify_url: `${shopOrigin}/notify`, amount: { total: 350, currency: 'CNY' } });
    const codeUrl = String(r.data.code_url);
    assert.ok(codeUrl.startsWith(`${env.baseUrl}/pay/native/`));
    await page.goto(`${env.baseUrl}/scan`);
    await page.getByPlaceholder('Paste a link').fill(codeUrl);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(/\/pay\/native\//);
    const sheet = page.getByRole('dialog', { name: 'Pay' });
    await sheet.getByText('Vending: cola').waitFor();
    assert.equal(await sheet.getByTestId('pay-amount').textContent(), '¥3.50');
    await sheet.getByLabel('Enter your payment PIN').fill(PIN);
    const done = page.getByRole('dialog', { name: 'Payment successful' });
    await done.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    assert.equal(await tradeState(outTradeNo), 'SUCCESS');

    // The same link again: already paid.
    await page.goto(codeUrl);
    await page.getByRole('dialog', { name: 'Pay' }).getByRole('alert').filter({ hasText: 'already been paid' }).waitFor();

    // H5: the h5_url with the merchant's redirect_url; after paying, "Back to the merchant" returns there.
    const h5No = newOrderNo();
    const h5 = await sdk.v3.pay.transactions.h5.post({ appid: account.appid, mchid: creds.mchId, description: 'Hotel night', out_trade_no: h5No, notify_url: `${shopOrigin}/notify`, amount: { total: 100, currency: 'CNY' }, scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    const h5Url = String(h5.data.h5_url);
    assert.ok(h5Url.startsWith(`${env.baseUrl}/pay/h5/`));
    await page.goto(`${h5Url}?redirect_url=${encodeURIComponent(`${shopOrigin}/done?order=${h5No}`)}`);
    await page.getByRole('dialog', { name: 'Pay' }).getByLabel('Enter your payment PIN').fill(PIN);
    await page.getByRole('dialog', { name: 'Payment successful' }).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Back to the merchant' }).click();
    await page.waitForURL(`${shopOrigin}/done?order=${h5No}`);
    assert.equal(await tradeState(h5No), 'SUCCESS');
  });

  it('(c) wallet: add a card, top up, history with receipts; a refund shows up; not enough balance → top up in the sheet', { timeout: 90_000 }, async () => {
    await page.goto(`${env.baseUrl}/me`);
    await page.getByRole('link', { name: 'Wallet' }).click();
    await page.waitForURL(/\/wallet$/);
    const balance = page.getByTestId('wallet-balance');
    await balance.filter({ hasText: '¥77.50' }).waitFor();
    await page.getByRole('button', { name: '+ Add a card' }).click();
    const add = page.getByRole('dialog', { name: 'Add a card' });
    await add.getByLabel('Bank').fill('CMB');
    await add.getByLabel('Card number').fill('6225 8800 0000 4326');
    await add.getByRole('button', { name: 'Add a card' }).click();
    await page.getByRole('list', { name: 'Bank cards' }).getByText('CMB (4326)').waitFor();

    await page.getByRole('button', { name: 'Top up', exact: true }).click();
    const top = page.getByRole('dialog', { name: 'Top up' });
    await top.getByLabel('Card').selectOption({ label: 'CMB (4326)' });
    await top.getByLabel('Amount (¥)').fill('50');
    await top.getByRole('button', { name: 'Top up' }).click();
    await page.getByRole('status').filter({ hasText: 'Topped up ¥50.00' }).waitFor();
    await balance.filter({ hasText: '¥127.50' }).waitFor();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByRole('button', { name: /Top-up CMB \(4326\) \+¥50\.00/ }).waitFor();
    await history.getByRole('button', { name: /Payment .* -¥18\.00/ }).click();
    const receipt = page.getByRole('dialog', { name: 'Receipt' });
    await receipt.getByText('Payment', { exact: true }).waitFor();
    await receipt.getByRole('button', { name: 'Close' }).click();
    await page.locator('main.screen').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'client-wallet.png');

    // The merchant refunds the JSAPI order; once the refund completes it is in the wallet's history.
    const { refunds, payMerchants } = env.platform.services;
    const m = await payMerchants.byMchId(creds.mchId);
    assert.ok(m);
    const paidNo = orders.at(-1) ?? '';
    await refunds.request(makeContext({ kind: 'app', orgId: merchant.orgId, accountId: account.id }), m.merchant, { by: { outTradeNo: paidNo }, outRefundNo: `R${paidNo}`, amount: 1800n, api: 'v3' });
    await env.platform.worker.drain();
    await page.reload();
    await balance.filter({ hasText: '¥145.50' }).waitFor();
    await history.getByRole('button', { name: /Refund .* \+¥18\.00/ }).waitFor();

    // An order above the balance: NOT_ENOUGH → top up from the sheet → pay.
    const big = newOrderNo();
    const r = await sdk.v3.pay.transactions.native.post({ appid: account.appid, mchid: creds.mchId, description: 'Family banquet', out_trade_no: big, notify_url: `${shopOrigin}/notify`, amount: { total: 20_000, currency: 'CNY' } });
    await page.goto(String(r.data.code_url));
    const sheet = page.getByRole('dialog', { name: 'Pay' });
    await sheet.getByLabel('Enter your payment PIN').fill(PIN);
    await sheet.getByRole('alert').filter({ hasText: 'Not enough balance' }).waitFor();
    await sheet.getByRole('button', { name: 'Top up' }).click();
    assert.equal(await sheet.getByLabel('Amount (¥)').inputValue(), '54.50', 'the shortfall is suggested');
    await sheet.getByRole('button', { name: 'Top up' }).click();
    await sheet.getByLabel('Enter your payment PIN').fill(PIN);
    await page.getByRole('dialog', { name: 'Payment successful' }).getByRole('button', { name: 'Done' }).click();
    assert.equal(await tradeState(big), 'SUCCESS');
    assert.equal((await env.platform.services.wallet.summary(consumer.ctx)).balance, 0n);
  });

  it('pay code: a barcode + QR of a fresh code; a charge above the no-PIN limit asks to confirm with the PIN', { timeout: 60_000 }, async () => {
    const { wallet, micropay, payMerchants } = env.platform.services;
    const [card] = await wallet.listCards(consumer.ctx);
    assert.ok(card);
    await wallet.topUp(consumer.ctx, { cardId: card.id, amount: 200_000n });
    await page.goto(`${env.baseUrl}/pay/code`);
    const barcode = page.getByRole('img', { name: /^Payment barcode \d{18}$/ });
    await barcode.waitFor();
    const code = (await barcode.getAttribute('data-code')) ?? '';
    assert.match(code, /^1[0-5]\d{16}$/);
    assert.equal(await page.getByRole('img', { name: 'Payment QR code' }).getAttribute('data-code'), code);
    await page.getByRole('button', { name: 'Refresh the code' }).click();
    await barcode.and(page.locator(`:not([data-code="${code}"])`)).waitFor();
    const fresh = (await barcode.getAttribute('data-code')) ?? '';
    assert.notEqual(fresh, code);
    await screenshot(page, 'client-paycode.png');

    const m = await payMerchants.byMchId(creds.mchId);
    assert.ok(m);
    const order = await micropay.micropay(makeContext({ kind: 'app', orgId: merchant.orgId, accountId: account.id }), m.merchant, { appid: account.appid, mchid: creds.mchId, description: 'Jewellery', outTradeNo: newOrderNo(), total: 150_000n, authCode: fresh, api: 'v3' });
    assert.equal(order.state, 'USERPAYING');
    const sheet = page.getByRole('dialog', { name: 'Confirm the payment' });
    await sheet.getByText('Jewellery').waitFor();
    assert.equal(await sheet.getByTestId('pay-amount').textContent(), '¥1500.00');
    await sheet.getByLabel('Enter your payment PIN').fill(PIN);
    await page.getByRole('dialog', { name: 'Payment successful' }).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('status').filter({ hasText: 'Payment successful' }).waitFor();
    const after = await env.platform.handle.db.selectFrom('pay_orders').select('state').where('id', '=', order.id).executeTakeFirstOrThrow();
    assert.equal(after.state, 'SUCCESS');
  });

  it('no PIN yet: set it in the sheet, then pay; five wrong PINs lock payments', { timeout: 60_000 }, async () => {
    const newcomer = await createConsumer(env, 'Newcomer');
    const { wallet } = env.platform.services;
    const card = await wallet.addCard(newcomer.ctx, { number: '4111111111111111', bank: 'BOC' });
    await wallet.topUp(newcomer.ctx, { cardId: card.id, amount: 5_000n });
    const ctx2 = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
    await ctx2.addInitScript(() => localStorage.setItem('lianjie.lang', 'en'));
    await ctx2.addCookies([{ name: 'lj_c', value: newcomer.token, url: env.baseUrl }]);
    const p = await ctx2.newPage();
    p.setDefaultTimeout(15_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    const native = async (total: number) => {
      const no = newOrderNo();
      const r = await sdk.v3.pay.transactions.native.post({ appid: account.appid, mchid: creds.mchId, description: 'Snack', out_trade_no: no, notify_url: `${shopOrigin}/notify`, amount: { total, currency: 'CNY' } });
      return { no, url: String(r.data.code_url) };
    };

    const first = await native(200);
    await p.goto(first.url);
    let sheet = p.getByRole('dialog', { name: 'Pay' });
    await sheet.getByLabel('Enter your payment PIN').fill('246810');
    await sheet.getByRole('alert').filter({ hasText: 'Set a payment PIN to pay' }).waitFor();
    await sheet.getByLabel('New PIN (6 digits)').fill('246810');
    await sheet.getByLabel('New PIN again').fill('246810');
    await sheet.getByRole('button', { name: 'Set a payment PIN' }).click();
    await sheet.getByLabel('Enter your payment PIN').fill('246810');
    await p.getByRole('dialog', { name: 'Payment successful' }).getByRole('button', { name: 'Done' }).click();
    assert.equal(await tradeState(first.no), 'SUCCESS');

    const second = await native(300);
    await p.goto(second.url);
    sheet = p.getByRole('dialog', { name: 'Pay' });
    for (let left = 4; left >= 1; left--) {
      await sheet.getByLabel('Enter your payment PIN').fill('111111');
      await sheet.getByRole('alert').filter({ hasText: `Wrong PIN, ${left} ${left === 1 ? 'try' : 'tries'} left` }).waitFor();
    }
    await sheet.getByLabel('Enter your payment PIN').fill('111111');
    await sheet.getByRole('alert').filter({ hasText: 'payments are locked until' }).waitFor();
    assert.equal(await sheet.getByLabel('Enter your payment PIN').count(), 0, 'no PIN entry while locked');
    await sheet.getByRole('button', { name: 'Close' }).click();
    await p.getByRole('alert').filter({ hasText: 'payments are locked for a while' }).waitFor();
    assert.equal(await tradeState(second.no), 'NOTPAY');
    await ctx2.close();
  });

  it('in Chinese, an insured order shows 保险支付 X，个人支付 Y and the wallet pays only its share', { timeout: 60_000 }, async () => {
    const { payments, payMerchants, wallet } = env.platform.services;
    const m = await payMerchants.byMchId(creds.mchId);
    assert.ok(m);
    const { order } = await payments.create(makeContext({ kind: 'app', orgId: merchant.orgId, accountId: account.id }), m.merchant, {
      tradeType: 'NATIVE', appid: account.appid, mchid: creds.mchId, description: '门诊缴费', outTradeNo: newOrderNo(), notifyUrl: `${shopOrigin}/notify`, total: 10_000n, currency: 'CNY', insuredTotal: 3_000n,
    });
    await fundInsurance(env.platform.handle.db, env.platform.services.ledger, { amount: 100_000n, reference: 'pay-browser-test' });
    const before = (await wallet.summary(consumer.ctx)).balance;
    const zh = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'zh-CN' });
    await zh.addInitScript(() => localStorage.setItem('lianjie.lang', 'zh-CN'));
    await zh.addCookies([{ name: 'lj_c', value: consumer.token, url: env.baseUrl }]);
    const p = await zh.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(`${env.baseUrl}/pay/native/${order.code_token ?? ''}`);
    const sheet = p.getByRole('dialog', { name: '支付' });
    await sheet.getByText('保险支付 ¥30.00，个人支付 ¥70.00').waitFor({ timeout: 15_000 });
    assert.equal(await sheet.getByTestId('pay-amount').textContent(), '¥100.00');
    await auditPay(p, 'pay sheet');
    await sheet.getByLabel('请输入支付密码').fill(PIN);
    await p.getByRole('dialog', { name: '支付成功' }).getByRole('button', { name: '完成' }).click({ timeout: 15_000 });
    await p.getByRole('heading', { name: '支付成功' }).waitFor({ timeout: 15_000 });
    assert.equal((await wallet.summary(consumer.ctx)).balance, before - 7_000n, 'the consumer pays total − insured');
    for (const viewport of [{ width: 375, height: 667 }, { width: 1280, height: 800 }]) {
      await p.setViewportSize(viewport);
      await p.goto(`${env.baseUrl}/wallet`);
      await p.getByRole('list', { name: '账单' }).getByRole('button', { name: /支付 商户 -¥70\.00/ }).waitFor({ timeout: 15_000 });
      await auditPay(p, `wallet ${viewport.width}`);
      await p.goto(`${env.baseUrl}/pay/code`);
      await p.getByRole('img', { name: /^付款条码 \d{18}$/ }).waitFor({ timeout: 15_000 });
      await auditPay(p, `pay code ${viewport.width}`);
    }
    await zh.close();
    assert.deepEqual(pageErrors, []);
  });
});
