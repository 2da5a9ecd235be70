import type { Generated } from 'kysely';

export interface AccountIdentitiesTable {
  account_id: string;
  consumer_id: string;
  openid: string;
  created_at: Generated<Date>;
}

export interface OrgIdentitiesTable {
  org_id: string;
  consumer_id: string;
  unionid: string;
}

export interface FollowsTable {
  account_id: string;
  consumer_id: string;
  openid: string;
  subscribed: boolean;
  subscribe_time: Date;
  unsubscribe_time: Date | null;
  subscribe_scene: string;
  qr_scene: bigint | null;
  qr_scene_str: string | null;
  blocked: Generated<boolean>;
  last_interaction_at: Date | null;
  created_at: Generated<Date>;
}

export interface FollowEventsTable {
  id: Generated<bigint>;
  account_id: string;
  consumer_id: string;
  openid: string;
  kind: 'subscribe' | 'unsubscribe';
  scene: string | null;
  qr_scene: string | null;
  at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    account_identities: AccountIdentitiesTable;
    org_identities: OrgIdentitiesTable;
    follows: FollowsTable;
    follow_events: FollowEventsTable;
  }
}
