import { cstDateTime } from '../../platform/time.ts';
import { yuan } from '../payments/pay.ts';
import { ratePercent } from '../settlement/service.ts';

/** The columns of WeChat's trade bill (downloadbill / v3 tradebill), in order. */
export const BILL_COLUMNS = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;

export const SUMMARY_COLUMNS = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'] as const;

/** One line of the bill: a payment (交易状态 SUCCESS) or a refund (交易状态 REFUND). Money in fen. */
export interface BillLine {
  time: Date;
  appid: string;
  mchId: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  state: 'SUCCESS' | 'REFUND';
  currency: string;
  /** Payments: the order total. Refunds: 0 (the payment's own row carries it). */
  settlementAmount: bigint;
  refundId: string;
  outRefundNo: string;
  refundAmount: bigint;
  description: string;
  attach: string;
  fee: bigint;
  feeRateBp: number;
  /** Payments: the order total. Refunds: 0. */
  orderAmount: bigint;
  refundRequested: bigint;
}

/** `2026-11-26 18:46:26`: CST wall-clock time. */

/** Free text must not break the comma-separated line: commas become full-width, back-quotes and line breaks go. */
const text = (s: string) => s.replace(/,/g, '，').replace(/`/g, '').replace(/[\r\n]+/g, ' ');

const quoted = (fields: readonly string[]) => fields.map((f) => `\`${f}`).join(',');

function row(l: BillLine): string {
  const refund = l.state === 'REFUND';
  return quoted([
    cstDateTime(l.time), l.appid, l.mchId, '0', '', l.transactionId, text(l.outTradeNo), l.openid, l.tradeType, l.state,
    'OTHERS', l.currency, yuan(l.settlementAmount), '0.00', refund ? l.refundId : '0', refund ? text(l.outRefundNo) : '0', yuan(l.refundAmount), '0.00', refund ? 'ORIGINAL' : '', refund ? 'SUCCESS' : '',
    text(l.description), text(l.attach), yuan(l.fee), ratePercent(l.feeRateBp), yuan(l.orderAmount), yuan(l.refundRequested), '',
  ]);
}

/**
 * WeChat's text trade bill: the column header, one back-quoted line per payment or refund, then the
 * summary header and its back-quoted line; CRLF line ends, amounts in yuan with two decimals. Every
 * summary amount is the sum of its column, so a merchant can reconcile either way.
 */
export function formatTradeBill(lines: readonly BillLine[]): string {
  const sum = (pick: (l: BillLine) => bigint) => lines.reduce((s, l) => s + pick(l), 0n);
  const out = [BILL_COLUMNS.join(','), ...lines.map(row), SUMMARY_COLUMNS.join(',')];
  out.push(
    quoted([
      String(lines.length),
      yuan(sum((l) => l.settlementAmount)),
      yuan(sum((l) => l.refundAmount)),
      '0.00',
      yuan(sum((l) => l.fee)),
      yuan(sum((l) => l.orderAmount)),
      yuan(sum((l) => l.refundRequested)),
    ]),
  );
  return `${out.join('\r\n')}\r\n`;
}

/** The summary of a bill text as fen (for tests and reconciliation tools). */
export function parseSummary(bill: string): Record<(typeof SUMMARY_COLUMNS)[number], bigint> {
  const lines = bill.trimEnd().split('\r\n');
  const values = (lines.at(-1) ?? '').split(',').map((f) => f.replace(/^`/, ''));
  const fen = (v: string) => {
    const [i = '0', d = '0'] = v.split('.');
    return BigInt(i) * 100n + BigInt(d.padEnd(2, '0').slice(0, 2));
  };
  return Object.fromEntries(SUMMARY_COLUMNS.map((c, i) => [c, i === 0 ? BigInt(values[0] ?? '0') : fen(values[i] ?? '0')])) as Record<(typeof SUMMARY_COLUMNS)[number], bigint>;
}
