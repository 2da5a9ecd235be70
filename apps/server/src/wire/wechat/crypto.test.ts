import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import WXBizMsgCrypt from 'wechat-crypto';
import {
  aesKeyFromEncodingAESKey,
  buildEncryptedReplyEnvelope,
  callbackSignature,
  CryptoError,
  decryptMessage,
  encryptMessage,
  generateEncodingAESKey,
  isValidEncodingAESKey,
  msgSignature,
  openEncryptedReplyEnvelope,
  randomNonce,
} from './crypto.ts';
import { parseWechatXml, xmlText } from './xml.ts';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const OTHER_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
const APPID = 'wx1234567890abcdef';
const TOKEN = 'lianjieToken';

const encodingKey = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: 43, maxLength: 43 });
const unicode = fc.string({ unit: 'binary', maxLength: 300 });
const appid = fc.stringMatching(/^wx[0-9a-f]{16}$/);

function failsWith(fn: () => unknown, reason?: CryptoError['reason']): void {
  assert.throws(fn, (e: unknown) => e instanceof CryptoError && (reason === undefined || e.reason === reason));
}

/** The raw padded plaintext, decrypted with auto-padding off, to inspect the pad value. */
function rawPlaintext(encodingAESKey: string, encrypted: string): Buffer {
  const key = aesKeyFromEncodingAESKey(encodingAESKey);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
}

test('signatures: sorted-sha1 definition and equal to wechat-crypto', () => {
  const expected = createHash('sha1').update('13726231491409659813' + TOKEN).digest('hex');
  assert.equal(callbackSignature(TOKEN, '1409659813', '1372623149'), expected);
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{10,13}$/), fc.stringMatching(/^[A-Za-z0-9]{1,16}$/), fc.base64String({ minLength: 4 }), (ts, nonce, enc) => {
      const theirs = new WXBizMsgCrypt(TOKEN, KEY, APPID);
      assert.equal(msgSignature(TOKEN, ts, nonce, enc), theirs.getSignature(ts, nonce, enc));
    }),
  );
});

test('keys: parse, validate, generate', () => {
  assert.equal(aesKeyFromEncodingAESKey(KEY).length, 32);
  assert.deepEqual(aesKeyFromEncodingAESKey(KEY), Buffer.from(`${KEY}=`, 'base64'));
  for (const bad of ['', 'short', `${KEY}A`, `${KEY.slice(0, 42)}!`, `${KEY.slice(0, 42)}=`]) {
    failsWith(() => aesKeyFromEncodingAESKey(bad), 'bad-key');
    assert.equal(isValidEncodingAESKey(bad), false);
  }
  assert.equal(isValidEncodingAESKey(KEY), true);
  const keys = new Set(Array.from({ length: 50 }, () => generateEncodingAESKey()));
  assert.equal(keys.size, 50);
  for (const k of keys) {
    assert.ok(isValidEncodingAESKey(k));
    assert.equal(aesKeyFromEncodingAESKey(k).length, 32);
  }
  assert.match(randomNonce(), /^[A-Za-z0-9]{16}$/);
});

test('round trip for arbitrary unicode messages, appids and keys', () => {
  fc.assert(
    fc.property(encodingKey, fc.string({ unit: 'binary', maxLength: 40 }), unicode, (k, id, message) => {
      const encrypted = encryptMessage({ encodingAESKey: k, appid: id, message });
      assert.equal(Buffer.from(encrypted, 'base64').length % 32, 0);
      assert.deepEqual(decryptMessage({ encodingAESKey: k, encrypted, expectedAppid: id }), { message, appid: id });
    }),
    { numRuns: 300 },
  );
});

test('PKCS#7 to 32 bytes: every pad value 1..32 occurs and round-trips', () => {
  const seen = new Set<number>();
  for (let n = 0; n <= 70; n++) {
    const message = 'x'.repeat(n);
    const encrypted = encryptMessage({ encodingAESKey: KEY, appid: APPID, message });
    const plain = rawPlaintext(KEY, encrypted);
    const pad = plain[plain.length - 1] ?? 0;
    assert.equal(pad, 32 - ((16 + 4 + n + APPID.length) % 32));
    assert.ok(plain.subarray(plain.length - pad).every((b) => b === pad));
    seen.add(pad);
    assert.equal(decryptMessage({ encodingAESKey: KEY, encrypted }).message, message);
    assert.equal(new WXBizMsgCrypt(TOKEN, KEY, APPID).decrypt(encrypted).message, message);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 32 }, (_, i) => i + 1));
  assert.ok(seen.has(32) && seen.has(1));
});

test('deterministic with a given random prefix; random prefix must be 16 bytes', () => {
  const random = Buffer.alloc(16, 7);
  const a = encryptMessage({ encodingAESKey: KEY, appid: APPID, message: 'hi', random });
  assert.equal(a, encryptMessage({ encodingAESKey: KEY, appid: APPID, message: 'hi', random }));
  assert.notEqual(encryptMessage({ encodingAESKey: KEY, appid: APPID, message: 'hi' }), a);
  failsWith(() => encryptMessage({ encodingAESKey: KEY, appid: APPID, message: 'hi', random: Buffer.alloc(15) }), 'bad-random');
});

test('cross-check with wechat-crypto: ours → theirs and theirs → ours', () => {
  fc.assert(
    fc.property(encodingKey, appid, unicode, (k, id, message) => {
      const theirs = new WXBizMsgCrypt(TOKEN, k, id);
      assert.deepEqual(theirs.decrypt(encryptMessage({ encodingAESKey: k, appid: id, message })), { message, id });
      assert.deepEqual(decryptMessage({ encodingAESKey: k, encrypted: theirs.encrypt(message), expectedAppid: id }), { message, appid: id });
    }),
    { numRuns: 200 },
  );
});

test('tampered ciphertext, wrong appid, wrong key → CryptoError', () => {
  const encrypted = encryptMessage({ encodingAESKey: KEY, appid: APPID, message: '<xml><Content>hello</Content></xml>' });
  const ct = Buffer.from(encrypted, 'base64');
  const flip = (i: number, mask: number): string => {
    const copy = Buffer.from(ct);
    copy[i] = (copy[i] ?? 0) ^ mask;
    return copy.toString('base64');
  };
  // The last byte of the next-to-last block XORs into the pad byte: 0x80 makes it > 32.
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: flip(ct.length - 17, 0x80) }), 'bad-padding');
  // Byte 0 of the first block XORs into the high byte of the length field.
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: flip(0, 0x80) }), 'bad-length');
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: ct.subarray(0, ct.length - 5).toString('base64') }), 'bad-ciphertext');
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: ct.subarray(0, 16).toString('base64') }), 'bad-ciphertext');
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: `${encrypted.slice(1)}!` }), 'bad-ciphertext');
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted: '' }), 'bad-ciphertext');
  failsWith(() => decryptMessage({ encodingAESKey: KEY, encrypted, expectedAppid: 'wx0000000000000000' }), 'appid-mismatch');
  failsWith(() => decryptMessage({ encodingAESKey: OTHER_KEY, encrypted, expectedAppid: APPID }));
  failsWith(() => decryptMessage({ encodingAESKey: 'nope', encrypted }), 'bad-key');
  // Any single-byte corruption either still decrypts (CBC has no MAC; msg_signature guards
  // integrity) or fails with a CryptoError — never with another exception.
  fc.assert(
    fc.property(fc.nat({ max: ct.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, mask) => {
      try {
        decryptMessage({ encodingAESKey: KEY, encrypted: flip(i, mask), expectedAppid: APPID });
      } catch (e) {
        assert.ok(e instanceof CryptoError, String(e));
      }
    }),
  );
});

test('encrypted reply envelope: build → open, and signature checks', () => {
  const replyXml = '<xml><ToUserName><![CDATA[oABC]]></ToUserName><Content><![CDATA[收到]]></Content></xml>';
  const xml = buildEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, appid: APPID, replyXml, timestamp: 1700000000, nonce: 'n0nce' });
  const fields = parseWechatXml(xml);
  assert.deepEqual(Object.keys(fields), ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
  assert.equal(xmlText(fields, 'TimeStamp'), '1700000000');
  assert.equal(xmlText(fields, 'MsgSignature'), msgSignature(TOKEN, '1700000000', 'n0nce', xmlText(fields, 'Encrypt') ?? ''));
  assert.deepEqual(openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml, expectedAppid: APPID }), {
    message: replyXml,
    appid: APPID,
    timestamp: '1700000000',
    nonce: 'n0nce',
  });
  const defaults = parseWechatXml(buildEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, appid: APPID, replyXml }));
  assert.ok(Math.abs(Number(xmlText(defaults, 'TimeStamp')) - Date.now() / 1000) < 5);
  failsWith(() => openEncryptedReplyEnvelope({ token: 'wrong', encodingAESKey: KEY, xml }), 'bad-signature');
  failsWith(() => openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml, expectedAppid: 'wxother' }), 'appid-mismatch');
  failsWith(() => openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml: xml.replace('<Nonce>', '<X>').replace('</Nonce>', '</X>') }), 'bad-envelope');
  failsWith(() => openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml: `<!DOCTYPE x>${xml}` }), 'bad-envelope');
  failsWith(() => openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml: 'success' }), 'bad-envelope');
  failsWith(() => buildEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, appid: APPID, replyXml, nonce: 'a]]>b' }), 'bad-envelope');
  failsWith(() => buildEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, appid: APPID, replyXml, timestamp: '1.5' }), 'bad-envelope');
});

test('opens an envelope made like node-webot/wechat does (ms TimeStamp, numeric Nonce)', () => {
  const theirs = new WXBizMsgCrypt(TOKEN, KEY, APPID);
  const encrypt = theirs.encrypt('<xml><Content><![CDATA[hi]]></Content></xml>');
  const timestamp = 1700000000123;
  const nonce = 48213370517;
  const xml =
    `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${theirs.getSignature(timestamp, nonce, encrypt)}]]>` +
    `</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
  const opened = openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml, expectedAppid: APPID });
  assert.deepEqual(opened, { message: '<xml><Content><![CDATA[hi]]></Content></xml>', appid: APPID, timestamp: '1700000000123', nonce: '48213370517' });
});

interface WechatRequest {
  weixin: Record<string, string>;
}
interface WechatResponse {
  reply(content: string): void;
}
type WechatMiddleware = (req: object, res: object, next: (err?: unknown) => void) => void;
type WechatFactory = (
  config: { token: string; appid: string; encodingAESKey: string },
  handler: (req: WechatRequest, res: WechatResponse) => void,
) => WechatMiddleware;

test('end to end against the node-webot/wechat middleware in safe mode', async () => {
  const wechat = createRequire(import.meta.url)('wechat') as WechatFactory;
  const middleware = wechat({ token: TOKEN, appid: APPID, encodingAESKey: KEY }, (req, res) => {
    res.reply(`echo: ${req.weixin['Content'] ?? ''}`);
  });
  const server = createServer((req, res) => {
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
    Object.assign(req, { query });
    middleware(req, res, (err) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const push = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>' +
      '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 ]]]]><![CDATA[>]]></Content>' +
      '<MsgId>6000000000000000001</MsgId></xml>';
    const encrypt = encryptMessage({ encodingAESKey: KEY, appid: APPID, message: push });
    const timestamp = '1700000000';
    const nonce = randomNonce();
    const params = new URLSearchParams({
      signature: callbackSignature(TOKEN, timestamp, nonce),
      timestamp,
      nonce,
      openid: 'oUser',
      encrypt_type: 'aes',
      msg_signature: msgSignature(TOKEN, timestamp, nonce, encrypt),
    });
    const body = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const response = await fetch(`http://127.0.0.1:${port}/wechat?${params}`, { method: 'POST', body });
    assert.equal(response.status, 200);
    const opened = openEncryptedReplyEnvelope({ token: TOKEN, encodingAESKey: KEY, xml: await response.text(), expectedAppid: APPID });
    assert.match(opened.timestamp, /^[0-9]{13}$/); // milliseconds
    assert.match(opened.nonce, /^[0-9]+$/); // numeric
    const reply = parseWechatXml(opened.message);
    assert.equal(reply['ToUserName'], 'oUser');
    assert.equal(reply['MsgType'], 'text');
    assert.equal(reply['Content'], 'echo: 你好 ]]>');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
