/**
 * Browser test of the menu editor and QR codes (playwright-core + Debian Chromium, PGlite): a merchant
 * builds a menu in the phone-preview editor (a bad URL is flagged inline, nothing sent), publishes it
 * with confirmation, and the consumer's menu API shows it; adds a keyword auto-reply; creates a QR code,
 * a consumer scans it, follows and pays, and the code's scans / follows / paid orders go 0/0/0 → 1/1/1;
 * disabling the code makes new scans fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { createConsumer, createMerchant } from '../../server/src/testing/factories.ts';
import { createPayOwner, paidOrder, TEST_PIN } from '../../server/src/testing/pay.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

describe('console menu editor, auto-replies and QR codes in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole();

  it('publish a menu → the consumer sees it; a QR code counts a scan, a follow and a paid order', { timeout: 90_000 }, async () => {
    const e = t.env();
    const m = await createPayOwner(e);
    const account = await e.platform.services.accounts.findByAppId(m.appidOk);
    assert.ok(account);
    const { page, errors } = await t.signIn(m.owner.email, m.owner.password);

    // Menu editor: two buttons, the second opening a sub-menu with a web-page item.
    await page.goto(`${e.baseUrl}/console/accounts/${account.id}/menu`);
    await page.getByRole('heading', { name: 'Custom menu' }).waitFor();
    await page.getByText('No menu yet').waitFor();
    const form = page.getByTestId('button-form');
    await page.getByRole('button', { name: '+ Add a menu button' }).click();
    await form.getByLabel('Name').fill('Deals');
    await page.getByRole('button', { name: '+ Add a menu button' }).click();
    await form.getByLabel('Name').fill('Shop');
    await page.getByRole('button', { name: '+ Add a sub-button to Shop' }).click();
    await form.getByLabel('Name').fill('Store');
    await form.getByLabel('When tapped').selectOption('view');
    // The preview follows the editor: the parent shows ≡ and its open sub-menu.
    const phone = page.getByTestId('phone-menubar');
    await phone.getByRole('button', { name: 'Store' }).waitFor();
    assert.deepEqual(await phone.locator('.phone-btn').allTextContents(), ['Deals', '≡ Shop']);
    // No URL yet: publishing is refused inline, nothing is sent.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await form.getByText('Enter an http:// or https:// address').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Fix the marked buttons first (1)' }).waitFor();
    assert.equal((await e.app.inject({ url: `/api/v1/merchant/accounts/${account.id}/menu`, headers: m.owner.headers })).json().default, null);
    await form.getByLabel('Web page URL').fill('https://shop.example.com/store');
    // A name over 16 bytes is flagged for a top button (5 Chinese characters = 15 bytes pass, 6 do not).
    await page.getByRole('button', { name: 'Deals' }).first().click();
    await form.getByLabel('Name').fill('今日特价商品啊');
    await form.getByText('Too long: at most 16 bytes').waitFor();
    await form.getByLabel('Name').fill('今日特价');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this menu?' });
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Menu published').first().waitFor();
    await page.getByText('Published', { exact: true }).waitFor();
    await screenshot(page, 'console-menu-editor.png');

    // The consumer's client API shows exactly the published menu.
    const c = await createConsumer(e);
    await e.platform.services.conversations.follow(c.ctx, account.id, { scene: 'ADD_SCENE_SEARCH' });
    const seen = await e.app.inject({ url: `/api/v1/accounts/${account.id}/menu`, headers: c.headers });
    assert.deepEqual(seen.json().button, [
      { type: 'click', name: '今日特价' },
      { name: 'Shop', sub_button: [{ type: 'view', name: 'Store', url: 'https://shop.example.com/store' }] },
    ]);
    // …and the consumer client shows it under the chat with the account.
    const { page: client } = await t.newPage({ width: 375, height: 667, cookies: [{ name: 'lj_c', value: c.token }] });
    await client.goto(`${e.baseUrl}/chat/${account.id}`);
    const bar = client.getByRole('navigation', { name: 'Account menu' });
    await bar.getByRole('button', { name: '今日特价' }).waitFor();
    await bar.getByRole('button', { name: 'Shop' }).waitFor();
    await client.close();

    // Auto-replies: a keyword rule.
    await page.getByRole('link', { name: 'Auto-replies' }).click();
    await page.getByRole('heading', { name: 'Auto-replies' }).waitFor();
    await page.getByRole('button', { name: 'Add a keyword reply' }).first().click();
    const ruleForm = page.getByRole('region', { name: 'New keyword reply' });
    await ruleForm.getByRole('button', { name: 'Save' }).click();
    await ruleForm.getByText('1–30 characters', { exact: true }).last().waitFor();
    await ruleForm.getByRole('textbox', { name: 'Keyword', exact: true }).fill('hours');
    await ruleForm.getByRole('textbox', { name: 'Reply', exact: true }).fill('Open 9–18 every day');
    await ruleForm.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'hours', exact: true }).waitFor();
    assert.equal(await e.platform.services.accounts.matchAutoReply(e.platform.handle.db, account.id, 'hours'), 'Open 9–18 every day');

    // QR codes: create one; it starts at 0 / 0 / 0.
    await page.getByRole('link', { name: 'QR codes' }).click();
    await page.getByRole('heading', { name: 'QR codes', exact: true }).waitFor();
    await page.getByText('No QR code yet').waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Showroom door');
    await page.getByRole('button', { name: 'Create a QR code' }).last().click();
    await page.getByRole('cell', { name: 'Showroom door', exact: true }).waitFor();
    const [code] = await e.platform.services.qrcodes.list(m.owner.ctx, account.id);
    assert.ok(code);
    const counts = async () => Promise.all(['scans', 'follows', 'paid'].map(async (k) => (await page.getByTestId(`${k}-${code.ticket}`).textContent()) ?? ''));
    assert.deepEqual(await counts(), ['0', '0', '0']);
    const png = await page.evaluate(async (t) => (await fetch(`/cgi-bin/showqrcode?ticket=${t}`)).headers.get('content-type'), code.ticket);
    assert.equal(png, 'image/png');

    // A consumer scans it (follows through it) and pays an order; Refresh shows 1 / 1 / 1.
    const buyer = await createConsumer(e);
    const card = await e.platform.services.wallet.addCard(buyer.ctx, { number: '4111111111111111', bank: 'ICBC' });
    await e.platform.services.wallet.topUp(buyer.ctx, { cardId: card.id, amount: 50_000n });
    await e.platform.services.wallet.setPin(buyer.ctx, { pin: TEST_PIN });
    const scan = await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: buyer.headers, payload: { content: code.url } });
    assert.equal(scan.statusCode, 200, scan.body);
    await paidOrder(e, m, { c: buyer, openid: scan.json().openid }, 8800n);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId(`paid-${code.ticket}`).filter({ hasText: '1' }).waitFor();
    assert.deepEqual(await counts(), ['1', '1', '1']);
    await screenshot(page, 'console-qrcodes.png');

    // Disable the code (confirmation): a new scan fails, the counts stay.
    await page.getByRole('button', { name: 'Disable Showroom door' }).click();
    await page.getByRole('dialog', { name: 'Disable “Showroom door”?' }).getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable Showroom door' }).waitFor();
    const late = await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: (await createConsumer(e)).headers, payload: { content: code.url } });
    assert.equal(late.statusCode, 404);
    assert.deepEqual(await counts(), ['1', '1', '1']);

    // Another organisation sees none of it.
    const stranger = await createMerchant(e);
    assert.equal((await e.app.inject({ url: `/api/v1/merchant/accounts/${account.id}/qrcodes`, headers: stranger.headers })).statusCode, 404);
    assert.equal((await e.app.inject({ url: `/api/v1/merchant/accounts/${account.id}/menu`, headers: stranger.headers })).statusCode, 404);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
