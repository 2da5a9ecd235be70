import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Pay v2 (XML API) request/response signing: MD5 or HMAC-SHA256 over the sorted parameters. */
export type V2SignType = 'MD5' | 'HMAC-SHA256';

export type V2Params = Readonly<Record<string, string | number | bigint | null | undefined>>;

export const isV2SignType = (s: unknown): s is V2SignType => s === 'MD5' || s === 'HMAC-SHA256';

/** `k=v&…` over non-empty params except `sign`, keys in ASCII order (`sign_type` included when present). */
export function v2SigningString(params: V2Params): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && String(params[k]) !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

export function v2Sign(params: V2Params, apiKey: string, type: V2SignType = 'MD5'): string {
  const text = `${v2SigningString(params)}&key=${apiKey}`;
  const digest = type === 'MD5' ? createHash('md5').update(text, 'utf8').digest('hex') : createHmac('sha256', apiKey).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/** Checks `sign` with the request's own `sign_type` (MD5 when absent); an unknown sign_type fails. */
export function v2Verify(params: V2Params, apiKey: string): boolean {
  const type = params.sign_type === undefined || params.sign_type === null || params.sign_type === '' ? 'MD5' : String(params.sign_type);
  if (!isV2SignType(type) || typeof params.sign !== 'string') return false;
  const expected = Buffer.from(v2Sign(params, apiKey, type));
  const given = Buffer.from(params.sign.toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
