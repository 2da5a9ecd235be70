import type { Db } from '../../platform/database.ts';
import { httpRequest, HttpTimeoutError, type HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import { unixSeconds } from '../../platform/time.ts';
import type { AccountRow } from '../../modules/accounts/service.ts';
import { writeThreadMessage } from '../../modules/messaging/deliver.ts';
import { SERVICE_UNAVAILABLE_NOTICE, type MessageContent } from '../../modules/messaging/model.ts';
import { OA_PUSH_KIND, type OaPushPayload, type PushFields } from '../../modules/messaging/push.ts';
import { callbackSignature, encryptMessage, msgSignature, openEncryptedReplyEnvelope, randomNonce } from './crypto.ts';
import { buildWechatXml, parseWechatXml, xmlText, type WechatXmlInput, type WechatXmlObject } from './xml.ts';
import { parsePassiveReply } from './passive-reply.ts';

export const PUSH_TIMEOUT_MS = 5000;
const MAX_REPLY_BYTES = 1024 * 1024;

/** Elements WeChat writes as bare numbers, not CDATA (payloads keep 64-bit ids as strings for JSON). */
const NUMERIC_FIELDS = new Set(['CreateTime', 'MsgId', 'MsgID', 'Location_X', 'Location_Y', 'Scale', 'Latitude', 'Longitude', 'Precision', 'TotalCount', 'FilterCount', 'SentCount', 'ErrorCount', 'Count']);

function wireFields(fields: PushFields): Record<string, WechatXmlInput> {
  const out: Record<string, WechatXmlInput> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'object') out[k] = wireFields(v);
    else if (NUMERIC_FIELDS.has(k) && typeof v === 'string' && /^-?\d+$/.test(v)) out[k] = BigInt(v);
    else if (NUMERIC_FIELDS.has(k) && typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

/** Builds the signed request for a push, plain/compatible/safe per the account's mode. */
export function buildPushRequest(account: AccountRow, payload: OaPushPayload, now = Date.now()) {
  const timestamp = String(unixSeconds(now));
  const nonce = randomNonce(10);
  const fields = wireFields(payload.fields);
  const plainXml = buildWechatXml(fields);
  const query = new URLSearchParams({ signature: callbackSignature(account.token, timestamp, nonce), timestamp, nonce, openid: payload.openid });
  let body = plainXml;
  if (account.msg_mode !== 'plain') {
    const encrypt = encryptMessage({ encodingAESKey: account.encoding_aes_key, appid: account.appid, message: plainXml });
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', msgSignature(account.token, timestamp, nonce, encrypt));
    body =
      account.msg_mode === 'safe'
        ? buildWechatXml({ ToUserName: account.original_id, Encrypt: encrypt })
        : buildWechatXml({ ...fields, Encrypt: encrypt });
  }
  const sep = account.callback_url?.includes('?') ? '&' : '?';
  return { url: `${account.callback_url}${sep}${query.toString()}`, body };
}

/** Reads a passive reply body: empty or `success` means none; safe mode replies are verified and decrypted. */
export function readReplyBody(account: AccountRow, raw: string): WechatXmlObject | undefined {
  const text = raw.trim();
  if (text === '' || text === 'success') return undefined;
  let fields = parseWechatXml(text, { maxBytes: MAX_REPLY_BYTES });
  if (xmlText(fields, 'Encrypt') !== undefined && account.msg_mode !== 'plain') {
    const opened = openEncryptedReplyEnvelope({ token: account.token, encodingAESKey: account.encoding_aes_key, xml: text, expectedAppid: account.appid });
    fields = parseWechatXml(opened.message, { maxBytes: MAX_REPLY_BYTES });
  }
  return fields;
}

export interface PushDeliveryDeps {
  db: Db;
  hub: RealtimeHub;
  findAccount: (id: string) => Promise<AccountRow | undefined>;
  http?: HttpClient;
}

/** Outbox handler for `oa.push`: POSTs to the merchant's callback URL, 5 s timeout, 3 tries in all. */
export function createPushHandler(deps: PushDeliveryDeps): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: OA_PUSH_KIND,
    schedule: [1000, 2000],
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const payload = row.payload as OaPushPayload;
      const account = await deps.findAccount(payload.accountId);
      if (!account?.callback_url) {
        return { ok: false, retryable: false, request: { method: 'POST', url: '(no callback URL)' }, error: 'account has no callback URL' };
      }
      const { url, body } = buildPushRequest(account, payload);
      const request = { method: 'POST', url, headers: { 'content-type': 'text/xml' }, body };
      let status: number;
      let text: string;
      try {
        ({ status, body: text } = await send({ method: 'POST', url, headers: request.headers, body, timeoutMs: PUSH_TIMEOUT_MS, maxResponseBytes: MAX_REPLY_BYTES + 1 }));
      } catch (err) {
        return { ok: false, request, error: err instanceof Error ? err.message : String(err) };
      }
      if (status !== 200) return { ok: false, request, responseStatus: status, responseBody: text, error: `HTTP ${status}` };
      let reply: MessageContent | undefined | 'transfer';
      try {
        const fields = readReplyBody(account, text);
        reply = fields ? parsePassiveReply(fields, { openid: payload.openid, originalId: account.original_id }) : undefined;
      } catch (err) {
        return { ok: false, retryable: false, request, responseStatus: status, responseBody: text, error: `invalid passive reply: ${err instanceof Error ? err.message : String(err)}` };
      }
      const target = { accountId: account.id, consumerId: payload.consumerId, openid: payload.openid };
      return {
        ok: true,
        request,
        responseStatus: status,
        responseBody: text,
        onSuccess: async (tx) => {
          if (!payload.expectReply || reply === undefined) return;
          if (reply === 'transfer') {
            await writeThreadMessage(tx, deps.hub, target, 'out', 'system', { type: 'event', event: 'transfer_customer_service' }, row.id);
            return;
          }
          await writeThreadMessage(tx, deps.hub, target, 'out', 'passive_reply', reply, row.id);
        },
      };
    },
    async onDead(tx, row) {
      const payload = row.payload as OaPushPayload;
      if (!payload.expectReply) return;
      const target = { accountId: payload.accountId, consumerId: payload.consumerId, openid: payload.openid };
      await writeThreadMessage(tx, deps.hub, target, 'out', 'system', { type: 'system', content: SERVICE_UNAVAILABLE_NOTICE }, row.id);
    },
  };
}

/** The echostr handshake a callback URL must pass before it is saved. */
export async function verifyCallbackUrl(url: string, token: string, send: HttpClient = httpRequest): Promise<string | undefined> {
  const timestamp = String(unixSeconds());
  const nonce = randomNonce(10);
  const echostr = randomNonce(19);
  const q = new URLSearchParams({ signature: callbackSignature(token, timestamp, nonce), echostr, timestamp, nonce });
  try {
    const res = await send({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}${q}`, timeoutMs: PUSH_TIMEOUT_MS, maxResponseBytes: 4096 });
    if (res.status !== 200) return `the URL answered HTTP ${res.status}`;
    if (res.body.trim() !== echostr) return 'the URL did not echo echostr (check the Token)';
    return undefined;
  } catch (err) {
    return err instanceof HttpTimeoutError ? err.message : `could not reach the URL (${err instanceof Error ? err.message : String(err)})`;
  }
}
