import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newToken } from '../../platform/ids.ts';
import { consumeQuota } from './quota.ts';
import type { AccountRow } from './service.ts';

export const TOKEN_TTL_S = 7200;
/** A refreshed token leaves the previous one valid this much longer. */
export const TOKEN_GRACE_MS = 5 * 60_000;
const STABLE_FORCE_MIN_INTERVAL_MS = 30_000;
const TOKEN_RE = /^[A-Za-z0-9_-]{96,160}$/;

export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

export interface TokenOwner {
  accountId: string;
  orgId: string;
}


export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(db: Db, accountBySecret: (appid: string | undefined, secret: string | undefined) => Promise<AccountRow>) {
  async function checkCredentials(appid: string | undefined, secret: string | undefined): Promise<AccountRow> {
    const account = await accountBySecret(appid, secret);
    if (account.status !== 'active') throw new AppError('permission_denied', 'api unauthorized: account suspended', { wxErrcode: 48001 });
    return account;
  }

  async function mint(accountId: string, lineage: 'client' | 'stable'): Promise<IssuedToken> {
    const token = newToken(128);
    const now = Date.now();
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('access_tokens')
        .set({ expires_at: new Date(now + TOKEN_GRACE_MS) })
        .where('account_id', '=', accountId)
        .where('lineage', '=', lineage)
        .where('expires_at', '>', new Date(now + TOKEN_GRACE_MS))
        .execute();
      await tx.insertInto('access_tokens').values({ token, account_id: accountId, lineage, expires_at: new Date(now + TOKEN_TTL_S * 1000) }).execute();
    });
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  return {
    /** `GET /cgi-bin/token`: always a new token; the previous one keeps 5 minutes of grace. */
    async clientCredential(appid: string | undefined, secret: string | undefined): Promise<IssuedToken> {
      const account = await checkCredentials(appid, secret);
      await consumeQuota(db, account.id, 'token');
      return mint(account.id, 'client');
    },

    /** `POST /cgi-bin/stable_token`: the current stable token unless force_refresh (20/day, 30 s apart). */
    async stable(appid: string | undefined, secret: string | undefined, forceRefresh: boolean): Promise<IssuedToken> {
      const account = await checkCredentials(appid, secret);
      await consumeQuota(db, account.id, 'stable_token');
      const current = await db
        .selectFrom('access_tokens')
        .select(['token', 'issued_at', 'expires_at'])
        .where('account_id', '=', account.id)
        .where('lineage', '=', 'stable')
        .orderBy('issued_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const now = Date.now();
      const valid = current && current.expires_at.getTime() - now > TOKEN_GRACE_MS;
      if (forceRefresh) {
        if (current && now - current.issued_at.getTime() < STABLE_FORCE_MIN_INTERVAL_MS) {
          throw new AppError('rate_limited', 'force_refresh too frequent, retry after 30 seconds', { wxErrcode: 45011 });
        }
        await consumeQuota(db, account.id, 'stable_token_force');
        return mint(account.id, 'stable');
      }
      if (valid) return { access_token: current.token, expires_in: Math.floor((current.expires_at.getTime() - now) / 1000) };
      return mint(account.id, 'stable');
    },

    /** Resolves an access_token to its account or throws the WeChat error a client expects. */
    async authenticate(token: string | undefined): Promise<TokenOwner> {
      if (!token) throw new AppError('unauthenticated', 'access_token missing', { wxErrcode: 41001 });
      if (!TOKEN_RE.test(token)) throw new AppError('unauthenticated', 'invalid access_token', { wxErrcode: 40014 });
      const row = await db
        .selectFrom('access_tokens')
        .innerJoin('official_accounts', 'official_accounts.id', 'access_tokens.account_id')
        .select(['access_tokens.expires_at', 'official_accounts.id as account_id', 'official_accounts.org_id', 'official_accounts.status'])
        .where('access_tokens.token', '=', token)
        .executeTakeFirst();
      if (!row) throw new AppError('unauthenticated', 'invalid credential, access_token is invalid or not latest', { wxErrcode: 40001 });
      if (row.expires_at.getTime() <= Date.now()) throw new AppError('unauthenticated', 'access_token expired', { wxErrcode: 42001 });
      if (row.status !== 'active') throw new AppError('permission_denied', 'api unauthorized: account suspended', { wxErrcode: 48001 });
      return { accountId: row.account_id, orgId: row.org_id };
    },
  };
}
