import type { PayOrderRow } from '../payments/lifecycle.ts';
import type { PayRefundsTable, TradeType } from '../payments/tables.ts';
import type { Selectable } from 'kysely';
import { fen } from '../wallet/routes.ts';

export type PayMethod = 'jsapi' | 'native' | 'h5' | 'micropay';
export const METHOD_OF: Readonly<Record<TradeType, PayMethod>> = { JSAPI: 'jsapi', NATIVE: 'native', MWEB: 'h5', MICROPAY: 'micropay' };
export const TRADE_TYPE_OF = { jsapi: 'JSAPI', native: 'NATIVE', h5: 'MWEB' } as const satisfies Record<Exclude<PayMethod, 'micropay'>, TradeType>;

/** An order as our JSON API (and its webhooks) show it: amounts in fen as JSON integers, times in ISO 8601. */
export function presentOrder(o: PayOrderRow, publicUrl: string) {
  return {
    id: o.id,
    transactionId: o.transaction_id,
    outTradeNo: o.out_trade_no,
    appid: o.appid,
    method: METHOD_OF[o.trade_type],
    state: o.state,
    description: o.description,
    amount: fen(o.total),
    insuredAmount: fen(o.insured_total),
    refundedAmount: fen(o.refunded_total),
    currency: o.currency,
    payerOpenid: o.payer_openid,
    attach: o.attach,
    ...(o.trade_type === 'JSAPI' && o.prepay_id ? { prepayId: o.prepay_id } : {}),
    ...(o.trade_type === 'NATIVE' && o.code_token ? { codeUrl: `${publicUrl}/pay/native/${o.code_token}` } : {}),
    ...(o.trade_type === 'MWEB' && o.code_token ? { h5Url: `${publicUrl}/pay/h5/${o.code_token}` } : {}),
    createdAt: o.created_at.toISOString(),
    successTime: o.success_time?.toISOString() ?? null,
    expiresAt: o.expires_at.toISOString(),
  };
}

export type OrderView = ReturnType<typeof presentOrder>;

export function presentRefund(r: Selectable<PayRefundsTable>, outTradeNo: string) {
  return {
    id: r.id,
    refundId: r.refund_id,
    outRefundNo: r.out_refund_no,
    outTradeNo,
    status: r.status,
    amount: fen(r.amount),
    insuredAmount: fen(r.insured_amount),
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    successTime: r.success_time?.toISOString() ?? null,
  };
}

export type RefundView = ReturnType<typeof presentRefund>;
