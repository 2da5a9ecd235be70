import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { cstDateTime } from '../../platform/time.ts';
import type { Db } from '../../platform/database.ts';
import { httpRequest, type HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import { rfc3339Cst } from '../../wire/wechatpay/routes-v3-certificates.ts';
import { postNotification } from '../../wire/wechatpay/notify-post.ts';
import { v3Accepted, v3NotificationRequest } from '../../wire/wechatpay/notify-v3.ts';
import { buildWechatXml, parseWechatXml, xmlText } from '../../wire/wechat/xml.ts';
import type { PayOrderRow } from '../payments/lifecycle.ts';
import { PAY_NOTIFY_SCHEDULE } from '../payments/notify.ts';
import type { PayMerchantSecrets, PayMerchantsService } from '../paymerchants/service.ts';
import { REFUND_NOTIFY_V2, REFUND_NOTIFY_V3 } from './complete.ts';
import type { PayRefundRow } from './service.ts';
import '../payments/tables.ts';

const int = (v: bigint) => Number(v);

interface RefundNotifyPayload {
  orderId: string;
  refundId: string;
  notificationId: string;
}

const isPayload = (p: unknown): p is RefundNotifyPayload => {
  const o = p as Partial<RefundNotifyPayload> | null;
  return typeof o === 'object' && o !== null && typeof o.orderId === 'string' && typeof o.refundId === 'string' && typeof o.notificationId === 'string';
};

/** The `refund` resource of a v3 REFUND.SUCCESS notification (before encryption). */
export function v3RefundResource(order: PayOrderRow, refund: PayRefundRow): Record<string, unknown> {
  return {
    mchid: refund.mch_id,
    out_trade_no: order.out_trade_no,
    transaction_id: order.transaction_id,
    out_refund_no: refund.out_refund_no,
    refund_id: refund.refund_id,
    refund_status: refund.status,
    success_time: rfc3339Cst(refund.success_time ?? refund.created_at),
    user_received_account: '支付用户零钱',
    amount: { total: int(order.total), refund: int(refund.amount), payer_total: int(order.total), payer_refund: int(refund.amount) },
  };
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time, as Pay v2 writes times in refund notifications. */

/** The `<root>` document a v2 refund notification carries (encrypted) in `req_info`. */
export function v2RefundInfo(order: PayOrderRow, refund: PayRefundRow): string {
  const xml = buildWechatXml({
    transaction_id: order.transaction_id,
    out_trade_no: order.out_trade_no,
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    total_fee: order.total,
    settlement_total_fee: order.total,
    refund_fee: refund.amount,
    settlement_refund_fee: refund.amount,
    refund_status: refund.status,
    success_time: cstDateTime(refund.success_time ?? refund.created_at),
    refund_recv_accout: '支付用户零钱',
    refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
    refund_request_source: 'API',
  });
  return `<root>${xml.slice('<xml>'.length, -'</xml>'.length)}</root>`;
}

/** `req_info`: base64(AES-256-ECB, PKCS#7) under the lowercase hex MD5 of the merchant's API v2 key. */
export function encryptReqInfo(plaintext: string, apiV2Key: string): string {
  const key = Buffer.from(createHash('md5').update(apiV2Key, 'utf8').digest('hex'), 'utf8');
  const cipher = createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

type Loaded = { order: PayOrderRow; refund: PayRefundRow; m: PayMerchantSecrets; url: string } | { outcome: DeliveryOutcome };

async function load(deps: { db: Db; payMerchants: Pick<PayMerchantsService, 'byMchId'> }, payload: unknown): Promise<Loaded> {
  const none = { method: 'POST', url: '' };
  if (!isPayload(payload)) return { outcome: { ok: false, request: none, error: 'bad payload', retryable: false } };
  const refund = await deps.db.selectFrom('pay_refunds').selectAll().where('id', '=', payload.refundId).executeTakeFirst();
  const order = refund && (await deps.db.selectFrom('pay_orders').selectAll().where('id', '=', refund.order_id).executeTakeFirst());
  if (!refund || !order) return { outcome: { ok: false, request: none, error: 'refund gone', retryable: false } };
  if (!refund.notify_url) return { outcome: { ok: false, request: none, error: 'no notify_url', retryable: false } };
  const m = await deps.payMerchants.byMchId(refund.mch_id);
  if (!m) return { outcome: { ok: false, request: { method: 'POST', url: refund.notify_url }, error: 'merchant gone', retryable: false } };
  return { order, refund, m, url: refund.notify_url };
}

type Deps = { db: Db; payMerchants: Pick<PayMerchantsService, 'byMchId'>; http?: HttpClient };

/**
 * Delivers `REFUND.SUCCESS` (Pay v3) to the refund's notify_url: the refund AEAD-encrypted under the
 * merchant's APIv3 key (associated_data `refund`), the body signed with its newest platform key.
 * HTTP 200/204 stops the retries; anything else is retried on WeChat's schedule.
 */
export function createRefundNotifyV3Handler(deps: Deps): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: REFUND_NOTIFY_V3,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const l = await load(deps, row.payload);
      if ('outcome' in l) return l.outcome;
      const key = l.m.platformKeys[0];
      if (!key) return { ok: false, request: { method: 'POST', url: l.url }, error: 'no active platform key' };
      const request = v3NotificationRequest(l.m, key, l.url, {
        id: (row.payload as RefundNotifyPayload).notificationId,
        createTime: l.refund.success_time ?? new Date(),
        eventType: 'REFUND.SUCCESS',
        summary: '退款成功',
        originalType: 'refund',
        resource: v3RefundResource(l.order, l.refund),
      });
      return postNotification(send, request, v3Accepted);
    },
  };
}

/** The merchant accepted a v2 notification when it answers `<xml><return_code>SUCCESS</return_code>…`. */
function v2Accepted(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    return xmlText(parseWechatXml(body), 'return_code') === 'SUCCESS';
  } catch {
    return false;
  }
}

/**
 * Delivers a Pay v2 refund notification to the refund's notify_url: `return_code`, `appid`, `mch_id`,
 * `nonce_str` and `req_info` (the refund, encrypted with the merchant's API v2 key). Retried on WeChat's
 * schedule until the merchant answers `return_code` SUCCESS.
 */
export function createRefundNotifyV2Handler(deps: Deps): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: REFUND_NOTIFY_V2,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const l = await load(deps, row.payload);
      if ('outcome' in l) return l.outcome;
      const body = buildWechatXml({
        return_code: 'SUCCESS',
        appid: l.order.appid,
        mch_id: l.refund.mch_id,
        nonce_str: randomBytes(16).toString('hex'),
        req_info: encryptReqInfo(v2RefundInfo(l.order, l.refund), l.m.merchant.api_v2_key),
      });
      return postNotification(send, { method: 'POST', url: l.url, headers: { 'content-type': 'text/xml; charset=utf-8' }, body }, v2Accepted);
    },
  };
}
