import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { issueKey } from '../../wire/wechatpay/certs.ts';
import { createAccount, createMerchant, type TestMerchant } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';

const require = createRequire(import.meta.url);
interface Res { status: number; data: Record<string, unknown> }
type Chain = { get(cfg?: unknown): Promise<Res> } & { [k: string]: Chain };
const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => Chain };

async function call(e: TestEnv, m: TestMerchant, method: string, url: string, body?: unknown) {
  const res = await e.app.inject({ method: method as 'GET', url, headers: { ...m.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } };
}

describeOnBothDbs('Merchant Pay account (our JSON API)', (env) => {
  it('opens once with secrets shown once, serves its keys, rotates, and switches verify mode', async () => {
    const e = env();
    const m = await createMerchant(e);
    const account = await createAccount(e, m);
    const opened = await call(e, m, 'POST', '/api/v1/merchant/pay/account', { appid: account.appid });
    assert.equal(opened.status, 201);
    assert.match(String(opened.body.mchId), /^\d{10}$/);
    assert.equal(String(opened.body.apiV2Key).length, 32);
    assert.match(String(opened.body.merchantPrivateKey), /BEGIN PRIVATE KEY/);
    assert.equal((await call(e, m, 'POST', '/api/v1/merchant/pay/account', {})).status, 409);
    const view = await call(e, m, 'GET', '/api/v1/merchant/pay/account');
    assert.equal(view.status, 200);
    assert.equal(view.body.merchantPrivateKey, undefined, 'secrets are not shown again');
    assert.equal(view.body.apiV3Key, undefined);
    const rotated = await call(e, m, 'POST', '/api/v1/merchant/pay/account/platform-keys/rotate');
    assert.equal((rotated.body.platformKeys as unknown[]).length, 2, 'old and new valid together');
    const retired = await call(e, m, 'POST', '/api/v1/merchant/pay/account/platform-keys/retire-old');
    assert.equal((retired.body.platformKeys as unknown[]).length, 1);
    assert.equal((await call(e, m, 'PUT', '/api/v1/merchant/pay/account/verify-mode', { mode: 'public_key' })).body.verifyMode, 'public_key');
    assert.equal((await call(e, m, 'PUT', '/api/v1/merchant/pay/account/verify-mode', { mode: 'nope' })).status, 400);
  });

  it('uses an uploaded merchant certificate for v3 request signatures, and a reset APIv3 key for AEAD', async () => {
    const e = env();
    const m = await createMerchant(e);
    const account = await createAccount(e, m);
    const opened = (await call(e, m, 'POST', '/api/v1/merchant/pay/account', { appid: account.appid })).body as { mchId: string; merchantCertSerial: string; merchantPrivateKey: string; platformKeys: { serial: string; certificate: string }[] };
    const platform = opened.platformKeys[0];
    assert.ok(platform);
    const sdk = (serial: string, privateKey: string) => new Wechatpay({ baseURL: `${e.baseUrl || 'http://127.0.0.1'}/`, mchid: opened.mchId, serial, privateKey, certs: { [platform.serial]: platform.certificate } });
    const own = await issueKey(`C=CN, O=Own, CN=${opened.mchId}`, 365);
    const bad = await call(e, m, 'PUT', '/api/v1/merchant/pay/account/merchant-key', { certificate: 'not a pem' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.details?.reason, 'BAD_MERCHANT_KEY');
    assert.equal((await call(e, m, 'PUT', '/api/v1/merchant/pay/account/merchant-key', { publicKey: own.publicKeyPem })).status, 400, 'a bare key needs its serial');
    const uploaded = await call(e, m, 'PUT', '/api/v1/merchant/pay/account/merchant-key', { certificate: own.certificatePem });
    assert.equal(uploaded.status, 200);
    assert.equal(uploaded.body.merchantCertSerial, own.serial);
    if (e.baseUrl) {
      const ok = await sdk(own.serial, own.privateKeyPem).v3!.certificates!.get();
      assert.equal(ok.status, 200);
      await assert.rejects(sdk(opened.merchantCertSerial, opened.merchantPrivateKey).v3!.certificates!.get(), (err: { response?: { status: number } }) => err.response?.status === 401);
    }
    const reset = await call(e, m, 'POST', '/api/v1/merchant/pay/account/api-keys/reset', { which: 'v3' });
    assert.equal(String(reset.body.key).length, 32);
    const secrets = await e.platform.services.payMerchants.byMchId(opened.mchId);
    assert.equal(secrets?.merchant.api_v3_key, reset.body.key);
  });

  it('is the owner’s alone, and another organisation sees nothing of it', async () => {
    const e = env();
    const a = await createMerchant(e);
    const account = await createAccount(e, a);
    assert.equal((await call(e, a, 'POST', '/api/v1/merchant/pay/account', { appid: account.appid })).status, 201);
    const b = await createMerchant(e);
    assert.equal((await call(e, b, 'GET', '/api/v1/merchant/pay/account')).status, 404);
    assert.equal((await call(e, b, 'POST', '/api/v1/merchant/pay/account', { appid: account.appid })).status, 404, "B cannot bind A's account");
    assert.equal((await call(e, b, 'POST', '/api/v1/merchant/pay/account/api-keys/reset', { which: 'v2' })).status, 404);
    const anon = await e.app.inject({ method: 'GET', url: '/api/v1/merchant/pay/account' });
    assert.equal(anon.statusCode, 401);
  });
}, { listen: true });
