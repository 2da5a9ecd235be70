import { createSign, createVerify, randomBytes } from 'node:crypto';

/** Pay v3 request authentication and response signing (WECHATPAY2-SHA256-RSA2048). */
export const V3_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** Requests and responses more than this many seconds off are refused. */
export const V3_MAX_SKEW_SECONDS = 300;

export interface V3Authorization {
  mchid: string;
  nonce: string;
  signature: string;
  timestamp: string;
  serialNo: string;
}

/** Parses the Authorization header; fields may come in any order. Undefined when malformed. */
export function parseAuthorization(header: string | undefined): V3Authorization | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space) !== V3_SCHEME) return undefined;
  const fields = new Map<string, string>();
  for (const m of header.slice(space + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) fields.set(m[1] ?? '', m[2] ?? '');
  const mchid = fields.get('mchid');
  const nonce = fields.get('nonce_str');
  const signature = fields.get('signature');
  const timestamp = fields.get('timestamp');
  const serialNo = fields.get('serial_no');
  if (!mchid || !nonce || !signature || !timestamp || !serialNo) return undefined;
  return { mchid, nonce, signature, timestamp, serialNo };
}

/** Certificate serials as WeChat prints them: upper-case hex without a leading `00` sign byte. */
export function normaliseSerial(serial: string): string {
  const up = serial.trim().toUpperCase();
  return up.startsWith('00') && up.length > 2 ? up.slice(2) : up;
}

/** `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n` over the raw request target and raw body. */
export const requestSigningString = (method: string, target: string, timestamp: string, nonce: string, body: string) =>
  `${method.toUpperCase()}\n${target}\n${timestamp}\n${nonce}\n${body}\n`;

/** `timestamp\nnonce\nbody\n` for responses and notifications. */
export const responseSigningString = (timestamp: string, nonce: string, body: string) => `${timestamp}\n${nonce}\n${body}\n`;

export function rsaSign(message: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyPem, 'base64');
}

export function rsaVerify(message: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}

/** Whether a `timestamp` (seconds, decimal) is within ±300 s of now. */
export function timestampFresh(timestamp: string, nowMs: number = Date.now()): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) <= V3_MAX_SKEW_SECONDS;
}

export const v3Nonce = () => randomBytes(16).toString('hex').toUpperCase();

export interface V3ResponseSignature {
  timestamp: string;
  nonce: string;
  signature: string;
}

/** Signs the exact bytes about to be sent. */
export function signResponse(body: string, privateKeyPem: string, nowMs: number = Date.now()): V3ResponseSignature {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = v3Nonce();
  return { timestamp, nonce, signature: rsaSign(responseSigningString(timestamp, nonce, body), privateKeyPem) };
}
