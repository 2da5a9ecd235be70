import type { RequestContext } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import type { FollowersService, FollowRow } from '../followers/service.ts';
import { type AccountScope, LIMITS, utf8Bytes, wxErr } from './model.ts';
import type { TagsService } from './service.ts';
import './tables.ts';

/** What the merchant may know of a follower (WeChat stopped returning nickname and avatar). */
export interface FollowerInfo {
  openid: string;
  subscribed: boolean;
  subscribeTime: Date;
  unionid: string | undefined;
  remark: string;
  tagIds: number[];
  subscribeScene: string;
  qrScene: bigint | null;
  qrSceneStr: string | null;
}

export type OaUsersService = ReturnType<typeof createOaUsersService>;

/** The OA API's view of followers: `user/info`, `user/info/batchget`, `user/get`, `updateremark`. */
export function createOaUsersService(deps: { db: Db; followers: FollowersService; tags: TagsService; scope: AccountScope }) {
  const { db, followers, tags, scope } = deps;

  async function remarksOf(executor: DbOrTx, accountId: string, openids: readonly string[]): Promise<Map<string, string>> {
    if (openids.length === 0) return new Map();
    const rows = await executor.selectFrom('follower_remarks').select(['openid', 'remark']).where('account_id', '=', accountId).where('openid', 'in', [...new Set(openids)]).execute();
    return new Map(rows.map((r) => [r.openid, r.remark]));
  }

  async function describe(accountId: string, orgId: string, rows: readonly FollowRow[]): Promise<Map<string, FollowerInfo>> {
    const openids = rows.map((r) => r.openid);
    const [unionids, remarks, tagIds] = await Promise.all([
      followers.unionidsOf(db, orgId, rows.map((r) => r.consumer_id)),
      remarksOf(db, accountId, openids),
      tags.tagIdsOf(db, accountId, openids),
    ]);
    return new Map(
      rows.map((r) => [
        r.openid,
        {
          openid: r.openid,
          subscribed: r.subscribed,
          subscribeTime: r.subscribe_time,
          unionid: unionids.get(r.consumer_id),
          remark: remarks.get(r.openid) ?? '',
          tagIds: tagIds.get(r.openid) ?? [],
          subscribeScene: r.subscribe_scene,
          qrScene: r.qr_scene,
          qrSceneStr: r.qr_scene_str,
        },
      ]),
    );
  }

  return {
    /** One follower of the account; an unknown openid or another account's is 40003. */
    async info(ctx: RequestContext, accountId: string, openid: string | undefined): Promise<FollowerInfo> {
      const s = await scope(ctx, accountId);
      const row = await followers.byOpenid(ctx, s.accountId, openid);
      const info = (await describe(s.accountId, s.orgId, [row])).get(row.openid);
      if (!info) throw wxErr.invalidOpenid();
      return info;
    },

    /** 1..100 followers in request order; any unknown openid fails the whole call with 40003. */
    async batchInfo(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<FollowerInfo[]> {
      const s = await scope(ctx, accountId);
      if (openids.length === 0 || openids.length > LIMITS.usersPerBatchget) throw wxErr.openidListSize();
      const rows = await followers.byOpenids(ctx, s.accountId, openids);
      const infos = await describe(s.accountId, s.orgId, rows);
      return openids.map((o) => {
        const info = infos.get(o);
        if (!info) throw wxErr.invalidOpenid();
        return info;
      });
    },

    /** `user/get`: up to 10 000 subscribed openids after `nextOpenid`, which must be a follower's. */
    async page(ctx: RequestContext, accountId: string, nextOpenid: string | undefined): Promise<{ total: number; openids: string[] }> {
      const s = await scope(ctx, accountId);
      if (nextOpenid) await followers.byOpenid(ctx, s.accountId, nextOpenid);
      return followers.page(ctx, s.accountId, nextOpenid || undefined, LIMITS.openidsPerPage);
    },

    /** Sets the merchant's remark on a subscribed follower (≤ 30 UTF-8 bytes, else 40092; '' clears). */
    async updateRemark(ctx: RequestContext, accountId: string, openid: string | undefined, remark: string): Promise<void> {
      const s = await scope(ctx, accountId);
      if (utf8Bytes(remark) > LIMITS.remarkBytes) throw wxErr.invalidRemark();
      const row = await followers.byOpenid(ctx, s.accountId, openid);
      if (!row.subscribed) throw wxErr.invalidOpenid();
      await db
        .insertInto('follower_remarks')
        .values({ account_id: s.accountId, openid: row.openid, remark })
        .onConflict((oc) => oc.columns(['account_id', 'openid']).doUpdateSet({ remark, updated_at: new Date() }))
        .execute();
    },
  };
}
