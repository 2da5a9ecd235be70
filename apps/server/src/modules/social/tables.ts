import type { Generated } from 'kysely';
import type { Json } from '../../platform/outbox-tables.ts';

export interface FriendshipsTable {
  consumer_id: string;
  friend_id: string;
  created_at: Generated<Date>;
}

export interface DmMessagesTable {
  id: Generated<bigint>;
  sender_id: string;
  recipient_id: string;
  msg_type: 'text' | 'account_card' | 'page_card';
  content: Json;
  created_at: Generated<Date>;
}

export interface DmReadsTable {
  consumer_id: string;
  friend_id: string;
  last_read_id: bigint;
}

export interface ReferralsTable {
  id: Generated<bigint>;
  account_id: string;
  referrer_consumer_id: string;
  referred_consumer_id: string;
  share_message_id: bigint;
  opened_at: Generated<Date>;
  followed_at: Date | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    friendships: FriendshipsTable;
    dm_messages: DmMessagesTable;
    dm_reads: DmReadsTable;
    referrals: ReferralsTable;
  }
}
