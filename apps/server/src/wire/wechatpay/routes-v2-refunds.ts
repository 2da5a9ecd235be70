import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { refundNotExist, type PayRefundRow } from '../../modules/refunds/service.ts';
import type { RefundStatus } from '../../modules/payments/tables.ts';
import { orderRef } from './routes-v2-orders.ts';
import { v2Route, type V2Fields } from './v2-scope.ts';
import { cstDateTime } from '../../platform/time.ts';

const Fen = z.string().regex(/^[1-9]\d{0,15}$/, '必须为正整数(分)');
const No = z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, '商户退款单号为1-64位字母、数字、_-|*@');
const Refund = z.object({
  out_refund_no: No,
  total_fee: Fen,
  refund_fee: Fen,
  refund_fee_type: z.literal('CNY').optional(),
  refund_desc: z.string().max(80).optional(),
  notify_url: z.url({ protocol: /^https?$/ }).max(256).optional(),
  op_user_id: z.string().max(32).optional(),
});
const RefundQuery = z
  .object({
    refund_id: z.string().max(32).optional(),
    out_refund_no: z.string().max(64).optional(),
    transaction_id: z.string().max(32).optional(),
    out_trade_no: z.string().max(32).optional(),
    offset: z.string().regex(/^\d{1,3}$/).optional(),
  })
  .refine((q) => Boolean(q.refund_id || q.out_refund_no || q.transaction_id || q.out_trade_no), 'refund_id、out_refund_no、transaction_id、out_trade_no至少填一个');

/** Refunds listed per refundquery answer (WeChat pages with `offset` past 10). */
const PAGE = 10;
const V2_REFUND_STATUS: Record<RefundStatus, string> = { PROCESSING: 'PROCESSING', SUCCESS: 'SUCCESS', CLOSED: 'REFUNDCLOSE', ABNORMAL: 'CHANGE' };

function refundFields(r: PayRefundRow, n: number): V2Fields {
  return {
    [`out_refund_no_${n}`]: r.out_refund_no,
    [`refund_id_${n}`]: r.refund_id,
    [`refund_channel_${n}`]: 'ORIGINAL',
    [`refund_fee_${n}`]: r.amount,
    [`settlement_refund_fee_${n}`]: r.amount,
    [`refund_status_${n}`]: V2_REFUND_STATUS[r.status],
    [`refund_account_${n}`]: 'REFUND_SOURCE_UNSETTLED_FUNDS',
    [`refund_recv_accout_${n}`]: '支付用户零钱',
    [`refund_success_time_${n}`]: r.success_time ? cstDateTime(r.success_time) : undefined,
  };
}

/** `/secapi/pay/refund` and `/pay/refundquery` over the refunds service. */
export function refundRoutesV2(scope: FastifyInstance, platform: Platform): void {
  const { refunds } = platform.services;

  v2Route(scope, '/secapi/pay/refund', async ({ fields, merchant, ctx }) => {
    const b = Refund.parse(fields);
    const { refund, order } = await refunds.request(ctx, merchant.merchant, {
      by: orderRef(fields),
      outRefundNo: b.out_refund_no,
      amount: BigInt(b.refund_fee),
      total: BigInt(b.total_fee),
      reason: b.refund_desc,
      notifyUrl: b.notify_url,
      api: 'v2',
    });
    return {
      transaction_id: order.transaction_id,
      out_trade_no: order.out_trade_no,
      out_refund_no: refund.out_refund_no,
      refund_id: refund.refund_id,
      refund_channel: 'ORIGINAL',
      refund_fee: refund.amount,
      settlement_refund_fee: refund.amount,
      total_fee: order.total,
      settlement_total_fee: order.total,
      fee_type: order.currency,
      cash_fee: order.total,
      cash_refund_fee: refund.amount,
    };
  });

  v2Route(scope, '/pay/refundquery', async ({ fields, merchant, ctx }) => {
    const q = RefundQuery.parse(fields);
    const by = q.refund_id ? { refundId: q.refund_id } : q.out_refund_no ? { outRefundNo: q.out_refund_no } : orderRef(fields);
    const { order, refunds: all } = await refunds.ofOrder(ctx, merchant.merchant, by);
    const offset = Number(q.offset ?? '0');
    const page = all.slice(offset, offset + PAGE);
    if (page.length === 0) throw refundNotExist();
    const out: V2Fields = {
      transaction_id: order.transaction_id,
      out_trade_no: order.out_trade_no,
      total_fee: order.total,
      settlement_total_fee: order.total,
      fee_type: order.currency,
      cash_fee: order.total,
      total_refund_count: all.length > PAGE ? all.length : undefined,
      refund_count: page.length,
    };
    page.forEach((r, i) => Object.assign(out, refundFields(r, i)));
    return out;
  });
}
