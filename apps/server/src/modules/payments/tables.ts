import type { Generated } from 'kysely';

export type PayState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND' | 'REVOKED';
export type TradeType = 'JSAPI' | 'NATIVE';

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
}

declare module '../../platform/database.ts' {
  interface Database {
    pay_orders: PayOrdersTable;
  }
}
