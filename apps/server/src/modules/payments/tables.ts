import type { Generated } from 'kysely';

export type PayState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND' | 'REVOKED';
export type TradeType = 'JSAPI' | 'NATIVE' | 'MWEB' | 'MICROPAY';
/** Which wire created an order (and so which notification it gets). */
export type PayApi = 'v3' | 'v2' | 'api';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

/** One pay order of a merchant (`out_trade_no` unique per `mch_id`). Money is integer fen. */
export interface PayOrdersTable {
  id: string;
  transaction_id: string;
  mch_id: string;
  org_id: string;
  /** The official account of `appid` (the thread receipts go to). */
  account_id: string;
  appid: string;
  out_trade_no: string;
  description: string;
  total: bigint;
  currency: Generated<string>;
  trade_type: TradeType;
  payer_openid: string | null;
  /** Who paid (set once paid). */
  consumer_id: string | null;
  notify_url: string;
  prepay_id: string | null;
  /** The secret part of a Native `code_url`. */
  code_token: string | null;
  attach: string | null;
  state: Generated<PayState>;
  created_at: Generated<Date>;
  success_time: Date | null;
  expires_at: Date;
  api: Generated<PayApi>;
  /** The v2 merchant's signing (its notifications are signed the same way); null for v3/api orders. */
  v2_sign_type: 'MD5' | 'HMAC-SHA256' | null;
  /** The part of `total` an insurance fund pays on the consumer's behalf (0 = none). */
  insured_total: Generated<bigint>;
  /** Sum of accepted refunds (PROCESSING or SUCCESS), never above `total`. */
  refunded_total: Generated<bigint>;
  /** Refunds accepted for this order (at most 50). */
  refund_count: Generated<number>;
  /** When settlement moved this order's money from pending to available (null: still pending). */
  settled_at: Date | null;
  /** The platform fee kept at settlement, fen. */
  fee: Generated<bigint>;
}

/** One refund of a paid order (`out_refund_no` unique per `mch_id`). */
export interface PayRefundsTable {
  id: string;
  /** 29 digits, WeChat's refund_id shape. */
  refund_id: string;
  mch_id: string;
  org_id: string;
  order_id: string;
  out_refund_no: string;
  reason: string | null;
  amount: bigint;
  /** The part of `amount` that goes back to the insurance fund (split like the payment). */
  insured_amount: Generated<bigint>;
  currency: Generated<string>;
  status: Generated<RefundStatus>;
  api: PayApi;
  notify_url: string | null;
  created_at: Generated<Date>;
  success_time: Date | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    pay_orders: PayOrdersTable;
    pay_refunds: PayRefundsTable;
  }
}
