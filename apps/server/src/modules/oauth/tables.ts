import type { Generated } from 'kysely';

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

/** A snsapi_userinfo authorisation waiting for the consumer's consent (10 minutes). */
export interface OAuthRequestsTable {
  id: string;
  account_id: string;
  consumer_id: string;
  scope: OAuthScope;
  redirect_uri: string;
  state: string;
  created_at: Generated<Date>;
  expires_at: Date;
}

/** An authorisation code (sha256 of it): single use, 5 minutes, bound to account, consumer and scope. */
export interface OAuthCodesTable {
  code_hash: string;
  account_id: string;
  consumer_id: string;
  scope: OAuthScope;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

/** The consumer agreed to share their profile with the account (asked once). */
export interface OAuthGrantsTable {
  account_id: string;
  consumer_id: string;
  scope: OAuthScope;
  granted_at: Generated<Date>;
}

/** Web access tokens (7200 s) and refresh tokens (30 days), stored as sha256. */
export interface OAuthTokensTable {
  token_hash: string;
  kind: 'access' | 'refresh';
  account_id: string;
  consumer_id: string;
  openid: string;
  scope: OAuthScope;
  created_at: Generated<Date>;
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    oauth_requests: OAuthRequestsTable;
    oauth_codes: OAuthCodesTable;
    oauth_grants: OAuthGrantsTable;
    oauth_tokens: OAuthTokensTable;
  }
}
