import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createMerchant } from '../../testing/factories.ts';
import type { PayMerchantCredentials } from '../../modules/paymerchants/service.ts';
import { makeContext } from '../../platform/context.ts';
import { requestSigningString, responseSigningString, rsaSign, rsaVerify, v3Nonce } from './v3auth.ts';

const require = createRequire(import.meta.url);
interface PluginResponse { status: number; data: { data: CertEntry[] }; headers: Record<string, string> }
interface CertEntry { serial_no: string; effective_time: string; expire_time: string; encrypt_certificate: { algorithm: string; nonce: string; associated_data: string; ciphertext: string } }
interface PluginClient { v3: { certificates: { get(config?: { transformResponse?: unknown[] }): Promise<PluginResponse> } } }
type PluginConfig = { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> };
const { Wechatpay, Aes } = require('wechatpay-axios-plugin') as {
  Wechatpay: new (cfg: PluginConfig) => PluginClient;
  Aes: { AesGcm: { decrypt(ct: string, key: string, iv: string, aad: string): string } };
};
/** A throwaway key standing in for "no platform certificate yet" (the plugin requires one). */
const PLACEHOLDER = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

async function payMerchant(e: TestEnv): Promise<PayMerchantCredentials & { ctx: ReturnType<typeof makeContext> }> {
  const m = await createMerchant(e);
  await createAccount(e, m);
  return { ...(await e.platform.services.payMerchants.create(m.ctx)), ctx: m.ctx };
}

const client = (e: TestEnv, c: PayMerchantCredentials, certs: Record<string, string>, as: { mchid?: string } = {}) =>
  new Wechatpay({ baseURL: `${e.baseUrl}/`, mchid: as.mchid ?? c.mchId, serial: c.merchantCertSerial, privateKey: c.merchantPrivateKey, certs });

/** Downloads and decrypts the platform certificates with the plugin's own AEAD (before any is trusted). */
async function download(e: TestEnv, c: PayMerchantCredentials): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const injector = (raw: string) => {
    for (const d of (JSON.parse(raw) as { data: CertEntry[] }).data) out[d.serial_no] = Aes.AesGcm.decrypt(d.encrypt_certificate.ciphertext, c.apiV3Key, d.encrypt_certificate.nonce, d.encrypt_certificate.associated_data);
    return JSON.parse(raw) as unknown;
  };
  await client(e, c, { PLACEHOLDER }).v3.certificates.get({ transformResponse: [injector] });
  return out;
}

/** A hand-signed v3 request, for the negative cases the SDK never produces. */
async function rawV3(e: TestEnv, c: PayMerchantCredentials, o: { mchid?: string; timestamp?: number; nonce?: string; tamper?: boolean; path?: string } = {}) {
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? v3Nonce();
  const path = o.path ?? '/v3/certificates';
  let signature = rsaSign(requestSigningString('GET', path, ts, nonce, ''), c.merchantPrivateKey);
  if (o.tamper) signature = rsaSign(requestSigningString('GET', `${path}?x=1`, ts, nonce, ''), c.merchantPrivateKey);
  const res = await fetch(`${e.baseUrl}${path}`, { headers: { authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${o.mchid ?? c.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${c.merchantCertSerial}"` } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const verifiesWith = (r: { headers: Headers; text: string }, certPem: string) =>
  rsaVerify(responseSigningString(r.headers.get('wechatpay-timestamp') ?? '', r.headers.get('wechatpay-nonce') ?? '', r.text), r.headers.get('wechatpay-signature') ?? '', new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'pem' }).toString());

describeOnBothDbs('Pay v3 certificates and request signatures', (env) => {
  it('wechatpay-axios-plugin downloads, decrypts and then verifies the platform certificate', async () => {
    const e = env();
    const c = await payMerchant(e);
    const certs = await download(e, c);
    const [platform] = c.platformKeys;
    assert.ok(platform);
    assert.deepEqual(Object.keys(certs), [platform.serial]);
    assert.equal(certs[platform.serial], platform.certificate);
    assert.equal(new X509Certificate(certs[platform.serial] ?? '').serialNumber, platform.serial);
    const res = await client(e, c, certs).v3.certificates.get();
    assert.equal(res.status, 200);
    assert.equal(res.headers['wechatpay-serial'], platform.serial);
    assert.equal(res.data.data[0]?.encrypt_certificate.algorithm, 'AEAD_AES_256_GCM');
    assert.match(res.data.data[0]?.expire_time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    assert.match(c.mchId, /^\d{10}$/);
    assert.equal(c.apiV2Key.length, 32);
    assert.equal(c.apiV3Key.length, 32);
  });

  it('a wrong signature is 401 SIGN_ERROR, signed; stale timestamps and replayed nonces are refused', async () => {
    const e = env();
    const c = await payMerchant(e);
    const cert = c.platformKeys[0]?.certificate ?? '';
    const bad = await rawV3(e, c, { tamper: true });
    assert.equal(bad.status, 401);
    assert.equal(JSON.parse(bad.text).code, 'SIGN_ERROR');
    assert.ok(verifiesWith(bad, cert), 'error responses are signed too');
    const stale = await rawV3(e, c, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    assert.equal(stale.status, 401);
    assert.equal(JSON.parse(stale.text).code, 'SIGN_ERROR');
    const nonce = v3Nonce();
    const first = await rawV3(e, c, { nonce });
    assert.equal(first.status, 200);
    assert.ok(verifiesWith(first, cert));
    const replay = await rawV3(e, c, { nonce });
    assert.equal(replay.status, 401);
    assert.equal(JSON.parse(replay.text).code, 'SIGN_ERROR');
    const unknown = await rawV3(e, c, { mchid: '1000000000' === c.mchId ? '1000000001' : '1000000000' });
    assert.equal(unknown.status, 400);
    assert.equal(JSON.parse(unknown.text).code, 'MCH_NOT_EXISTS');
    const noAuth = await fetch(`${e.baseUrl}/v3/certificates`);
    assert.equal(noAuth.status, 401);
    assert.equal(((await noAuth.json()) as { code: string }).code, 'SIGN_ERROR');
  });

  it("merchant B cannot use A's mchid with B's key, and sees only its own certificates", async () => {
    const e = env();
    const a = await payMerchant(e);
    const b = await payMerchant(e);
    const err = await client(e, b, { PLACEHOLDER }, { mchid: a.mchId }).v3.certificates.get().then(
      () => undefined,
      (x: { response?: { status: number; data: { code: string } } }) => x.response,
    );
    assert.equal(err?.status, 401);
    assert.equal(err?.data.code, 'SIGN_ERROR');
    const bCerts = await download(e, b);
    assert.deepEqual(Object.keys(bCerts), [b.platformKeys[0]?.serial]);
    assert.notEqual(a.platformKeys[0]?.serial, b.platformKeys[0]?.serial);
    await assert.rejects(e.platform.services.payMerchants.get(makeContext({ kind: 'merchant', userId: 'u_x', orgId: 'org_nobody', role: 'owner' })), { code: 'not_found' });
    assert.equal((await e.platform.services.payMerchants.get(b.ctx)).mchId, b.mchId);
  });

  it('rotation serves old and new certificates together; both decrypt and verify during the overlap', async () => {
    const e = env();
    const c = await payMerchant(e);
    const oldSerial = c.platformKeys[0]?.serial ?? '';
    const rotated = await e.platform.services.payMerchants.rotatePlatformKey(c.ctx);
    const newSerial = rotated.platformKeys[0]?.serial ?? '';
    assert.notEqual(newSerial, oldSerial);
    assert.deepEqual(rotated.platformKeys.map((k) => k.serial).sort(), [oldSerial, newSerial].sort());
    const certs = await download(e, c);
    assert.deepEqual(Object.keys(certs).sort(), [oldSerial, newSerial].sort());
    for (const [serial, pem] of Object.entries(certs)) assert.equal(new X509Certificate(pem).serialNumber, serial);
    const res = await client(e, c, certs).v3.certificates.get();
    assert.equal(res.headers['wechatpay-serial'], newSerial);
    assert.equal(res.data.data.length, 2);
    const after = await e.platform.services.payMerchants.retireOldPlatformKeys(c.ctx);
    assert.deepEqual(after.platformKeys.map((k) => k.serial), [newSerial]);
    assert.deepEqual(Object.keys(await download(e, c)), [newSerial]);
  });

  it('public-key mode signs with Wechatpay-Serial PUB_KEY_ID_… which the plugin verifies', async () => {
    const e = env();
    const c = await payMerchant(e);
    const view = await e.platform.services.payMerchants.setVerifyMode(c.ctx, 'public_key');
    const key = view.platformKeys[0];
    assert.ok(key);
    assert.match(key.publicKeyId, /^PUB_KEY_ID_\d+$/);
    const publicKey = new X509Certificate(key.certificate).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const res = await client(e, c, { [key.publicKeyId]: publicKey }).v3.certificates.get();
    assert.equal(res.headers['wechatpay-serial'], key.publicKeyId);
  });

  it('refuses a second pay account, another org\'s appid, a staff caller and a bad verify mode', async () => {
    const e = env();
    const m = await createMerchant(e);
    const other = await createAccount(e, await createMerchant(e));
    await assert.rejects(e.platform.services.payMerchants.create(m.ctx), { code: 'failed_precondition' });
    await createAccount(e, m);
    await assert.rejects(e.platform.services.payMerchants.create(m.ctx, { appid: other.appid }), { code: 'not_found' });
    await assert.rejects(e.platform.services.payMerchants.create(makeContext({ kind: 'merchant', userId: m.userId, orgId: m.orgId, role: 'operator' })), { code: 'permission_denied' });
    await e.platform.services.payMerchants.create(m.ctx);
    await assert.rejects(e.platform.services.payMerchants.create(m.ctx), { code: 'conflict' });
    await assert.rejects(e.platform.services.payMerchants.setVerifyMode(m.ctx, 'bogus' as 'public_key'), { code: 'invalid_argument' });
    assert.equal((await e.platform.services.payMerchants.get(m.ctx)).verifyMode, 'certificate');
    const rows = await e.platform.handle.db.selectFrom('pay_merchants').select('mch_id').where('org_id', '=', m.orgId).execute();
    assert.equal(rows.length, 1);
  });
}, { listen: true });
