/**
 * Browser test of the console's Pay pages (playwright-core + Debian Chromium, PGlite, outbox worker on):
 * an order created through the JSON API and paid by a consumer through the simulator shows in the order
 * list; its page shows the ledger entries and the webhook attempts; a partial refund with type-to-confirm
 * completes in the background and the consumer's wallet grows by it; a cs member sees no Pay (UI and API).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { createPayer, TEST_PIN } from '../../server/src/testing/pay.ts';
import { call, createApiMerchant } from '../../server/src/modules/merchantapi/test-helpers.ts';
import { startWebhookStub, type WebhookStub } from '../../server/src/modules/webhooks/webhook-stub.ts';
import { createSimPayService } from '../../server/src/modules/simulator/pay.ts';
import { systemContext } from '../../server/src/platform/context.ts';
import { randomString } from '../../server/src/platform/ids.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

describe('console Pay pages in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole({ background: true });
  let stub: WebhookStub | undefined;

  before(async () => {
    stub = await startWebhookStub();
  });

  after(async () => {
    await stub?.close();
  });

  const signIn = (email: string, password: string) => t.signIn(email, password, { height: 800 });

  it('a paid order is listed with its ledger and notifications; a partial refund reaches the payer; cs sees no Pay', { timeout: 90_000 }, async () => {
    const e = t.env();
    assert.ok(stub);
    const a = await createApiMerchant(e);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/webhooks', a.auth, { url: stub.url })).status, 201);
    const payer = await createPayer(e, a.appid, 5000n);
    const outTradeNo = `T${randomString(14)}`;
    const created = await call(e, 'POST', '/api/v1/merchant/pay/orders', a.auth, { outTradeNo, description: 'Oolong tea', amount: 1000, method: 'jsapi', payerOpenid: payer.openid });
    assert.equal(created.status, 201, created.raw);
    const { services } = e.platform;
    const sim = createSimPayService({ identity: services.identity, wallet: services.wallet, payer: services.payer, payMethods: services.payMethods, payCodes: services.payCodes });
    const paid = await sim.pay(systemContext(), { phone: payer.c.phone, password: payer.c.password }, { prepayId: String(created.body.prepayId) }, TEST_PIN);
    assert.equal(paid.order.state, 'SUCCESS');
    assert.equal(paid.balance, 4000n);
    await e.platform.worker.drain();

    // The owner: Pay → the order in the list → its page with ledger entries and the webhook attempts.
    const { page, errors } = await signIn(a.m.email, a.m.password);
    await page.getByRole('link', { name: 'Pay', exact: true }).click();
    await page.getByRole('heading', { name: 'Pay' }).waitFor();
    await page.getByRole('link', { name: `Open order ${outTradeNo}` }).click();
    await page.getByRole('heading', { name: `Order ${outTradeNo}` }).waitFor();
    const ledger = page.getByRole('region', { name: 'Ledger entries' });
    await ledger.getByRole('cell', { name: 'Payment', exact: true }).waitFor();
    await ledger.getByRole('row').filter({ hasText: 'Your pending balance' }).filter({ hasText: '¥10.00' }).waitFor();
    await ledger.getByRole('row').filter({ hasText: 'Payer’s wallet' }).filter({ hasText: '−¥10.00' }).waitFor();
    const notes = page.getByRole('region', { name: 'Notification attempts' });
    await notes.getByRole('row').filter({ hasText: 'pay.webhook.delivery #1' }).filter({ hasText: 'Delivered 200' }).waitFor();
    await screenshot(page, 'console-pay-order.png');

    // Refund ¥3.00: validation, then type-to-confirm.
    await page.getByRole('button', { name: 'Refund…' }).click();
    const dialog = page.getByRole('dialog', { name: `Refund order ${outTradeNo}` });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Refund', exact: true });
    assert.equal(await confirm.isDisabled(), true, 'waits for the typed word');
    await dialog.getByLabel('Type REFUND to confirm').fill('REFUND');
    await dialog.getByLabel('Amount to refund (¥)').fill('20');
    await confirm.click();
    await dialog.getByText('At most ¥10.00 can still be refunded').waitFor();
    await dialog.getByLabel('Amount to refund (¥)').fill('3');
    await dialog.getByLabel('Reason (shown to the payer)').fill('One cup short');
    await confirm.click();
    await page.getByText('Refund of ¥3.00 started').waitFor();
    await e.platform.worker.drain();
    const wallet = await services.wallet.summary(payer.c.ctx);
    assert.equal(wallet.balance, 4300n, 'the payer got ¥3.00 back');
    await page.reload();
    const refunds = page.getByRole('region', { name: 'Refunds', exact: true });
    await refunds.getByRole('row').filter({ hasText: 'One cup short' }).filter({ hasText: 'Refunded' }).filter({ hasText: '¥3.00' }).waitFor();
    await ledger.getByRole('cell', { name: 'Refund completed' }).waitFor();
    const order = await call(e, 'GET', `/api/v1/merchant/pay/orders/${outTradeNo}`, a.auth);
    assert.equal(order.body.refundedAmount, 300);

    // The other Pay tabs: balances, payouts, a bill download, keys.
    await page.getByRole('link', { name: '← All orders' }).click();
    await page.getByRole('tab', { name: 'Balance & settlement' }).click();
    await page.getByRole('img', { name: /Pending ¥7\.00, Available ¥0\.00/ }).waitFor();
    await page.getByRole('tab', { name: 'Payouts' }).click();
    await page.getByText('No bank account yet').waitFor();
    await page.getByRole('tab', { name: 'Bills' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^bill-${a.mchId}-\\d{4}-\\d{2}-\\d{2}-all\\.csv$`));
    await page.getByRole('tab', { name: 'Keys & certificates' }).click();
    await page.getByRole('cell', { name: /^PUB_KEY_ID_/ }).first().waitFor();
    await screenshot(page, 'console-pay-keys.png');

    // Developer: the delivery log lists the webhook deliveries; one is opened and resent (a new logged delivery).
    await page.getByRole('link', { name: 'Developer', exact: true }).click();
    await page.getByRole('heading', { name: 'Developer' }).waitFor();
    await page.getByLabel('Kind').selectOption('pay.webhook.delivery');
    const rows = page.getByRole('link', { name: /^Open attempt / });
    await page.waitForFunction(() => document.querySelectorAll('a[aria-label^="Open attempt"]').length === 2);
    const before = stub.got.length;
    await rows.last().click();
    await page.getByRole('heading', { name: /^Delivery attempt / }).waitFor();
    await page.getByText('"type": "payment.succeeded"').first().waitFor();
    await page.getByRole('button', { name: 'Resend…' }).click();
    await page.getByRole('dialog', { name: 'Send this message again?' }).getByRole('button', { name: 'Resend' }).click();
    await page.getByText(/^Queued again as message #\d+$/).waitFor();
    await e.platform.worker.drain();
    assert.equal(stub.got.length, before + 1, 'delivered once more');
    await page.getByLabel('Kind').selectOption('pay.webhook.delivery');
    await page.waitForFunction(() => document.querySelectorAll('a[aria-label^="Open attempt"]').length === 3);
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByRole('cell', { name: 'server', exact: true }).waitFor();
    // A new key is shown once, works at once, and is gone from the page when dismissed.
    await page.getByLabel('Name').fill('till');
    await page.getByRole('button', { name: 'Create key' }).click();
    const once = page.getByRole('region', { name: 'New key — shown only now' });
    const key = (await once.locator('code').textContent()) ?? '';
    assert.match(key, /^lj_sk_/);
    const withKey = await e.app.inject({ url: '/api/v1/merchant/pay/orders', headers: { authorization: `Bearer ${key}` } });
    assert.equal(withKey.statusCode, 200);
    await once.getByRole('button', { name: 'I saved it' }).click();
    assert.equal(await page.getByText(key).count(), 0);
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.getByRole('cell', { name: stub.url, exact: true }).waitFor();
    assert.equal(await page.getByLabel(`Enable ${stub.url}`).isChecked(), true);
    assert.deepEqual(errors, []);

    // A cs member: no Pay in the navigation, the page is refused, and so is the API.
    const email = `cs${randomString(8).toLowerCase()}@pay.test`;
    await services.team.invite(a.m.ctx, { email, name: 'Cathy CS', role: 'cs', password: 'cs-pass-123' });
    const cs = await signIn(email, 'cs-pass-123');
    const nav = cs.page.getByRole('navigation', { name: 'Navigation' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Pay', exact: true }).count(), 0);
    await cs.page.goto(`${e.baseUrl}/console/pay/orders/${outTradeNo}`);
    await cs.page.getByRole('alert').filter({ hasText: 'Your role cannot use this page' }).waitFor();
    const statuses = await cs.page.evaluate(async (no) => {
      const get = (u: string) => fetch(u).then((r) => r.status);
      return [await get('/api/v1/merchant/pay/orders'), await get(`/api/v1/merchant/pay/orders/${no}/ledger`), await get(`/api/v1/merchant/pay/orders/${no}/notifications`), await get('/api/v1/merchant/pay/balance')];
    }, outTradeNo);
    assert.deepEqual(statuses, [403, 403, 403, 403]);
    assert.deepEqual(cs.errors, []);
  });
});
