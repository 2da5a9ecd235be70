import type { Generated } from 'kysely';
import type { Json } from '../../platform/outbox-tables.ts';

export type Direction = 'in' | 'out';
export type MessageSource = 'consumer' | 'passive_reply' | 'auto_reply' | 'welcome' | 'cs' | 'template' | 'mass' | 'system';

export interface MessagesTable {
  id: Generated<bigint>;
  account_id: string;
  consumer_id: string;
  openid: string;
  direction: Direction;
  source: MessageSource;
  msg_type: string;
  content: Json;
  reply_to_outbox: bigint | null;
  created_at: Generated<Date>;
}

export interface ThreadReadsTable {
  account_id: string;
  consumer_id: string;
  last_read_id: bigint;
}

declare module '../../platform/database.ts' {
  interface Database {
    messages: MessagesTable;
    thread_reads: ThreadReadsTable;
  }
}
