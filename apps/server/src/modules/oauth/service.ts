import { createHash } from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, randomString } from '../../platform/ids.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import { checkAuthorize, redirectWith, type AuthorizeQuery, type CheckedAuthorize } from './authorize.ts';
import type { OAuthScope } from './tables.ts';
import './tables.ts';

export const CODE_TTL_MS = 5 * 60_000;
export const REQUEST_TTL_MS = 10 * 60_000;
export const SHARED_FIELDS = ['nickname', 'avatar', 'sex', 'region'] as const;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface ConsentView {
  account: { id: string; name: string; avatarUrl: string | null; description: string };
  scope: OAuthScope;
  redirectHost: string;
  fields: (typeof SHARED_FIELDS)[number][];
}

/** What `/connect/oauth2/authorize` does next for a signed-in consumer. */
export type AuthorizeOutcome = { kind: 'redirect'; location: string; code: string } | { kind: 'consent'; requestId: string };

export interface OAuthDeps {
  db: Db;
  accounts: Pick<AccountsService, 'findByAppId' | 'findById'>;
}

export type OAuthService = ReturnType<typeof createOAuthService>;

/**
 * OAuth2 web login, the consumer's side: checks an authorize request, asks for consent for
 * snsapi_userinfo (remembered per account), and issues single-use 5-minute codes. The merchant's
 * side (code exchange, tokens, userinfo) is in sns.ts.
 */
export function createOAuthService(deps: OAuthDeps) {
  const { db, accounts } = deps;

  async function issueCode(executor: DbOrTx, accountId: string, consumerId: string, scope: OAuthScope): Promise<string> {
    const code = randomString(32);
    await executor
      .insertInto('oauth_codes')
      .values({ code_hash: sha256(code), account_id: accountId, consumer_id: consumerId, scope, expires_at: new Date(Date.now() + CODE_TTL_MS), used_at: null })
      .execute();
    return code;
  }

  async function hasGrant(accountId: string, consumerId: string): Promise<boolean> {
    const g = await db.selectFrom('oauth_grants').select('scope').where('account_id', '=', accountId).where('consumer_id', '=', consumerId).where('scope', '=', 'snsapi_userinfo').executeTakeFirst();
    return g !== undefined;
  }

  /** The consumer's own pending request, unexpired; any other is not found. */
  async function ownRequest(ctx: RequestContext, requestId: string) {
    const consumerId = requireConsumer(ctx);
    const row = await db.selectFrom('oauth_requests').selectAll().where('id', '=', requestId).where('consumer_id', '=', consumerId).executeTakeFirst();
    if (!row || row.expires_at.getTime() <= Date.now()) throw notFound('authorization request');
    return row;
  }

  return {
    /** The account behind an appid and the checked parameters; unknown appid is 40013. */
    async check(_ctx: RequestContext, q: AuthorizeQuery): Promise<{ account: AccountRow; checked: CheckedAuthorize }> {
      if (!q.appid) throw new AppError('invalid_argument', 'appid is missing', { wxErrcode: 10012 });
      const account = await accounts.findByAppId(q.appid);
      if (!account || account.status !== 'active') throw new AppError('invalid_argument', `invalid appid ${q.appid}: no such official account`, { wxErrcode: 40013 });
      return { account, checked: checkAuthorize(q, account.web_domain) };
    },

    /** Base scope, or userinfo already granted: a code at once. Otherwise a consent request. */
    async authorize(ctx: RequestContext, account: AccountRow, checked: CheckedAuthorize): Promise<AuthorizeOutcome> {
      const consumerId = requireConsumer(ctx);
      if (checked.scope === 'snsapi_base' || (await hasGrant(account.id, consumerId))) {
        const code = await issueCode(db, account.id, consumerId, checked.scope);
        return { kind: 'redirect', code, location: redirectWith(checked.redirectUri, { code, state: checked.state }) };
      }
      const id = newId('oar');
      await db
        .insertInto('oauth_requests')
        .values({ id, account_id: account.id, consumer_id: consumerId, scope: checked.scope, redirect_uri: checked.redirectUri, state: checked.state, expires_at: new Date(Date.now() + REQUEST_TTL_MS) })
        .execute();
      return { kind: 'consent', requestId: id };
    },

    /** For the consent page: who asks, for what, and where the consumer goes next. */
    async consentView(ctx: RequestContext, requestId: string): Promise<ConsentView> {
      const req = await ownRequest(ctx, requestId);
      const account = await accounts.findById(req.account_id);
      if (!account) throw notFound('authorization request');
      return {
        account: { id: account.id, name: account.name, avatarUrl: account.avatar_url, description: account.description },
        scope: req.scope,
        redirectHost: new URL(req.redirect_uri).host,
        fields: [...SHARED_FIELDS],
      };
    },

    /** Records the grant and answers with the redirect carrying a code. A request is used once. */
    async approve(ctx: RequestContext, requestId: string): Promise<{ redirect: string; code: string }> {
      const req = await ownRequest(ctx, requestId);
      return db.transaction().execute(async (tx) => {
        const gone = await tx.deleteFrom('oauth_requests').where('id', '=', req.id).executeTakeFirst();
        if (gone.numDeletedRows === 0n) throw notFound('authorization request');
        await tx
          .insertInto('oauth_grants')
          .values({ account_id: req.account_id, consumer_id: req.consumer_id, scope: req.scope })
          .onConflict((oc) => oc.columns(['account_id', 'consumer_id', 'scope']).doNothing())
          .execute();
        const code = await issueCode(tx, req.account_id, req.consumer_id, req.scope);
        return { code, redirect: redirectWith(req.redirect_uri, { code, state: req.state }) };
      });
    },

    /** Refusal: back to the page with the state and no code, as WeChat does. */
    /** When the consumer shared their profile (snsapi_userinfo) with the account, or null. */
    async profileSharedAt(ctx: RequestContext, accountId: string): Promise<Date | null> {
      const consumerId = requireConsumer(ctx);
      const g = await db.selectFrom('oauth_grants').select('granted_at').where('account_id', '=', accountId).where('consumer_id', '=', consumerId).where('scope', '=', 'snsapi_userinfo').executeTakeFirst();
      return g?.granted_at ?? null;
    },

    /**
     * The consumer stops sharing their profile: the grant goes, and so do the account's web tokens for
     * them, so the next userinfo login asks again and no issued token reads the profile any more.
     */
    async revokeProfile(ctx: RequestContext, accountId: string): Promise<void> {
      const consumerId = requireConsumer(ctx);
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('oauth_grants').where('account_id', '=', accountId).where('consumer_id', '=', consumerId).execute();
        await tx.deleteFrom('oauth_tokens').where('account_id', '=', accountId).where('consumer_id', '=', consumerId).execute();
      });
    },

    async deny(ctx: RequestContext, requestId: string): Promise<{ redirect: string }> {
      const req = await ownRequest(ctx, requestId);
      const gone = await db.deleteFrom('oauth_requests').where('id', '=', req.id).executeTakeFirst();
      if (gone.numDeletedRows === 0n) throw notFound('authorization request');
      return { redirect: redirectWith(req.redirect_uri, { state: req.state }) };
    },

    /** The sandbox simulator: authorise as the consumer, consenting directly for userinfo. */
    async authorizeAndApprove(ctx: RequestContext, q: AuthorizeQuery): Promise<{ redirect: string; code: string }> {
      const { account, checked } = await this.check(ctx, q);
      const outcome = await this.authorize(ctx, account, checked);
      if (outcome.kind === 'redirect') return { redirect: outcome.location, code: outcome.code };
      return this.approve(ctx, outcome.requestId);
    },
  };
}
