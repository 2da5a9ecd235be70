import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/database.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { LedgerService } from '../ledger/service.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import { PAY_WEBHOOK, yuan } from '../payments/pay.ts';
import type { PayApi } from '../payments/tables.ts';
import { REFUND_COMPLETE, type PayRefundRow } from './service.ts';
import '../payments/tables.ts';

export const REFUND_NOTIFY_V3 = 'refund.notify.v3';
export const REFUND_NOTIFY_V2 = 'refund.notify.v2';

/** The outbox kind that tells the merchant a refund succeeded, by the wire that asked for it. */
export const REFUND_NOTIFY_KIND: Readonly<Record<PayApi, string>> = { v3: REFUND_NOTIFY_V3, v2: REFUND_NOTIFY_V2, api: PAY_WEBHOOK };

const S = 1000;
/** Completion is internal work: retry soon, then back off. */
export const REFUND_COMPLETE_SCHEDULE = [1 * S, 5 * S, 30 * S, 2 * 60 * S, 10 * 60 * S, 60 * 60 * S] as const;

const isPayload = (p: unknown): p is { refundId: string } => typeof p === 'object' && p !== null && typeof (p as { refundId?: unknown }).refundId === 'string';

type Completion = { done: 'completed' | 'already' } | { failed: string; retryable: false };

/**
 * Completes a PROCESSING refund in one transaction with the refund row locked: `refund.success`
 * (refunds_in_flight → the payer's wallet and, for its insured share, the insurance fund), SUCCESS with
 * its success_time, the merchant's notification and the payer's thread message. Running it again is a no-op.
 */
export async function completeRefund(tx: Tx, deps: { hub: RealtimeHub; ledger: LedgerService }, refundId: string): Promise<Completion> {
  const refund = await tx.selectFrom('pay_refunds').selectAll().where('id', '=', refundId).forUpdate().executeTakeFirst();
  if (!refund) return { failed: 'refund gone', retryable: false };
  if (refund.status !== 'PROCESSING') return { done: 'already' };
  const order = await tx.selectFrom('pay_orders').selectAll().where('id', '=', refund.order_id).executeTakeFirst();
  if (!order?.consumer_id) return { failed: 'the refunded order has no payer', retryable: false };
  const { ledger } = deps;
  const consumerShare = refund.amount - refund.insured_amount;
  const entries = [{ accountId: (await ledger.account(tx, 'refunds_in_flight', null)).id, amount: -refund.amount }];
  if (consumerShare > 0n) entries.push({ accountId: (await ledger.account(tx, 'consumer_wallet', order.consumer_id)).id, amount: consumerShare });
  if (refund.insured_amount > 0n) entries.push({ accountId: (await ledger.account(tx, 'insurance_fund', null)).id, amount: refund.insured_amount });
  await ledger.post(tx, { kind: 'refund.success', reference: refund.id, tenantId: refund.org_id, entries });
  const done = await tx.updateTable('pay_refunds').set({ status: 'SUCCESS', success_time: new Date() }).where('id', '=', refund.id).where('status', '=', 'PROCESSING').returningAll().executeTakeFirstOrThrow();
  await notifyMerchant(tx, done);
  if (order.payer_openid) {
    const insured = refund.insured_amount > 0n ? `（其中医保/保险退回 ¥${yuan(refund.insured_amount)}）` : '';
    await writeThreadMessage(tx, deps.hub, { accountId: order.account_id, consumerId: order.consumer_id, openid: order.payer_openid }, 'out', 'system', {
      type: 'system',
      content: `退款成功 ¥${yuan(consumerShare)} 已退回零钱${insured}（退款单号 ${refund.refund_id}）`,
    });
  }
  return { done: 'completed' };
}

/** v3/v2 refunds are notified only when the merchant gave a notify_url; our JSON API always gets its webhook. */
async function notifyMerchant(tx: Tx, refund: PayRefundRow): Promise<void> {
  if (refund.api !== 'api' && !refund.notify_url) return;
  const kind = REFUND_NOTIFY_KIND[refund.api];
  await enqueue(tx, {
    kind,
    tenantId: refund.org_id,
    payload: { orderId: refund.order_id, refundId: refund.id, notificationId: randomUUID(), event: 'refund.succeeded' },
    dedupeKey: `${kind}:${refund.id}`,
  });
}

/** The outbox handler of `refund.complete` jobs (enqueued when a refund is accepted). */
export function createRefundCompleteHandler(deps: { db: Db; hub: RealtimeHub; ledger: LedgerService }): OutboxHandler {
  return {
    kind: REFUND_COMPLETE,
    schedule: REFUND_COMPLETE_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const request = { method: 'INTERNAL', url: REFUND_COMPLETE, body: JSON.stringify(row.payload) };
      if (!isPayload(row.payload)) return { ok: false, request, error: 'bad payload', retryable: false };
      const refundId = row.payload.refundId;
      const outcome = await deps.db.transaction().execute((tx) => completeRefund(tx, deps, refundId));
      if ('failed' in outcome) return { ok: false, request, error: outcome.failed, retryable: outcome.retryable };
      return { ok: true, request, responseBody: outcome.done };
    },
  };
}
