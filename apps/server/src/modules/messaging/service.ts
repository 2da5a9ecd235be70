import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import type { FollowInput, FollowersService } from '../followers/service.ts';
import { writeThreadMessage } from './deliver.ts';
import { presentMessage, type MessageContent, type MessageView } from './model.ts';
import { enqueuePush, eventFields, messageFields, type PushFields } from './push.ts';

export interface ConversationDeps {
  db: Db;
  hub: RealtimeHub;
  accounts: AccountsService;
  followers: FollowersService;
  /** Deliver these outbox rows now (called after commit). */
  kick: (ids: readonly (bigint | undefined)[]) => void;
  /** Whether the merchant put this consumer on the account's blacklist (their messages are not delivered). */
  isBlacklisted: (executor: Tx, accountId: string, consumerId: string) => Promise<boolean>;
}

/** What a consumer action produced: the rows to watch for the merchant's answer. */
export interface ActionResult {
  openid: string;
  outboxIds: bigint[];
  message?: MessageView | undefined;
}

export type ConsumerMessage = Extract<MessageContent, { type: 'text' | 'image' | 'location' | 'link' }>;

/** Events whose passive reply reaches the consumer (WeChat ignores replies to VIEW and LOCATION). */
const REPLYABLE_EVENTS = new Set(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(deps: ConversationDeps) {
  const { db, hub, accounts, followers } = deps;

  async function activeAccount(accountId: string): Promise<AccountRow> {
    const account = await accounts.findById(accountId);
    if (!account) throw notFound('account');
    if (account.status !== 'active') throw new AppError('permission_denied', 'this account has been suspended by the platform and cannot receive messages', { details: { reason: 'ACCOUNT_SUSPENDED' } });
    return account;
  }

  /** The consumer's follow, with the interaction time (48-hour window) moved to now. */
  async function interact(tx: Tx, accountId: string, consumerId: string) {
    const f = await followers.touchSubscribed(tx, accountId, consumerId);
    if (!f) throw new AppError('failed_precondition', 'follow this account first');
    return f;
  }

  /** Records an event in the thread history and pushes it (if the account has a server). */
  async function pushEvent(tx: Tx, account: AccountRow, consumerId: string, openid: string, event: string, extra: PushFields, at = new Date()): Promise<bigint | undefined> {
    await writeThreadMessage(tx, hub, { accountId: account.id, consumerId, openid }, 'in', 'consumer', { type: 'event', event, ...flatten(extra) });
    if (!account.callback_url) return undefined;
    return enqueuePush(tx, account.org_id, {
      accountId: account.id,
      consumerId,
      openid,
      fields: eventFields(account.original_id, openid, at, event, extra),
      expectReply: REPLYABLE_EVENTS.has(event),
    });
  }

  async function commitAndKick<T extends { outboxIds: bigint[] }>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(work);
    deps.kick(result.outboxIds);
    return result;
  }

  return {
    pushEvent,

    async follow(ctx: RequestContext, accountId: string, input: FollowInput & { ticket?: string | undefined }): Promise<ActionResult & { isNew: boolean }> {
      const consumerId = requireConsumer(ctx);
      const account = await activeAccount(accountId);
      return commitAndKick(async (tx) => {
        const res = await followers.follow(tx, account, consumerId, input);
        const scene = input.qrSceneStr ?? (input.qrScene != null ? String(input.qrScene) : undefined);
        const qr: PushFields = scene !== undefined ? { Ticket: input.ticket ?? '' } : {};
        const outboxIds: bigint[] = [];
        let id: bigint | undefined;
        if (res.isNew) {
          id = await pushEvent(tx, account, consumerId, res.openid, 'subscribe', { EventKey: scene !== undefined ? `qrscene_${scene}` : '', ...qr });
          if (!account.callback_url && account.welcome_message) {
            await writeThreadMessage(tx, hub, { accountId, consumerId, openid: res.openid }, 'out', 'welcome', { type: 'text', content: account.welcome_message });
          }
        } else if (scene !== undefined) {
          id = await pushEvent(tx, account, consumerId, res.openid, 'SCAN', { EventKey: scene, ...qr });
        }
        if (id !== undefined) outboxIds.push(id);
        return { openid: res.openid, isNew: res.isNew, outboxIds };
      });
    },

    async unfollow(ctx: RequestContext, accountId: string): Promise<ActionResult> {
      const consumerId = requireConsumer(ctx);
      const account = await activeAccount(accountId);
      return commitAndKick(async (tx) => {
        const row = await followers.unfollow(tx, accountId, consumerId);
        if (!row) return { openid: '', outboxIds: [] };
        const id = await pushEvent(tx, account, consumerId, row.openid, 'unsubscribe', { EventKey: '' });
        return { openid: row.openid, outboxIds: id === undefined ? [] : [id] };
      });
    },

    /** The consumer blocks (or unblocks) an account: it can no longer send them anything. */
    async setBlocked(ctx: RequestContext, accountId: string, blocked: boolean): Promise<void> {
      const consumerId = requireConsumer(ctx);
      const f = await followers.findFollow(db, accountId, consumerId);
      if (!f) throw notFound('follow');
      await followers.setBlocked(db, accountId, consumerId, blocked);
    },

    async sendMessage(ctx: RequestContext, accountId: string, content: ConsumerMessage): Promise<ActionResult> {
      const consumerId = requireConsumer(ctx);
      const account = await activeAccount(accountId);
      return commitAndKick(async (tx) => {
        const f = await interact(tx, accountId, consumerId);
        const target = { accountId, consumerId, openid: f.openid };
        const msg = await writeThreadMessage(tx, hub, target, 'in', 'consumer', content);
        if (!msg) throw new AppError('internal', 'message not stored');
        const outboxIds: bigint[] = [];
        if (await deps.isBlacklisted(tx, accountId, consumerId)) {
          // Stored in the consumer's own thread, never delivered to a merchant that blacklisted them.
        } else if (account.callback_url) {
          const id = await enqueuePush(tx, account.org_id, {
            accountId,
            consumerId,
            openid: f.openid,
            fields: messageFields(account.original_id, f.openid, msg.id, msg.created_at, content),
            expectReply: true,
          });
          if (id !== undefined) outboxIds.push(id);
        } else if (content.type === 'text') {
          const reply = await accounts.matchAutoReply(tx, accountId, content.content);
          if (reply) await writeThreadMessage(tx, hub, target, 'out', 'auto_reply', { type: 'text', content: reply });
        }
        return { openid: f.openid, outboxIds, message: presentMessage(msg) };
      });
    },

    /** A menu tap, scan result or location report, pushed as an event. */
    async sendEvent(ctx: RequestContext, accountId: string, event: string, extra: PushFields): Promise<ActionResult> {
      const consumerId = requireConsumer(ctx);
      const account = await activeAccount(accountId);
      return commitAndKick(async (tx) => {
        const f = await interact(tx, accountId, consumerId);
        if (await deps.isBlacklisted(tx, accountId, consumerId)) return { openid: f.openid, outboxIds: [] };
        const id = await pushEvent(tx, account, consumerId, f.openid, event, extra);
        return { openid: f.openid, outboxIds: id === undefined ? [] : [id] };
      });
    },

    async messages(ctx: RequestContext, accountId: string, opts: { before?: bigint | undefined; after?: bigint | undefined; limit?: number | undefined } = {}): Promise<MessageView[]> {
      const consumerId = requireConsumer(ctx);
      let q = db.selectFrom('messages').selectAll().where('consumer_id', '=', consumerId).where('account_id', '=', accountId).where('msg_type', '!=', 'event');
      if (opts.before !== undefined) q = q.where('id', '<', opts.before);
      if (opts.after !== undefined) q = q.where('id', '>', opts.after);
      const rows = await q.orderBy('id', opts.after !== undefined ? 'asc' : 'desc').limit(Math.min(opts.limit ?? 50, 200)).execute();
      if (opts.after === undefined) rows.reverse();
      return rows.map(presentMessage);
    },

    async threads(ctx: RequestContext) {
      const consumerId = requireConsumer(ctx);
      const rows = await db
        .selectFrom('follows')
        .innerJoin('official_accounts as a', 'a.id', 'follows.account_id')
        .leftJoin('thread_reads as r', (j) => j.onRef('r.account_id', '=', 'follows.account_id').onRef('r.consumer_id', '=', 'follows.consumer_id'))
        .select([
          'a.id',
          'a.name',
          'a.avatar_url',
          'a.type',
          'follows.subscribed',
          'follows.blocked',
          sql<bigint | null>`(select max(m.id) from messages m where m.account_id = follows.account_id and m.consumer_id = follows.consumer_id and m.msg_type <> 'event')`.as('last_id'),
          sql<bigint>`(select count(*) from messages m where m.account_id = follows.account_id and m.consumer_id = follows.consumer_id and m.direction = 'out' and m.id > coalesce(r.last_read_id, 0))`.as('unread'),
        ])
        .where('follows.consumer_id', '=', consumerId)
        .where('follows.subscribed', '=', true)
        .execute();
      const lastIds = rows.map((r) => r.last_id).filter((x): x is bigint => x !== null);
      const last = lastIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', lastIds).execute() : [];
      const byId = new Map(last.map((m) => [String(m.id), presentMessage(m)]));
      return rows
        .map((r) => ({
          account: { id: r.id, name: r.name, avatarUrl: r.avatar_url, type: r.type },
          blocked: r.blocked,
          unread: Number(r.unread),
          lastMessage: r.last_id === null ? null : (byId.get(String(r.last_id)) ?? null),
        }))
        .sort((a, b) => (b.lastMessage?.createdAt ?? '').localeCompare(a.lastMessage?.createdAt ?? ''));
    },

    async markRead(ctx: RequestContext, accountId: string, upTo: bigint): Promise<void> {
      const consumerId = requireConsumer(ctx);
      await db
        .insertInto('thread_reads')
        .values({ account_id: accountId, consumer_id: consumerId, last_read_id: upTo })
        .onConflict((oc) => oc.columns(['account_id', 'consumer_id']).doUpdateSet({ last_read_id: sql`greatest(thread_reads.last_read_id, excluded.last_read_id)` }))
        .execute();
    },

    /** Realtime loader: a message of this consumer, or undefined. */
    async viewForConsumer(consumerId: string, messageId: string): Promise<MessageView | undefined> {
      const row = await db.selectFrom('messages').selectAll().where('id', '=', BigInt(messageId)).where('consumer_id', '=', consumerId).executeTakeFirst();
      return row ? presentMessage(row) : undefined;
    },
  };
}

function flatten(extra: PushFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  return out;
}
