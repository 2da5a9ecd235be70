import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant } from '../../testing/factories.ts';
import { call } from '../merchantapi/test-helpers.ts';
import { operatorHeaders } from './test-helpers.ts';

type Report = { id: string; accountId: string; status: string; resolution: string | null; note: string; category: string; text: string; consumerNickname: string; accountStatus: string };
const list = (b: unknown) => b as unknown as Report[];

describeOnBothDbs('operator: consumer reports of accounts', (env) => {
  it('a consumer reports an account once; the queue shows it; dismiss, warn (needs a note) and suspend resolve it', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const m = await createMerchant(e);
    const acc = await createAccount(e, m);
    const alice = await createConsumer(e, 'Alice');
    const bob = await createConsumer(e, 'Bob');

    const first = await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, alice.headers, { category: 'spam', text: 'sends ads every hour' });
    assert.equal(first.status, 201, first.raw);
    const again = await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, alice.headers, { category: 'fraud' });
    assert.equal(again.status, 409, 'one open report per consumer per account');
    assert.equal(again.body.error?.details?.reason, 'REPORT_OPEN');
    assert.equal((await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, alice.headers, { category: 'nonsense' })).status, 400);
    assert.equal((await call(e, 'POST', '/api/v1/accounts/acc_nope/report', alice.headers, { category: 'spam' })).status, 404);
    assert.equal((await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, m.headers, { category: 'spam' })).status, 401, 'consumers only');
    assert.equal((await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, bob.headers, { category: 'harassment' })).status, 201);

    const open = list((await call(e, 'GET', '/api/v1/operator/reports', op)).body);
    assert.deepEqual(open.map((r) => [r.consumerNickname, r.category, r.text]), [['Alice', 'spam', 'sends ads every hour'], ['Bob', 'harassment', '']]);
    const [aliceReport, bobReport] = open;
    assert.ok(aliceReport && bobReport);

    assert.equal((await call(e, 'POST', `/api/v1/operator/reports/${aliceReport.id}/resolve`, op, { action: 'warned' })).status, 400, 'a warning needs a note');
    const dismissed = await call(e, 'POST', `/api/v1/operator/reports/${aliceReport.id}/resolve`, op, { action: 'dismissed' });
    assert.equal(dismissed.body.resolution, 'dismissed');
    assert.equal((await call(e, 'POST', `/api/v1/operator/reports/${aliceReport.id}/resolve`, op, { action: 'dismissed' })).status, 412, 'already resolved');
    assert.equal((await call(e, 'POST', `/api/v1/accounts/${acc.id}/report`, alice.headers, { category: 'fraud' })).status, 201, 'a new report once the last is resolved');

    const warned = await call(e, 'POST', `/api/v1/operator/reports/${bobReport.id}/resolve`, op, { action: 'warned', note: 'told the merchant to stop' });
    assert.deepEqual([warned.body.resolution, warned.body.note, warned.body.accountStatus], ['warned', 'told the merchant to stop', 'active']);

    const third = list((await call(e, 'GET', '/api/v1/operator/reports', op)).body)[0];
    assert.ok(third);
    const suspended = await call(e, 'POST', `/api/v1/operator/reports/${third.id}/resolve`, op, { action: 'suspended', note: 'fraud confirmed' });
    assert.equal(suspended.status, 200, suspended.raw);
    assert.equal(suspended.body.accountStatus, 'suspended');
    const token = await e.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${acc.appid}&secret=${acc.appsecret}` });
    assert.equal((token.json() as { errcode: number }).errcode, 48001);
    assert.deepEqual(list((await call(e, 'GET', '/api/v1/operator/reports', op)).body), []);
    assert.equal(list((await call(e, 'GET', '/api/v1/operator/reports?status=resolved', op)).body).length, 3);
    assert.equal((await call(e, 'GET', '/api/v1/operator/reports', alice.headers)).status, 401, 'consumers cannot read the queue');
  });

  it('suspend with suspendOrg suspends the whole organisation; other organisations are untouched', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const m = await createMerchant(e);
    const bad = await createAccount(e, m);
    const sibling = await createAccount(e, m);
    const other = await createAccount(e, await createMerchant(e));
    const c = await createConsumer(e);
    const id = ((await call(e, 'POST', `/api/v1/accounts/${bad.id}/report`, c.headers, { category: 'illegal' })).body as { id: string }).id;
    assert.equal((await call(e, 'POST', `/api/v1/operator/reports/${id}/resolve`, op, { action: 'suspended', suspendOrg: true })).status, 200);
    const statuses = await e.platform.handle.db.selectFrom('official_accounts').select(['id', 'status']).where('id', 'in', [bad.id, sibling.id, other.id]).execute();
    assert.deepEqual(Object.fromEntries(statuses.map((s) => [s.id, s.status])), { [bad.id]: 'suspended', [sibling.id]: 'suspended', [other.id]: 'active' });
    assert.equal((await e.platform.handle.db.selectFrom('organizations').select('status').where('id', '=', m.orgId).executeTakeFirstOrThrow()).status, 'suspended');
  });

  it('the overview: ledger totals with a green zero-sum check, notifications and health', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const c = await createConsumer(e);
    const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
    await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: 5_000n });
    const ledger = await call(e, 'GET', '/api/v1/operator/ledger', op);
    assert.equal(ledger.status, 200, ledger.raw);
    const body = ledger.body as unknown as { ok: boolean; sum: string; totals: { kind: string; balance: string }[] };
    assert.equal(body.ok, true);
    assert.equal(body.sum, '0', 'the ledger sums to zero');
    assert.equal(body.totals.find((t) => t.kind === 'consumer_wallet')?.balance, '5000');
    const notes = await call(e, 'GET', '/api/v1/operator/notifications', op);
    assert.equal(notes.status, 200);
    const health = await call(e, 'GET', '/api/v1/operator/health', op);
    assert.equal((health.body as { db: { ok: boolean } }).db.ok, true);
  });
});
