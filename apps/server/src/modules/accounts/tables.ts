import type { ColumnType, Generated } from 'kysely';

export type AccountType = 'service' | 'subscription';
export type MsgMode = 'plain' | 'compatible' | 'safe';

export interface OfficialAccountsTable {
  id: string;
  org_id: string;
  name: string;
  original_id: string;
  type: AccountType;
  avatar_url: string | null;
  description: Generated<string>;
  appid: string;
  appsecret: string;
  callback_url: string | null;
  token: string;
  encoding_aes_key: string;
  msg_mode: Generated<MsgMode>;
  welcome_message: string | null;
  /** OAuth redirect ("web-page") domain: host[:port], migration 0016. */
  web_domain: Generated<string | null>;
  /** JS-SDK safe domain: host[:port], migration 0016. */
  jssdk_domain: Generated<string | null>;
  /** Addresses (IPv4/IPv6, or IPv4 CIDR) allowed to call the OA API; empty allows any (migration 0030). */
  ip_allowlist: Generated<string[]>;
  status: Generated<'active' | 'suspended'>;
  created_at: Generated<Date>;
}

export interface AccessTokensTable {
  token: string;
  account_id: string;
  lineage: 'client' | 'stable';
  issued_at: Generated<Date>;
  expires_at: Date;
}

export interface ApiQuotaUsageTable {
  account_id: string;
  api: string;
  day: ColumnType<Date, string, string>;
  count: Generated<number>;
}

export interface AutoReplyRulesTable {
  id: string;
  account_id: string;
  match: 'exact' | 'contains' | 'default';
  keyword: Generated<string>;
  reply_text: string;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    official_accounts: OfficialAccountsTable;
    access_tokens: AccessTokensTable;
    api_quota_usage: ApiQuotaUsageTable;
    auto_reply_rules: AutoReplyRulesTable;
  }
}
