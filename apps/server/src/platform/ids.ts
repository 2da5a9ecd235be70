import { randomBytes, randomInt } from 'node:crypto';

/** `n` uniformly random decimal digits (crypto-random). */
export const randomDigits = (n: number): string => Array.from({ length: n }, () => String(randomInt(0, 10))).join('');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${ALNUM}-_`;

export function randomString(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Internal row ids: a short prefix and 20 random alphanumerics (e.g. `org_…`, `acc_…`). */
export const newId = (prefix: string) => `${prefix}_${randomString(20)}`;

/** `wx` + 16 lowercase hex, as WeChat appids look. */
export const newAppId = () => `wx${randomHex(8)}`;
/** 32 lowercase hex. */
export const newAppSecret = () => randomHex(16);
/** Original id of an official account: `gh_` + 12 hex. */
export const newOriginalId = () => `gh_${randomHex(6)}`;
/** 28 chars starting with `o`, URL-safe, like WeChat openids and unionids. */
export const newOpenId = () => `o${randomString(27, URLSAFE)}`;
export const newUnionId = () => `o${randomString(27, URLSAFE)}`;
/** Opaque bearer tokens (access tokens, session ids). */
export const newToken = (length = 96) => randomString(length, URLSAFE);
