import { rfc3339Cst } from '../../wire/wechatpay/routes-v3-certificates.ts';
import { TRADE_STATE_DESC, type PayOrderRow } from './lifecycle.ts';

/** The amount as a WeChat JSON integer (fen); orders are far below 2^53. */
const int = (v: bigint) => Number(v);

/** An order in WeChat Pay v3's `transaction` shape (query answers and the notification resource). */
export function v3Transaction(o: PayOrderRow): Record<string, unknown> {
  const paid = o.state === 'SUCCESS' || o.state === 'REFUND';
  return {
    appid: o.appid,
    mchid: o.mch_id,
    out_trade_no: o.out_trade_no,
    transaction_id: o.transaction_id,
    trade_type: o.trade_type,
    trade_state: o.state,
    trade_state_desc: TRADE_STATE_DESC[o.state],
    ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339Cst(o.success_time ?? o.created_at) } : {}),
    attach: o.attach ?? '',
    payer: o.payer_openid ? { openid: o.payer_openid } : {},
    amount: paid
      ? { total: int(o.total), payer_total: int(o.total), currency: o.currency, payer_currency: o.currency }
      : { total: int(o.total), currency: o.currency },
  };
}
