import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { v2Sign, v2SigningString, v2Verify } from './v2sign.ts';
import { aeadDecrypt, aeadEncrypt } from './aead.ts';
import { normaliseSerial, parseAuthorization, requestSigningString, responseSigningString, rsaSign, rsaVerify, timestampFresh } from './v3auth.ts';

const require = createRequire(import.meta.url);
type TenpayCtor = new (cfg: { appid: string; mchid: string; partnerKey: string }) => { _getSign(params: Record<string, string>, type?: string): string };
const Tenpay = require('tenpay') as TenpayCtor;
const { Aes } = require('wechatpay-axios-plugin') as { Aes: { AesGcm: { decrypt(ct: string, key: string, iv: string, aad: string): string; encrypt(pt: string, key: string, iv: string, aad: string): string } } };

// The official example of the Pay v2 signature algorithm (PROTOCOL.md).
const OFFICIAL = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const OFFICIAL_KEY = '192006250b4c09247ec02edce69f6a2d';

describe('Pay v2 signing', () => {
  it('matches the official known answers for MD5 and HMAC-SHA256', () => {
    assert.equal(v2SigningString(OFFICIAL), 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA');
    assert.equal(v2Sign(OFFICIAL, OFFICIAL_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(v2Sign(OFFICIAL, OFFICIAL_KEY, 'HMAC-SHA256'), '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });

  it('skips sign and empty values, signs sign_type itself, and verifies with the request sign type', () => {
    const withType = { ...OFFICIAL, sign_type: 'HMAC-SHA256', attach: '', sign: 'IGNORED', detail: undefined };
    assert.equal(v2SigningString(withType), `${v2SigningString(OFFICIAL)}&sign_type=HMAC-SHA256`);
    const signed = { ...withType, sign: v2Sign(withType, OFFICIAL_KEY, 'HMAC-SHA256') };
    assert.ok(v2Verify(signed, OFFICIAL_KEY));
    assert.ok(!v2Verify({ ...signed, sign_type: 'MD5' }, OFFICIAL_KEY));
    assert.ok(!v2Verify({ ...signed, body: 'tampered' }, OFFICIAL_KEY));
    assert.ok(!v2Verify({ ...signed, sign_type: 'SHA1' }, OFFICIAL_KEY));
    assert.ok(v2Verify({ ...OFFICIAL, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, OFFICIAL_KEY));
  });

  it('agrees with the tenpay client on both sign types', () => {
    const pay = new Tenpay({ appid: OFFICIAL.appid, mchid: OFFICIAL.mch_id, partnerKey: OFFICIAL_KEY });
    const params = { ...OFFICIAL, out_trade_no: 'A-1', total_fee: '101', spbill_create_ip: '127.0.0.1', trade_type: 'NATIVE' };
    assert.equal(v2Sign(params, OFFICIAL_KEY, 'MD5'), pay._getSign({ ...params }, 'MD5'));
    const hmac = { ...params, sign_type: 'HMAC-SHA256' };
    assert.equal(v2Sign(hmac, OFFICIAL_KEY, 'HMAC-SHA256'), pay._getSign({ ...hmac }, 'HMAC-SHA256'));
  });
});

describe('AEAD_AES_256_GCM', () => {
  const key = 'abcdefghijklmnopqrstuvwxyz012345';
  it('round-trips and interoperates with wechatpay-axios-plugin both ways', () => {
    const ct = aeadEncrypt('-----BEGIN CERTIFICATE-----', key, 'nonce1234567', 'certificate');
    assert.equal(Aes.AesGcm.decrypt(ct, key, 'nonce1234567', 'certificate'), '-----BEGIN CERTIFICATE-----');
    const theirs = Aes.AesGcm.encrypt('{"a":1}', key, 'AbCdEfGhIjKl', 'transaction');
    assert.equal(aeadDecrypt(theirs, key, 'AbCdEfGhIjKl', 'transaction'), '{"a":1}');
    assert.equal(Buffer.from(ct, 'base64').length, '-----BEGIN CERTIFICATE-----'.length + 16);
  });

  it('refuses a wrong AAD, a tampered ciphertext and a key that is not 32 bytes', () => {
    const ct = aeadEncrypt('secret', key, 'nonce1234567', 'certificate');
    assert.throws(() => aeadDecrypt(ct, key, 'nonce1234567', 'transaction'));
    const raw = Buffer.from(ct, 'base64');
    raw[0] = (raw[0] ?? 0) ^ 1;
    assert.throws(() => aeadDecrypt(raw.toString('base64'), key, 'nonce1234567', 'certificate'));
    assert.throws(() => aeadEncrypt('x', 'short', 'nonce1234567', 'certificate'));
  });
});

describe('Pay v3 request authentication', () => {
  it('parses Authorization fields in any order and refuses other schemes or missing fields', () => {
    const h = 'WECHATPAY2-SHA256-RSA2048 serial_no="00ab12",timestamp="1700000000", signature="c2ln+/=",mchid="1900000001",nonce_str="N1"';
    assert.deepEqual(parseAuthorization(h), { mchid: '1900000001', nonce: 'N1', signature: 'c2ln+/=', timestamp: '1700000000', serialNo: '00ab12' });
    assert.equal(parseAuthorization(h.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer')), undefined);
    assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="s"'), undefined);
    assert.equal(parseAuthorization(undefined), undefined);
  });

  it('normalises serials, builds the signing strings (a GET ends with two newlines) and checks freshness', () => {
    assert.equal(normaliseSerial('00ab12cd'), 'AB12CD');
    assert.equal(normaliseSerial('5157F09EFDC096DE15EBE81A47057A7232F1B8E1'), '5157F09EFDC096DE15EBE81A47057A7232F1B8E1');
    assert.equal(requestSigningString('get', '/v3/certificates?x=1', '1', 'n', ''), 'GET\n/v3/certificates?x=1\n1\nn\n\n');
    assert.equal(responseSigningString('1', 'n', '{}'), '1\nn\n{}\n');
    const now = 1_700_000_000_000;
    assert.ok(timestampFresh('1700000300', now));
    assert.ok(!timestampFresh('1700000301', now));
    assert.ok(!timestampFresh('1699999699', now));
    assert.ok(!timestampFresh('17e8', now));
  });

  it('RSA-SHA256 signatures verify only with the matching key and message', () => {
    const a = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sig = rsaSign('GET\n/v3/certificates\n1\nn\n\n', a.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const pubA = a.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.ok(rsaVerify('GET\n/v3/certificates\n1\nn\n\n', sig, pubA));
    assert.ok(!rsaVerify('GET\n/v3/certificates\n1\nn\n{}\n', sig, pubA));
    assert.ok(!rsaVerify('GET\n/v3/certificates\n1\nn\n\n', sig, b.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    assert.ok(!rsaVerify('x', 'not base64 !!', pubA));
  });
});
