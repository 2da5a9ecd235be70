import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, randomDigits } from '../../platform/ids.ts';
import { cstCompactDate } from '../../platform/time.ts';
import { enqueue } from '../../platform/outbox.ts';
import { isNotEnough, type LedgerService } from '../ledger/service.ts';
import { transition, type PayOrderRow } from '../payments/lifecycle.ts';
import { orderNotExist, v3Refusal } from '../payments/service.ts';
import type { PayApi, PayRefundsTable } from '../payments/tables.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import '../payments/tables.ts';

export type PayRefundRow = Selectable<PayRefundsTable>;

/** The outbox job that completes an accepted refund (modules/refunds/complete.ts). */
export const REFUND_COMPLETE = 'refund.complete';
/** At most this many refunds per order (WeChat's limit). */
export const MAX_REFUNDS_PER_ORDER = 50;

interface Accepted {
  refund: PayRefundRow;
  order: PayOrderRow;
  created: boolean;
  /** The completion job (after commit the worker is kicked to run it now). */
  jobId?: bigint | undefined;
}

export type OrderRef = { outTradeNo: string } | { transactionId: string };

export interface RefundRequest {
  by: OrderRef;
  outRefundNo: string;
  amount: bigint;
  /** The order total as the merchant knows it; must match when given. */
  total?: bigint | undefined;
  reason?: string | undefined;
  notifyUrl?: string | undefined;
  /** Which wire asked (it decides the refund notification's format). */
  api: PayApi;
}

/** 29 digits like WeChat's: `50` + 6 random + yyyyMMdd (CST) + 13 random. */
export function newRefundId(now: Date = new Date()): string {
  return `50${randomDigits(6)}${cstCompactDate(now)}${randomDigits(13)}`;
}

/**
 * The insured share of a refund, computed on the running total so the shares of all refunds of an order
 * add up to exactly `insured_total` once it is fully refunded.
 */
export function insuredShare(order: Pick<PayOrderRow, 'total' | 'insured_total' | 'refunded_total'>, amount: bigint): bigint {
  if (order.insured_total === 0n) return 0n;
  const after = ((order.refunded_total + amount) * order.insured_total) / order.total;
  const before = (order.refunded_total * order.insured_total) / order.total;
  return after - before;
}

const invalid = (message: string) => v3Refusal('failed_precondition', 'INVALID_REQUEST', message);
const paramError = (message: string) => v3Refusal('invalid_argument', 'PARAM_ERROR', message);
export const refundNotExist = () => v3Refusal('not_found', 'RESOURCE_NOT_EXISTS', '退款单不存在');

/** Refunds are accepted within a year of payment. */
const refundable = (o: PayOrderRow, now: Date) => {
  const limit = new Date(o.success_time ?? o.created_at);
  limit.setFullYear(limit.getFullYear() + 1);
  return limit > now;
};

export type RefundsService = ReturnType<typeof createRefundsService>;

/** The merchant's side of refunds: request (idempotent per out_refund_no), query, and an order's refunds. */
export function createRefundsService(deps: { db: Db; ledger: LedgerService; kick?: (ids: readonly (bigint | undefined)[]) => void }) {
  const { db, ledger } = deps;

  function own(ctx: RequestContext, m: PayMerchantRow): void {
    if (requireOrg(ctx) !== m.org_id) throw new AppError('permission_denied', '商户无权限', { details: { v3Code: 'NO_AUTH' } });
  }

  function orderQuery(tx: Db | Tx, m: PayMerchantRow, by: OrderRef) {
    const q = tx.selectFrom('pay_orders').selectAll().where('mch_id', '=', m.mch_id);
    return 'outTradeNo' in by ? q.where('out_trade_no', '=', by.outTradeNo) : q.where('transaction_id', '=', by.transactionId);
  }

  const refundByNo = (tx: Db | Tx, m: PayMerchantRow, outRefundNo: string) =>
    tx.selectFrom('pay_refunds').selectAll().where('mch_id', '=', m.mch_id).where('out_refund_no', '=', outRefundNo).executeTakeFirst();

  /** A repeat of an accepted refund: the same order and amount is the first refund again, anything else a conflict. */
  function repeatOf(existing: PayRefundRow, order: PayOrderRow, input: RefundRequest): { refund: PayRefundRow; order: PayOrderRow; created: false } {
    if (existing.order_id !== order.id || existing.amount !== input.amount) throw invalid('商户退款单号重复，但请求参数与原退款不一致');
    return { refund: existing, order, created: false };
  }

  /** Everything that refuses a new refund of a locked order; nothing has changed yet when one does. */
  function checkRefundable(order: PayOrderRow, input: RefundRequest): void {
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') throw invalid(order.state === 'NOTPAY' || order.state === 'USERPAYING' ? '订单未支付' : '订单已关闭');
    if (!refundable(order, new Date())) throw invalid('订单已超过退款期限');
    if (input.total !== undefined && input.total !== order.total) throw paramError('订单金额total与原订单金额不一致');
    if (order.refunded_total + input.amount > order.total) throw invalid('退款金额超过订单可退金额');
    if (order.refund_count >= MAX_REFUNDS_PER_ORDER) throw invalid(`同一笔订单最多退款${MAX_REFUNDS_PER_ORDER}次`);
  }

  /**
   * Accepts a refund in one transaction with the order row locked: the refund row, the ledger movement
   * out of the merchant's balance into refunds_in_flight (`refund.accept`), the order's counters (and
   * SUCCESS → REFUND on the first refund) and the outbox job that completes it.
   */
  async function accept(tx: Tx, m: PayMerchantRow, order: PayOrderRow, input: RefundRequest): Promise<Accepted> {
    const refund = await tx
      .insertInto('pay_refunds')
      .values({
        id: newId('prf'),
        refund_id: newRefundId(),
        mch_id: m.mch_id,
        org_id: m.org_id,
        order_id: order.id,
        out_refund_no: input.outRefundNo,
        reason: input.reason || null,
        amount: input.amount,
        insured_amount: insuredShare(order, input.amount),
        currency: order.currency,
        api: input.api,
        notify_url: input.notifyUrl || null,
      })
      .onConflict((oc) => oc.columns(['mch_id', 'out_refund_no']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!refund) {
      const first = await refundByNo(tx, m, input.outRefundNo);
      if (!first) throw new AppError('conflict', 'the refund changed concurrently', { details: { reason: 'CONCURRENT_CHANGE' } });
      return repeatOf(first, order, input);
    }
    const from = await ledger.account(tx, order.settled_at ? 'merchant_available' : 'merchant_pending', order.org_id);
    const inFlight = await ledger.account(tx, 'refunds_in_flight', null);
    await ledger.post(tx, {
      kind: 'refund.accept',
      reference: refund.id,
      tenantId: order.org_id,
      entries: [
        { accountId: from.id, amount: -refund.amount },
        { accountId: inFlight.id, amount: refund.amount },
      ],
    });
    const counters = { refunded_total: order.refunded_total + refund.amount, refund_count: order.refund_count + 1 };
    const updated =
      order.state === 'SUCCESS'
        ? await transition(tx, order, 'REFUND', counters)
        : await tx.updateTable('pay_orders').set(counters).where('id', '=', order.id).where('state', '=', 'REFUND').returningAll().executeTakeFirstOrThrow();
    const jobId = await enqueue(tx, { kind: REFUND_COMPLETE, tenantId: order.org_id, payload: { refundId: refund.id }, dedupeKey: `${REFUND_COMPLETE}:${refund.id}` });
    return { refund, order: updated, created: true, jobId };
  }

  return {
    async request(ctx: RequestContext, m: PayMerchantRow, input: RefundRequest): Promise<{ refund: PayRefundRow; order: PayOrderRow; created: boolean }> {
      own(ctx, m);
      if (input.amount < 1n) throw paramError('退款金额必须大于0');
      if (!input.outRefundNo) throw paramError('缺少参数out_refund_no');
      try {
        const { jobId, ...out } = await db.transaction().execute(async (tx): Promise<Accepted> => {
          const order = await orderQuery(tx, m, input.by).forUpdate().executeTakeFirst();
          if (!order) throw orderNotExist();
          const existing = await refundByNo(tx, m, input.outRefundNo);
          if (existing) return repeatOf(existing, order, input);
          checkRefundable(order, input);
          return accept(tx, m, order, input);
        });
        if (jobId !== undefined) deps.kick?.([jobId]);
        return out;
      } catch (err) {
        if (isNotEnough(err)) throw v3Refusal('failed_precondition', 'NOT_ENOUGH', '商户可用退款余额不足');
        throw err;
      }
    },

    /** One refund of this merchant by its out_refund_no (anyone else's: RESOURCE_NOT_EXISTS). */
    async query(ctx: RequestContext, m: PayMerchantRow, outRefundNo: string): Promise<{ refund: PayRefundRow; order: PayOrderRow }> {
      own(ctx, m);
      const refund = await refundByNo(db, m, outRefundNo);
      if (!refund) throw refundNotExist();
      const order = await db.selectFrom('pay_orders').selectAll().where('id', '=', refund.order_id).where('mch_id', '=', m.mch_id).executeTakeFirstOrThrow();
      return { refund, order };
    },

    /** An order of this merchant and all its refunds (oldest first), found by the order or by one of its refunds. */
    async ofOrder(ctx: RequestContext, m: PayMerchantRow, by: OrderRef | { outRefundNo: string } | { refundId: string }): Promise<{ order: PayOrderRow; refunds: PayRefundRow[] }> {
      own(ctx, m);
      let order: PayOrderRow | undefined;
      if ('outRefundNo' in by || 'refundId' in by) {
        let q = db.selectFrom('pay_refunds').select('order_id').where('mch_id', '=', m.mch_id);
        q = 'outRefundNo' in by ? q.where('out_refund_no', '=', by.outRefundNo) : q.where('refund_id', '=', by.refundId);
        const refund = await q.executeTakeFirst();
        if (!refund) throw refundNotExist();
        order = await db.selectFrom('pay_orders').selectAll().where('id', '=', refund.order_id).where('mch_id', '=', m.mch_id).executeTakeFirst();
      } else {
        order = await orderQuery(db, m, by).executeTakeFirst();
      }
      if (!order) throw orderNotExist();
      const refunds = await db.selectFrom('pay_refunds').selectAll().where('order_id', '=', order.id).orderBy('created_at').orderBy('id').execute();
      return { order, refunds };
    },
  };
}
