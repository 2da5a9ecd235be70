import type { Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireOrg } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newOpenId, newUnionId } from '../../platform/ids.ts';
import type { FollowsTable } from './tables.ts';
import './tables.ts';

export type FollowRow = Selectable<FollowsTable>;

export const SUBSCRIBE_SCENES = [
  'ADD_SCENE_SEARCH',
  'ADD_SCENE_ACCOUNT_MIGRATION',
  'ADD_SCENE_PROFILE_CARD',
  'ADD_SCENE_QR_CODE',
  'ADD_SCENE_PROFILE_LINK',
  'ADD_SCENE_PROFILE_ITEM',
  'ADD_SCENE_PAID',
  'ADD_SCENE_WECHAT_ADVERTISEMENT',
  'ADD_SCENE_REPRINT',
  'ADD_SCENE_LIVESTREAM',
  'ADD_SCENE_CHANNELS',
  'ADD_SCENE_OTHERS',
] as const;
export type SubscribeScene = (typeof SUBSCRIBE_SCENES)[number];

export interface FollowInput {
  scene: SubscribeScene;
  qrScene?: bigint | null;
  qrSceneStr?: string | null;
}

export interface FollowResult {
  openid: string;
  /** false when the consumer already followed (a QR scan is then a SCAN event, not subscribe). */
  isNew: boolean;
  follow: FollowRow;
}

export const invalidOpenid = () => new AppError('not_found', 'invalid openid', { wxErrcode: 40003 });

export type FollowersService = ReturnType<typeof createFollowersService>;

export function createFollowersService(db: Db) {
  /** The consumer's openid for an account (created on first contact) and unionid for its organisation. */
  async function ensureIdentity(tx: DbOrTx, accountId: string, orgId: string, consumerId: string): Promise<{ openid: string; unionid: string }> {
    await tx
      .insertInto('account_identities')
      .values({ account_id: accountId, consumer_id: consumerId, openid: newOpenId() })
      .onConflict((oc) => oc.columns(['account_id', 'consumer_id']).doNothing())
      .execute();
    await tx
      .insertInto('org_identities')
      .values({ org_id: orgId, consumer_id: consumerId, unionid: newUnionId() })
      .onConflict((oc) => oc.columns(['org_id', 'consumer_id']).doNothing())
      .execute();
    const id = await tx
      .selectFrom('account_identities')
      .innerJoin('org_identities', (j) => j.on('org_identities.org_id', '=', orgId).onRef('org_identities.consumer_id', '=', 'account_identities.consumer_id'))
      .select(['account_identities.openid', 'org_identities.unionid'])
      .where('account_identities.account_id', '=', accountId)
      .where('account_identities.consumer_id', '=', consumerId)
      .executeTakeFirstOrThrow();
    return id;
  }

  return {
    ensureIdentity,

    /** Subscribes (or re-subscribes) inside the caller's transaction; records history for analytics. */
    async follow(tx: DbOrTx, account: { id: string; org_id: string }, consumerId: string, input: FollowInput): Promise<FollowResult> {
      const { openid } = await ensureIdentity(tx, account.id, account.org_id, consumerId);
      const existing = await tx.selectFrom('follows').selectAll().where('account_id', '=', account.id).where('consumer_id', '=', consumerId).forUpdate().executeTakeFirst();
      if (existing?.subscribed) return { openid, isNew: false, follow: existing };
      const now = new Date();
      const values = {
        subscribed: true,
        subscribe_time: now,
        unsubscribe_time: null,
        subscribe_scene: input.scene,
        qr_scene: input.qrScene ?? null,
        qr_scene_str: input.qrSceneStr ?? null,
        last_interaction_at: now,
      };
      const follow = existing
        ? await tx.updateTable('follows').set(values).where('account_id', '=', account.id).where('consumer_id', '=', consumerId).returningAll().executeTakeFirstOrThrow()
        : await tx.insertInto('follows').values({ account_id: account.id, consumer_id: consumerId, openid, ...values }).returningAll().executeTakeFirstOrThrow();
      await tx
        .insertInto('follow_events')
        .values({ account_id: account.id, consumer_id: consumerId, openid, kind: 'subscribe', scene: input.scene, qr_scene: input.qrSceneStr ?? (input.qrScene != null ? String(input.qrScene) : null) })
        .execute();
      return { openid, isNew: true, follow };
    },

    /** Returns the follow row if the consumer was subscribed (and now is not), else undefined. */
    async unfollow(tx: DbOrTx, accountId: string, consumerId: string): Promise<FollowRow | undefined> {
      const row = await tx
        .updateTable('follows')
        .set({ subscribed: false, unsubscribe_time: new Date() })
        .where('account_id', '=', accountId)
        .where('consumer_id', '=', consumerId)
        .where('subscribed', '=', true)
        .returningAll()
        .executeTakeFirst();
      if (row) await tx.insertInto('follow_events').values({ account_id: accountId, consumer_id: consumerId, openid: row.openid, kind: 'unsubscribe', scene: null, qr_scene: null }).execute();
      return row;
    },

    async setBlocked(tx: DbOrTx, accountId: string, consumerId: string, blocked: boolean): Promise<void> {
      await tx.updateTable('follows').set({ blocked }).where('account_id', '=', accountId).where('consumer_id', '=', consumerId).execute();
    },

    /** Marks an interaction (the 48-hour window) and returns the follow, only if subscribed. */
    async touchSubscribed(tx: DbOrTx, accountId: string, consumerId: string): Promise<FollowRow | undefined> {
      return tx
        .updateTable('follows')
        .set({ last_interaction_at: new Date() })
        .where('account_id', '=', accountId)
        .where('consumer_id', '=', consumerId)
        .where('subscribed', '=', true)
        .returningAll()
        .executeTakeFirst();
    },

    async findFollow(executor: DbOrTx, accountId: string, consumerId: string): Promise<FollowRow | undefined> {
      return executor.selectFrom('follows').selectAll().where('account_id', '=', accountId).where('consumer_id', '=', consumerId).executeTakeFirst();
    },

    /**
     * Merchant side: the follow row behind an openid of the caller's account. An openid of another
     * account (even of the same organisation) is unknown here: 40003.
     */
    async byOpenid(ctx: RequestContext, accountId: string, openid: string | undefined): Promise<FollowRow> {
      requireOrg(ctx);
      if (ctx.actor.kind === 'app' && ctx.actor.accountId !== accountId) throw invalidOpenid();
      if (!openid || !/^[A-Za-z0-9_-]{1,64}$/.test(openid)) throw invalidOpenid();
      const row = await db.selectFrom('follows').selectAll().where('account_id', '=', accountId).where('openid', '=', openid).executeTakeFirst();
      if (!row) throw invalidOpenid();
      return row;
    },

    /** The consumer behind an openid of an account (followed or not: OAuth base also issues openids). */
    async consumerOfOpenid(executor: DbOrTx, accountId: string, openid: string): Promise<string | undefined> {
      const r = await executor.selectFrom('account_identities').select('consumer_id').where('account_id', '=', accountId).where('openid', '=', openid).executeTakeFirst();
      return r?.consumer_id;
    },

    async unionidOf(executor: DbOrTx, orgId: string, consumerId: string): Promise<string | undefined> {
      const r = await executor.selectFrom('org_identities').select('unionid').where('org_id', '=', orgId).where('consumer_id', '=', consumerId).executeTakeFirst();
      return r?.unionid;
    },

    /** Subscribed followers in openid order after `nextOpenid`, for `user/get` paging. */
    async page(ctx: RequestContext, accountId: string, nextOpenid: string | undefined, limit = 10000) {
      requireOrg(ctx);
      let q = db.selectFrom('follows').select('openid').where('account_id', '=', accountId).where('subscribed', '=', true);
      if (nextOpenid) q = q.where('openid', '>', nextOpenid);
      const rows = await q.orderBy('openid').limit(limit).execute();
      const total = await db
        .selectFrom('follows')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('account_id', '=', accountId)
        .where('subscribed', '=', true)
        .executeTakeFirstOrThrow();
      return { total: Number(total.n), openids: rows.map((r) => r.openid) };
    },

    /**
     * Merchant side: the follow rows behind several openids of the caller's account (subscribed or
     * not). Unknown, malformed or other accounts' openids are simply absent from the result.
     */
    async byOpenids(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<FollowRow[]> {
      requireOrg(ctx);
      if (ctx.actor.kind === 'app' && ctx.actor.accountId !== accountId) return [];
      const wanted = [...new Set(openids)].filter((o) => /^[A-Za-z0-9_-]{1,64}$/.test(o));
      if (wanted.length === 0) return [];
      return db.selectFrom('follows').selectAll().where('account_id', '=', accountId).where('openid', 'in', wanted).execute();
    },

    /** Unionids of several consumers in one organisation, by consumer id. */
    async unionidsOf(executor: DbOrTx, orgId: string, consumerIds: readonly string[]): Promise<Map<string, string>> {
      if (consumerIds.length === 0) return new Map();
      const rows = await executor.selectFrom('org_identities').select(['consumer_id', 'unionid']).where('org_id', '=', orgId).where('consumer_id', 'in', [...new Set(consumerIds)]).execute();
      return new Map(rows.map((r) => [r.consumer_id, r.unionid]));
    },
  };
}
