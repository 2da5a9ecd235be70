import type { Selectable } from 'kysely';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import { quotaUsed } from '../accounts/quota.ts';
import type { UploadedFile } from '../media/service.ts';
import type { MessageContent } from '../messaging/model.ts';
import type { TagView } from '../tags/service.ts';
import '../identity/tables.ts';
import type { MassService, MassTarget } from './mass.ts';
import type { MassMessage } from './mass-content.ts';
import { cstMonth, LIMITS } from './rules.ts';
import type { MassJobsTable, MassJobStatus, TemplateSendStatus } from './tables.ts';
import type { TemplateSendInput, TemplateService } from './templates.ts';
import { TEMPLATE_LIBRARY, type LibraryTemplate } from './template-library.ts';

/** What the console's broadcast pages need besides the notifications services. */
export interface BroadcastConsoleDeps {
  db: Db;
  accounts: Pick<AccountsService, 'ownAccount'>;
  tags: { list(ctx: RequestContext, accountId: string): Promise<TagView[]> };
  templates: TemplateService;
  mass: MassService;
  media: { uploadTemporary(ctx: RequestContext, type: unknown, file: UploadedFile | undefined): Promise<{ media_id: string }> };
}

export interface BroadcastQuota {
  accountType: 'service' | 'subscription';
  /** Broadcasts the account may start per CST day, used today, and left. */
  perDay: number;
  usedToday: number;
  leftToday: number;
  /** Service accounts: each follower receives at most this many a month (null: no such limit). */
  perFollowerMonth: number | null;
  /** Subscribed followers, and those who already received their monthly share this month. */
  followers: number;
  followersAtMonthlyLimit: number;
}

/** A broadcast's progress and final report, counted from its recipient rows. */
export interface BroadcastReport {
  msgId: bigint;
  audience: 'all' | 'tag' | 'openids' | 'preview';
  tagId: number | null;
  msgtype: string;
  summary: string;
  status: MassJobStatus;
  done: boolean;
  total: number;
  sent: number;
  failed: number;
  /** Left out: blocked the account, unfollowed since, reached the monthly limit, or withdrawn. */
  filtered: number;
  blocked: number;
  unsubscribed: number;
  monthlyLimit: number;
  pending: number;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface Recipient {
  openid: string;
  nickname: string;
  blocked: boolean;
}

/** One line saying what a broadcast was. */
export function summarize(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return [...content.content].slice(0, 60).join('');
    case 'news':
      return content.articles[0]?.title ?? '';
    case 'image':
      return '[image]';
    default:
      return `[${content.type}]`;
  }
}

export type BroadcastConsole = ReturnType<typeof createBroadcastConsole>;

/**
 * The console's side of templates and broadcasts (permission `broadcast`): the member's permission
 * and the account's ownership are checked first, then the OA services run as that account (the same
 * path as the merchant's own server on the WeChat wire: quotas, media ownership, the background job).
 */
export function createBroadcastConsole(deps: BroadcastConsoleDeps) {
  const { db, accounts, templates, mass } = deps;

  async function asAccount(ctx: RequestContext, accountId: string): Promise<{ account: AccountRow; actx: RequestContext }> {
    requirePermission(ctx, 'broadcast');
    const account = await accounts.ownAccount(ctx, accountId);
    return { account, actx: makeContext({ kind: 'app', orgId: account.org_id, accountId: account.id }, ctx.requestId) };
  }

  async function report(accountId: string, job: Selectable<MassJobsTable>): Promise<BroadcastReport> {
    const rows = await db
      .selectFrom('mass_recipients')
      .select(['state', 'reason', (eb) => eb.fn.countAll<bigint>().as('n')])
      .where('job_id', '=', job.id)
      .where('account_id', '=', accountId)
      .groupBy(['state', 'reason'])
      .execute();
    const count = (state: string, reason?: string) => rows.filter((r) => r.state === state && (reason === undefined || r.reason === reason)).reduce((n, r) => n + Number(r.n), 0);
    return {
      msgId: job.id,
      audience: job.audience,
      tagId: job.tag_id,
      msgtype: job.msgtype,
      summary: summarize(job.content as MessageContent),
      status: job.status,
      done: job.status !== 'sending',
      total: job.total_count,
      sent: job.sent_count,
      failed: job.error_count,
      filtered: job.filtered_count,
      blocked: count('filtered', 'blocked'),
      unsubscribed: count('filtered', 'unsubscribed'),
      monthlyLimit: count('filtered', 'monthly_limit'),
      pending: job.expanded ? count('pending') : job.total_count,
      createdAt: job.created_at,
      finishedAt: job.finished_at,
    };
  }

  const jobOf = (accountId: string, msgId: bigint) => db.selectFrom('mass_jobs').selectAll().where('account_id', '=', accountId).where('id', '=', msgId).executeTakeFirst();

  return {
    templates: {
      async library(ctx: RequestContext, accountId: string): Promise<readonly LibraryTemplate[]> {
        await asAccount(ctx, accountId);
        return TEMPLATE_LIBRARY;
      },
      async list(ctx: RequestContext, accountId: string) {
        const { actx } = await asAccount(ctx, accountId);
        return templates.list(actx, accountId);
      },
      async add(ctx: RequestContext, accountId: string, input: { shortId: string } | { title: string; content: string; example?: string | undefined }) {
        const { actx } = await asAccount(ctx, accountId);
        return 'shortId' in input ? templates.addFromLibrary(actx, accountId, input.shortId) : templates.create(actx, accountId, input);
      },
      async remove(ctx: RequestContext, accountId: string, templateId: string) {
        const { actx } = await asAccount(ctx, accountId);
        await templates.remove(actx, accountId, templateId);
      },
      async send(ctx: RequestContext, accountId: string, input: TemplateSendInput) {
        const { actx } = await asAccount(ctx, accountId);
        return templates.send(actx, accountId, input);
      },
      /** The outcome of a send (what TEMPLATESENDJOBFINISH told the merchant's server). */
      async sendStatus(ctx: RequestContext, accountId: string, msgid: bigint): Promise<{ msgid: bigint; openid: string; templateId: string; status: TemplateSendStatus; createdAt: Date }> {
        await asAccount(ctx, accountId);
        const row = await db.selectFrom('template_sends').selectAll().where('account_id', '=', accountId).where('msgid', '=', msgid).executeTakeFirst();
        if (!row) throw new AppError('not_found', 'template message not found');
        return { msgid: row.msgid, openid: row.openid, templateId: row.template_id, status: row.status, createdAt: row.created_at };
      },
    },

    async quota(ctx: RequestContext, accountId: string): Promise<BroadcastQuota> {
      const { account } = await asAccount(ctx, accountId);
      const perDay = account.type === 'subscription' ? LIMITS.massPerDaySubscription : LIMITS.massPerDayService;
      const usedToday = await quotaUsed(db, accountId, 'mass_send');
      const followers = await db.selectFrom('follows').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', accountId).where('subscribed', '=', true).executeTakeFirstOrThrow();
      let atLimit = 0;
      if (account.type === 'service') {
        const full = await db
          .selectFrom('mass_recipients')
          .select('consumer_id')
          .where('account_id', '=', accountId)
          .where('state', '=', 'sent')
          .where('sent_month', '=', cstMonth())
          .groupBy('consumer_id')
          .having((eb) => eb.fn.countAll(), '>=', LIMITS.massPerFollowerMonth)
          .execute();
        atLimit = full.length;
      }
      return {
        accountType: account.type,
        perDay,
        usedToday,
        leftToday: Math.max(perDay - usedToday, 0),
        perFollowerMonth: account.type === 'service' ? LIMITS.massPerFollowerMonth : null,
        followers: Number(followers.n),
        followersAtMonthlyLimit: atLimit,
      };
    },

    /** Who a broadcast can go to: everyone (subscribed followers) or one of the account's tags. */
    async audiences(ctx: RequestContext, accountId: string): Promise<{ all: number; tags: TagView[] }> {
      const { actx } = await asAccount(ctx, accountId);
      const all = await db.selectFrom('follows').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', accountId).where('subscribed', '=', true).executeTakeFirstOrThrow();
      return { all: Number(all.n), tags: await deps.tags.list(actx, accountId) };
    },

    /** Subscribed followers whose nickname contains `q` (or whose openid is `q`), to pick one for a preview or a template. */
    async recipients(ctx: RequestContext, accountId: string, q: string): Promise<Recipient[]> {
      await asAccount(ctx, accountId);
      const term = q.trim();
      let query = db
        .selectFrom('follows as f')
        .innerJoin('consumers as c', 'c.id', 'f.consumer_id')
        .select(['f.openid', 'c.nickname', 'f.blocked'])
        .where('f.account_id', '=', accountId)
        .where('f.subscribed', '=', true);
      if (term) {
        const like = `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        query = query.where((eb) => eb.or([eb('f.openid', '=', term), eb('c.nickname', 'ilike', like)]));
      }
      const rows = await query.orderBy('f.subscribe_time', 'desc').orderBy('f.openid').limit(20).execute();
      return rows.map((r) => ({ openid: r.openid, nickname: r.nickname, blocked: r.blocked }));
    },

    /** An image to broadcast (kept 3 days, like `media/upload`). */
    async uploadImage(ctx: RequestContext, accountId: string, file: UploadedFile | undefined): Promise<{ mediaId: string }> {
      const { actx } = await asAccount(ctx, accountId);
      const r = await deps.media.uploadTemporary(actx, 'image', file);
      return { mediaId: r.media_id };
    },

    async preview(ctx: RequestContext, accountId: string, openid: string, message: MassMessage): Promise<{ msgId: bigint }> {
      const { actx } = await asAccount(ctx, accountId);
      return mass.preview(actx, accountId, openid, message);
    },

    /** Starts the background job (the same as `mass/sendall`); its progress is `report`. */
    async send(ctx: RequestContext, accountId: string, target: Extract<MassTarget, { kind: 'all' } | { kind: 'tag' }>, message: MassMessage): Promise<BroadcastReport> {
      const { actx } = await asAccount(ctx, accountId);
      const { msgId } = await mass.submit(actx, accountId, target, message);
      const job = await jobOf(accountId, msgId);
      if (!job) throw new AppError('internal', 'broadcast vanished');
      return report(accountId, job);
    },

    async report(ctx: RequestContext, accountId: string, msgId: bigint): Promise<BroadcastReport> {
      await asAccount(ctx, accountId);
      const job = await jobOf(accountId, msgId);
      if (!job || job.audience === 'preview') throw new AppError('not_found', 'broadcast not found');
      return report(accountId, job);
    },

    /** Past broadcasts, newest first, each with its report (previews are not broadcasts). */
    async history(ctx: RequestContext, accountId: string, limit = 20): Promise<BroadcastReport[]> {
      await asAccount(ctx, accountId);
      const jobs = await db
        .selectFrom('mass_jobs')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('audience', '!=', 'preview')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(limit, 1), 100))
        .execute();
      return Promise.all(jobs.map((j) => report(accountId, j)));
    },
  };
}
