import { timingSafeEqual } from 'node:crypto';
import { v2Sign } from '../../wire/wechatpay/v2sign.ts';
import { rsaVerify } from '../../wire/wechatpay/v3auth.ts';

/** What a merchant's page hands to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` (JSAPI pay). */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=…` */
  package: string;
  signType: 'RSA' | 'MD5' | 'HMAC-SHA256';
  paySign: string;
}

/** The keys that check a paySign: the merchant's API public key (v3, RSA) and its API v2 key (MD5 / HMAC-SHA256). */
export interface PaySignKeys {
  merchantPublicKey: string;
  apiV2Key: string;
}

/** v3 (signType RSA): the string the merchant signs, `appId\ntimeStamp\nnonceStr\npackage\n`. */
export const jsapiSigningString = (p: Pick<JsapiPayParams, 'appId' | 'timeStamp' | 'nonceStr' | 'package'>) => `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;

/** The prepay_id inside `package` (`prepay_id=wx…`), or undefined when it is not that shape. */
export function prepayIdOf(pkg: string): string | undefined {
  const m = /^prepay_id=([A-Za-z0-9_-]{1,64})$/.exec(pkg);
  return m?.[1];
}

/**
 * Checks a JSAPI paySign the way WeChat does: RSA-SHA256 with the merchant's public key over the v3
 * signing string, or the v2 sign (MD5 / HMAC-SHA256 with the API v2 key) of
 * `{appId, timeStamp, nonceStr, package, signType}`. Pure: no I/O.
 */
export function verifyPaySign(p: JsapiPayParams, keys: PaySignKeys): boolean {
  if (p.signType === 'RSA') return rsaVerify(jsapiSigningString(p), p.paySign, keys.merchantPublicKey);
  const expected = Buffer.from(v2Sign({ appId: p.appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType }, keys.apiV2Key, p.signType));
  const given = Buffer.from(p.paySign.toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
