import type { Generated } from 'kysely';
import type { MemberRole } from '../../platform/context.ts';

export interface ConsumersTable {
  id: string;
  phone: string;
  password_hash: string;
  nickname: string;
  avatar_url: string | null;
  sex: Generated<number>;
  city: Generated<string>;
  province: Generated<string>;
  country: Generated<string>;
  language: Generated<string>;
  created_at: Generated<Date>;
}

/** Operator review (migration 0038): pending → approved → suspended. */
export type OrgStatus = 'pending' | 'approved' | 'suspended';

export interface OrganizationsTable {
  id: string;
  name: string;
  status: Generated<OrgStatus>;
  reviewed_at: Generated<Date | null>;
  status_note: Generated<string>;
  created_at: Generated<Date>;
}

export interface MerchantUsersTable {
  id: string;
  org_id: string;
  email: string;
  password_hash: string;
  name: string;
  role: MemberRole;
  created_at: Generated<Date>;
}

export interface OperatorsTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Generated<Date>;
}

export type SessionKind = 'consumer' | 'merchant' | 'operator';

export interface SessionsTable {
  token_hash: string;
  subject_kind: SessionKind;
  subject_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    consumers: ConsumersTable;
    organizations: OrganizationsTable;
    merchant_users: MerchantUsersTable;
    operators: OperatorsTable;
    sessions: SessionsTable;
  }
}
