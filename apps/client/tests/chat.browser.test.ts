/**
 * Browser test of the consumer client (playwright-core + Debian Chromium at 375×667): sign up → scan an
 * account QR image → follow → welcome message → tap a click menu → the merchant's passive reply appears
 * in real time. Needs the built client (`npm run build`; `npm test` builds first). PGlite only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createMerchant, wxPost } from '../../server/src/testing/factories.ts';
import { startMerchantStub, textReply, type MerchantStub } from '../../server/src/testing/merchant-stub.ts';
import { xmlText } from '../../server/src/wire/wechat/xml.ts';
import { CLIENT_DIST } from '../../server/src/web/client.ts';
import { existsSync } from 'node:fs';

const WELCOME = 'Welcome to the Noodle House! Tap “Today” for the daily special.';
const TODAY = 'Today: beef noodles, ¥18';

describe('consumer client in a browser [pglite]', { skip: existsSync(CLIENT_DIST) ? false : 'client not built: run npm run build' }, () => {
  let env: (TestEnv & { close(): Promise<void> }) | undefined;
  let stub: MerchantStub | undefined;
  let browser: Browser | undefined;
  let tmp = '';
  let qrPng = '';
  let accountName = '';
  let token = '';

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    const m = await createMerchant(env);
    const a = await createAccount(env, m, 'service', 'Noodle House');
    accountName = 'Noodle House';
    await env.platform.services.accounts.updateProfile(m.ctx, a.id, { welcomeMessage: WELCOME, description: 'Hand-pulled noodles since 1998' });
    token = await accessToken(env, a);
    const menu = await wxPost(env, '/cgi-bin/menu/create', token, { button: [{ type: 'click', name: 'Today', key: 'TODAY' }, { name: 'More', sub_button: [{ type: 'view', name: 'Website', url: 'https://example.com/' }] }] });
    assert.equal(menu.errcode, 0, JSON.stringify(menu));
    // With a callback URL the welcome is the merchant's job: the stub answers `subscribe` and the TODAY click.
    stub = await startMerchantStub(a, (push) => {
      const event = xmlText(push.fields, 'Event');
      if (event === 'subscribe') return { body: textReply(push, WELCOME) };
      if (event === 'CLICK' && xmlText(push.fields, 'EventKey') === 'TODAY') return { body: textReply(push, TODAY) };
      return { body: 'success' };
    });
    await env.platform.services.accounts.setCallback(m.ctx, a.id, { url: stub.url, token: a.token, encodingAESKey: a.encodingAESKey, mode: 'plain' });
    const qr = await wxPost(env, '/cgi-bin/qrcode/create', token, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 7 } } });
    assert.equal(typeof qr.ticket, 'string', JSON.stringify(qr));
    const img = await env.app.inject({ url: `/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(qr.ticket))}` });
    assert.equal(img.statusCode, 200);
    tmp = await mkdtemp(join(tmpdir(), 'lianjie-client-'));
    qrPng = join(tmp, 'account-qr.png');
    await writeFile(qrPng, img.rawPayload);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stub?.close();
    await env?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('sign up → scan an account QR image → follow → welcome → tap a click menu → the reply arrives', { timeout: 60_000 }, async () => {
    assert.ok(env && browser && stub);
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US', deviceScaleFactor: 2 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(10_000);

    // Signed out, the app sends us to sign in; switch to sign up.
    await page.goto(`${env.baseUrl}/`);
    await page.waitForURL(/\/signin\?next=/);
    await page.getByRole('button', { name: 'New here? Sign up' }).click();
    await page.getByLabel('Phone number').fill('13800138000');
    await page.getByLabel('Password').fill('s3cret-pass');
    await page.getByLabel('Nickname').fill('Xiao Ming');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.waitForURL(/\/$|\/chats$/);
    await page.getByText('No chats yet', { exact: false }).waitFor();

    // Discover → Scan → choose the QR image.
    await page.getByRole('link', { name: 'Discover' }).click();
    await page.getByRole('link', { name: 'Scan' }).click();
    await page.waitForURL(/\/scan$/);
    await page.getByLabel('Choose an image').setInputFiles(qrPng);

    // Following opens the chat; the merchant's welcome arrives (pushed after commit, then over the socket).
    await page.waitForURL(/\/chat\/acc_|\/chat\//);
    await page.getByRole('heading', { name: accountName }).waitFor();
    await page.locator('.msg.theirs .bubble', { hasText: WELCOME }).waitFor();
    assert.equal(stub.pushes.filter((p) => xmlText(p.fields, 'Event') === 'subscribe').length, 1);
    const sub = stub.pushes.find((p) => xmlText(p.fields, 'Event') === 'subscribe');
    assert.equal(sub && xmlText(sub.fields, 'EventKey'), 'qrscene_7', 'the follow carries the QR scene');

    // The menu: tap "Today" → CLICK pushed → the passive reply appears without a reload.
    const menuBar = page.getByRole('navigation', { name: 'Account menu' });
    await menuBar.getByRole('button', { name: 'Today' }).click();
    await page.locator('.msg.theirs .bubble', { hasText: TODAY }).waitFor();
    const click = stub.pushes.find((p) => xmlText(p.fields, 'Event') === 'CLICK');
    assert.equal(click && xmlText(click.fields, 'EventKey'), 'TODAY');

    // A customer-service news message (article card) arrives in real time too.
    const openid = click && xmlText(click.fields, 'FromUserName');
    const sent = await wxPost(env, '/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'news', news: { articles: [{ title: 'Noodle week: 20% off', description: 'All bowls, Monday to Friday', url: 'https://example.com/week' }] } });
    assert.equal(sent.errcode, 0, JSON.stringify(sent));
    await page.getByRole('button', { name: 'Noodle week: 20% off' }).waitFor();

    // A text from the consumer shows on the right.
    await menuBar.getByRole('button', { name: 'Keyboard' }).click();
    await page.getByLabel('Message', { exact: true }).fill('One bowl please');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.msg.mine .bubble', { hasText: 'One bowl please' }).waitFor();
    await page.getByRole('button', { name: 'Show the menu' }).click();
    await menuBar.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Website' }).waitFor();

    await screenshot(page, 'client-chat.png');

    // The chats list shows the thread with its last message and no unread badge (it was read while open).
    await page.getByRole('menuitem', { name: 'Website' }).click();
    await page.waitForURL(/\/webview\?url=https%3A%2F%2Fexample\.com%2F&account=/);
    await page.goto(`${env.baseUrl}/chats`);
    const row = page.getByRole('link', { name: accountName });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /One bowl please|Today/);
    assert.equal(await page.locator('.chat-row .badge').count(), 0);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
