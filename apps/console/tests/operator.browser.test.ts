/**
 * Browser test of the operator admin (playwright-core + Debian Chromium, PGlite, MERCHANT_REVIEW=on):
 * the operator signs in at /console/operator → approves a pending organisation → that organisation can now
 * create a pay order (it could not before) → suspends one of its official accounts → /cgi-bin/token refuses
 * it (48001) → the consumer sees the account as suspended in the client and reports it → the report shows
 * in the operator's queue and is resolved with a warning; the overview shows the zero-sum check green.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import { createAccount, createConsumer, follow } from '../../server/src/testing/factories.ts';
import { call, createApiMerchant } from '../../server/src/modules/merchantapi/test-helpers.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

const OPERATOR = { email: 'ops@lianjie.test', password: 'operator-pass-1' };

describe('operator admin in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole({ env: { MERCHANT_REVIEW: 'on' } });

  before(async () => {
    await t.env().platform.services.identity.bootstrapOperator(OPERATOR.email, OPERATOR.password);
  });

  it('approve → pay order allowed; suspend an account → token refused, consumer sees it suspended; a report is resolved', { timeout: 90_000 }, async () => {
    const e = t.env();
    // A new organisation (pending review) with an official account, a pay account and an API key.
    const a = await createApiMerchant(e);
    const orgName = (await e.platform.handle.db.selectFrom('organizations').select('name').where('id', '=', a.m.orgId).executeTakeFirstOrThrow()).name;
    const account = await e.platform.services.accounts.findByAppId(a.appid);
    assert.ok(account);
    const order = (n: string) => call(e, 'POST', '/api/v1/merchant/pay/orders', a.auth, { outTradeNo: n, description: 'Tea', amount: 1200, method: 'native' });
    const before = await order(`B${Date.now()}x1`);
    assert.equal(before.status, 403, 'a pending organisation cannot take payments');
    assert.equal(before.body.error?.details?.reason, 'ORG_NOT_APPROVED');
    // Another organisation's account stays untouched throughout.
    const bystander = await createAccount(e, (await createApiMerchant(e)).m);

    // The operator signs in (wrong password first).
    const { page, errors } = await t.newPage();
    await page.goto(`${e.baseUrl}/console/operator`);
    await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Merchants' }).waitFor();
    await page.getByTestId('operator-email').filter({ hasText: OPERATOR.email }).waitFor();

    // Approve the pending organisation, with a note.
    const card = page.getByRole('region', { name: orgName });
    await card.getByText('Pending review').waitFor();
    await card.getByText(a.mchId).waitFor();
    await card.getByRole('button', { name: `Approve ${orgName}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note (optional, kept with the decision)').fill('licence checked');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' }); // it left the "Pending review" list
    assert.equal((await order(`A${Date.now()}x2`)).status, 201, 'approved: the organisation can take payments now');

    // Suspend one official account of the organisation.
    await page.getByRole('tab', { name: 'Approved' }).click();
    const approved = page.getByRole('region', { name: orgName });
    await approved.getByText('licence checked').waitFor();
    await approved.getByRole('button', { name: `Suspend account ${account.name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
    await approved.getByRole('button', { name: `Reactivate account ${account.name}` }).waitFor();
    const token = await e.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.appsecret}` });
    assert.equal((token.json() as { errcode: number }).errcode, 48001, 'the wire refuses the suspended account');
    const other = await e.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${bystander.appid}&secret=${bystander.appsecret}` });
    assert.ok((other.json() as { access_token?: string }).access_token, 'another organisation is untouched');
    await screenshot(page, 'operator-merchants.png');

    // The consumer sees the account as suspended and reports it.
    const consumer = await createConsumer(e, 'Reporter Rui');
    await follow(e, consumer, { id: account.id, appid: account.appid } as Parameters<typeof follow>[2]).catch(() => undefined);
    const { page: client } = await t.newPage({ width: 375, height: 760, cookies: [{ name: 'lj_c', value: consumer.token }] });
    await client.goto(`${e.baseUrl}/account/${account.id}`);
    await client.getByTestId('account-suspended').waitFor();
    await client.getByRole('button', { name: 'Report this account' }).click();
    await client.getByLabel('Reason').selectOption('fraud');
    await client.getByLabel('What happened? (optional)').fill('asked me to pay outside the platform');
    await client.getByRole('button', { name: 'Send report' }).click();
    await client.getByText('Thank you. The platform will review your report.').waitFor();
    await client.goto(`${e.baseUrl}/search?q=${encodeURIComponent(account.name)}`);
    await client.getByText('· Suspended').waitFor();

    // The report is in the operator's queue; a warning resolves it.
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.getByText('asked me to pay outside the platform').waitFor();
    await page.getByText('Reporter Rui').waitFor();
    await page.getByRole('button', { name: `Warn: ${account.name}` }).click();
    const warn = page.getByRole('dialog');
    await warn.getByRole('button', { name: 'Warn' }).click();
    await warn.getByText('Write the warning').waitFor(); // a warning needs a note
    await warn.getByLabel('Warning (required)').fill('second strike: next time the organisation is suspended');
    await warn.getByRole('button', { name: 'Warn' }).click();
    await page.getByText('No open reports.', { exact: false }).waitFor();
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await page.getByText('second strike: next time the organisation is suspended').waitFor();
    const stored = await e.platform.handle.db.selectFrom('account_reports').select(['status', 'resolution']).where('consumer_id', '=', consumer.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { status: 'resolved', resolution: 'warned' });

    // The platform overview: the zero-sum check is green.
    await page.getByRole('link', { name: 'Platform overview' }).click();
    await page.getByTestId('zero-sum').filter({ hasText: 'Zero-sum check passed' }).waitFor();
    await page.getByText('Database reachable', { exact: false }).waitFor();
    await screenshot(page, 'operator-overview.png');

    // A merchant session cannot use the operator API.
    assert.equal((await call(e, 'GET', '/api/v1/operator/orgs', a.m.headers)).status, 401);
    assert.deepEqual(errors, []);
  });
});
