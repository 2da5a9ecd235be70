import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackSignature, decryptMessage, buildEncryptedReplyEnvelope } from '../wire/wechat/crypto.ts';
import { buildWechatXml, parseWechatXml, xmlText, type WechatXmlObject } from '../wire/wechat/xml.ts';

export interface ReceivedPush {
  query: URLSearchParams;
  raw: string;
  /** The plain message (decrypted in safe mode). */
  fields: WechatXmlObject;
}

export type StubAnswer = { status?: number; body?: string } | ((push: ReceivedPush) => { status?: number; body?: string } | Promise<{ status?: number; body?: string }>);

export interface MerchantStub {
  url: string;
  pushes: ReceivedPush[];
  /** Set how the stub answers the next pushes. */
  answer: StubAnswer;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** A passive text reply in WeChat's format. */
export const textReply = (push: ReceivedPush, content: string) =>
  buildWechatXml({ ToUserName: xmlText(push.fields, 'FromUserName') ?? '', FromUserName: xmlText(push.fields, 'ToUserName') ?? '', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: content });

/**
 * A merchant server for tests: verifies signatures like a real one, answers the echostr check,
 * decrypts safe-mode pushes, and answers as told (encrypting in safe mode).
 */
export async function startMerchantStub(cfg: { token: string; encodingAESKey: string; appid: string }, answer: StubAnswer = { body: 'success' }): Promise<MerchantStub> {
  const pushes: ReceivedPush[] = [];
  const stub: MerchantStub = { url: '', pushes, answer, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://stub');
    const q = u.searchParams;
    const sig = callbackSignature(cfg.token, q.get('timestamp') ?? '', q.get('nonce') ?? '');
    if (sig !== q.get('signature')) {
      res.writeHead(401).end('bad signature');
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(200).end(q.get('echostr') ?? '');
      return;
    }
    const raw = await readBody(req);
    let fields = parseWechatXml(raw);
    const safe = q.get('encrypt_type') === 'aes';
    if (safe) fields = parseWechatXml(decryptMessage({ encodingAESKey: cfg.encodingAESKey, encrypted: xmlText(fields, 'Encrypt') ?? '', expectedAppid: cfg.appid }).message);
    const push = { query: q, raw, fields };
    pushes.push(push);
    const a = typeof stub.answer === 'function' ? await stub.answer(push) : stub.answer;
    let body = a.body ?? '';
    if (safe && body && body !== 'success') body = buildEncryptedReplyEnvelope({ token: cfg.token, encodingAESKey: cfg.encodingAESKey, appid: cfg.appid, replyXml: body });
    res.writeHead(a.status ?? 200, { 'content-type': 'application/xml' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  stub.close = () => new Promise<void>((r) => server.close(() => r()));
  return stub;
}
