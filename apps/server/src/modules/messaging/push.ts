import type { DbOrTx } from '../../platform/database.ts';
import { enqueue } from '../../platform/outbox.ts';
import { unixSeconds } from '../../platform/time.ts';
import type { MessageContent } from './model.ts';

/** The plain fields of a push to a merchant server, in WeChat's element order. */
export type PushFields = Record<string, string | number | Record<string, string | number>>;

export interface OaPushPayload {
  accountId: string;
  consumerId: string;
  openid: string;
  fields: PushFields;
  /** A consumer message or menu event: the passive reply goes to the thread. */
  expectReply: boolean;
}

export const OA_PUSH_KIND = 'oa.push';

/** XML fields of a consumer → account message, keyed by its MsgId. */
export function messageFields(originalId: string, openid: string, msgId: bigint, at: Date, content: MessageContent): PushFields {
  const base = { ToUserName: originalId, FromUserName: openid, CreateTime: unixSeconds(at) };
  switch (content.type) {
    case 'text':
      return { ...base, MsgType: 'text', Content: content.content, MsgId: msgId.toString() };
    case 'image':
      return { ...base, MsgType: 'image', PicUrl: content.url ?? '', MediaId: content.mediaId ?? '', MsgId: msgId.toString() };
    case 'location':
      return { ...base, MsgType: 'location', Location_X: content.latitude, Location_Y: content.longitude, Scale: content.scale, Label: content.label, MsgId: msgId.toString() };
    case 'link':
      return { ...base, MsgType: 'link', Title: content.title, Description: content.description, Url: content.url, MsgId: msgId.toString() };
    default:
      throw new Error(`a consumer cannot send ${content.type}`);
  }
}

/** XML fields of an event push (`MsgType=event`). Extra is appended in order (EventKey, Ticket, …). */
export function eventFields(originalId: string, openid: string, at: Date, event: string, extra: PushFields = {}): PushFields {
  return { ToUserName: originalId, FromUserName: openid, CreateTime: unixSeconds(at), MsgType: 'event', Event: event, ...extra };
}

export async function enqueuePush(tx: DbOrTx, orgId: string, payload: OaPushPayload): Promise<bigint | undefined> {
  const f = payload.fields;
  const dedupeKey = f.MsgId ? `oa.push:${payload.accountId}:${f.MsgId}` : undefined;
  return enqueue(tx, { kind: OA_PUSH_KIND, tenantId: orgId, payload, orderingKey: `oa:${payload.accountId}:${payload.consumerId}`, ...(dedupeKey ? { dedupeKey } : {}) });
}
