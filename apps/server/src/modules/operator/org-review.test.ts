import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, follow } from '../../testing/factories.ts';
import { createPayer, createPayMerchant, v3Client, type TestPayMerchant, type V3Res } from '../../testing/pay.ts';
import { tenpayError, tenpayFor } from '../../testing/tenpay.ts';
import { call, createApiMerchant } from '../merchantapi/test-helpers.ts';
import { randomString } from '../../platform/ids.ts';
import { operatorHeaders } from './test-helpers.ts';

const v3Order = (f: TestPayMerchant) => ({ appid: f.appidOk, mchid: f.mchId, description: '测试', out_trade_no: `T${randomString(12)}`, notify_url: 'https://merchant.example/notify', amount: { total: 100, currency: 'CNY' } });
const v3Fail = (p: Promise<V3Res>) => p.then(() => assert.fail('expected an error'), (x: { response?: { status: number; data: { code: string; message: string } } }) => x.response);
const v2Order = () => ({ body: '测试', out_trade_no: `U${randomString(12)}`, total_fee: 100, spbill_create_ip: '10.0.0.8', notify_url: 'https://merchant.example/n', trade_type: 'NATIVE', product_id: 'p1' });
const orgStatus = async (e: TestEnv, id: string) => (await e.platform.handle.db.selectFrom('organizations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describeOnBothDbs('operator: organisation review gates payments on every protocol', (env) => {
  it('a new sign-up is pending; v3, v2, micropay and our API refuse its pay orders until an operator approves it', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const f = await createPayMerchant(e);
    assert.equal(await orgStatus(e, f.orgId), 'pending');

    const refusedV3 = await v3Fail(v3Client(e, f).v3.pay.transactions.native.post(v3Order(f)));
    assert.equal(refusedV3?.status, 403);
    assert.equal(refusedV3?.data.code, 'NO_AUTH');
    assert.match(refusedV3?.data.message ?? '', /not yet approved/);

    const pay = tenpayFor(e, f);
    assert.equal(await tenpayError(pay.unifiedOrder(v2Order())), 'NOAUTH');
    const { c } = await createPayer(e, f.appidOk, 10_000n);
    const authCode = (await e.platform.services.payCodes.issue(c.ctx)).code;
    const micro = { body: '门店', out_trade_no: `M${randomString(12)}`, total_fee: 100, spbill_create_ip: '10.0.0.8', auth_code: authCode };
    assert.equal(await tenpayError(pay.micropay(micro)), 'NOAUTH');
    const orders = await e.platform.handle.db.selectFrom('pay_orders').select('id').where('mch_id', '=', f.mchId).execute();
    assert.deepEqual(orders, [], 'a refused order creates nothing');
    assert.equal((await e.platform.services.wallet.summary(c.ctx)).balance, 10_000n, 'and takes no money');

    const approved = await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/approve`, op, { note: 'documents checked' });
    assert.equal(approved.status, 200, approved.raw);
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.statusNote, 'documents checked');
    assert.deepEqual(approved.body.payAccount, { mchId: f.mchId, appid: f.appidOk });

    const ok = await v3Client(e, f).v3.pay.transactions.native.post(v3Order(f));
    assert.equal(ok.status, 200);
    assert.equal((await pay.unifiedOrder(v2Order())).result_code, 'SUCCESS');
    assert.equal((await pay.micropay({ ...micro, out_trade_no: `M${randomString(12)}` })).result_code, 'SUCCESS');
    assert.equal((await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/approve`, op, {})).status, 412, 'approving twice is refused');
  });

  it('our merchant API answers 403 ORG_NOT_APPROVED for a pending organisation, then creates after approval', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const a = await createApiMerchant(e);
    const body = { outTradeNo: `A${randomString(10)}`, description: 'x', amount: 100, method: 'native' };
    const refused = await call(e, 'POST', '/api/v1/merchant/pay/orders', a.auth, body);
    assert.equal(refused.status, 403, refused.raw);
    assert.equal(refused.body.error?.code, 'permission_denied');
    assert.equal(refused.body.error?.details?.reason, 'ORG_NOT_APPROVED');
    assert.equal((await call(e, 'POST', `/api/v1/operator/orgs/${a.m.orgId}/approve`, op, {})).status, 200);
    assert.equal((await call(e, 'POST', '/api/v1/merchant/pay/orders', a.auth, body)).status, 201);
  });

  it('suspending an organisation stops its OA API (48001), its payments (NO_AUTH) and shows its accounts suspended to consumers; unsuspend restores', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const f = await createPayMerchant(e);
    await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/approve`, op, {});
    const account = await e.platform.services.accounts.findByAppId(f.appidOk);
    assert.ok(account);
    const consumer = await createConsumer(e);
    await follow(e, consumer, { id: account.id, appid: f.appidOk } as Parameters<typeof follow>[2]);
    const token = await accessToken(e, { id: account.id, appid: account.appid, appsecret: account.appsecret } as Parameters<typeof accessToken>[1]);

    const suspended = await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/suspend`, op, { note: 'fraud' });
    assert.equal(suspended.status, 200, suspended.raw);
    assert.equal(suspended.body.status, 'suspended');
    const tokenCall = await e.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.appsecret}` });
    assert.equal((tokenCall.json() as { errcode: number }).errcode, 48001);
    const apiCall = await e.app.inject({ method: 'GET', url: `/cgi-bin/getcallbackip?access_token=${token}` });
    assert.equal((apiCall.json() as { errcode: number }).errcode, 48001, 'an issued token stops working too');
    assert.equal((await v3Fail(v3Client(e, f).v3.pay.transactions.native.post(v3Order(f))))?.data.code, 'NO_AUTH');

    const profile = await call(e, 'GET', `/api/v1/accounts/${account.id}`, consumer.headers);
    assert.equal(profile.status, 200);
    assert.equal(profile.body.status, 'suspended');
    const search = await call(e, 'GET', `/api/v1/accounts?q=${encodeURIComponent(account.name)}`, consumer.headers);
    assert.equal((search.body as unknown as { status: string }[])[0]?.status, 'suspended');
    const msg = await call(e, 'POST', `/api/v1/threads/${account.id}/messages`, consumer.headers, { type: 'text', content: 'hello' });
    assert.equal(msg.status, 403);
    assert.equal(msg.body.error?.details?.reason, 'ACCOUNT_SUSPENDED');

    assert.equal((await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/unsuspend`, op, {})).status, 200);
    assert.ok(await accessToken(e, { id: account.id, appid: account.appid, appsecret: account.appsecret } as Parameters<typeof accessToken>[1]));
    assert.equal((await call(e, 'GET', `/api/v1/accounts/${account.id}`, consumer.headers)).body.status, 'active');
    assert.equal((await call(e, 'POST', `/api/v1/threads/${account.id}/messages`, consumer.headers, { type: 'text', content: 'hello' })).status, 201);
  });

  it('one account can be suspended alone; the list shows quotas used today', async () => {
    const e = env();
    const op = await operatorHeaders(e);
    const f = await createPayMerchant(e);
    const account = await e.platform.services.accounts.findByAppId(f.appidOk);
    assert.ok(account);
    await accessToken(e, { id: account.id, appid: account.appid, appsecret: account.appsecret } as Parameters<typeof accessToken>[1]);
    const list = await call(e, 'GET', '/api/v1/operator/orgs?status=pending', op);
    const org = (list.body as unknown as { id: string; accounts: { id: string; quotas: { api: string; used: number; limit: number }[] }[] }[]).find((o) => o.id === f.orgId);
    assert.ok(org, 'the pending organisation is listed');
    assert.deepEqual(org.accounts[0]?.quotas.find((q) => q.api === 'token'), { api: 'token', used: 1, limit: 2000 });
    assert.equal((await call(e, 'PUT' as 'POST', `/api/v1/operator/accounts/${account.id}/status`, op, { status: 'suspended' })).status, 200);
    const tokenCall = await e.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.appsecret}` });
    assert.equal((tokenCall.json() as { errcode: number }).errcode, 48001);
    assert.equal((await call(e, 'PUT' as 'POST', `/api/v1/operator/accounts/acc_nope/status`, op, { status: 'suspended' })).status, 404);
    assert.equal((await call(e, 'PUT' as 'POST', `/api/v1/operator/accounts/${account.id}/status`, op, { status: 'gone' })).status, 400);
  });

  it('only operators: merchant and consumer sessions and no session get 401 and change nothing', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const m = (await createApiMerchant(e)).m;
    const consumer = await createConsumer(e);
    await createAccount(e, m);
    for (const headers of [m.headers, consumer.headers, {}]) {
      assert.equal((await call(e, 'GET', '/api/v1/operator/orgs', headers)).status, 401);
      assert.equal((await call(e, 'POST', `/api/v1/operator/orgs/${f.orgId}/approve`, headers, {})).status, 401);
      assert.equal((await call(e, 'GET', '/api/v1/operator/ledger', headers)).status, 401);
      assert.equal((await call(e, 'GET', '/api/v1/operator/reports', headers)).status, 401);
    }
    assert.equal(await orgStatus(e, f.orgId), 'pending');
    const op = await operatorHeaders(e);
    assert.equal((await call(e, 'POST', '/api/v1/operator/orgs/org_nope/approve', op, {})).status, 404);
    assert.equal((await call(e, 'GET', '/api/v1/operator/orgs?status=weird', op)).status, 400);
  });
}, { listen: true, env: { MERCHANT_REVIEW: 'on' } });
