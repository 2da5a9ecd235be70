import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { jsapiSigningString, prepayIdOf, verifyPaySign, type JsapiPayParams } from './pay-sign.ts';

const require = createRequire(import.meta.url);
const { Formatter, Rsa } = require('wechatpay-axios-plugin') as { Formatter: { joinedByLineFeed(...p: string[]): string }; Rsa: { sign(message: string, privateKey: string): string } };
type PayParams = { appId: string; timeStamp: string; nonceStr: string; package: string; signType: 'MD5' | 'HMAC-SHA256'; paySign: string };
type TenpayCtor = new (cfg: { appid: string; mchid: string; partnerKey: string }) => { getPayParamsByPrepay(p: { prepay_id: string }, signType?: string): PayParams };
const Tenpay = require('tenpay') as TenpayCtor;

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const V2_KEY = '192006250b4c09247ec02edce69f6a2d';
const keys = { merchantPublicKey: publicKey, apiV2Key: V2_KEY };
const base = { appId: 'wxd930ea5d5a258f4f', timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100' };

describe('JSAPI paySign', () => {
  it('v3 RSA: the signing string is what wechatpay-axios-plugin signs, and its signature verifies', () => {
    const message = Formatter.joinedByLineFeed(base.appId, base.timeStamp, base.nonceStr, base.package);
    assert.equal(jsapiSigningString(base), message);
    assert.equal(message, 'wxd930ea5d5a258f4f\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n');
    const p: JsapiPayParams = { ...base, signType: 'RSA', paySign: Rsa.sign(message, privateKey) };
    assert.ok(verifyPaySign(p, keys));
    assert.ok(!verifyPaySign({ ...p, timeStamp: '1414561700' }, keys), 'a changed field fails');
    assert.ok(!verifyPaySign({ ...p, paySign: Rsa.sign(message, other.privateKey) }, keys), "another key's signature fails");
    assert.ok(!verifyPaySign({ ...p, paySign: 'not base64 at all!' }, keys));
  });

  it("v2 MD5 and HMAC-SHA256: tenpay's getPayParams (by prepay) verifies, tampering does not", () => {
    const pay = new Tenpay({ appid: base.appId, mchid: '10000100', partnerKey: V2_KEY });
    for (const type of ['MD5', 'HMAC-SHA256'] as const) {
      const theirs = pay.getPayParamsByPrepay({ prepay_id: 'wx201410272009395522657a690389285100' }, type);
      const p: JsapiPayParams = { appId: theirs.appId, timeStamp: theirs.timeStamp, nonceStr: theirs.nonceStr, package: theirs.package, signType: theirs.signType, paySign: theirs.paySign };
      assert.equal(p.package, base.package);
      assert.ok(verifyPaySign(p, keys), type);
      assert.ok(verifyPaySign({ ...p, paySign: p.paySign.toLowerCase() }, keys), 'hex case does not matter');
      assert.ok(!verifyPaySign({ ...p, nonceStr: 'x' }, keys), `${type} tampered`);
      assert.ok(!verifyPaySign(p, { ...keys, apiV2Key: 'another32characterapikey00000000' }), `${type} other key`);
    }
  });

  it('v2 known answer: the sign covers signType itself', () => {
    // md5("appId=wxd930ea5d5a258f4f&nonceStr=5K8264ILTKCH16CQ2502SI8ZNMTM67VS&package=prepay_id=wx201410272009395522657a690389285100&signType=MD5&timeStamp=1414561699&key=192006250b4c09247ec02edce69f6a2d")
    const pay = new Tenpay({ appid: base.appId, mchid: '10000100', partnerKey: V2_KEY }) as unknown as { _getSign(p: Record<string, string>, t: string): string };
    const paySign = pay._getSign({ ...base, signType: 'MD5' }, 'MD5');
    assert.equal(paySign, 'FD19D752A746E5F238A6E53BD99EEBD0');
    assert.ok(verifyPaySign({ ...base, signType: 'MD5', paySign }, keys));
    assert.ok(!verifyPaySign({ ...base, signType: 'HMAC-SHA256', paySign }, keys), 'the same sign under another signType fails');
  });

  it('reads the prepay_id out of package', () => {
    assert.equal(prepayIdOf('prepay_id=wx123abc'), 'wx123abc');
    assert.equal(prepayIdOf('wx123abc'), undefined);
    assert.equal(prepayIdOf('prepay_id='), undefined);
    assert.equal(prepayIdOf('prepay_id=a&b=c'), undefined);
  });
});
