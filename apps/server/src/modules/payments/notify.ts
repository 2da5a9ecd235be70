import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/database.ts';
import { httpRequest, type HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import { aeadEncrypt } from '../../wire/wechatpay/aead.ts';
import { rfc3339Cst } from '../../wire/wechatpay/routes-v3-certificates.ts';
import { signResponse } from '../../wire/wechatpay/v3auth.ts';
import { platformSerialFor } from '../../wire/wechatpay/v3-scope.ts';
import type { PayMerchantsService } from '../paymerchants/service.ts';
import { PAY_NOTIFY_V3 } from './pay.ts';
import { v3Transaction } from './v3-transaction.ts';
import './tables.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** WeChat's retry schedule for payment notifications: 15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m ×3, 60 m, 3 h ×3, 6 h ×2. */
export const PAY_NOTIFY_SCHEDULE = [15 * S, 15 * S, 30 * S, 3 * M, 10 * M, 20 * M, 30 * M, 30 * M, 30 * M, 60 * M, 3 * H, 3 * H, 3 * H, 6 * H, 6 * H] as const;

const NOTIFY_TIMEOUT_MS = 5_000;

interface NotifyPayload {
  orderId: string;
  notificationId: string;
}

const isPayload = (p: unknown): p is NotifyPayload =>
  typeof p === 'object' && p !== null && typeof (p as NotifyPayload).orderId === 'string' && typeof (p as NotifyPayload).notificationId === 'string';

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
      const none = { method: 'POST', url: '' };
      if (!isPayload(row.payload)) return { ok: false, request: none, error: 'bad payload', retryable: false };
      const order = await deps.db.selectFrom('pay_orders').selectAll().where('id', '=', row.payload.orderId).executeTakeFirst();
      if (!order) return { ok: false, request: none, error: 'order gone', retryable: false };
      const m = await deps.payMerchants.byMchId(order.mch_id);
      const key = m?.platformKeys[0];
      if (!m || !key) return { ok: false, request: { method: 'POST', url: order.notify_url }, error: 'no active platform key' };
      const nonce = randomBytes(9).toString('base64url').slice(0, 12);
      const body = JSON.stringify({
        id: row.payload.notificationId,
        create_time: rfc3339Cst(order.success_time ?? new Date()),
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: {
          original_type: 'transaction',
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: aeadEncrypt(JSON.stringify(v3Transaction(order)), m.merchant.api_v3_key, nonce, 'transaction'),
          associated_data: 'transaction',
          nonce,
        },
      });
      const sig = signResponse(body, key.private_key);
      const headers = {
        'content-type': 'application/json',
        'wechatpay-timestamp': sig.timestamp,
        'wechatpay-nonce': sig.nonce,
        'wechatpay-signature': sig.signature,
        'wechatpay-serial': platformSerialFor(m, key),
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      };
      const request = { method: 'POST', url: order.notify_url, headers, body };
      try {
        const res = await send({ method: 'POST', url: order.notify_url, headers, body, timeoutMs: NOTIFY_TIMEOUT_MS });
        const ok = res.status === 200 || res.status === 204;
        return { ok, request, responseStatus: res.status, responseBody: res.body, ...(ok ? {} : { error: `HTTP ${res.status}` }) };
      } catch (err) {
        return { ok: false, request, error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
