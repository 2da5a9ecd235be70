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
  if (row && content.type !== 'event') await hub.publish(tx, target.consumerId, { type: 'message', message: presentMessage(row) }, { type: 'message', id: String(row.id) });
  return row;
}
