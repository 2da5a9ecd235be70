import { createHash } from 'node:crypto';
import type { Db } from '../../platform/database.ts';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import { requireMemberPermission, requirePermission } from '../../platform/permissions.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, randomString } from '../../platform/ids.ts';
import './tables.ts';

export const API_KEY_PREFIX = 'lj_sk_';
const KEY_SHAPE = /^lj_sk_[A-Za-z0-9]{40}$/;
/** How stale `last_used_at` may get before a request refreshes it (one write per key per minute at most). */
const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  /** `lj_sk_…` + the last four characters. */
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The key itself is in here, once. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

const present = (r: { id: string; name: string; last4: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiKeyView => ({
  id: r.id,
  name: r.name,
  hint: `${API_KEY_PREFIX}…${r.last4}`,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

/**
 * Server-to-server keys of an organisation. The key is `lj_sk_` + 40 random alphanumerics (~238 bits),
 * so a sha256 of it is a safe thing to store and look up. A request with a key acts as the org's
 * merchant with the `api` role (platform/permissions.ts: the pay API and webhooks, not keys).
 */
export function createApiKeysService(db: Db) {
  return {
    async create(ctx: RequestContext, input: { name: string }): Promise<CreatedApiKey> {
      const orgId = requireMemberPermission(ctx, 'developer');
      const name = input.name.trim();
      if (!name || name.length > 64) throw new AppError('invalid_argument', 'a key needs a name of 1–64 characters');
      const key = `${API_KEY_PREFIX}${randomString(40)}`;
      const row = await db
        .insertInto('merchant_api_keys')
        .values({ id: newId('mak'), org_id: orgId, name, key_hash: hashKey(key), last4: key.slice(-4), created_by: ctx.actor.kind === 'merchant' ? ctx.actor.userId : null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...present(row), key };
    },

    async list(ctx: RequestContext): Promise<ApiKeyView[]> {
      const orgId = requirePermission(ctx, 'developer');
      const rows = await db.selectFrom('merchant_api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(present);
    },

    /** Revokes one of the org's keys at once (revoking a revoked key again is fine); another org's key is not found. */
    async revoke(ctx: RequestContext, id: string): Promise<ApiKeyView> {
      const orgId = requireMemberPermission(ctx, 'developer');
      const row = await db
        .updateTable('merchant_api_keys')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date())) }))
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound('API key');
      return present(row);
    },

    /** The caller a live key stands for, or undefined (unknown, malformed or revoked). */
    async resolve(key: string, requestId?: string): Promise<RequestContext | undefined> {
      if (!KEY_SHAPE.test(key)) return undefined;
      const row = await db.selectFrom('merchant_api_keys').select(['id', 'org_id', 'last_used_at']).where('key_hash', '=', hashKey(key)).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) return undefined;
      const now = Date.now();
      if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_GRANULARITY_MS) {
        await db.updateTable('merchant_api_keys').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
      }
      return makeContext({ kind: 'merchant', userId: row.id, orgId: row.org_id, role: 'api' }, requestId);
    },
  };
}
