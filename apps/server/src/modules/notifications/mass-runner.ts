import { sql, type Selectable } from 'kysely';
import { makeContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/database.ts';
import { isAppError } from '../../platform/errors.ts';
import { enqueue, type DeliveryOutcome, type OutboxHandler, type OutboxRow } from '../../platform/outbox.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import type { MessageContent } from '../messaging/model.ts';
import { enqueuePush, eventFields } from '../messaging/push.ts';
import type { AccountRow } from '../accounts/service.ts';
import type { MassDeps, MassService } from './mass.ts';
import { cstMonth, LIMITS } from './rules.ts';
import type { MassJobsTable, RecipientState } from './tables.ts';

export const MASS_JOB_KIND = 'mass.job';

export interface RunOptions {
  /** Recipients per transaction. */
  batchSize?: number;
  /** Stop after this many batches (the handler then continues in a new outbox row). */
  maxBatches?: number;
  /** …or after this long. */
  budgetMs?: number;
}

type Job = Selectable<MassJobsTable>;
const CHUNK = 1000;

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** A tag's subscribed members, read page by page as the account itself (the job is the account's). */
async function tagMembers(deps: MassDeps, job: Job, tagId: number): Promise<string[]> {
  const ctx = makeContext({ kind: 'app', orgId: job.org_id, accountId: job.account_id });
  const all: string[] = [];
  for (let next: string | undefined; ; ) {
    let page: string[];
    try {
      page = await deps.tags.members(ctx, job.account_id, tagId, next);
    } catch (err) {
      // The tag was deleted after the job was submitted: it has no members left.
      if (isAppError(err) && err.code === 'not_found') return all;
      throw err;
    }
    if (page.length === 0) return all;
    all.push(...page);
    next = page[page.length - 1];
  }
}

/** Snapshots the audience into recipient rows, once (its own transaction). */
async function expand(deps: MassDeps, jobId: bigint): Promise<void> {
  const job = await deps.db.selectFrom('mass_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
  if (!job || job.expanded || job.status !== 'sending') return;
  const tagOpenids = job.audience === 'tag' && job.tag_id !== null ? await tagMembers(deps, job, job.tag_id) : [];
  await deps.db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('mass_jobs').select(['expanded', 'status']).where('id', '=', jobId).forUpdate().executeTakeFirst();
    if (!locked || locked.expanded || locked.status !== 'sending') return;
    const followers = (subscribedOnly: boolean, openids?: readonly string[]) => {
      let q = tx
        .selectFrom('follows')
        .select([sql<bigint>`cast(${jobId.toString()} as bigint)`.as('job_id'), 'account_id', 'consumer_id', 'openid'])
        .where('account_id', '=', job.account_id);
      if (subscribedOnly) q = q.where('subscribed', '=', true);
      if (openids) q = q.where('openid', 'in', openids);
      return tx.insertInto('mass_recipients').columns(['job_id', 'account_id', 'consumer_id', 'openid']).expression(q).execute();
    };
    if (job.audience === 'all') await followers(true);
    // A tag's current subscribed members; an openid list as given (who left is counted as filtered).
    for (const part of chunks(tagOpenids, CHUNK)) await followers(true, part);
    if (job.audience === 'openids') for (const part of chunks((job.openids as string[] | null) ?? [], CHUNK)) await followers(false, part);
    const n = await tx.selectFrom('mass_recipients').select((eb) => eb.fn.countAll<bigint>().as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow();
    await tx.updateTable('mass_jobs').set({ expanded: true, total_count: Number(n.n) }).where('id', '=', jobId).execute();
  });
}

/** The event the merchant's server receives when a job ends (FilterCount = SentCount + ErrorCount, as WeChat defines it). */
async function pushFinished(tx: Tx, account: AccountRow | undefined, job: Job, status: string): Promise<void> {
  if (!account?.callback_url) return;
  const counts = await tx.selectFrom('mass_jobs').select(['total_count', 'sent_count', 'filtered_count', 'error_count']).where('id', '=', job.id).executeTakeFirstOrThrow();
  // Mass results come from the "mphelper" account, not from a follower.
  await enqueuePush(tx, account.org_id, {
    accountId: account.id,
    consumerId: '',
    openid: 'mphelper',
    fields: eventFields(account.original_id, 'mphelper', new Date(), 'MASSSENDJOBFINISH', {
      MsgID: job.id.toString(),
      Status: status,
      TotalCount: counts.total_count,
      FilterCount: counts.sent_count + counts.error_count,
      SentCount: counts.sent_count,
      ErrorCount: counts.error_count,
    }),
    expectReply: false,
  });
}

/** Delivers one batch of pending recipients in one transaction; finishes the job when none is left. */
async function deliverBatch(deps: MassDeps, jobId: bigint, batchSize: number, account: AccountRow | undefined): Promise<'done' | 'more'> {
  return deps.db.transaction().execute(async (tx) => {
    const job = await tx.selectFrom('mass_jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst();
    if (!job || job.status !== 'sending') return 'done';
    const batch = await tx.selectFrom('mass_recipients').selectAll().where('job_id', '=', jobId).where('state', '=', 'pending').orderBy('openid').limit(batchSize).execute();
    if (batch.length > 0) {
      const ids = batch.map((r) => r.consumer_id);
      // Locking the follows (in openid order) serialises concurrent jobs on the monthly limit.
      const follows = await tx.selectFrom('follows').select(['consumer_id', 'subscribed', 'blocked']).where('account_id', '=', job.account_id).where('consumer_id', 'in', ids).orderBy('openid').forUpdate().execute();
      const byConsumer = new Map(follows.map((f) => [f.consumer_id, f]));
      const month = cstMonth();
      const received = new Map<string, number>();
      if (account?.type === 'service') {
        const rows = await tx
          .selectFrom('mass_recipients')
          .select(['consumer_id', (eb) => eb.fn.countAll<bigint>().as('n')])
          .where('account_id', '=', job.account_id)
          .where('consumer_id', 'in', ids)
          .where('state', '=', 'sent')
          .where('sent_month', '=', month)
          .groupBy('consumer_id')
          .execute();
        for (const r of rows) received.set(r.consumer_id, Number(r.n));
      }
      // Each recipient's outcome, grouped by (state, reason) for one update per group.
      const groups = new Map<string, { state: RecipientState; reason: string | null; ids: string[] }>();
      const totals: Record<RecipientState, number> = { pending: 0, sent: 0, filtered: 0, error: 0 };
      const mark = (state: RecipientState, reason: string | null, consumerId: string) => {
        const key = `${state}:${reason ?? ''}`;
        const g = groups.get(key) ?? { state, reason, ids: [] };
        g.ids.push(consumerId);
        groups.set(key, g);
        totals[state]++;
      };
      const content = job.content as MessageContent;
      for (const r of batch) {
        const f = byConsumer.get(r.consumer_id);
        if (!f?.subscribed) mark('filtered', 'unsubscribed', r.consumer_id);
        else if (f.blocked) mark('filtered', 'blocked', r.consumer_id);
        else if (account?.type === 'service' && (received.get(r.consumer_id) ?? 0) >= LIMITS.massPerFollowerMonth) mark('filtered', 'monthly_limit', r.consumer_id);
        else if (!account) mark('error', 'account gone', r.consumer_id);
        else {
          await writeThreadMessage(tx, deps.hub, { accountId: job.account_id, consumerId: r.consumer_id, openid: r.openid }, 'out', 'mass', content);
          mark('sent', null, r.consumer_id);
        }
      }
      for (const g of groups.values()) {
        await tx
          .updateTable('mass_recipients')
          .set({ state: g.state, reason: g.reason, sent_month: g.state === 'sent' ? month : null })
          .where('job_id', '=', jobId)
          .where('consumer_id', 'in', g.ids)
          .execute();
      }
      await tx
        .updateTable('mass_jobs')
        .set((eb) => ({
          sent_count: eb('sent_count', '+', totals.sent),
          filtered_count: eb('filtered_count', '+', totals.filtered),
          error_count: eb('error_count', '+', totals.error),
        }))
        .where('id', '=', jobId)
        .execute();
      if (batch.length === batchSize) return 'more';
    }
    await tx.updateTable('mass_jobs').set({ status: 'success', finished_at: new Date() }).where('id', '=', jobId).execute();
    await pushFinished(tx, account, job, 'send success');
    return 'done';
  });
}

export async function runMassJob(deps: MassDeps, jobId: bigint, opts: RunOptions = {}): Promise<'done' | 'more'> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  const deadline = Date.now() + (opts.budgetMs ?? 10_000);
  const job = await deps.db.selectFrom('mass_jobs').select(['account_id', 'status']).where('id', '=', jobId).executeTakeFirst();
  if (!job || job.status !== 'sending') return 'done';
  // Read before any transaction: on PGlite a query outside the open transaction would wait for it.
  const account = await deps.accounts.findById(job.account_id);
  await expand(deps, jobId);
  for (let i = 0; i < maxBatches; i++) {
    if ((await deliverBatch(deps, jobId, batchSize, account)) === 'done') return 'done';
    if (Date.now() > deadline) break;
  }
  return 'more';
}

interface JobPayload {
  jobId: string;
  round: number;
  /** Only tell the merchant that the job ended with this status. */
  finish?: string;
}

/** A job that could not be delivered after every retry ends as SEND_FAIL; a follow-up row tells the merchant. */
export async function failMassJob(tx: Tx, jobId: bigint): Promise<void> {
  const job = await tx.selectFrom('mass_jobs').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst();
  if (!job || job.status !== 'sending') return;
  await tx.updateTable('mass_jobs').set({ status: 'fail', finished_at: new Date() }).where('id', '=', jobId).execute();
  const payload: JobPayload = { jobId: jobId.toString(), round: -1, finish: 'send fail' };
  await enqueue(tx, { kind: MASS_JOB_KIND, tenantId: job.org_id, payload, dedupeKey: `${MASS_JOB_KIND}:${jobId}:finish` });
}

export async function notifyFinished(deps: MassDeps, jobId: bigint, status: string): Promise<void> {
  const job = await deps.db.selectFrom('mass_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
  if (!job) return;
  const account = await deps.accounts.findById(job.account_id);
  await deps.db.transaction().execute((tx) => pushFinished(tx, account, job, status));
}

/**
 * Outbox handler for `mass.job`: each attempt delivers batches for a while; if recipients remain,
 * a follow-up row continues the job (so no attempt outlives its lease and a crash resumes it).
 */
export function createMassJobHandler(mass: Pick<MassService, 'runJob' | 'failJob' | 'notifyFinished'>, ctx: Parameters<MassService['runJob']>[0], opts: RunOptions = {}): OutboxHandler {
  return {
    kind: MASS_JOB_KIND,
    schedule: [5_000, 30_000, 120_000, 600_000],
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const p = row.payload as JobPayload;
      const request = { method: 'JOB', url: `${MASS_JOB_KIND}/${p.jobId}/${p.finish ? 'finish' : p.round}` };
      if (p.finish) {
        await mass.notifyFinished(ctx, BigInt(p.jobId), p.finish);
        return { ok: true, request };
      }
      const result = await mass.runJob(ctx, BigInt(p.jobId), opts);
      if (result === 'done') return { ok: true, request };
      const next: JobPayload = { jobId: p.jobId, round: p.round + 1 };
      return { ok: true, request, onSuccess: async (tx) => void (await enqueue(tx, { kind: MASS_JOB_KIND, tenantId: row.tenantId, payload: next, dedupeKey: `${MASS_JOB_KIND}:${p.jobId}:${next.round}` })) };
    },
    async onDead(tx, row) {
      await mass.failJob(ctx, tx, BigInt((row.payload as JobPayload).jobId));
    },
  };
}
