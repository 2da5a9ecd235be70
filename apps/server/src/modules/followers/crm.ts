import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { BlacklistService } from '../tags/blacklist.ts';
import type { TagsService, TagView } from '../tags/service.ts';
import type { OaUsersService } from '../tags/users.ts';
import '../identity/tables.ts';
import '../tags/tables.ts';
import './tables.ts';

export interface FollowerView {
  openid: string;
  nickname: string;
  avatarUrl: string | null;
  remark: string;
  subscribed: boolean;
  subscribeTime: string;
  subscribeScene: string;
  /** The QR scene the follower came through (scene_str, or the numeric scene as text). */
  qrScene: string | null;
  tagIds: number[];
  /** On the account's blacklist: their messages are not delivered to the merchant. */
  blacklisted: boolean;
  /** The follower blocked the account: nothing can be sent to them. */
  blockedAccount: boolean;
  lastInteractionAt: string | null;
}

export interface FollowerFilter {
  q?: string | undefined;
  tagId?: number | undefined;
  scene?: string | undefined;
  qrScene?: string | undefined;
  status?: 'subscribed' | 'unsubscribed' | 'all' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export type FollowerCrmService = ReturnType<typeof createFollowerCrmService>;

/**
 * The console's followers CRM (permission `followers`): search and filters over an account's followers,
 * profiles, remarks and tags through the tags module; the blacklist needs `settings` as well (owners
 * and operators: a cs agent reads it but may not block or unblock).
 */
export function createFollowerCrmService(deps: { db: Db; accounts: Pick<AccountsService, 'ownAccount'>; tags: TagsService; oaUsers: OaUsersService; blacklist: BlacklistService }) {
  const { db, accounts, tags, oaUsers, blacklist } = deps;

  async function own(ctx: RequestContext, accountId: string): Promise<void> {
    requirePermission(ctx, 'followers');
    await accounts.ownAccount(ctx, accountId);
  }

  function base(accountId: string, f: FollowerFilter) {
    let q = db
      .selectFrom('follows as f')
      .innerJoin('consumers as p', 'p.id', 'f.consumer_id')
      .leftJoin('follower_remarks as r', (j) => j.onRef('r.account_id', '=', 'f.account_id').onRef('r.openid', '=', 'f.openid'))
      .where('f.account_id', '=', accountId);
    const status = f.status ?? 'subscribed';
    if (status !== 'all') q = q.where('f.subscribed', '=', status === 'subscribed');
    if (f.q) {
      const like = likeEscape(f.q);
      q = q.where((eb) => eb.or([eb('p.nickname', 'ilike', like), eb('r.remark', 'ilike', like), eb('f.openid', '=', f.q ?? '')]));
    }
    if (f.tagId !== undefined) {
      const tagId = f.tagId;
      q = q.where((eb) => eb.exists(eb.selectFrom('tag_members as t').select('t.tag_id').whereRef('t.account_id', '=', 'f.account_id').whereRef('t.openid', '=', 'f.openid').where('t.tag_id', '=', tagId)));
    }
    if (f.scene) q = q.where('f.subscribe_scene', '=', f.scene);
    if (f.qrScene) q = q.where(sql<string>`coalesce(f.qr_scene_str, f.qr_scene::text)`, '=', f.qrScene);
    return q;
  }

  async function present(accountId: string, rows: readonly { openid: string; consumer_id: string }[]): Promise<FollowerView[]> {
    if (rows.length === 0) return [];
    const openids = rows.map((r) => r.openid);
    const full = await db
      .selectFrom('follows as f')
      .innerJoin('consumers as p', 'p.id', 'f.consumer_id')
      .leftJoin('follower_remarks as r', (j) => j.onRef('r.account_id', '=', 'f.account_id').onRef('r.openid', '=', 'f.openid'))
      .leftJoin('account_blacklist as b', (j) => j.onRef('b.account_id', '=', 'f.account_id').onRef('b.openid', '=', 'f.openid'))
      .select(['f.openid', 'f.subscribed', 'f.subscribe_time', 'f.subscribe_scene', 'f.qr_scene', 'f.qr_scene_str', 'f.blocked', 'f.last_interaction_at', 'p.nickname', 'p.avatar_url', 'r.remark', 'b.openid as black'])
      .where('f.account_id', '=', accountId)
      .where('f.openid', 'in', openids)
      .execute();
    const tagIds = await tags.tagIdsOf(db, accountId, openids);
    const byOpenid = new Map(full.map((r) => [r.openid, r]));
    return openids.flatMap((o) => {
      const r = byOpenid.get(o);
      if (!r) return [];
      return [{
        openid: r.openid,
        nickname: r.nickname,
        avatarUrl: r.avatar_url,
        remark: r.remark ?? '',
        subscribed: r.subscribed,
        subscribeTime: r.subscribe_time.toISOString(),
        subscribeScene: r.subscribe_scene,
        qrScene: r.qr_scene_str ?? (r.qr_scene !== null ? String(r.qr_scene) : null),
        tagIds: tagIds.get(o) ?? [],
        blacklisted: r.black !== null,
        blockedAccount: r.blocked,
        lastInteractionAt: r.last_interaction_at?.toISOString() ?? null,
      }];
    });
  }

  return {
    async list(ctx: RequestContext, accountId: string, f: FollowerFilter): Promise<{ total: number; page: number; pageSize: number; items: FollowerView[] }> {
      await own(ctx, accountId);
      const page = Math.max(1, f.page ?? 1);
      const pageSize = Math.min(100, Math.max(1, f.pageSize ?? 20));
      const total = await base(accountId, f).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
      const rows = await base(accountId, f).select(['f.openid', 'f.consumer_id']).orderBy('f.subscribe_time', 'desc').orderBy('f.openid').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { total: Number(total.n), page, pageSize, items: await present(accountId, rows) };
    },

    async get(ctx: RequestContext, accountId: string, openid: string): Promise<FollowerView> {
      await own(ctx, accountId);
      const info = await oaUsers.info(ctx, accountId, openid);
      const [view] = await present(accountId, [{ openid: info.openid, consumer_id: '' }]);
      if (!view) throw new Error('follower vanished');
      return view;
    },

    async setRemark(ctx: RequestContext, accountId: string, openid: string, remark: string): Promise<FollowerView> {
      await own(ctx, accountId);
      await oaUsers.updateRemark(ctx, accountId, openid, remark);
      return this.get(ctx, accountId, openid);
    },

    async setBlacklisted(ctx: RequestContext, accountId: string, openid: string, blacklisted: boolean): Promise<FollowerView> {
      await own(ctx, accountId);
      requirePermission(ctx, 'settings');
      await (blacklisted ? blacklist.add(ctx, accountId, [openid]) : blacklist.remove(ctx, accountId, [openid]));
      return this.get(ctx, accountId, openid);
    },

    /** Adds or removes one tag on up to 50 subscribed followers; all or nothing. */
    async bulkTag(ctx: RequestContext, accountId: string, input: { tagId: number; openids: string[]; action: 'add' | 'remove' }): Promise<void> {
      await own(ctx, accountId);
      await (input.action === 'add' ? tags.tag(ctx, accountId, input.tagId, input.openids) : tags.untag(ctx, accountId, input.tagId, input.openids));
    },

    async tags(ctx: RequestContext, accountId: string): Promise<TagView[]> {
      await own(ctx, accountId);
      return tags.list(ctx, accountId);
    },
    async createTag(ctx: RequestContext, accountId: string, name: string) {
      await own(ctx, accountId);
      return tags.create(ctx, accountId, name);
    },
    async renameTag(ctx: RequestContext, accountId: string, id: number, name: string): Promise<void> {
      await own(ctx, accountId);
      await tags.rename(ctx, accountId, id, name);
    },
    async deleteTag(ctx: RequestContext, accountId: string, id: number): Promise<void> {
      await own(ctx, accountId);
      await tags.remove(ctx, accountId, id);
    },
  };
}
