import type { DbOrTx } from '../../platform/database.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { MessageSource } from './tables.ts';
import { presentMessage, type MessageContent, type MessageRow } from './model.ts';
import './tables.ts';

export interface ThreadTarget {
  accountId: string;
  consumerId: string;
  openid: string;
}

/**
 * Writes a message into a consumer's thread and publishes it to their sockets after commit.
 * `replyToOutbox` makes a passive reply idempotent across push retries.
 */
export async function writeThreadMessage(
  tx: DbOrTx,
  hub: RealtimeHub,
  target: ThreadTarget,
  direction: 'in' | 'out',
  source: MessageSource,
  content: MessageContent,
  replyToOutbox: bigint | null = null,
): Promise<MessageRow | undefined> {
  const row = await tx
    .insertInto('messages')
    .values({
      account_id: target.accountId,
      consumer_id: target.consumerId,
      openid: target.openid,
      direction,
      source,
      msg_type: content.type,
      content: JSON.stringify(content),
      reply_to_outbox: replyToOutbox,
    })
    .onConflict((oc) => oc.column('reply_to_outbox').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) {
    const message = presentMessage(row);
    const ref = { id: String(row.id) };
    await hub.publishMany(tx, [
      ...(content.type !== 'event' ? [{ consumerId: target.consumerId, event: { type: 'message', message } as const, ref: { type: 'message', ...ref } }] : []),
      // The merchant console's inbox (modules/inbox): every thread message of the account, events included.
      { consumerId: accountChannel(target.accountId), event: { type: 'inbox.message', openid: row.openid, message } as const, ref: { type: 'inbox.message', ...ref } },
    ]);
  }
  return row;
}

/** The realtime hub key merchant sockets of an account's organisation listen on. */
export const accountChannel = (accountId: string) => `acct:${accountId}`;
