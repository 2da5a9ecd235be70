/**
 * Browser test of the merchant console (playwright-core + Debian Chromium, PGlite): sign up → create an
 * official account → set its callback URL (a wrong Token is refused with the live check's message, the
 * right one verifies against a local merchant stub) → reset the AppSecret with type-to-confirm → add a
 * customer-service member on the Team page (and an IP allowlist that /cgi-bin/token enforces); that member signs in, sees no Pay nor Settings, and the
 * server refuses their direct API calls with 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { startMerchantStub, type MerchantStub } from '../../server/src/testing/merchant-stub.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

const TOKEN = 'consoleToken7';

describe('merchant console in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole();
  let stub: MerchantStub | undefined;

  before(async () => {
    stub = await startMerchantStub({ token: TOKEN, encodingAESKey: 'a'.repeat(43), appid: 'wx0' });
  });

  after(async () => {
    await stub?.close();
  });

  it('sign up, create an account, verify the callback, reset the secret; a cs member sees no Pay or Settings and gets 403', { timeout: 90_000 }, async () => {
    const env = t.env();
    assert.ok(stub);
    const { page, errors } = await t.newPage({ height: 800 });
    const email = `owner${Date.now()}@console.test`;

    // Sign up: the organisation and its owner.
    await page.goto(`${env.baseUrl}/console/`);
    await page.getByRole('button', { name: 'New here? Create an organisation' }).click();
    await page.getByRole('button', { name: 'Create an organisation' }).click();
    await page.getByText('Enter an email address').waitFor(); // inline validation, nothing sent
    await page.getByLabel('Organisation name').fill('Tea House Ltd');
    await page.getByLabel('Your name').fill('Ann Owner');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('owner-pass-1');
    await page.getByRole('button', { name: 'Create an organisation' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // Sign-ups are approved at once in the test harness (MERCHANT_REVIEW=off); the status is said in words.
    await page.getByText('approved', { exact: true }).waitFor();
    await page.getByTestId('org-name').filter({ hasText: 'Tea House Ltd' }).waitFor();
    await page.getByText('No official account yet').waitFor();

    // Create an official account; the console opens its settings.
    await page.getByRole('button', { name: 'Create an official account' }).first().click();
    await page.getByLabel('Account name').fill('T');
    await page.getByRole('region', { name: 'Create an official account' }).getByRole('button', { name: 'Create an official account' }).click();
    await page.getByText('2–30 characters', { exact: true }).first().waitFor();
    await page.getByLabel('Account name').fill('Tea House');
    await page.getByRole('region', { name: 'Create an official account' }).getByRole('button', { name: 'Create an official account' }).click();
    await page.getByRole('heading', { name: 'Settings · Tea House' }).waitFor();
    assert.match(page.url(), /\/console\/accounts\/[^/]+\/settings$/);
    const appid = (await page.getByTestId('appid').textContent()) ?? '';
    const account = await env.platform.services.accounts.findByAppId(appid);
    assert.ok(account, 'the account exists');

    // Callback: a wrong Token fails the live echostr check (message shown, nothing saved); the right one verifies.
    const server = page.getByRole('region', { name: 'Server configuration' });
    await server.getByLabel('Server URL').fill(`${stub.url}/wechat`);
    await server.getByLabel('Token').fill('wrongToken9');
    await server.getByRole('button', { name: 'Save' }).click();
    await server.getByRole('alert').filter({ hasText: 'verification failed' }).waitFor();
    assert.equal((await env.platform.services.accounts.findById(account.id))?.callback_url, null);
    await server.getByLabel('Token').fill(TOKEN);
    await server.getByRole('button', { name: 'Save' }).click();
    await server.getByText('Verified and saved', { exact: true }).waitFor();
    const saved = await env.platform.handle.db.selectFrom('official_accounts').select(['callback_url', 'token']).where('id', '=', account.id).executeTakeFirstOrThrow();
    assert.equal(saved.callback_url, `${stub.url}/wechat`);
    assert.equal(saved.token, TOKEN);

    // Reset the AppSecret: the confirm button waits for the typed word; the new secret is shown once and works.
    await page.getByRole('button', { name: 'Reset AppSecret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the AppSecret?' });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Reset AppSecret' }).isDisabled(), true);
    await dialog.getByLabel('Type RESET to confirm').fill('RESET');
    await dialog.getByRole('button', { name: 'Reset AppSecret' }).click();
    const secret = (await page.getByTestId('new-secret').textContent()) ?? '';
    assert.match(secret, /^[0-9a-f]{32}$/i);
    assert.equal((await env.platform.services.accounts.accountBySecret(appid, secret)).id, account.id);
    await assert.rejects(env.platform.services.accounts.accountBySecret(appid, account.appsecret), { message: /invalid appsecret/ });
    await screenshot(page, 'console-account-settings.png');

    // IP allowlist: a bad entry is flagged inline; a good list is saved and enforced by /cgi-bin/token.
    const ipCard = page.getByRole('region', { name: 'IP allowlist' });
    await ipCard.getByLabel('Addresses allowed to call the API').fill('10.0.0.1\nnot-an-ip');
    await ipCard.getByRole('button', { name: 'Save' }).click();
    await ipCard.getByRole('alert').filter({ hasText: 'not-an-ip' }).waitFor();
    await ipCard.getByLabel('Addresses allowed to call the API').fill('10.0.0.1\n192.168.0.0/16');
    await ipCard.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
    assert.deepEqual((await env.platform.services.accounts.findById(account.id))?.ip_allowlist, ['10.0.0.1', '192.168.0.0/16']);
    const token = await fetch(`${env.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`).then((r) => r.json() as Promise<{ errcode?: number }>);
    assert.equal(token.errcode, 40164);

    // Team: add a customer-service member.
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team' }).waitFor();
    const invite = page.getByRole('region', { name: 'Add a member' });
    const csEmail = `cs${Date.now()}@console.test`;
    await invite.getByLabel('Email').fill(csEmail);
    await invite.getByLabel('Name').fill('Cathy CS');
    await invite.getByLabel('Role').selectOption('cs');
    await invite.getByLabel('Initial password').fill('cs-pass-123');
    await invite.getByRole('button', { name: 'Add a member' }).click();
    await page.getByRole('cell', { name: csEmail }).waitFor();
    assert.equal(await page.getByLabel('Role of Cathy CS').inputValue(), 'cs');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(errors, []);

    // The cs member: no Pay, no account Settings, no Team in the navigation; the server refuses them too.
    const cs = await t.signIn(csEmail, 'cs-pass-123', { width: 390, height: 800 });
    await cs.page.getByRole('button', { name: 'Menu' }).click(); // narrow screen: the navigation is collapsed
    const nav = cs.page.getByRole('navigation', { name: 'Navigation' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor();
    await nav.getByRole('link', { name: 'Followers' }).waitFor();
    for (const hidden of ['Pay', 'Settings', 'Team', 'Developer']) assert.equal(await nav.getByRole('link', { name: hidden, exact: true }).count(), 0, `${hidden} is hidden`);
    await cs.page.goto(`${env.baseUrl}/console/accounts/${account.id}/settings`);
    await cs.page.getByRole('alert').filter({ hasText: 'Your role cannot use this page' }).waitFor();
    const statuses = await cs.page.evaluate(async (id) => {
      const get = (u: string) => fetch(u).then((r) => r.status);
      const send = (m: string, u: string, b: unknown) => fetch(u, { method: m, headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }).then((r) => r.status);
      return [
        await get('/api/v1/merchant/pay/balance'),
        await get('/api/v1/merchant/pay/orders'),
        await send('POST', `/api/v1/merchant/accounts/${id}/secret/reset`, {}),
        await send('PUT', `/api/v1/merchant/accounts/${id}/domains`, { webDomain: 'evil.example.com' }),
        await get('/api/v1/merchant/accounts'),
      ];
    }, account.id);
    assert.deepEqual(statuses, [403, 403, 403, 403, 200]);
    assert.deepEqual(cs.errors, []);
  });
});
