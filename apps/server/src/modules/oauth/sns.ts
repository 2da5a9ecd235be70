import type { Insertable } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newToken } from '../../platform/ids.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import { sameSecret } from '../accounts/service.ts';
import type { FollowersService } from '../followers/service.ts';
import type { IdentityService } from '../identity/service.ts';
import { sha256 } from './service.ts';
import type { OAuthScope, OAuthTokensTable } from './tables.ts';
import './tables.ts';

export const ACCESS_TTL_S = 7200;
export const REFRESH_TTL_MS = 30 * 24 * 3600_000;

const wx = (code: AppError['code'], message: string, wxErrcode: number) => new AppError(code, message, { wxErrcode });

export interface SnsToken {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  openid: string;
  scope: OAuthScope;
  unionid: string;
}

export interface SnsUserInfo {
  openid: string;
  nickname: string;
  sex: number;
  province: string;
  city: string;
  country: string;
  headimgurl: string;
  privilege: string[];
  unionid: string;
}

export interface SnsDeps {
  db: Db;
  accounts: Pick<AccountsService, 'findByAppId' | 'findById'>;
  followers: Pick<FollowersService, 'ensureIdentity'>;
  identity: Pick<IdentityService, 'sharedProfile'>;
  publicUrl: string;
}

export type SnsService = ReturnType<typeof createSnsService>;

/**
 * OAuth2 web login, the merchant server's side (`/sns/*`): code → tokens, refresh, userinfo, auth.
 * The caller proves itself with appid + secret (code exchange) or holds a token; ctx is anonymous.
 * unionid is always returned: every account belongs to an organisation, which is its open platform.
 */
export function createSnsService(deps: SnsDeps) {
  const { db, accounts, followers, identity } = deps;

  async function account(appid: string | undefined): Promise<AccountRow> {
    const a = appid ? await accounts.findByAppId(appid) : undefined;
    if (!a || a.status !== 'active') throw wx('not_found', 'invalid appid', 40013);
    return a;
  }

  async function issueTokens(a: AccountRow, consumerId: string, scope: OAuthScope, refreshToken?: string): Promise<SnsToken> {
    const { openid, unionid } = await followers.ensureIdentity(db, a.id, a.org_id, consumerId);
    const access = newToken(86);
    const base = { account_id: a.id, consumer_id: consumerId, openid, scope };
    const rows: Insertable<OAuthTokensTable>[] = [{ ...base, token_hash: sha256(access), kind: 'access', expires_at: new Date(Date.now() + ACCESS_TTL_S * 1000) }];
    const refresh = refreshToken ?? newToken(86);
    if (!refreshToken) rows.push({ ...base, token_hash: sha256(refresh), kind: 'refresh', expires_at: new Date(Date.now() + REFRESH_TTL_MS) });
    await db.insertInto('oauth_tokens').values(rows).execute();
    return { access_token: access, expires_in: ACCESS_TTL_S, refresh_token: refresh, openid, scope, unionid };
  }

  /** A web access token of the given openid: unknown 40001, expired 42001, another openid 40003. */
  async function accessToken(token: string | undefined, openid: string | undefined) {
    if (!token) throw wx('unauthenticated', 'access_token missing', 41001);
    const row = await db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', sha256(token)).where('kind', '=', 'access').executeTakeFirst();
    if (!row) throw wx('unauthenticated', 'invalid credential, access_token is invalid or not latest', 40001);
    if (row.expires_at.getTime() <= Date.now()) throw wx('unauthenticated', 'access_token expired', 42001);
    if (!openid || openid !== row.openid) throw wx('not_found', 'invalid openid', 40003);
    return row;
  }

  return {
    /** `/sns/oauth2/access_token`: a code is single use (40163 after), 5 minutes, for its own appid. */
    async exchangeCode(_ctx: RequestContext, q: { appid?: string | undefined; secret?: string | undefined; code?: string | undefined; grant_type?: string | undefined }): Promise<SnsToken> {
      const a = await account(q.appid);
      if (!q.secret || !sameSecret(a.appsecret, q.secret)) throw wx('unauthenticated', 'invalid appsecret', 40125);
      if (q.grant_type !== 'authorization_code') throw wx('invalid_argument', 'invalid grant_type', 40002);
      if (!q.code) throw wx('invalid_argument', 'missing code', 41008);
      const hash = sha256(q.code);
      const used = await db
        .updateTable('oauth_codes')
        .set({ used_at: new Date() })
        .where('code_hash', '=', hash)
        .where('account_id', '=', a.id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', new Date())
        .returningAll()
        .executeTakeFirst();
      if (!used) {
        const row = await db.selectFrom('oauth_codes').select(['used_at']).where('code_hash', '=', hash).where('account_id', '=', a.id).executeTakeFirst();
        // An expired code is simply invalid (WeChat answers 40029 rather than 42003 for it).
        if (row?.used_at) throw wx('invalid_argument', 'code been used', 40163);
        throw wx('invalid_argument', 'invalid code', 40029);
      }
      return issueTokens(a, used.consumer_id, used.scope);
    },

    /** `/sns/oauth2/refresh_token`: a new access token; the refresh token itself stays (30 days). */
    async refresh(_ctx: RequestContext, q: { appid?: string | undefined; grant_type?: string | undefined; refresh_token?: string | undefined }): Promise<SnsToken> {
      const a = await account(q.appid);
      if (q.grant_type !== 'refresh_token') throw wx('invalid_argument', 'invalid grant_type', 40002);
      if (!q.refresh_token) throw wx('invalid_argument', 'missing refresh_token', 41003);
      const row = await db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', sha256(q.refresh_token)).where('kind', '=', 'refresh').where('account_id', '=', a.id).executeTakeFirst();
      if (!row) throw wx('invalid_argument', 'invalid refresh_token', 40030);
      if (row.expires_at.getTime() <= Date.now()) throw wx('unauthenticated', 'refresh_token expired', 42002);
      return issueTokens(a, row.consumer_id, row.scope, q.refresh_token);
    },

    /** `/sns/userinfo`: only for snsapi_userinfo tokens (48001 otherwise). */
    async userinfo(_ctx: RequestContext, q: { access_token?: string | undefined; openid?: string | undefined }): Promise<SnsUserInfo> {
      const row = await accessToken(q.access_token, q.openid);
      if (row.scope !== 'snsapi_userinfo') throw wx('permission_denied', 'api unauthorized: the token has scope snsapi_base', 48001);
      const a = await accounts.findById(row.account_id);
      if (!a) throw wx('unauthenticated', 'invalid credential', 40001);
      const { unionid } = await followers.ensureIdentity(db, a.id, a.org_id, row.consumer_id);
      const p = await identity.sharedProfile(row.consumer_id);
      const avatar = p.avatarUrl ?? '';
      return {
        openid: row.openid,
        nickname: p.nickname,
        sex: p.sex,
        province: p.province,
        city: p.city,
        country: p.country,
        headimgurl: avatar.startsWith('/') ? `${deps.publicUrl}${avatar}` : avatar,
        privilege: [],
        unionid,
      };
    },

    /** `/sns/auth`: whether the token is valid for this openid. */
    async check(_ctx: RequestContext, q: { access_token?: string | undefined; openid?: string | undefined }): Promise<void> {
      await accessToken(q.access_token, q.openid);
    },
  };
}
