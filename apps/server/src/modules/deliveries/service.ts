import { sql, type Selectable } from 'kysely';
import type { Db } from '../../platform/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { DeliveryAttemptsTable } from '../../platform/outbox-tables.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { randomString } from '../../platform/ids.ts';
import '../payments/tables.ts';

export type AttemptRow = Selectable<DeliveryAttemptsTable> & { outbox_status: 'pending' | 'done' | 'dead'; dedupe_key: string | null };

/**
 * Kinds a merchant may send again. Each one's receiver already has to accept the same message twice
 * (the wire retries on its own): pay/refund notifications keep their notification id, webhook
 * deliveries their event id (`lianjie-event-id`), OA pushes their MsgId. Not resendable: `pay.webhook`
 * (the fan-out: resend the delivery to one endpoint instead), `refund.complete` (moves money),
 * `mass.job` (would message every follower again) and any other internal job.
 */
export const RESENDABLE_KINDS = ['pay.notify.v3', 'pay.notify.v2', 'refund.notify.v3', 'refund.notify.v2', 'pay.webhook.delivery', 'oa.push'] as const;
const resendable = (kind: string) => (RESENDABLE_KINDS as readonly string[]).includes(kind);

/** The resend's outbox row carries its origin in its dedupe key: `resend:<original outbox id>:<random>`. */
export const resentFrom = (dedupeKey: string | null): string | null => /^resend:(\d+):/.exec(dedupeKey ?? '')?.[1] ?? null;

export interface AttemptFilter {
  kind?: string | undefined;
  outcome?: 'success' | 'failure' | undefined;
  /** id of the last row of the previous page */
  before?: bigint | undefined;
  limit: number;
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;

/** The org's delivery log (every outbox attempt with tenant_id = org), and resends. Permission `developer`. */
export function createDeliveriesService(deps: { db: Db; kick: (ids: readonly (bigint | undefined)[]) => void }) {
  const { db } = deps;

  const base = (orgId: string) =>
    db
      .selectFrom('delivery_attempts as a')
      .innerJoin('outbox as o', 'o.id', 'a.outbox_id')
      .selectAll('a')
      .select(['o.status as outbox_status', 'o.dedupe_key'])
      .where('a.tenant_id', '=', orgId);

  return {
    resendable,

    async list(ctx: RequestContext, f: AttemptFilter): Promise<{ attempts: AttemptRow[]; nextCursor: string | null }> {
      const orgId = requirePermission(ctx, 'developer');
      let q = base(orgId);
      if (f.kind) q = q.where('a.kind', '=', f.kind);
      if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
      if (f.before !== undefined) q = q.where('a.id', '<', f.before);
      const rows = await q.orderBy('a.id', 'desc').limit(f.limit + 1).execute();
      const more = rows.length > f.limit;
      const page = more ? rows.slice(0, f.limit) : rows;
      return { attempts: page, nextCursor: more ? String(page.at(-1)?.id ?? '') : null };
    },

    async get(ctx: RequestContext, id: bigint): Promise<AttemptRow> {
      const orgId = requirePermission(ctx, 'developer');
      const row = await base(orgId).where('a.id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('not_found', 'delivery attempt not found');
      return row;
    },

    /** A new outbox row of the same kind and payload (its attempts show in the log). 409 while the original is still queued. */
    async resend(ctx: RequestContext, attemptId: bigint): Promise<{ outboxId: string }> {
      const orgId = requirePermission(ctx, 'developer');
      const attempt = await base(orgId).where('a.id', '=', attemptId).executeTakeFirst();
      if (!attempt) throw new AppError('not_found', 'delivery attempt not found');
      if (!resendable(attempt.kind)) throw new AppError('failed_precondition', `${attempt.kind} cannot be resent`, { details: { reason: 'NOT_RESENDABLE' } });
      const id = await db.transaction().execute(async (tx) => {
        const src = await tx.selectFrom('outbox').selectAll().where('id', '=', attempt.outbox_id).where('tenant_id', '=', orgId).forUpdate().executeTakeFirst();
        if (!src) throw new AppError('not_found', 'delivery attempt not found');
        if (src.status === 'pending') throw new AppError('failed_precondition', 'still being delivered; resend once it is done or failed', { details: { reason: 'STILL_QUEUED' } });
        return enqueue(tx, {
          kind: src.kind,
          tenantId: orgId,
          payload: src.payload,
          dedupeKey: `resend:${src.id}:${randomString(12)}`,
          ...(src.ordering_key ? { orderingKey: src.ordering_key } : {}),
        });
      });
      if (id === undefined) throw new AppError('internal', 'resend not queued');
      deps.kick([id]);
      return { outboxId: String(id) };
    },

    /** Every attempt to deliver something about one order of the org (its notifications, refunds, webhooks). `pay.read`. */
    async ofOrder(ctx: RequestContext, outTradeNo: string): Promise<AttemptRow[]> {
      const orgId = requirePermission(ctx, 'pay.read');
      const order = await db.selectFrom('pay_orders').select('id').where('org_id', '=', orgId).where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      if (!order) throw new AppError('not_found', 'order not found', { details: { reason: 'ORDER_NOT_EXIST' } });
      const refundIds = (await db.selectFrom('pay_refunds').select('id').where('order_id', '=', order.id).where('org_id', '=', orgId).execute()).map((r) => r.id);
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'kind', sql<string | null>`payload->>'notificationId'`.as('notification_id')])
        .where('tenant_id', '=', orgId)
        .where((eb) => eb.or([eb(sql<string>`payload->>'orderId'`, '=', order.id), ...(refundIds.length ? [eb(sql<string>`payload->>'refundId'`, 'in', refundIds)] : [])]))
        .execute();
      const eventIds = rows.filter((r) => r.kind === 'pay.webhook' && r.notification_id).map((r) => r.notification_id as string);
      const deliveries = eventIds.length
        ? await db.selectFrom('outbox').select('id').where('tenant_id', '=', orgId).where('kind', '=', 'pay.webhook.delivery').where(sql<string>`payload->>'eventId'`, 'in', eventIds).execute()
        : [];
      const ids = [...rows.map((r) => r.id), ...deliveries.map((r) => r.id)];
      if (ids.length === 0) return [];
      return base(orgId).where('a.outbox_id', 'in', ids).orderBy('a.id', 'asc').execute();
    },
  };
}
