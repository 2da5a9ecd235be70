import type { Generated } from 'kysely';

export type ConversationStatus = 'open' | 'closed';

export interface InboxConversationsTable {
  account_id: string;
  consumer_id: string;
  /** The merchant user answering the conversation; null: unassigned. */
  assignee_id: string | null;
  status: Generated<ConversationStatus>;
  /** The last message the merchant has read (consumer messages above it are unread). */
  last_read_id: Generated<bigint>;
  updated_at: Generated<Date>;
}

export interface QuickRepliesTable {
  id: string;
  org_id: string;
  title: string;
  content: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    inbox_conversations: InboxConversationsTable;
    quick_replies: QuickRepliesTable;
  }
}
