import type { Selectable } from 'kysely';
import { z } from 'zod';
import { requireConsumer, requireOperator, type RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { OperatorMerchantsService } from './merchants.ts';
import { REPORT_CATEGORIES, type AccountReportsTable, type ReportCategory, type ReportResolution } from './tables.ts';
import './tables.ts';
import '../accounts/tables.ts';

export interface ReportView {
  id: string;
  accountId: string;
  accountName: string;
  accountStatus: 'active' | 'suspended';
  orgId: string;
  orgName: string;
  consumerId: string;
  consumerNickname: string;
  category: ReportCategory;
  text: string;
  status: 'open' | 'resolved';
  resolution: ReportResolution | null;
  note: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

const ReportInput = z.object({ category: z.enum(REPORT_CATEGORIES), text: z.string().trim().max(1000).default('') });
const notFound = () => new AppError('not_found', 'report not found');

export type AccountReportsService = ReturnType<typeof createAccountReportsService>;

/** Consumers report abusive accounts; operators work the queue: dismiss, warn (a note), suspend (issue 6). */
export function createAccountReportsService(deps: { db: Db; merchants: Pick<OperatorMerchantsService, 'setAccountStatus' | 'suspend'> }) {
  const { db, merchants } = deps;

  const base = () =>
    db
      .selectFrom('account_reports as r')
      .innerJoin('official_accounts as a', 'a.id', 'r.account_id')
      .innerJoin('organizations as o', 'o.id', 'a.org_id')
      .innerJoin('consumers as c', 'c.id', 'r.consumer_id')
      .selectAll('r')
      .select(['a.name as account_name', 'a.status as account_status', 'o.id as org_id', 'o.name as org_name', 'c.nickname as consumer_nickname']);

  type Joined = Selectable<AccountReportsTable> & { account_name: string; account_status: 'active' | 'suspended'; org_id: string; org_name: string; consumer_nickname: string };
  const present = (r: Joined): ReportView => ({
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name,
    accountStatus: r.account_status,
    orgId: r.org_id,
    orgName: r.org_name,
    consumerId: r.consumer_id,
    consumerNickname: r.consumer_nickname,
    category: r.category,
    text: r.text,
    status: r.status,
    resolution: r.resolution,
    note: r.note,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  });

  return {
    /** A consumer reports an account; one open report per consumer per account (a repeat answers 409). */
    async report(ctx: RequestContext, accountId: string, input: { category: string; text?: string | undefined }): Promise<{ id: string; status: 'open' }> {
      const consumerId = requireConsumer(ctx);
      const body = ReportInput.parse(input);
      const account = await db.selectFrom('official_accounts').select('id').where('id', '=', accountId).executeTakeFirst();
      if (!account) throw new AppError('not_found', 'account not found');
      const row = await db
        .insertInto('account_reports')
        .values({ id: newId('rpt'), account_id: accountId, consumer_id: consumerId, category: body.category, text: body.text })
        .onConflict((oc) => oc.columns(['account_id', 'consumer_id']).where('status', '=', 'open').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new AppError('conflict', 'you already reported this account; the platform is reviewing it', { details: { reason: 'REPORT_OPEN' } });
      return { id: row.id, status: 'open' };
    },

    async list(ctx: RequestContext, status: 'open' | 'resolved' = 'open'): Promise<ReportView[]> {
      requireOperator(ctx);
      const rows = await base().where('r.status', '=', status).orderBy('r.created_at', status === 'open' ? 'asc' : 'desc').limit(200).execute();
      return rows.map(present);
    },

    /**
     * Resolves an open report: `dismissed` (no action), `warned` (the note records the warning), or
     * `suspended` (the account is suspended, and with `suspendOrg` its whole organisation).
     */
    async resolve(ctx: RequestContext, id: string, input: { action: ReportResolution; note?: string | undefined; suspendOrg?: boolean | undefined }): Promise<ReportView> {
      const operatorId = requireOperator(ctx);
      const note = z.string().trim().max(500).parse(input.note ?? '');
      if (input.action === 'warned' && !note) throw new AppError('invalid_argument', 'a warning needs a note', { details: { issues: [{ path: 'note', message: 'required for a warning' }] } });
      const found = await db.selectFrom('account_reports as r').innerJoin('official_accounts as a', 'a.id', 'r.account_id').select(['r.status', 'r.account_id', 'a.org_id']).where('r.id', '=', id).executeTakeFirst();
      if (!found) throw notFound();
      if (found.status !== 'open') throw new AppError('failed_precondition', 'this report is already resolved', { details: { reason: 'REPORT_RESOLVED' } });
      if (input.action === 'suspended') {
        if (input.suspendOrg) {
          const org = await db.selectFrom('organizations').select('status').where('id', '=', found.org_id).executeTakeFirstOrThrow();
          if (org.status !== 'suspended') await merchants.suspend(ctx, found.org_id, note || 'suspended after a consumer report');
        } else {
          await merchants.setAccountStatus(ctx, found.account_id, 'suspended');
        }
      }
      // Suspending resolves every open report of the account; dismiss / warn resolve this one.
      let q = db.updateTable('account_reports').set({ status: 'resolved', resolution: input.action, note, resolved_by: operatorId, resolved_at: new Date() }).where('status', '=', 'open');
      q = input.action === 'suspended' ? q.where('account_id', '=', found.account_id) : q.where('id', '=', id);
      await q.execute();
      const row = await base().where('r.id', '=', id).executeTakeFirst();
      if (!row) throw notFound();
      return present(row);
    },
  };
}
