import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { AccountsService } from '../accounts/service.ts';
import { presentDm, type DmContent, type DmInput, type DmView, type FriendView } from './model.ts';
import './tables.ts';

export interface SocialDeps {
  db: Db;
  hub: RealtimeHub;
  accounts: Pick<AccountsService, 'findById'>;
}

export type SocialService = ReturnType<typeof createSocialService>;

/**
 * Friends and 1:1 messages. Friendship is symmetric and immediate: adding someone by phone number makes
 * both consumers friends (two rows, one per direction); removing it removes both. Only friends can send
 * each other messages; each consumer reads only the messages they sent or received.
 */
export function createSocialService(deps: SocialDeps) {
  const { db, hub } = deps;

  async function isFriend(executor: DbOrTx, consumerId: string, friendId: string): Promise<boolean> {
    const row = await executor.selectFrom('friendships').select('friend_id').where('consumer_id', '=', consumerId).where('friend_id', '=', friendId).executeTakeFirst();
    return row !== undefined;
  }

  async function cardContent(input: DmInput): Promise<DmContent> {
    if (input.type === 'text') {
      const content = input.content.trim();
      if (!content) throw new AppError('invalid_argument', 'a text message cannot be empty');
      return { type: 'text', content };
    }
    if (input.type === 'account_card') {
      const a = await deps.accounts.findById(input.accountId);
      if (!a || a.status !== 'active') throw notFound('account');
      return { type: 'account_card', accountId: a.id, name: a.name, avatarUrl: a.avatar_url, description: a.description };
    }
    let accountId: string | null = null;
    if (input.accountId !== undefined) {
      const a = await deps.accounts.findById(input.accountId);
      if (!a || a.status !== 'active') throw notFound('account');
      accountId = a.id;
    }
    return { type: 'page_card', url: input.url, title: input.title, description: input.description ?? '', imgUrl: input.imgUrl ?? null, accountId };
  }

  /** Messages between the caller and one other consumer, newest page first unless `after` is given. */
  const between = (consumerId: string, otherId: string) =>
    db
      .selectFrom('dm_messages')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('sender_id', '=', consumerId), eb('recipient_id', '=', otherId)]),
          eb.and([eb('sender_id', '=', otherId), eb('recipient_id', '=', consumerId)]),
        ]),
      );

  return {
    isFriend,

    async addFriend(ctx: RequestContext, phone: string): Promise<FriendView> {
      const me = requireConsumer(ctx);
      const other = await db.selectFrom('consumers').select(['id', 'nickname', 'avatar_url']).where('phone', '=', phone).executeTakeFirst();
      if (!other) throw new AppError('not_found', 'no one with this phone number');
      if (other.id === me) throw new AppError('invalid_argument', 'you cannot add yourself as a friend');
      await db
        .insertInto('friendships')
        .values([
          { consumer_id: me, friend_id: other.id },
          { consumer_id: other.id, friend_id: me },
        ])
        .onConflict((oc) => oc.columns(['consumer_id', 'friend_id']).doNothing())
        .execute();
      return { id: other.id, nickname: other.nickname, avatarUrl: other.avatar_url };
    },

    async listFriends(ctx: RequestContext): Promise<FriendView[]> {
      const me = requireConsumer(ctx);
      const rows = await db
        .selectFrom('friendships as f')
        .innerJoin('consumers as c', 'c.id', 'f.friend_id')
        .select(['c.id', 'c.nickname', 'c.avatar_url'])
        .where('f.consumer_id', '=', me)
        .orderBy('c.nickname')
        .execute();
      return rows.map((r) => ({ id: r.id, nickname: r.nickname, avatarUrl: r.avatar_url }));
    },

    async removeFriend(ctx: RequestContext, friendId: string): Promise<void> {
      const me = requireConsumer(ctx);
      const res = await db
        .deleteFrom('friendships')
        .where((eb) => eb.or([eb.and([eb('consumer_id', '=', me), eb('friend_id', '=', friendId)]), eb.and([eb('consumer_id', '=', friendId), eb('friend_id', '=', me)])]))
        .executeTakeFirst();
      if (res.numDeletedRows === 0n) throw notFound('friend');
    },

    /** Sends a message to a friend and publishes it to both sides' sockets after commit. */
    async send(ctx: RequestContext, friendId: string, input: DmInput): Promise<DmView> {
      const me = requireConsumer(ctx);
      const content = await cardContent(input);
      const view = await db.transaction().execute(async (tx) => {
        if (!(await isFriend(tx, me, friendId))) throw forbidden('you can only message your friends');
        const row = await tx
          .insertInto('dm_messages')
          .values({ sender_id: me, recipient_id: friendId, msg_type: content.type, content: JSON.stringify(content) })
          .returningAll()
          .executeTakeFirstOrThrow();
        const message = presentDm(row);
        for (const consumerId of [me, friendId]) await hub.publish(tx, consumerId, { type: 'dm', message }, { type: 'dm', id: message.id });
        return message;
      });
      return view;
    },

    async messages(ctx: RequestContext, friendId: string, opts: { before?: bigint | undefined; after?: bigint | undefined; limit?: number | undefined } = {}): Promise<DmView[]> {
      const me = requireConsumer(ctx);
      let q = between(me, friendId);
      if (opts.before !== undefined) q = q.where('id', '<', opts.before);
      if (opts.after !== undefined) q = q.where('id', '>', opts.after);
      const rows = await q.orderBy('id', opts.after !== undefined ? 'asc' : 'desc').limit(Math.min(opts.limit ?? 50, 200)).execute();
      if (opts.after === undefined) rows.reverse();
      return rows.map(presentDm);
    },

    /** The caller's 1:1 conversations (one per friend), newest first, with unread counts. */
    async conversations(ctx: RequestContext) {
      const me = requireConsumer(ctx);
      const rows = await db
        .selectFrom('friendships as f')
        .innerJoin('consumers as c', 'c.id', 'f.friend_id')
        .leftJoin('dm_reads as r', (j) => j.onRef('r.consumer_id', '=', 'f.consumer_id').onRef('r.friend_id', '=', 'f.friend_id'))
        .select([
          'c.id',
          'c.nickname',
          'c.avatar_url',
          sql<bigint | null>`(select max(m.id) from dm_messages m where (m.sender_id = f.consumer_id and m.recipient_id = f.friend_id) or (m.sender_id = f.friend_id and m.recipient_id = f.consumer_id))`.as('last_id'),
          sql<bigint>`(select count(*) from dm_messages m where m.sender_id = f.friend_id and m.recipient_id = f.consumer_id and m.id > coalesce(r.last_read_id, 0))`.as('unread'),
        ])
        .where('f.consumer_id', '=', me)
        .execute();
      const lastIds = rows.map((r) => r.last_id).filter((x): x is bigint => x !== null);
      const last = lastIds.length ? await db.selectFrom('dm_messages').selectAll().where('id', 'in', lastIds).execute() : [];
      const byId = new Map(last.map((m) => [String(m.id), presentDm(m)]));
      return rows
        .map((r) => ({
          friend: { id: r.id, nickname: r.nickname, avatarUrl: r.avatar_url },
          unread: Number(r.unread),
          lastMessage: r.last_id === null ? null : (byId.get(String(r.last_id)) ?? null),
        }))
        .sort((a, b) => (b.lastMessage?.createdAt ?? '').localeCompare(a.lastMessage?.createdAt ?? ''));
    },

    async markRead(ctx: RequestContext, friendId: string, upTo: bigint): Promise<void> {
      const me = requireConsumer(ctx);
      await db
        .insertInto('dm_reads')
        .values({ consumer_id: me, friend_id: friendId, last_read_id: upTo })
        .onConflict((oc) => oc.columns(['consumer_id', 'friend_id']).doUpdateSet({ last_read_id: sql<bigint>`greatest(dm_reads.last_read_id, excluded.last_read_id)` }))
        .execute();
    },

    /** One message for a consumer who sent or received it (the real-time loader for large payloads). */
    async viewForConsumer(consumerId: string, id: string): Promise<DmView | undefined> {
      if (!/^\d{1,19}$/.test(id)) return undefined;
      const row = await db
        .selectFrom('dm_messages')
        .selectAll()
        .where('id', '=', BigInt(id))
        .where((eb) => eb.or([eb('sender_id', '=', consumerId), eb('recipient_id', '=', consumerId)]))
        .executeTakeFirst();
      return row ? presentDm(row) : undefined;
    },
  };
}
