import { timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context.ts';
import { requireOrg } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { parseIpAllowlist } from './ip-allowlist.ts';
import type { CacheBus } from '../../platform/cache.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newAppId, newAppSecret, newId, newOriginalId, randomString } from '../../platform/ids.ts';
import type { AccountType, MsgMode, OfficialAccountsTable } from './tables.ts';
import './tables.ts';

export type AccountRow = Selectable<OfficialAccountsTable>;

/** Checks a callback URL answers the echostr handshake; resolves to an error message or undefined. */
export type CallbackVerifier = (url: string, token: string) => Promise<string | undefined>;

export const EncodingAESKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'EncodingAESKey must be 43 letters or digits');
export const CallbackToken = z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'Token must be 3–32 letters or digits');

/** A web-page or JS-SDK domain: a lowercase hostname with an optional port, no scheme or path. */
export const WebDomain = z.string().trim().toLowerCase().max(253).regex(/^[a-z0-9.-]+(:\d+)?$/, 'a domain is a hostname with an optional port, e.g. shop.example.com or 127.0.0.1:8080');

export const generateEncodingAESKey = () => randomString(43);

export interface CallbackInput {
  url: string | null;
  token: string;
  encodingAESKey: string;
  mode: MsgMode;
}

export const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface AccountView {
  id: string;
  orgId: string;
  name: string;
  originalId: string;
  type: AccountType;
  avatarUrl: string | null;
  description: string;
  appid: string;
  callbackUrl: string | null;
  token: string;
  encodingAESKey: string;
  msgMode: MsgMode;
  welcomeMessage: string | null;
  webDomain: string | null;
  jssdkDomain: string | null;
  ipAllowlist: string[];
  status: 'active' | 'suspended';
  createdAt: Date;
}

export interface PublicAccountView {
  id: string;
  name: string;
  type: AccountType;
  avatarUrl: string | null;
  description: string;
  originalId: string;
  /** 'suspended': the platform operator suspended it; the client shows it unavailable (issue 6). */
  status?: 'active' | 'suspended';
}

export const presentAccount = (a: AccountRow): AccountView => ({
  id: a.id,
  orgId: a.org_id,
  name: a.name,
  originalId: a.original_id,
  type: a.type,
  avatarUrl: a.avatar_url,
  description: a.description,
  appid: a.appid,
  callbackUrl: a.callback_url,
  token: a.token,
  encodingAESKey: a.encoding_aes_key,
  msgMode: a.msg_mode,
  welcomeMessage: a.welcome_message,
  webDomain: a.web_domain,
  jssdkDomain: a.jssdk_domain,
  ipAllowlist: a.ip_allowlist,
  status: a.status,
  createdAt: a.created_at,
});

export const presentPublicAccount = (a: Pick<AccountRow, 'id' | 'name' | 'type' | 'avatar_url' | 'description' | 'original_id'> & { status?: AccountRow['status'] }): PublicAccountView => ({
  ...(a.status ? { status: a.status } : {}),
  id: a.id,
  name: a.name,
  type: a.type,
  avatarUrl: a.avatar_url,
  description: a.description,
  originalId: a.original_id,
});

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(db: Db, verifyCallback: CallbackVerifier, caches: CacheBus) {
  /** Account rows are read on every message and push; writers below invalidate them. */
  const byId = caches.cache<AccountRow>('account', 60_000);
  const idByAppId = new Map<string, string>();

  async function ownAccount(ctx: RequestContext, accountId: string): Promise<AccountRow> {
    const orgId = requireOrg(ctx);
    if (ctx.actor.kind === 'app' && ctx.actor.accountId !== accountId) throw notFound('account');
    const row = await db.selectFrom('official_accounts').selectAll().where('id', '=', accountId).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw notFound('account');
    return row;
  }

  /** Validates, runs the echostr handshake against a non-empty URL, and only then saves. */
  async function configureCallback(accountId: string, input: CallbackInput): Promise<void> {
    const token = CallbackToken.parse(input.token);
    const aesKey = EncodingAESKey.parse(input.encodingAESKey);
    let url: string | null = null;
    if (input.url) {
      url = z.url({ protocol: /^https?$/ }).parse(input.url);
      const problem = await verifyCallback(url, token);
      if (problem) throw new AppError('failed_precondition', `callback URL verification failed: ${problem}`, { wxErrcode: 47001 });
    }
    await db.updateTable('official_accounts').set({ callback_url: url, token, encoding_aes_key: aesKey, msg_mode: input.mode }).where('id', '=', accountId).execute();
    await byId.invalidate(db, accountId);
  }

  return {
    ownAccount,

    async create(ctx: RequestContext, input: { name: string; type: AccountType; description?: string | undefined; avatarUrl?: string | null | undefined }) {
      const orgId = requirePermission(ctx, 'settings');
      const name = z.string().trim().min(2).max(30).parse(input.name);
      const row = await db
        .insertInto('official_accounts')
        .values({
          id: newId('acc'),
          org_id: orgId,
          name,
          original_id: newOriginalId(),
          type: input.type,
          description: input.description ?? '',
          avatar_url: input.avatarUrl ?? null,
          appid: newAppId(),
          appsecret: newAppSecret(),
          token: randomString(32),
          encoding_aes_key: generateEncodingAESKey(),
          welcome_message: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...presentAccount(row), appsecret: row.appsecret };
    },

    async list(ctx: RequestContext): Promise<AccountView[]> {
      const orgId = requireOrg(ctx);
      const rows = await db.selectFrom('official_accounts').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
      return rows.map(presentAccount);
    },

    async get(ctx: RequestContext, accountId: string): Promise<AccountView> {
      return presentAccount(await ownAccount(ctx, accountId));
    },

    async updateProfile(ctx: RequestContext, accountId: string, patch: { name?: string | undefined; description?: string | undefined; avatarUrl?: string | null | undefined; welcomeMessage?: string | null | undefined }) {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const set: Partial<{ name: string; description: string; avatar_url: string | null; welcome_message: string | null }> = {};
      if (patch.name !== undefined) set.name = z.string().trim().min(2).max(30).parse(patch.name);
      if (patch.description !== undefined) set.description = z.string().max(120).parse(patch.description);
      if (patch.avatarUrl !== undefined) set.avatar_url = patch.avatarUrl;
      if (patch.welcomeMessage !== undefined) set.welcome_message = patch.welcomeMessage === null ? null : z.string().max(600).parse(patch.welcomeMessage);
      if (Object.keys(set).length > 0) {
        await db.updateTable('official_accounts').set(set).where('id', '=', accountId).execute();
        await byId.invalidate(db, accountId);
      }
      return this.get(ctx, accountId);
    },

    /** Sets the web-page (OAuth redirect) and JS-SDK domains; `null` clears one, `undefined` keeps it. */
    async setDomains(ctx: RequestContext, accountId: string, input: { webDomain?: string | null | undefined; jssdkDomain?: string | null | undefined }): Promise<AccountView> {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const set: { web_domain?: string | null; jssdk_domain?: string | null } = {};
      if (input.webDomain !== undefined) set.web_domain = input.webDomain === null ? null : WebDomain.parse(input.webDomain);
      if (input.jssdkDomain !== undefined) set.jssdk_domain = input.jssdkDomain === null ? null : WebDomain.parse(input.jssdkDomain);
      if (Object.keys(set).length > 0) {
        await db.updateTable('official_accounts').set(set).where('id', '=', accountId).execute();
        await byId.invalidate(db, accountId);
      }
      return this.get(ctx, accountId);
    },

    /** Sets the addresses allowed to call the OA API with this account's credentials ([] allows any). */
    async setIpAllowlist(ctx: RequestContext, accountId: string, ips: readonly string[]): Promise<AccountView> {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const list = parseIpAllowlist(ips);
      await db.updateTable('official_accounts').set({ ip_allowlist: list }).where('id', '=', accountId).execute();
      await byId.invalidate(db, accountId);
      return this.get(ctx, accountId);
    },

    /** A new appsecret; the old one stops working at once. Returned once, here. */
    async resetSecret(ctx: RequestContext, accountId: string): Promise<{ appsecret: string }> {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const appsecret = newAppSecret();
      await db.updateTable('official_accounts').set({ appsecret }).where('id', '=', accountId).execute();
      await byId.invalidate(db, accountId);
      return { appsecret };
    },

    async revealSecret(ctx: RequestContext, accountId: string): Promise<{ appsecret: string }> {
      requirePermission(ctx, 'settings');
      return { appsecret: (await ownAccount(ctx, accountId)).appsecret };
    },

    /**
     * Sets the server configuration. A non-empty URL must pass the echostr handshake with the new
     * token before anything is saved.
     */
    async setCallback(ctx: RequestContext, accountId: string, input: CallbackInput) {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      await configureCallback(accountId, input);
      return this.get(ctx, accountId);
    },

    /**
     * The same, for a developer holding the appid and appsecret (the sandbox simulator): the secret
     * stands for the account's owner.
     */
    async setCallbackWithSecret(_ctx: RequestContext, appid: string, appsecret: string, input: Partial<Pick<CallbackInput, 'token' | 'encodingAESKey'>> & Omit<CallbackInput, 'token' | 'encodingAESKey'>): Promise<AccountView> {
      const account = await this.accountBySecret(appid, appsecret);
      await configureCallback(account.id, { ...input, token: input.token ?? account.token, encodingAESKey: input.encodingAESKey ?? account.encoding_aes_key });
      return presentAccount(await db.selectFrom('official_accounts').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow());
    },

    /** Consumer-facing search; a suspended account shows (with its status) only to a search for its name or id. */
    async search(_ctx: RequestContext, q: string, limit = 20): Promise<PublicAccountView[]> {
      const term = q.trim();
      let query = db
        .selectFrom('official_accounts')
        .select(['id', 'name', 'type', 'avatar_url', 'description', 'original_id', 'status']);
      if (!term) query = query.where('status', '=', 'active');
      if (term) {
        const like = `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('description', 'ilike', like), eb('original_id', '=', term)]));
      }
      const rows = await query.orderBy('name').limit(limit).execute();
      return rows.map(presentPublicAccount);
    },

    async publicView(_ctx: RequestContext, accountId: string): Promise<PublicAccountView> {
      const row = await db
        .selectFrom('official_accounts')
        .select(['id', 'name', 'type', 'avatar_url', 'description', 'original_id', 'status'])
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw notFound('account');
      return presentPublicAccount(row);
    },

    /** The account whose appid and appsecret these are (the OA credential check), or WeChat's error. */
    async accountBySecret(appid: string | undefined, secret: string | undefined): Promise<AccountRow> {
      if (!appid) throw new AppError('invalid_argument', 'appid missing', { wxErrcode: 41002 });
      if (!secret) throw new AppError('invalid_argument', 'appsecret missing', { wxErrcode: 41004 });
      const account = await this.findByAppId(appid);
      if (!account) throw new AppError('not_found', 'invalid appid', { wxErrcode: 40013 });
      if (!sameSecret(account.appsecret, secret)) throw new AppError('unauthenticated', 'invalid appsecret', { wxErrcode: 40125 });
      return account;
    },

    /** Internal lookups for authentication and delivery (not tenant-facing). */
    async findByAppId(appid: string): Promise<AccountRow | undefined> {
      // An appid never changes owner, so appid → id is cached for good; the row itself comes through the
      // NOTIFY-invalidated byId cache (so a reset appsecret or a suspension is seen at once everywhere).
      const id = idByAppId.get(appid);
      if (id !== undefined) {
        const row = await byId.getOrLoad(id, () => db.selectFrom('official_accounts').selectAll().where('id', '=', id).executeTakeFirst());
        if (row?.appid === appid) return row;
        idByAppId.delete(appid);
      }
      const row = await db.selectFrom('official_accounts').selectAll().where('appid', '=', appid).executeTakeFirst();
      if (row) {
        if (idByAppId.size >= 100_000) idByAppId.clear();
        idByAppId.set(appid, row.id);
      }
      return row;
    },
    async findById(accountId: string): Promise<AccountRow | undefined> {
      return byId.getOrLoad(accountId, () => db.selectFrom('official_accounts').selectAll().where('id', '=', accountId).executeTakeFirst());
    },

    async addAutoReply(ctx: RequestContext, accountId: string, input: { match: 'exact' | 'contains' | 'default'; keyword?: string | undefined; replyText: string }) {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const replyText = z.string().min(1).max(600).parse(input.replyText);
      const keyword = input.match === 'default' ? '' : z.string().trim().min(1).max(30).parse(input.keyword ?? '');
      const row = await db
        .insertInto('auto_reply_rules')
        .values({ id: newId('arr'), account_id: accountId, match: input.match, keyword, reply_text: replyText })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { id: row.id, match: row.match, keyword: row.keyword, replyText: row.reply_text };
    },

    /** Changes a rule in place (it keeps its place in the matching order). */
    async updateAutoReply(ctx: RequestContext, accountId: string, ruleId: string, input: { match: 'exact' | 'contains' | 'default'; keyword?: string | undefined; replyText: string }) {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const replyText = z.string().min(1).max(600).parse(input.replyText);
      const keyword = input.match === 'default' ? '' : z.string().trim().min(1).max(30).parse(input.keyword ?? '');
      const row = await db.updateTable('auto_reply_rules').set({ match: input.match, keyword, reply_text: replyText }).where('id', '=', ruleId).where('account_id', '=', accountId).returningAll().executeTakeFirst();
      if (!row) throw notFound('auto-reply rule');
      return { id: row.id, match: row.match, keyword: row.keyword, replyText: row.reply_text };
    },

    async listAutoReplies(ctx: RequestContext, accountId: string) {
      await ownAccount(ctx, accountId);
      const rows = await db.selectFrom('auto_reply_rules').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, match: r.match, keyword: r.keyword, replyText: r.reply_text }));
    },

    async deleteAutoReply(ctx: RequestContext, accountId: string, ruleId: string) {
      requirePermission(ctx, 'settings');
      await ownAccount(ctx, accountId);
      const res = await db.deleteFrom('auto_reply_rules').where('id', '=', ruleId).where('account_id', '=', accountId).executeTakeFirst();
      if (res.numDeletedRows === 0n) throw notFound('auto-reply rule');
    },

    /** The auto-reply for a consumer's text (exact beats contains beats default), for accounts without a callback. */
    async matchAutoReply(executor: DbOrTx, accountId: string, text: string): Promise<string | undefined> {
      const rules = await executor.selectFrom('auto_reply_rules').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
      const t = text.trim();
      return (
        rules.find((r) => r.match === 'exact' && r.keyword === t) ??
        rules.find((r) => r.match === 'contains' && t.includes(r.keyword)) ??
        rules.find((r) => r.match === 'default')
      )?.reply_text;
    },
  };
}
