import type { RequestContext } from '../../platform/context.ts';
import type { Db, DbOrTx, Tx } from '../../platform/database.ts';
import type { FollowersService, FollowRow } from '../followers/service.ts';
import { type AccountScope, isStorableTagId, LIMITS, openidList, RESERVED_TAG_IDS, SYSTEM_TAGS, utf8Bytes, wxErr } from './model.ts';
import './tables.ts';
import '../followers/tables.ts';

export interface Tag {
  id: number;
  name: string;
}

export interface TagView extends Tag {
  /** Subscribed followers carrying the tag. */
  count: number;
}

export type TagsService = ReturnType<typeof createTagsService>;

/**
 * User tags of an official account (WeChat's `tags/*` and `user/tag/get`). Every write locks the
 * account's `tag_counters` row, so the 100-tag and 20-tags-a-follower limits hold under concurrency.
 * Followers are resolved through the followers service; listings read `follows` only to leave out
 * followers who have unsubscribed (their tags come back if they subscribe again, like WeChat's remark).
 */
export function createTagsService(deps: { db: Db; followers: FollowersService; scope: AccountScope }) {
  const { db, followers, scope } = deps;

  async function lockAccount(tx: Tx, accountId: string): Promise<number> {
    await tx.insertInto('tag_counters').values({ account_id: accountId }).onConflict((oc) => oc.column('account_id').doNothing()).execute();
    const row = await tx.selectFrom('tag_counters').select('next_id').where('account_id', '=', accountId).forUpdate().executeTakeFirstOrThrow();
    return row.next_id;
  }

  async function findTag(executor: DbOrTx, accountId: string, id: number): Promise<Tag | undefined> {
    if (!isStorableTagId(id)) return undefined;
    const system = SYSTEM_TAGS.find((t) => t.id === id);
    if (system) return system;
    return executor.selectFrom('tags').select(['id', 'name']).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  }

  async function requireTag(executor: DbOrTx, accountId: string, id: number): Promise<Tag> {
    const tag = await findTag(executor, accountId, id);
    if (!tag) throw wxErr.invalidTagId();
    return tag;
  }

  function checkName(name: string): void {
    if (name.trim() === '') throw wxErr.invalidTagName();
    if (utf8Bytes(name) > LIMITS.tagNameBytes) throw wxErr.tagNameTooLong();
  }

  async function nameTaken(executor: DbOrTx, accountId: string, name: string, exceptId?: number): Promise<boolean> {
    if (SYSTEM_TAGS.some((t) => t.name === name)) return true;
    let q = executor.selectFrom('tags').select('id').where('account_id', '=', accountId).where('name', '=', name);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  /** The subscribed followers behind a de-duplicated openid list; any other openid fails with 40003. */
  async function subscribedFollowers(ctx: RequestContext, accountId: string, openids: readonly string[]): Promise<FollowRow[]> {
    const rows = (await followers.byOpenids(ctx, accountId, openids)).filter((r) => r.subscribed);
    if (rows.length !== openids.length) throw wxErr.invalidOpenid();
    return rows;
  }

  /** Tag ids of each openid (ascending), for user presenters. Callers have checked the account. */
  async function tagIdsOf(executor: DbOrTx, accountId: string, openids: readonly string[]): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>(openids.map((o) => [o, []]));
    if (openids.length === 0) return result;
    const rows = await executor
      .selectFrom('tag_members')
      .select(['openid', 'tag_id'])
      .where('account_id', '=', accountId)
      .where('openid', 'in', [...new Set(openids)])
      .orderBy('tag_id')
      .execute();
    for (const r of rows) result.get(r.openid)?.push(r.tag_id);
    return result;
  }

  return {
    tagIdsOf,

    /** The tag, or 45159: for other modules that target followers by tag (menus, mass messages). */
    async get(ctx: RequestContext, accountId: string, id: number): Promise<Tag> {
      const s = await scope(ctx, accountId);
      return requireTag(db, s.accountId, id);
    },

    async list(ctx: RequestContext, accountId: string): Promise<TagView[]> {
      const s = await scope(ctx, accountId);
      const tags = await db.selectFrom('tags').select(['id', 'name']).where('account_id', '=', s.accountId).orderBy('id').execute();
      const counts = await db
        .selectFrom('tag_members as m')
        .innerJoin('follows as f', (j) => j.onRef('f.account_id', '=', 'm.account_id').onRef('f.openid', '=', 'm.openid'))
        .select((eb) => ['m.tag_id', eb.fn.countAll<bigint>().as('n')])
        .where('m.account_id', '=', s.accountId)
        .where('f.subscribed', '=', true)
        .groupBy('m.tag_id')
        .execute();
      const byId = new Map(counts.map((c) => [c.tag_id, Number(c.n)]));
      return [...SYSTEM_TAGS, ...tags].map((t) => ({ id: t.id, name: t.name, count: byId.get(t.id) ?? 0 }));
    },

    async create(ctx: RequestContext, accountId: string, name: string): Promise<Tag> {
      const s = await scope(ctx, accountId);
      checkName(name);
      return db.transaction().execute(async (tx) => {
        const id = await lockAccount(tx, s.accountId);
        if (await nameTaken(tx, s.accountId, name)) throw wxErr.invalidTagName();
        const n = await tx.selectFrom('tags').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
        if (Number(n.n) >= LIMITS.tagsPerAccount) throw wxErr.tooManyTags();
        await tx.updateTable('tag_counters').set({ next_id: id + 1 }).where('account_id', '=', s.accountId).execute();
        await tx.insertInto('tags').values({ account_id: s.accountId, id, name }).execute();
        return { id, name };
      });
    },

    async rename(ctx: RequestContext, accountId: string, id: number, name: string): Promise<void> {
      const s = await scope(ctx, accountId);
      if (RESERVED_TAG_IDS.includes(id)) throw wxErr.reservedTag();
      checkName(name);
      await db.transaction().execute(async (tx) => {
        await lockAccount(tx, s.accountId);
        await requireTag(tx, s.accountId, id);
        if (await nameTaken(tx, s.accountId, name, id)) throw wxErr.invalidTagName();
        await tx.updateTable('tags').set({ name }).where('account_id', '=', s.accountId).where('id', '=', id).execute();
      });
    },

    /** Deletes a tag and takes it off every follower (refused above 100 000 members, as WeChat does). */
    async remove(ctx: RequestContext, accountId: string, id: number): Promise<void> {
      const s = await scope(ctx, accountId);
      if (RESERVED_TAG_IDS.includes(id)) throw wxErr.reservedTag();
      await db.transaction().execute(async (tx) => {
        await lockAccount(tx, s.accountId);
        await requireTag(tx, s.accountId, id);
        const members = await tx
          .selectFrom('tag_members')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('account_id', '=', s.accountId)
          .where('tag_id', '=', id)
          .executeTakeFirstOrThrow();
        if (Number(members.n) > LIMITS.membersToDeleteTag) throw wxErr.tooManyTagMembers();
        await tx.deleteFrom('tag_members').where('account_id', '=', s.accountId).where('tag_id', '=', id).execute();
        await tx.deleteFrom('tags').where('account_id', '=', s.accountId).where('id', '=', id).execute();
      });
    },

    /** Tags up to 50 subscribed followers at once; all or nothing. */
    async tag(ctx: RequestContext, accountId: string, tagId: number, openids: readonly string[]): Promise<void> {
      const s = await scope(ctx, accountId);
      const list = openidList(openids, LIMITS.openidsPerTagging);
      await requireTag(db, s.accountId, tagId);
      await subscribedFollowers(ctx, s.accountId, list);
      await db.transaction().execute(async (tx) => {
        await lockAccount(tx, s.accountId);
        await requireTag(tx, s.accountId, tagId);
        const counts = await tx
          .selectFrom('tag_members')
          .select((eb) => ['openid', eb.fn.countAll<bigint>().as('n')])
          .where('account_id', '=', s.accountId)
          .where('openid', 'in', list)
          .where('tag_id', '<>', tagId)
          .groupBy('openid')
          .execute();
        if (counts.some((c) => Number(c.n) + 1 > LIMITS.tagsPerFollower)) throw wxErr.tooManyTagsOnFollower();
        await tx
          .insertInto('tag_members')
          .values(list.map((openid) => ({ account_id: s.accountId, tag_id: tagId, openid })))
          .onConflict((oc) => oc.columns(['account_id', 'tag_id', 'openid']).doNothing())
          .execute();
      });
    },

    async untag(ctx: RequestContext, accountId: string, tagId: number, openids: readonly string[]): Promise<void> {
      const s = await scope(ctx, accountId);
      const list = openidList(openids, LIMITS.openidsPerTagging);
      await requireTag(db, s.accountId, tagId);
      await subscribedFollowers(ctx, s.accountId, list);
      await db.transaction().execute(async (tx) => {
        await lockAccount(tx, s.accountId);
        await tx.deleteFrom('tag_members').where('account_id', '=', s.accountId).where('tag_id', '=', tagId).where('openid', 'in', list).execute();
      });
    },

    /** `tags/getidlist`: a follower's tag ids; none once they have unsubscribed. */
    async tagsOf(ctx: RequestContext, accountId: string, openid: string | undefined): Promise<number[]> {
      const s = await scope(ctx, accountId);
      const follow = await followers.byOpenid(ctx, s.accountId, openid);
      if (!follow.subscribed) return [];
      return (await tagIdsOf(db, s.accountId, [follow.openid])).get(follow.openid) ?? [];
    },

    /** `user/tag/get`: subscribed followers with the tag, in openid order after `nextOpenid`. */
    async members(ctx: RequestContext, accountId: string, tagId: number, nextOpenid: string | undefined): Promise<string[]> {
      const s = await scope(ctx, accountId);
      await requireTag(db, s.accountId, tagId);
      if (nextOpenid) await followers.byOpenid(ctx, s.accountId, nextOpenid);
      let q = db
        .selectFrom('tag_members as m')
        .innerJoin('follows as f', (j) => j.onRef('f.account_id', '=', 'm.account_id').onRef('f.openid', '=', 'm.openid'))
        .select('m.openid')
        .where('m.account_id', '=', s.accountId)
        .where('m.tag_id', '=', tagId)
        .where('f.subscribed', '=', true);
      if (nextOpenid) q = q.where('m.openid', '>', nextOpenid);
      const rows = await q.orderBy('m.openid').limit(LIMITS.openidsPerPage).execute();
      return rows.map((r) => r.openid);
    },
  };
}
