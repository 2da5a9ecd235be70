import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/database.ts';
import { httpRequest, type HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome, OutboxHandler, OutboxRow } from '../../platform/outbox.ts';
import type { FollowersService } from '../../modules/followers/service.ts';
import { notifiedOrder, PAY_NOTIFY_SCHEDULE } from '../../modules/payments/notify.ts';
import { PAY_NOTIFY_V2 } from '../../modules/payments/pay.ts';
import type { PayOrderRow } from '../../modules/payments/lifecycle.ts';
import type { PayMerchantsService } from '../../modules/paymerchants/service.ts';
import '../../modules/payments/tables.ts';
import { buildWechatXml, parseWechatXml, xmlText } from '../wechat/xml.ts';
import { postNotification } from './notify-post.ts';
import { v2OrderFields } from './routes-v2-orders.ts';
import { v2Sign, type V2SignType } from './v2sign.ts';
import type { V2Fields } from './v2-scope.ts';

/** The v2 payment notification's fields, signed with the order's v2 sign type (`sign_type` sent when not MD5). */
export function v2PayNotification(order: PayOrderRow, apiKey: string, isSubscribe: boolean): V2Fields {
  const signType: V2SignType = order.v2_sign_type ?? 'MD5';
  const f = v2OrderFields(order);
  const fields: V2Fields = {
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    appid: order.appid,
    mch_id: order.mch_id,
    nonce_str: randomBytes(16).toString('hex').toUpperCase(),
    sign_type: signType === 'MD5' ? undefined : signType,
    openid: f.openid,
    trade_type: f.trade_type,
    bank_type: f.bank_type,
    total_fee: f.total_fee,
    cash_fee: f.cash_fee,
    fee_type: f.fee_type,
    transaction_id: f.transaction_id,
    out_trade_no: f.out_trade_no,
    attach: f.attach,
    time_end: f.time_end,
    is_subscribe: isSubscribe ? 'Y' : 'N',
  };
  return { ...fields, sign: v2Sign(fields, apiKey, signType) };
}

/** Whether the merchant's answer is `<xml><return_code>SUCCESS</return_code>…</xml>`. */
export function merchantAcknowledged(body: string): boolean {
  try {
    return xmlText(parseWechatXml(body), 'return_code')?.toUpperCase() === 'SUCCESS';
  } catch {
    return false;
  }
}

/**
 * Delivers the v2 payment result (XML, signed with the merchant's API key) to the order's notify_url.
 * Only an XML answer with return_code SUCCESS stops the retries (WeChat's schedule).
 */
export function createPayNotifyV2Handler(deps: { db: Db; payMerchants: Pick<PayMerchantsService, 'byMchId'>; followers: Pick<FollowersService, 'findFollow'>; http?: HttpClient }): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: PAY_NOTIFY_V2,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const n = await notifiedOrder(deps.db, row.payload);
      if ('outcome' in n) return n.outcome;
      const { order } = n;
      const none = { method: 'POST', url: '' };
      // Payment-code (micropay) orders have no notify_url: the merchant learns the result from the call itself.
      if (!order.notify_url) return { ok: true, request: none, responseBody: 'no notify_url: nothing to deliver' };
      const m = await deps.payMerchants.byMchId(order.mch_id);
      if (!m) return { ok: false, request: { method: 'POST', url: order.notify_url }, error: 'pay merchant gone', retryable: false };
      const follow = order.consumer_id ? await deps.followers.findFollow(deps.db, order.account_id, order.consumer_id) : undefined;
      const body = buildWechatXml(v2PayNotification(order, m.merchant.api_v2_key, follow?.subscribed === true));
      const request = { method: 'POST' as const, url: order.notify_url, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
      return postNotification(send, request, (status, text) => status === 200 && merchantAcknowledged(text), 'merchant did not answer return_code SUCCESS');
    },
  };
}
