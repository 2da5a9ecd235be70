/**
 * Browser test of sharing (playwright-core + Debian Chromium at 375×667, PGlite): Ann adds Bob by phone,
 * shares an account's card to him from its profile; Bob sees the card arrive in real time in their 1:1
 * thread, opens it and follows; the account appears in his chats and the referral names Ann with followed_at.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestAccount, type TestConsumer } from '../../server/src/testing/factories.ts';
import { CLIENT_DIST } from '../../server/src/web/client.ts';


describe('sharing an account to a friend in a browser [pglite]', { skip: existsSync(CLIENT_DIST) ? false : 'client not built: run npm run build' }, () => {
  let env: (TestEnv & { close(): Promise<void> }) | undefined;
  let browser: Browser | undefined;
  let account: TestAccount | undefined;

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    const m = await createMerchant(env);
    account = await createAccount(env, m, 'service', 'Tea House');
    await env.platform.services.accounts.updateProfile(m.ctx, account.id, { description: 'Oolong and pu’er, brewed gongfu style' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  async function signedIn(who: TestConsumer): Promise<{ context: BrowserContext; page: Awaited<ReturnType<BrowserContext['newPage']>>; errors: string[] }> {
    assert.ok(env && browser);
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US', deviceScaleFactor: 2 });
    await context.addCookies([{ name: 'lj_c', value: who.token, url: env.baseUrl }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(10_000);
    return { context, page, errors };
  }

  it('Ann adds Bob, shares an account card; Bob gets it live, opens it, follows; the referral is attributed', { timeout: 60_000 }, async () => {
    assert.ok(env && account);
    const annC = await createConsumer(env, 'Ann');
    const bobC = await createConsumer(env, 'Bob');
    const ann = await signedIn(annC);
    const bob = await signedIn(bobC);

    // Ann adds Bob by phone number.
    await ann.page.goto(`${env.baseUrl}/friends`);
    await ann.page.getByLabel('Friend’s phone number').fill('+1000000001');
    await ann.page.getByRole('button', { name: 'Add', exact: true }).click();
    await ann.page.getByRole('alert').filter({ hasText: 'No one with this phone number' }).waitFor();
    await ann.page.getByLabel('Friend’s phone number').fill(bobC.phone);
    await ann.page.getByRole('button', { name: 'Add', exact: true }).click();
    await ann.page.getByRole('link', { name: 'Message Bob' }).waitFor();

    // Bob is connected (the chats list stops saying "Connecting…"), then opens his thread with Ann in place.
    await bob.page.goto(`${env.baseUrl}/chats`);
    await bob.page.getByRole('link', { name: 'Friends' }).waitFor();
    await bob.page.getByText('Connecting…').waitFor({ state: 'detached' });
    await bob.page.getByRole('link', { name: 'Friends' }).click();
    await bob.page.getByRole('link', { name: 'Message Ann' }).click();
    await bob.page.waitForURL(/\/dm\//);
    await bob.page.getByRole('heading', { name: 'Ann' }).waitFor();

    // Ann says hello, then shares the account from its profile.
    await ann.page.getByRole('link', { name: 'Message Bob' }).click();
    await ann.page.getByLabel('Message', { exact: true }).fill('You will like this tea house');
    await ann.page.getByRole('button', { name: 'Send' }).click();
    await ann.page.locator('.msg.mine .bubble', { hasText: 'You will like this tea house' }).waitFor();
    await ann.page.goto(`${env.baseUrl}/account/${account.id}`);
    await ann.page.getByRole('button', { name: 'Share to a friend' }).click();
    await ann.page.getByRole('dialog', { name: 'Send to' }).getByRole('button', { name: 'Bob' }).click();
    await ann.page.getByRole('status').filter({ hasText: 'Sent to Bob' }).waitFor();

    // Bob sees both arrive without reloading.
    await bob.page.locator('.msg.theirs .bubble', { hasText: 'You will like this tea house' }).waitFor();
    const card = bob.page.getByRole('button', { name: '[Account] Tea House' });
    await card.waitFor();
    await screenshot(bob.page, 'client-dm.png');

    // Tapping the card opens the profile; Follow goes through /api/v1/share/follow.
    await card.click();
    await bob.page.waitForURL(/\/account\/[^?]+\?via=\d+/);
    await bob.page.getByRole('button', { name: 'Follow', exact: true }).click();
    await bob.page.waitForURL(new RegExp(`/chat/${account.id}$`));
    await bob.page.goto(`${env.baseUrl}/chats`);
    await bob.page.getByRole('link', { name: /^Tea House/ }).waitFor();
    await bob.page.getByRole('link', { name: /^Ann/ }).waitFor();

    const db = env.platform.handle.db;
    const refs = await db.selectFrom('referrals').selectAll().where('account_id', '=', account.id).execute();
    assert.equal(refs.length, 1);
    assert.equal(refs[0]?.referrer_consumer_id, annC.id);
    assert.equal(refs[0]?.referred_consumer_id, bobC.id);
    assert.ok(refs[0]?.followed_at instanceof Date, 'followed_at set');
    const f = await db.selectFrom('follows').select(['subscribe_scene', 'subscribed']).where('account_id', '=', account.id).where('consumer_id', '=', bobC.id).executeTakeFirstOrThrow();
    assert.deepEqual(f, { subscribe_scene: 'ADD_SCENE_PROFILE_CARD', subscribed: true });
    assert.deepEqual([...ann.errors, ...bob.errors], []);
    await ann.context.close();
    await bob.context.close();
  });
});
