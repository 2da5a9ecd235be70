// WeChat callback message crypto ("safe mode"): signatures, AES-256-CBC message encryption with
// PKCS#7 padding to 32-byte blocks, and the encrypted passive-reply envelope.
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { parseWechatXml, xmlText, XmlError, type WechatXmlObject } from './xml.ts';

export type CryptoErrorReason =
  | 'bad-key'
  | 'bad-random'
  | 'bad-ciphertext'
  | 'bad-padding'
  | 'bad-length'
  | 'bad-utf8'
  | 'appid-mismatch'
  | 'bad-envelope'
  | 'bad-signature';

export class CryptoError extends Error {
  readonly reason: CryptoErrorReason;
  constructor(reason: CryptoErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CryptoError';
    this.reason = reason;
  }
}

const BLOCK = 32; // WeChat pads to 32 bytes, not AES's 16
const RANDOM_LEN = 16;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function sha1Sorted(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** URL-check / push `signature` = sha1(sorted([token, timestamp, nonce]).join('')). */
export function callbackSignature(token: string, timestamp: string, nonce: string): string {
  return sha1Sorted([token, timestamp, nonce]);
}

/** Safe-mode `msg_signature` = sha1(sorted([token, timestamp, nonce, encrypt]).join('')). */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Sorted([token, timestamp, nonce, encrypt]);
}

/** Constant-time comparison of a received hex signature with the expected one (case-insensitive). */
export function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An EncodingAESKey as WeChat issues it: 43 characters of [A-Za-z0-9]. */
export function isValidEncodingAESKey(k: string): boolean {
  return /^[A-Za-z0-9]{43}$/.test(k);
}

/** AES key = base64decode(EncodingAESKey + "="), which must be 32 bytes. */
export function aesKeyFromEncodingAESKey(k43: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(k43)) {
    throw new CryptoError('bad-key', 'EncodingAESKey must be 43 base64 characters');
  }
  const key = Buffer.from(`${k43}=`, 'base64');
  if (key.length !== 32) {
    throw new CryptoError('bad-key', `EncodingAESKey decodes to ${key.length} bytes, expected 32`);
  }
  return key;
}

function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

export function generateEncodingAESKey(): string {
  return randomAlnum(43);
}

export function randomNonce(length = 16): string {
  return randomAlnum(length);
}

export interface EncryptMessageInput {
  encodingAESKey: string;
  appid: string;
  message: string;
  /** 16 random prefix bytes; generated when omitted (pass it only for deterministic tests). */
  random?: Uint8Array;
}

/** base64(AES-256-CBC(random16 ‖ len32be(msg) ‖ msg ‖ appid ‖ PKCS#7 pad to 32)), IV = key[0..16). */
export function encryptMessage(input: EncryptMessageInput): string {
  const key = aesKeyFromEncodingAESKey(input.encodingAESKey);
  const random = input.random ?? randomBytes(RANDOM_LEN);
  if (random.length !== RANDOM_LEN) throw new CryptoError('bad-random', 'random prefix must be 16 bytes');
  const msg = Buffer.from(input.message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const body = Buffer.concat([random, len, msg, Buffer.from(input.appid, 'utf8')]);
  const pad = BLOCK - (body.length % BLOCK); // 1..32
  const plain = Buffer.concat([body, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export interface DecryptMessageInput {
  encodingAESKey: string;
  encrypted: string;
  /** When given, the appid inside the plaintext must equal it. */
  expectedAppid?: string | undefined;
}

export interface DecryptedMessage {
  message: string;
  appid: string;
}

/** Reverses encryptMessage; throws CryptoError on any malformed, tampered or mismatched input. */
export function decryptMessage(input: DecryptMessageInput): DecryptedMessage {
  const key = aesKeyFromEncodingAESKey(input.encodingAESKey);
  const b64 = input.encrypted.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new CryptoError('bad-ciphertext', 'ciphertext is not base64');
  }
  const ct = Buffer.from(b64, 'base64');
  if (ct.length < BLOCK || ct.length % 16 !== 0) {
    throw new CryptoError('bad-ciphertext', `ciphertext length ${ct.length} is not a positive multiple of 16`);
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch (cause) {
    throw new CryptoError('bad-ciphertext', 'AES decryption failed', { cause });
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new CryptoError('bad-padding', `invalid pad value ${pad}`);
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new CryptoError('bad-padding', 'inconsistent PKCS#7 padding');
  }
  const end = plain.length - pad;
  if (end < RANDOM_LEN + 4) throw new CryptoError('bad-length', 'plaintext too short');
  const msgLen = plain.readUInt32BE(RANDOM_LEN);
  const msgStart = RANDOM_LEN + 4;
  if (msgLen > end - msgStart) throw new CryptoError('bad-length', `message length ${msgLen} exceeds plaintext`);
  let message: string;
  let appid: string;
  try {
    message = utf8.decode(plain.subarray(msgStart, msgStart + msgLen));
    appid = utf8.decode(plain.subarray(msgStart + msgLen, end));
  } catch (cause) {
    throw new CryptoError('bad-utf8', 'plaintext is not valid UTF-8', { cause });
  }
  if (input.expectedAppid !== undefined && appid !== input.expectedAppid) {
    throw new CryptoError('appid-mismatch', `appid ${JSON.stringify(appid)} does not match`);
  }
  return { message, appid };
}

export interface BuildEnvelopeInput {
  token: string;
  encodingAESKey: string;
  appid: string;
  replyXml: string;
  /** Defaults to the current time in seconds. */
  timestamp?: string | number;
  /** Defaults to a random alphanumeric nonce. */
  nonce?: string | number;
}

/** The encrypted passive reply `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`. */
export function buildEncryptedReplyEnvelope(input: BuildEnvelopeInput): string {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = String(input.nonce ?? randomNonce());
  if (!/^[0-9]+$/.test(timestamp)) throw new CryptoError('bad-envelope', 'timestamp must be digits');
  if (!/^[A-Za-z0-9_-]+$/.test(nonce)) throw new CryptoError('bad-envelope', 'nonce must be [A-Za-z0-9_-]+');
  const encrypt = encryptMessage({ encodingAESKey: input.encodingAESKey, appid: input.appid, message: input.replyXml });
  const signature = msgSignature(input.token, timestamp, nonce, encrypt);
  return (
    `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt>` +
    `<MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
  );
}

export interface OpenEnvelopeInput {
  token: string;
  encodingAESKey: string;
  xml: string;
  expectedAppid?: string | undefined;
}

export interface OpenedEnvelope extends DecryptedMessage {
  /** As received: may be seconds or milliseconds. */
  timestamp: string;
  /** As received: may be numeric. */
  nonce: string;
}

/**
 * Opens an encrypted reply: verifies MsgSignature over TimeStamp and Nonce exactly as received
 * (merchant SDKs send millisecond times and numeric nonces), then decrypts Encrypt.
 */
export function openEncryptedReplyEnvelope(input: OpenEnvelopeInput): OpenedEnvelope {
  let fields: WechatXmlObject;
  try {
    fields = parseWechatXml(input.xml);
  } catch (cause) {
    if (cause instanceof XmlError) throw new CryptoError('bad-envelope', cause.message, { cause });
    throw cause;
  }
  const encrypt = xmlText(fields, 'Encrypt');
  const signature = xmlText(fields, 'MsgSignature');
  const timestamp = xmlText(fields, 'TimeStamp');
  const nonce = xmlText(fields, 'Nonce');
  if (!encrypt || !signature || timestamp === undefined || nonce === undefined) {
    throw new CryptoError('bad-envelope', 'envelope lacks Encrypt, MsgSignature, TimeStamp or Nonce');
  }
  if (!signatureMatches(msgSignature(input.token, timestamp, nonce, encrypt), signature)) {
    throw new CryptoError('bad-signature', 'MsgSignature does not match');
  }
  const opened = decryptMessage({
    encodingAESKey: input.encodingAESKey,
    encrypted: encrypt,
    expectedAppid: input.expectedAppid,
  });
  return { ...opened, timestamp, nonce };
}
