import { sql } from 'kysely';
import { z } from 'zod';
import type { CacheBus } from '../../platform/cache.ts';
import { requireOperator, type RequestContext } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { cstDate } from '../../platform/time.ts';
import { DAILY_LIMITS } from '../accounts/quota.ts';
import type { OrgStatus } from '../identity/tables.ts';
import '../accounts/tables.ts';
import '../paymerchants/tables.ts';

export interface QuotaView { api: string; used: number; limit: number | null }
export interface OperatorAccountView { id: string; name: string; appid: string; type: string; status: 'active' | 'suspended'; quotas: QuotaView[] }
export interface OperatorOrgView {
  id: string;
  name: string;
  status: OrgStatus;
  statusNote: string;
  createdAt: Date;
  reviewedAt: Date | null;
  owners: string[];
  payAccount: { mchId: string; appid: string } | null;
  accounts: OperatorAccountView[];
}

const notFound = () => new AppError('not_found', 'organisation not found');
const Note = z.string().trim().max(500);

/** The APIs whose daily quota an operator sees for every account (zero when unused today). */
const SHOWN_QUOTAS = ['token', 'stable_token', 'template_send'] as const;

export type OperatorMerchantsService = ReturnType<typeof createOperatorMerchantsService>;

/** Operators review, approve, suspend and unsuspend organisations and official accounts (issue 6). */
export function createOperatorMerchantsService(deps: { db: Db; caches: CacheBus }) {
  const { db, caches } = deps;

  /** Account rows are cached by id (accounts service): drop them here and in every instance. */
  async function dropAccountCache(executor: DbOrTx, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      caches.evict('account', id);
      await caches.announce(executor, 'account', id);
    }
  }

  async function orgs(orgIds: readonly string[] | undefined, status: OrgStatus | undefined): Promise<OperatorOrgView[]> {
    let q = db.selectFrom('organizations').selectAll().orderBy('created_at', 'desc').limit(200);
    if (orgIds) q = q.where('id', 'in', orgIds.length ? orgIds : ['']);
    if (status) q = q.where('status', '=', status);
    const rows = await q.execute();
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return [];
    const [owners, pays, accounts, usage] = await Promise.all([
      db.selectFrom('merchant_users').select(['org_id', 'email']).where('org_id', 'in', ids).where('role', '=', 'owner').orderBy('created_at').execute(),
      db.selectFrom('pay_merchants').select(['org_id', 'mch_id', 'appid']).where('org_id', 'in', ids).execute(),
      db.selectFrom('official_accounts').select(['id', 'org_id', 'name', 'appid', 'type', 'status']).where('org_id', 'in', ids).orderBy('created_at').execute(),
      db
        .selectFrom('api_quota_usage')
        .innerJoin('official_accounts', 'official_accounts.id', 'api_quota_usage.account_id')
        .select(['api_quota_usage.account_id', 'api_quota_usage.api', 'api_quota_usage.count'])
        .where('official_accounts.org_id', 'in', ids)
        .where('api_quota_usage.day', '=', sql<Date>`cast(${cstDate()} as date)`)
        .execute(),
    ]);
    return rows.map((o) => ({
      id: o.id,
      name: o.name,
      status: o.status,
      statusNote: o.status_note,
      createdAt: o.created_at,
      reviewedAt: o.reviewed_at,
      owners: owners.filter((u) => u.org_id === o.id).map((u) => u.email),
      payAccount: ((p) => (p ? { mchId: p.mch_id, appid: p.appid } : null))(pays.find((p) => p.org_id === o.id)),
      accounts: accounts
        .filter((a) => a.org_id === o.id)
        .map((a) => {
          const used = usage.filter((u) => u.account_id === a.id);
          const apis = [...new Set([...SHOWN_QUOTAS, ...used.map((u) => u.api)])];
          return {
            id: a.id,
            name: a.name,
            appid: a.appid,
            type: a.type,
            status: a.status,
            quotas: apis.map((api) => ({ api, used: used.find((u) => u.api === api)?.count ?? 0, limit: DAILY_LIMITS[api] ?? null })),
          };
        }),
    }));
  }

  async function setOrgStatus(ctx: RequestContext, orgId: string, to: OrgStatus, from: readonly OrgStatus[], note: string, accountsTo?: 'active' | 'suspended'): Promise<OperatorOrgView> {
    requireOperator(ctx);
    const text = Note.parse(note);
    await db.transaction().execute(async (tx) => {
      const org = await tx.selectFrom('organizations').select('status').where('id', '=', orgId).forUpdate().executeTakeFirst();
      if (!org) throw notFound();
      if (!from.includes(org.status)) throw new AppError('failed_precondition', `the organisation is ${org.status}`, { details: { reason: 'BAD_STATUS', status: org.status } });
      await tx.updateTable('organizations').set({ status: to, status_note: text, reviewed_at: new Date() }).where('id', '=', orgId).execute();
      if (accountsTo) {
        const changed = await tx.updateTable('official_accounts').set({ status: accountsTo }).where('org_id', '=', orgId).returning('id').execute();
        await dropAccountCache(tx, changed.map((a) => a.id));
      }
    });
    const [view] = await orgs([orgId], undefined);
    if (!view) throw notFound();
    return view;
  }

  return {
    dropAccountCache,

    /** The signed-in operator. */
    async whoami(ctx: RequestContext): Promise<{ id: string; email: string }> {
      const id = requireOperator(ctx);
      const row = await db.selectFrom('operators').select(['id', 'email']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('unauthenticated', 'sign in as an operator first');
      return row;
    },

    async list(ctx: RequestContext, filter: { status?: OrgStatus | undefined } = {}): Promise<OperatorOrgView[]> {
      requireOperator(ctx);
      return orgs(undefined, filter.status);
    },

    async get(ctx: RequestContext, orgId: string): Promise<OperatorOrgView> {
      requireOperator(ctx);
      const [view] = await orgs([orgId], undefined);
      if (!view) throw notFound();
      return view;
    },

    /** Pending → approved: the organisation may take payments from now on. */
    approve: (ctx: RequestContext, orgId: string, note = '') => setOrgStatus(ctx, orgId, 'approved', ['pending'], note),

    /** Suspends the organisation and every one of its official accounts (API calls refused, payments refused). */
    suspend: (ctx: RequestContext, orgId: string, note = '') => setOrgStatus(ctx, orgId, 'suspended', ['pending', 'approved'], note, 'suspended'),

    /** Lifts an organisation's suspension: it is approved again and its accounts active. */
    unsuspend: (ctx: RequestContext, orgId: string, note = '') => setOrgStatus(ctx, orgId, 'approved', ['suspended'], note, 'active'),

    /** Suspends or reactivates one official account. */
    async setAccountStatus(ctx: RequestContext, accountId: string, status: 'active' | 'suspended', executor?: DbOrTx): Promise<{ id: string; status: 'active' | 'suspended' }> {
      requireOperator(ctx);
      const run = async (tx: DbOrTx) => {
        const row = await tx.updateTable('official_accounts').set({ status }).where('id', '=', accountId).returning(['id', 'status']).executeTakeFirst();
        if (!row) throw new AppError('not_found', 'account not found');
        await dropAccountCache(tx, [row.id]);
        return row;
      };
      return executor ? run(executor) : db.transaction().execute(run);
    },
  };
}
