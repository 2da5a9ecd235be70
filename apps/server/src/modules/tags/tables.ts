import type { Generated } from 'kysely';

export interface TagCountersTable {
  account_id: string;
  next_id: Generated<number>;
}

export interface TagsTable {
  account_id: string;
  id: number;
  name: string;
  created_at: Generated<Date>;
}

export interface TagMembersTable {
  account_id: string;
  tag_id: number;
  openid: string;
  created_at: Generated<Date>;
}

export interface FollowerRemarksTable {
  account_id: string;
  openid: string;
  remark: string;
  updated_at: Generated<Date>;
}

export interface AccountBlacklistTable {
  account_id: string;
  openid: string;
  consumer_id: string;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    tag_counters: TagCountersTable;
    tags: TagsTable;
    tag_members: TagMembersTable;
    follower_remarks: FollowerRemarksTable;
    account_blacklist: AccountBlacklistTable;
  }
}
