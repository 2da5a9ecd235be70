import { Buffer } from 'node:buffer';
import type { Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { isSystem } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { Tx } from '../../platform/database.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { AccountRow } from '../accounts/service.ts';
import { consumeQuota } from '../accounts/quota.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import { checkMedia, lockFollow, type NotificationDeps } from './deps.ts';
import { checkMassMessage, massThreadContent, type MassMessage, type NewsResolver } from './mass-content.ts';
import { failMassJob, MASS_JOB_KIND, notifyFinished, runMassJob, type RunOptions } from './mass-runner.ts';
import { LIMITS, wx } from './rules.ts';
import type { MassAudience, MassJobStatus, MassJobsTable } from './tables.ts';

export type MassTarget = { kind: 'all' } | { kind: 'tag'; tagId: number } | { kind: 'openids'; openids: readonly string[] };

/** Where tag audiences come from (the tags module): the tag or 45159, and its subscribed members by page. */
export interface TagAudience {
  get(ctx: RequestContext, accountId: string, tagId: number): Promise<unknown>;
  members(ctx: RequestContext, accountId: string, tagId: number, nextOpenid: string | undefined): Promise<string[]>;
}

export interface MassDeps extends NotificationDeps {
  tags: TagAudience;
  resolveNews?: NewsResolver | undefined;
}

export interface MassJobView {
  msgId: bigint;
  audience: MassAudience;
  msgtype: string;
  status: MassJobStatus;
  total: number;
  sent: number;
  /** Left out: blocked, unsubscribed, or over the monthly limit. */
  filtered: number;
  errors: number;
  createdAt: Date;
  finishedAt: Date | null;
}

const presentJob = (j: Selectable<MassJobsTable>): MassJobView => ({
  msgId: j.id,
  audience: j.audience,
  msgtype: j.msgtype,
  status: j.status,
  total: j.total_count,
  sent: j.sent_count,
  filtered: j.filtered_count,
  errors: j.error_count,
  createdAt: j.created_at,
  finishedAt: j.finished_at,
});

/** msg_status of `mass/get`. */
export const MSG_STATUS: Record<MassJobStatus, string> = { sending: 'SENDING', success: 'SEND_SUCCESS', fail: 'SEND_FAIL', deleted: 'DELETE' };

const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

/**
 * One mass send a day for subscription accounts; 100 calls a day for service accounts, whose
 * followers each receive at most 4 a month (enforced per follower at delivery).
 */
async function consumeMassQuota(tx: Tx, account: AccountRow): Promise<void> {
  const limit = account.type === 'subscription' ? LIMITS.massPerDaySubscription : LIMITS.massPerDayService;
  try {
    await consumeQuota(tx, account.id, 'mass_send', limit);
  } catch (err) {
    if (isAppError(err) && err.wxErrcode === 45009) throw wx.noMassQuota();
    throw err;
  }
}

export type MassService = ReturnType<typeof createMassService>;

/**
 * Mass messages (broadcasts): `submit` records a job and returns its msg_id at once; the outbox
 * worker delivers it in batches (mass-runner.ts) and pushes `MASSSENDJOBFINISH` with the counts.
 */
export function createMassService(deps: MassDeps) {
  const { db, hub, accounts, followers } = deps;

  async function ownJob(ctx: RequestContext, accountId: string, msgId: bigint | undefined) {
    requirePermission(ctx, 'broadcast');
    await accounts.ownAccount(ctx, accountId);
    if (msgId === undefined) throw wx.invalidMsgId();
    const job = await db.selectFrom('mass_jobs').selectAll().where('id', '=', msgId).where('account_id', '=', accountId).executeTakeFirst();
    if (!job) throw wx.invalidMsgId();
    return job;
  }

  return {
    async submit(ctx: RequestContext, accountId: string, target: MassTarget, message: MassMessage, opts: { clientmsgid?: string | undefined } = {}): Promise<{ msgId: bigint; msgDataId: bigint | null }> {
      requirePermission(ctx, 'broadcast');
      const account = await accounts.ownAccount(ctx, accountId);
      const clientmsgid = opts.clientmsgid || undefined;
      if (clientmsgid && Buffer.byteLength(clientmsgid, 'utf8') > LIMITS.clientMsgIdBytes) throw wx.clientMsgIdTooLong();
      checkMassMessage(message);
      let openids: string[] | null = null;
      if (target.kind === 'openids') {
        if (target.openids.length < LIMITS.massOpenidsMin || target.openids.length > LIMITS.massOpenidsMax) throw wx.openidListSize();
        openids = [...new Set(target.openids)];
        const known = await followers.byOpenids(ctx, accountId, openids);
        if (known.length !== openids.length) throw wx.invalidOpenid();
      }
      if (target.kind === 'tag') await deps.tags.get(ctx, accountId, target.tagId);
      const content = await massThreadContent(message, accountId, deps.resolveNews);
      await checkMedia(deps, ctx, content);
      const existing = async (executor: Pick<Tx, 'selectFrom'>) =>
        clientmsgid ? executor.selectFrom('mass_jobs').select('id').where('account_id', '=', accountId).where('clientmsgid', '=', clientmsgid).executeTakeFirst() : undefined;
      try {
        const r = await db.transaction().execute(async (tx) => {
          const dup = await existing(tx);
          if (dup) throw wx.clientMsgIdExists(dup.id);
          await consumeMassQuota(tx, account);
          const job = await tx
            .insertInto('mass_jobs')
            .values({
              account_id: accountId,
              org_id: account.org_id,
              audience: target.kind,
              tag_id: target.kind === 'tag' ? target.tagId : null,
              openids: openids ? JSON.stringify(openids) : null,
              msgtype: message.msgtype,
              content: JSON.stringify(content),
              clientmsgid: clientmsgid ?? null,
              msg_data_id: null,
              status: 'sending',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          // The id of the article data for statistics (only news has one).
          const msgDataId = message.msgtype === 'mpnews' ? job.id + 1_000_000_000n : null;
          if (msgDataId !== null) await tx.updateTable('mass_jobs').set({ msg_data_id: msgDataId }).where('id', '=', job.id).execute();
          const outboxId = await enqueue(tx, { kind: MASS_JOB_KIND, tenantId: account.org_id, payload: { jobId: job.id.toString(), round: 0 }, dedupeKey: `${MASS_JOB_KIND}:${job.id}:0` });
          return { msgId: job.id, msgDataId, outboxId };
        });
        deps.kick([r.outboxId]);
        return { msgId: r.msgId, msgDataId: r.msgDataId };
      } catch (err) {
        const dup = isUniqueViolation(err) ? await existing(db) : undefined;
        if (dup) throw wx.clientMsgIdExists(dup.id);
        throw err;
      }
    },

    /** `mass/preview`: one follower, at once; counts toward no quota. */
    async preview(ctx: RequestContext, accountId: string, touser: string | undefined, message: MassMessage): Promise<{ msgId: bigint }> {
      requirePermission(ctx, 'broadcast');
      const account = await accounts.ownAccount(ctx, accountId);
      checkMassMessage(message);
      const follow = await followers.byOpenid(ctx, accountId, touser);
      const content = await massThreadContent(message, accountId, deps.resolveNews);
      await checkMedia(deps, ctx, content);
      return db.transaction().execute(async (tx) => {
        const f = await lockFollow(tx, accountId, follow.consumer_id);
        if (!f?.subscribed) throw wx.requireSubscribe();
        if (f.blocked) throw wx.userRefused();
        const job = await tx
          .insertInto('mass_jobs')
          .values({
            account_id: accountId,
            org_id: account.org_id,
            audience: 'preview',
            tag_id: null,
            openids: null,
            msgtype: message.msgtype,
            content: JSON.stringify(content),
            clientmsgid: null,
            msg_data_id: null,
            status: 'success',
            expanded: true,
            total_count: 1,
            sent_count: 1,
            finished_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // sent_month stays null: a preview is not one of the follower's 4 a month.
        await tx.insertInto('mass_recipients').values({ job_id: job.id, account_id: accountId, consumer_id: f.consumer_id, openid: f.openid, state: 'sent', reason: 'preview', sent_month: null }).execute();
        await writeThreadMessage(tx, hub, { accountId, consumerId: f.consumer_id, openid: f.openid }, 'out', 'mass', content);
        return { msgId: job.id };
      });
    },

    async status(ctx: RequestContext, accountId: string, msgId: bigint | undefined): Promise<{ msgId: bigint; msgStatus: string }> {
      const job = await ownJob(ctx, accountId, msgId);
      return { msgId: job.id, msgStatus: MSG_STATUS[job.status] };
    },

    /** Progress of a job (for the console's progress bar). */
    async progress(ctx: RequestContext, accountId: string, msgId: bigint): Promise<MassJobView> {
      return presentJob(await ownJob(ctx, accountId, msgId));
    },

    async list(ctx: RequestContext, accountId: string, limit = 20): Promise<MassJobView[]> {
      requirePermission(ctx, 'broadcast');
      await accounts.ownAccount(ctx, accountId);
      const rows = await db.selectFrom('mass_jobs').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(Math.min(Math.max(limit, 1), 100)).execute();
      return rows.map(presentJob);
    },

    /**
     * `mass/delete`: the message is withdrawn (msg_status DELETE). Followers who received it keep the
     * card, as on WeChat; a job still sending stops, its remaining followers counted as filtered.
     */
    async remove(ctx: RequestContext, accountId: string, msgId: bigint | undefined): Promise<void> {
      await ownJob(ctx, accountId, msgId);
      await db.transaction().execute(async (tx) => {
        const job = await tx.selectFrom('mass_jobs').selectAll().where('id', '=', msgId ?? 0n).forUpdate().executeTakeFirstOrThrow();
        if (job.status === 'deleted') return;
        let dropped = 0;
        if (job.status === 'sending') {
          const res = await tx.updateTable('mass_recipients').set({ state: 'filtered', reason: 'deleted' }).where('job_id', '=', job.id).where('state', '=', 'pending').executeTakeFirst();
          dropped = Number(res.numUpdatedRows);
        }
        await tx
          .updateTable('mass_jobs')
          .set((eb) => ({ status: 'deleted', filtered_count: eb('filtered_count', '+', dropped), finished_at: job.finished_at ?? new Date() }))
          .where('id', '=', job.id)
          .execute();
      });
    },

    /** The worker's entry point: delivers a job's pending recipients (system context only). */
    async runJob(ctx: RequestContext, msgId: bigint, opts: RunOptions = {}): Promise<'done' | 'more'> {
      if (!isSystem(ctx)) throw new AppError('permission_denied', 'system only');
      return runMassJob(deps, msgId, opts);
    },

    /** The worker gave up on a job: SEND_FAIL (in the worker's transaction); the merchant is told next. */
    async failJob(ctx: RequestContext, tx: Tx, msgId: bigint): Promise<void> {
      if (!isSystem(ctx)) throw new AppError('permission_denied', 'system only');
      await failMassJob(tx, msgId);
    },

    /** Pushes MASSSENDJOBFINISH for a job that ended without the runner (system context only). */
    async notifyFinished(ctx: RequestContext, msgId: bigint, status: string): Promise<void> {
      if (!isSystem(ctx)) throw new AppError('permission_denied', 'system only');
      await notifyFinished(deps, msgId, status);
    },
  };
}
