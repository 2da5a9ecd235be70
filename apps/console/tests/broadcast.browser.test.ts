/**
 * Browser test of templates and broadcasts in the merchant console (playwright-core + Debian Chromium,
 * PGlite, the outbox worker running): a text broadcast to a tag, previewed to one follower first, runs as
 * a background job whose progress bar reaches its final report (the member who blocked the account
 * skipped); the tag's followers find it in their threads through the consumer API, the others do not.
 * Then a template from the library is sent to one follower: msgid, then the delivery outcome.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestConsumer } from '../../server/src/testing/factories.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

interface ThreadMessage { source: string; content: { type: string; content?: string; title?: string; data?: Record<string, { value: string }> } }

describe('console broadcasts and templates in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole({ background: true });

  it('broadcast to a tag with a preview and progress to completion; a template message with its outcome', { timeout: 60_000 }, async () => {
    const e = t.env();
    const merchant = await createMerchant(e, 'Noodle Bar Ltd');
    const account = await createAccount(e, merchant, 'service', 'Noodle Bar');
    const diners: TestConsumer[] = [];
    const openids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await createConsumer(e, `Diner ${i}`);
      diners.push(c);
      openids.push(await follow(e, c, account));
    }
    const [d0, d1, d2, d3, d4] = diners;
    assert.ok(d0 && d1 && d2 && d3 && d4);
    const { services } = e.platform;
    const vip = await services.tags.create(merchant.ctx, account.id, 'VIP');
    await services.tags.tag(merchant.ctx, account.id, vip.id, openids.slice(0, 3));
    await services.conversations.setBlocked(d1.ctx, account.id, true);
    const thread = async (c: TestConsumer) => {
      const res = await fetch(`${e.baseUrl}/api/v1/threads/${account.id}/messages`, { headers: c.headers });
      assert.equal(res.status, 200);
      return (await res.json()) as ThreadMessage[];
    };
    const massOf = async (c: TestConsumer) => (await thread(c)).filter((m) => m.source === 'mass').map((m) => m.content.content);

    const { page, errors } = await t.signIn(merchant.email, merchant.password);
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('heading', { name: 'Broadcasts' }).waitFor();

    // Quota shown; an empty message is refused inline before anything is sent.
    await page.getByTestId('quota').filter({ hasText: '100 of 100 broadcasts left today' }).waitFor();
    const compose = page.getByRole('region', { name: 'New broadcast' });
    await compose.getByRole('button', { name: 'Send broadcast' }).click();
    await compose.getByText('Write the message first').waitFor();

    // Compose, choose the tag, preview to one follower first.
    await compose.getByRole('textbox', { name: 'Message' }).fill('今晚 VIP 八折 🍜');
    await compose.getByLabel('Send to', { exact: true }).selectOption({ label: 'Tag: VIP (3)' });
    await compose.getByRole('button', { name: 'Send preview' }).click();
    await compose.getByText('Choose a follower first').waitFor();
    await compose.getByLabel('Find a follower').fill('Diner 0');
    await compose.getByRole('button', { name: 'Choose Diner 0' }).click();
    await compose.getByRole('button', { name: 'Send preview' }).click();
    await page.getByText('Preview sent to Diner 0').waitFor();
    assert.deepEqual(await massOf(d0), ['今晚 VIP 八折 🍜']);
    assert.deepEqual(await massOf(d2), [], 'only the preview follower has it so far');

    // Send: confirm, then the progress bar polls the job until its final report.
    await compose.getByRole('button', { name: 'Send broadcast' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send to 3 followers?' });
    await dialog.getByRole('button', { name: 'Send broadcast' }).click();
    await page.getByRole('progressbar', { name: 'Broadcast progress' }).waitFor();
    await page.locator('[data-testid="broadcast-progress"][data-done="true"]').waitFor({ timeout: 20_000 });
    await page.getByText('Done: 2 sent, 0 failed, 1 skipped (blocked 1).').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('2 sent · 0 failed · 1 skipped').waitFor();
    await history.getByText('Tag VIP').waitFor();
    await page.getByTestId('quota').filter({ hasText: '99 of 100 broadcasts left today' }).waitFor();

    // The tag's followers received it (the preview follower twice), the blocker and the others did not.
    assert.deepEqual(await massOf(d0), ['今晚 VIP 八折 🍜', '今晚 VIP 八折 🍜']);
    assert.deepEqual(await massOf(d2), ['今晚 VIP 八折 🍜']);
    assert.deepEqual(await massOf(d1), [], 'blocked the account');
    assert.deepEqual(await massOf(d3), [], 'not in the tag');
    assert.deepEqual(await massOf(d4), [], 'not in the tag');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'console-broadcasts.png');

    // Templates: add one from the library, send it to Diner 3, see the msgid and then the outcome.
    await page.getByRole('tab', { name: 'Templates' }).click();
    await page.getByRole('region', { name: 'Your templates' }).getByText('No templates yet').waitFor();
    await page.getByRole('button', { name: 'Add 订单支付成功' }).click();
    await page.getByRole('button', { name: 'Send 订单支付成功' }).click();
    const send = page.getByRole('region', { name: 'Send “订单支付成功”' });
    await send.getByRole('button', { name: 'Send template message' }).click();
    await send.getByText('Choose a follower first').waitFor();
    await send.getByText('Fill in keyword1').waitFor();
    await send.getByLabel('Find a follower').fill('Diner 3');
    await send.getByRole('button', { name: 'Choose Diner 3' }).click();
    const values: Record<string, string> = { first: '您的订单已支付成功', keyword1: 'NB-1001', keyword2: '¥42.00', keyword3: '19:30', remark: '欢迎再来' };
    for (const [k, v] of Object.entries(values)) await send.getByRole('textbox', { name: k, exact: true }).fill(v);
    await send.getByLabel('Link (optional)').fill('https://noodle.example.com/orders/NB-1001');
    await send.getByRole('button', { name: 'Send template message' }).click();
    await send.getByTestId('template-msgid').filter({ hasText: /Sent — msgid \d+/ }).waitFor();
    await send.getByTestId('template-outcome').filter({ hasText: 'Delivered' }).waitFor();
    const tpl = (await thread(d3)).filter((m) => m.source === 'template');
    assert.equal(tpl.length, 1);
    assert.equal(tpl[0]?.content.title, '订单支付成功');
    assert.deepEqual(tpl[0]?.content.data?.keyword1, { value: 'NB-1001' });
    assert.deepEqual(errors, []);

    // A phone-sized screen: both tabs fit without sideways scrolling of the page.
    await page.setViewportSize({ width: 375, height: 800 });
    for (const tab of ['Templates', 'Broadcasts']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('tab', { name: tab, selected: true }).waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${tab} fits 375 px`);
    }
  });
});
