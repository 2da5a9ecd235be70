import type { RequestContext } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import type { FollowersService, FollowRow } from '../followers/service.ts';
import { type AccountScope, LIMITS, openidList, wxErr } from './model.ts';
import './tables.ts';

export type BlacklistService = ReturnType<typeof createBlacklistService>;

/**
 * The account's blacklist (`tags/members/getblacklist|batchblacklist|batchunblacklist`): followers
 * the merchant refuses to hear from. Not the consumer's own block of the account (`follows.blocked`).
 */
export function createBlacklistService(deps: { db: Db; followers: FollowersService; scope: AccountScope }) {
  const { db, followers, scope } = deps;

  /** Followers (subscribed or not) behind a de-duplicated openid list; any other openid is 40003. */
  async function knownFollowers(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<FollowRow[]> {
    const rows = await followers.byOpenids(ctx, accountId, openids);
    if (rows.length !== openids.length) throw wxErr.invalidOpenid();
    return rows;
  }

  return {
    /** For delivery paths: whether the merchant has blacklisted this consumer on the account. */
    async isBlacklisted(executor: DbOrTx, accountId: string, consumerId: string): Promise<boolean> {
      const row = await executor.selectFrom('account_blacklist').select('openid').where('account_id', '=', accountId).where('consumer_id', '=', consumerId).executeTakeFirst();
      return row !== undefined;
    },

    /** Blacklisted openids in order after `beginOpenid` (≤ 10 000), and how many there are in all. */
    async page(ctx: RequestContext, accountId: string, beginOpenid: string | undefined): Promise<{ total: number; openids: string[] }> {
      const s = await scope(ctx, accountId);
      if (beginOpenid) await followers.byOpenid(ctx, s.accountId, beginOpenid);
      let q = db.selectFrom('account_blacklist').select('openid').where('account_id', '=', s.accountId);
      if (beginOpenid) q = q.where('openid', '>', beginOpenid);
      const rows = await q.orderBy('openid').limit(LIMITS.openidsPerPage).execute();
      const total = await db.selectFrom('account_blacklist').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
      return { total: Number(total.n), openids: rows.map((r) => r.openid) };
    },

    /** Blacklists 1..20 followers at once; all or nothing. */
    async add(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<void> {
      const s = await scope(ctx, accountId);
      const rows = await knownFollowers(ctx, s.accountId, openidList(openids, LIMITS.openidsPerBlacklisting));
      await db
        .insertInto('account_blacklist')
        .values(rows.map((r) => ({ account_id: s.accountId, openid: r.openid, consumer_id: r.consumer_id })))
        .onConflict((oc) => oc.columns(['account_id', 'openid']).doNothing())
        .execute();
    },

    async remove(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<void> {
      const s = await scope(ctx, accountId);
      const rows = await knownFollowers(ctx, s.accountId, openidList(openids, LIMITS.openidsPerBlacklisting));
      await db.deleteFrom('account_blacklist').where('account_id', '=', s.accountId).where('openid', 'in', rows.map((r) => r.openid)).execute();
    },
  };
}
