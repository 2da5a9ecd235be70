import type { Db } from '../../platform/database.ts';
import { httpRequest, type HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import { postNotification } from '../../wire/wechatpay/notify-post.ts';
import { v3Accepted, v3NotificationRequest } from '../../wire/wechatpay/notify-v3.ts';
import type { PayMerchantsService } from '../paymerchants/service.ts';
import type { PayOrderRow } from './lifecycle.ts';
import { PAY_NOTIFY_V3 } from './pay.ts';
import { v3Transaction } from './v3-transaction.ts';
import './tables.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** WeChat's retry schedule for payment notifications: 15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m ×3, 60 m, 3 h ×3, 6 h ×2. */
export const PAY_NOTIFY_SCHEDULE = [15 * S, 15 * S, 30 * S, 3 * M, 10 * M, 20 * M, 30 * M, 30 * M, 30 * M, 60 * M, 3 * H, 3 * H, 3 * H, 6 * H, 6 * H] as const;

interface NotifyPayload {
  orderId: string;
  notificationId: string;
}

const isPayload = (p: unknown): p is NotifyPayload =>
  typeof p === 'object' && p !== null && typeof (p as NotifyPayload).orderId === 'string' && typeof (p as NotifyPayload).notificationId === 'string';

/** The order and notification id of a payment notification's outbox row, or the outcome that ends it (bad payload, order gone). */
export async function notifiedOrder(db: Db, payload: unknown): Promise<{ order: PayOrderRow; notificationId: string } | { outcome: DeliveryOutcome }> {
  const none = { method: 'POST', url: '' };
  if (!isPayload(payload)) return { outcome: { ok: false, request: none, error: 'bad payload', retryable: false } };
  const order = await db.selectFrom('pay_orders').selectAll().where('id', '=', payload.orderId).executeTakeFirst();
  if (!order) return { outcome: { ok: false, request: none, error: 'order gone', retryable: false } };
  return { order, notificationId: payload.notificationId };
}

/**
 * Delivers `TRANSACTION.SUCCESS` to the order's notify_url: the transaction AEAD-encrypted under the
 * merchant's APIv3 key, the body signed with its newest platform key (`Wechatpay-*` headers).
 * HTTP 200/204 stops the retries; anything else is retried on WeChat's schedule.
 */
export function createPayNotifyHandler(deps: { db: Db; payMerchants: Pick<PayMerchantsService, 'byMchId'>; http?: HttpClient }): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: PAY_NOTIFY_V3,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const n = await notifiedOrder(deps.db, row.payload);
      if ('outcome' in n) return n.outcome;
      const { order } = n;
      const m = await deps.payMerchants.byMchId(order.mch_id);
      const key = m?.platformKeys[0];
      if (!m || !key) return { ok: false, request: { method: 'POST', url: order.notify_url }, error: 'no active platform key' };
      const request = v3NotificationRequest(m, key, order.notify_url, {
        id: n.notificationId,
        createTime: order.success_time ?? new Date(),
        eventType: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        originalType: 'transaction',
        resource: v3Transaction(order),
      });
      return postNotification(send, request, v3Accepted);
    },
  };
}
