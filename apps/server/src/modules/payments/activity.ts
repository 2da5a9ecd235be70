import type { Db } from '../../platform/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { LedgerAccountKind } from '../ledger/tables.ts';
import '../ledger/tables.ts';
import './tables.ts';

export interface OrderMovement {
  transactionId: string;
  kind: string;
  /** The order id, or one of its refunds' ids. */
  reference: string;
  createdAt: Date;
  entries: { account: LedgerAccountKind; own: boolean; amount: bigint }[];
}

export type PayActivityService = ReturnType<typeof createPayActivityService>;

/** Console reads about one order: its ledger movements (payment, refunds), for the caller's org only. */
export function createPayActivityService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async ledgerOf(ctx: RequestContext, outTradeNo: string): Promise<OrderMovement[]> {
      const orgId = requirePermission(ctx, 'pay.read');
      const order = await db.selectFrom('pay_orders').select('id').where('org_id', '=', orgId).where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      if (!order) throw new AppError('not_found', 'order not found', { details: { reason: 'ORDER_NOT_EXIST' } });
      const refs = [order.id, ...(await db.selectFrom('pay_refunds').select('id').where('order_id', '=', order.id).where('org_id', '=', orgId).execute()).map((r) => r.id)];
      const rows = await db
        .selectFrom('ledger_transactions as t')
        .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
        .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
        .select(['t.id as tid', 't.kind', 't.reference', 't.created_at', 'a.kind as account', 'a.owner_id', 'e.amount', 'e.id as eid'])
        .where('t.reference', 'in', refs)
        .where('t.tenant_id', '=', orgId)
        .orderBy('t.id', 'asc')
        .orderBy('e.id', 'asc')
        .execute();
      const out = new Map<string, OrderMovement>();
      for (const r of rows) {
        const key = String(r.tid);
        const m = out.get(key) ?? { transactionId: key, kind: r.kind, reference: r.reference, createdAt: r.created_at, entries: [] };
        // Whose account: only the org's own are marked; a consumer's id is never shown.
        m.entries.push({ account: r.account, own: r.owner_id === orgId, amount: r.amount });
        out.set(key, m);
      }
      return [...out.values()];
    },
  };
}
