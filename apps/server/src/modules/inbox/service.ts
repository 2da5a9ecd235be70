import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { permissionsOf, requirePermission, type Permission } from '../../platform/permissions.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { FollowersService } from '../followers/service.ts';
import { presentMessage, type MessageView } from '../messaging/model.ts';
import type { CustomMessageService } from '../notifications/cs.ts';
import { LIMITS } from '../notifications/rules.ts';
import type { ConversationStatus } from './tables.ts';
import { computeWindow, type ReplyWindow } from './window.ts';
import './tables.ts';
import '../identity/tables.ts';
import '../messaging/tables.ts';

export interface ConversationView {
  accountId: string;
  accountName: string;
  openid: string;
  consumer: { nickname: string; avatarUrl: string | null };
  remark: string;
  subscribed: boolean;
  lastMessage: MessageView | null;
  unread: number;
  /** The merchant's server answered transfer_customer_service and no agent has replied since. */
  needsAgent: boolean;
  status: ConversationStatus;
  assignee: { id: string; name: string } | null;
  window: ReplyWindow;
}

export interface ConversationFilter {
  accountId?: string | undefined;
  assigned?: 'me' | 'unassigned' | 'all' | undefined;
  status?: ConversationStatus | 'all' | undefined;
  /** Only conversations whose last activity is older than this message id (paging). */
  before?: bigint | undefined;
  limit?: number | undefined;
}

export type ReplyContent = { type: 'text'; content: string } | { type: 'image'; url?: string | undefined; mediaId?: string | undefined };

/** Thread messages the inbox shows: everything but events, plus the transfer_customer_service marker. */
const VISIBLE = sql<boolean>`(m.msg_type <> 'event' or m.source = 'system')`;

/** The caller may read threads through the inbox or the followers CRM. */
function requireAny(ctx: RequestContext, perms: readonly Permission[]): string {
  const mine = permissionsOf(ctx);
  const ok = perms.find((p) => mine.includes(p));
  return requirePermission(ctx, ok ?? perms[0] ?? 'inbox');
}

export type InboxService = ReturnType<typeof createInboxService>;

/**
 * The customer-service inbox: conversations (account × consumer) of the organisation's accounts with
 * their last message, unread count, reply window and assignee; replies go through the customer-service
 * message service, so the 48-hour rule and delivery to the consumer are the OA API's own.
 */
export function createInboxService(deps: { db: Db; accounts: Pick<AccountsService, 'ownAccount'>; followers: Pick<FollowersService, 'byOpenid'>; customMessages: CustomMessageService }) {
  const { db, accounts, followers, customMessages } = deps;

  async function query(orgId: string, userId: string | undefined, f: ConversationFilter & { consumerId?: string }): Promise<ConversationView[]> {
    const inner = db
      .selectFrom('follows as f')
      .innerJoin('official_accounts as a', 'a.id', 'f.account_id')
      .innerJoin('consumers as p', 'p.id', 'f.consumer_id')
      .leftJoin('inbox_conversations as c', (j) => j.onRef('c.account_id', '=', 'f.account_id').onRef('c.consumer_id', '=', 'f.consumer_id'))
      .leftJoin('merchant_users as u', 'u.id', 'c.assignee_id')
      .leftJoin('follower_remarks as r', (j) => j.onRef('r.account_id', '=', 'f.account_id').onRef('r.openid', '=', 'f.openid'))
      .select([
        'f.account_id',
        'f.consumer_id',
        'f.openid',
        'f.subscribed',
        'f.blocked',
        'f.last_interaction_at',
        'a.name as account_name',
        'p.nickname',
        'p.avatar_url',
        'r.remark',
        'c.status',
        'c.assignee_id',
        'u.name as assignee_name',
        sql<bigint | null>`(select max(m.id) from messages m where m.account_id = f.account_id and m.consumer_id = f.consumer_id and ${VISIBLE})`.as('last_id'),
        sql<bigint>`(select count(*) from messages m where m.account_id = f.account_id and m.consumer_id = f.consumer_id and m.direction = 'in' and m.msg_type <> 'event' and m.id > coalesce(c.last_read_id, 0))`.as('unread'),
        sql<bigint>`(select count(*) from messages m where m.account_id = f.account_id and m.consumer_id = f.consumer_id and m.source = 'cs' and m.created_at > f.last_interaction_at)`.as('cs_sent'),
        sql<boolean>`exists(select 1 from messages m where m.account_id = f.account_id and m.consumer_id = f.consumer_id and m.source = 'system' and m.msg_type = 'event'
          and m.id > coalesce((select max(o.id) from messages o where o.account_id = f.account_id and o.consumer_id = f.consumer_id and o.source = 'cs'), 0))`.as('needs_agent'),
      ])
      .where('a.org_id', '=', orgId)
      .$if(f.accountId !== undefined, (q) => q.where('f.account_id', '=', f.accountId ?? ''))
      .$if(f.consumerId !== undefined, (q) => q.where('f.consumer_id', '=', f.consumerId ?? ''))
      .$if(f.assigned === 'me', (q) => q.where('c.assignee_id', '=', userId ?? ''))
      .$if(f.assigned === 'unassigned', (q) => q.where('c.assignee_id', 'is', null));
    let q = db.selectFrom(inner.as('t')).selectAll().where('t.last_id', 'is not', null);
    // A closed conversation with unread consumer messages is open again.
    if (f.status === 'open') q = q.where((eb) => eb.or([eb('t.status', 'is', null), eb('t.status', '=', 'open'), eb('t.unread', '>', 0n)]));
    if (f.status === 'closed') q = q.where('t.status', '=', 'closed').where('t.unread', '=', 0n);
    if (f.before !== undefined) q = q.where('t.last_id', '<', f.before);
    const rows = await q.orderBy('t.last_id', 'desc').limit(Math.min(f.limit ?? 30, 100)).execute();
    const lastIds = rows.map((r) => r.last_id).filter((x): x is bigint => x !== null);
    const last = lastIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', lastIds).execute() : [];
    const byId = new Map(last.map((m) => [String(m.id), presentMessage(m)]));
    return rows.map((r) => {
      const unread = Number(r.unread);
      return {
        accountId: r.account_id,
        accountName: r.account_name,
        openid: r.openid,
        consumer: { nickname: r.nickname, avatarUrl: r.avatar_url },
        remark: r.remark ?? '',
        subscribed: r.subscribed,
        lastMessage: r.last_id === null ? null : (byId.get(String(r.last_id)) ?? null),
        unread,
        needsAgent: Boolean(r.needs_agent),
        status: r.status === 'closed' && unread === 0 ? 'closed' : 'open',
        assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
        window: computeWindow({ subscribed: r.subscribed, blocked: r.blocked, lastInteractionAt: r.last_interaction_at, csSent: Number(r.cs_sent) }),
      };
    });
  }

  /** The follow behind an openid of one of the caller's accounts (404 for another org's). */
  async function resolve(ctx: RequestContext, accountId: string, openid: string) {
    await accounts.ownAccount(ctx, accountId);
    try {
      return await followers.byOpenid(ctx, accountId, openid);
    } catch {
      throw notFound('conversation');
    }
  }

  async function upsert(accountId: string, consumerId: string, set: { assignee_id?: string | null; status?: ConversationStatus; last_read_id?: bigint }): Promise<void> {
    await db
      .insertInto('inbox_conversations')
      .values({ account_id: accountId, consumer_id: consumerId, ...set })
      .onConflict((oc) => oc.columns(['account_id', 'consumer_id']).doUpdateSet({ ...set, updated_at: new Date() }))
      .execute();
  }

  const userOf = (ctx: RequestContext) => (ctx.actor.kind === 'merchant' ? ctx.actor.userId : undefined);

  return {
    async list(ctx: RequestContext, filter: ConversationFilter): Promise<ConversationView[]> {
      const orgId = requirePermission(ctx, 'inbox');
      if (filter.accountId !== undefined) await accounts.ownAccount(ctx, filter.accountId);
      return query(orgId, userOf(ctx), filter);
    },

    async get(ctx: RequestContext, accountId: string, openid: string): Promise<ConversationView> {
      const orgId = requireAny(ctx, ['inbox', 'followers']);
      const follow = await resolve(ctx, accountId, openid);
      const [view] = await query(orgId, userOf(ctx), { accountId, consumerId: follow.consumer_id, limit: 1 });
      if (!view) throw notFound('conversation');
      return view;
    },

    /** Messages of the thread, oldest first; `before` pages back (load more). */
    async messages(ctx: RequestContext, accountId: string, openid: string, opts: { before?: bigint | undefined; limit?: number | undefined }): Promise<MessageView[]> {
      requireAny(ctx, ['inbox', 'followers']);
      const follow = await resolve(ctx, accountId, openid);
      let q = db.selectFrom('messages as m').selectAll().where('m.account_id', '=', accountId).where('m.consumer_id', '=', follow.consumer_id).where(VISIBLE);
      if (opts.before !== undefined) q = q.where('m.id', '<', opts.before);
      const rows = await q.orderBy('m.id', 'desc').limit(Math.min(opts.limit ?? 30, 100)).execute();
      return rows.reverse().map(presentMessage);
    },

    /** Assigns the conversation to a member who may use the inbox, or unassigns it (null). */
    async assign(ctx: RequestContext, accountId: string, openid: string, assigneeId: string | null): Promise<ConversationView> {
      const orgId = requirePermission(ctx, 'inbox');
      const follow = await resolve(ctx, accountId, openid);
      if (assigneeId !== null) {
        const member = await db.selectFrom('merchant_users').select(['id', 'role']).where('id', '=', assigneeId).where('org_id', '=', orgId).executeTakeFirst();
        if (!member) throw notFound('member');
        if (member.role === 'finance') throw new AppError('failed_precondition', 'this member cannot use the inbox', { details: { reason: 'ASSIGNEE_CANNOT_USE_INBOX' } });
      }
      await upsert(accountId, follow.consumer_id, { assignee_id: assigneeId });
      return this.get(ctx, accountId, openid);
    },

    async setStatus(ctx: RequestContext, accountId: string, openid: string, status: ConversationStatus): Promise<ConversationView> {
      requirePermission(ctx, 'inbox');
      const follow = await resolve(ctx, accountId, openid);
      const last = await db.selectFrom('messages').select((eb) => eb.fn.max('id').as('id')).where('account_id', '=', accountId).where('consumer_id', '=', follow.consumer_id).executeTakeFirst();
      // Closing reads everything: a later consumer message reopens the conversation.
      await upsert(accountId, follow.consumer_id, status === 'closed' ? { status, last_read_id: BigInt(last?.id ?? 0) } : { status });
      return this.get(ctx, accountId, openid);
    },

    async markRead(ctx: RequestContext, accountId: string, openid: string, upTo: bigint): Promise<void> {
      requirePermission(ctx, 'inbox');
      const follow = await resolve(ctx, accountId, openid);
      await db
        .insertInto('inbox_conversations')
        .values({ account_id: accountId, consumer_id: follow.consumer_id, last_read_id: upTo })
        .onConflict((oc) => oc.columns(['account_id', 'consumer_id']).doUpdateSet({ last_read_id: sql`greatest(inbox_conversations.last_read_id, excluded.last_read_id)`, updated_at: new Date() }))
        .execute();
    },

    /** Answers through the customer-service message service (45015 / 45047 become clear reasons). */
    async reply(ctx: RequestContext, accountId: string, openid: string, content: ReplyContent): Promise<MessageView> {
      requirePermission(ctx, 'inbox');
      await resolve(ctx, accountId, openid);
      let sent: { messageId: bigint };
      try {
        sent = await customMessages.send(ctx, accountId, openid, content.type === 'text' ? content : { type: 'image', url: content.url, mediaId: content.mediaId });
      } catch (err) {
        throw windowError(err);
      }
      const row = await db.selectFrom('messages').selectAll().where('id', '=', sent.messageId).executeTakeFirstOrThrow();
      return presentMessage(row);
    },
  };
}

const REASONS: Record<number, string> = { 45015: 'WINDOW_EXPIRED', 45047: 'REPLY_LIMIT', 43004: 'UNSUBSCRIBED', 43101: 'BLOCKED' };

function windowError(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const reason = REASONS[err.wxErrcode];
  if (!reason) return err;
  return new AppError(err.code, err.message, { wxErrcode: err.wxErrcode, details: { reason, windowHours: LIMITS.csWindowMs / 3600_000, perWindow: LIMITS.csPerWindow } });
}
