/**
 * Browser test of the analytics page (playwright-core + Debian Chromium, PGlite): after real follows,
 * messages and a payment today (plus older history written as events), the page draws its charts with
 * those numbers, a wider date range brings in the older history, a QR funnel shows where people are
 * lost, a refund is drawn, and "Download CSV" saves the chart's data.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { createPayer, createPayOwner, paidOrder } from '../../server/src/testing/pay.ts';
import { cstDate } from '../../server/src/platform/time.ts';
import { parseDay } from '../../server/src/modules/analytics/range.ts';
import { atCst, eventWriter } from '../../server/src/modules/analytics/test-events.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

describe('console analytics in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole();

  it('charts show follows, messages and payments; the date range changes them; CSV export downloads', { timeout: 90_000 }, async () => {
    const e = t.env();
    const m = await createPayOwner(e);
    const account = await e.platform.services.accounts.findByAppId(m.appidOk);
    assert.ok(account);
    // Today, for real: two followers who write, one of whom pays ¥88.00.
    const a = await createPayer(e, m.appidOk, 100_000n);
    const b = await createPayer(e, m.appidOk, 0n);
    await e.platform.services.conversations.sendMessage(a.c.ctx, account.id, { type: 'text', content: 'Is the SUV in stock?' });
    await e.platform.services.conversations.sendMessage(b.c.ctx, account.id, { type: 'text', content: 'Opening hours?' });
    await paidOrder(e, m, a, 8800n, 'Test drive deposit');
    // Six weeks ago: a showroom QR code scanned 4 times, 3 follows, 2 orders, 1 paid.
    const w = eventWriter(e, { accountId: account.id, orgId: m.orgId, appid: m.appidOk, mchId: m.mchId });
    const old = (parseDay(cstDate()) ?? 0) - 42;
    const ticket = await w.qrcode('showroom', 'Showroom door');
    const people = [a.c.id, b.c.id];
    for (let i = 0; i < 4; i++) await w.scan(ticket, people[i % 2] ?? '', i < 3, atCst(old, 9 + i));
    for (let i = 0; i < 3; i++) await w.follow(`old${i}`, 'subscribe', atCst(old, 10 + i), 'ADD_SCENE_QR_CODE');
    const paidOld = await w.order(a.c.id, 500_000n, atCst(old, 15), atCst(old, 15, 60_000));
    await w.refund(paidOld, 100_000n, atCst(old + 2, 10)); // ¥1000.00 back two days later
    await w.order(b.c.id, 500_000n, atCst(old, 16), null);

    const { page, errors } = await t.signIn(m.owner.email, m.owner.password, { height: 2000, acceptDownloads: true });
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();

    // Last 30 days (the default): today's two follows, two messages, ¥88.00; no QR scans yet.
    const charts = page.getByTestId('analytics-charts');
    await charts.waitFor();
    assert.equal(await page.getByTestId('followers-new').textContent(), '2');
    assert.equal(await page.getByTestId('followers-total').textContent(), '5');
    assert.equal(await page.getByTestId('revenue-paid').textContent(), '¥88.00');
    await page.getByRole('region', { name: 'Messages by type' }).getByText('Text').first().waitFor();
    await page.getByText('No QR code scans in this period').waitFor();
    await page.getByRole('region', { name: 'Followers over time' }).locator('svg').first().waitFor();
    assert.equal(await page.locator('.an-chart svg').count(), 3, 'followers, revenue and messages are drawn; the others say they are empty');

    // 90 days: the showroom funnel appears, with where people were lost.
    await page.getByRole('button', { name: '90d' }).click();
    await page.getByRole('table', { name: 'QR scans → follows → orders → paid' }).waitFor();
    assert.equal(await page.getByTestId('followers-new').textContent(), '5');
    const showroom = page.getByRole('row', { name: /Showroom door/ });
    assert.match((await showroom.textContent()) ?? '', /4.*3 \(75\.0%\).*2 \(66\.7%\).*1 \(50\.0%\)/);
    assert.match((await page.getByTestId('funnel-drop').textContent()) ?? '', /between Orders and Paid \(50\.0% continue\)/);
    assert.equal(await page.getByTestId('revenue-paid').textContent(), '¥5088.00');
    await page.getByRole('region', { name: 'Refunds' }).locator('svg').first().waitFor();
    await screenshot(page, 'console-analytics.png');

    // CSV of the revenue chart: one line per day of the range, the paid day with its amount.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV: Revenue by day (¥)' }).click()]);
    assert.match(download.suggestedFilename(), /^revenue-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(csv[0], 'Date,Orders,Paid (¥),Refunds (¥),Net (¥)');
    assert.equal(csv.length, 91);
    assert.ok(csv.includes(`${cstDate()},1,88.00,0.00,88.00`), csv.slice(-2).join(' | '));

    // A narrow range before anything happened: empty states that say what to do.
    const from = page.getByLabel('From', { exact: true });
    await from.fill(`${new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10)}`);
    await page.getByLabel('To', { exact: true }).fill(`${new Date(Date.now() - 190 * 86_400_000).toISOString().slice(0, 10)}`);
    await page.getByText('No follows in this period').waitFor();
    await page.getByText('No payments or refunds in this period').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Download CSV: Menu clicks' }).isDisabled(), true);
    assert.deepEqual(errors, []);
  });
});
