import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import type { PayOrderRow } from '../../modules/payments/lifecycle.ts';
import type { PayRefundRow } from '../../modules/refunds/service.ts';
import { rfc3339Cst } from './routes-v3-certificates.ts';
import { v3MerchantContext } from './v3-scope.ts';

const OutRefundNo = z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, 'out_refund_no 为1-64位字母、数字、_-|*@');
const RefundBody = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: z.string().min(1).max(32).optional(),
    out_refund_no: OutRefundNo,
    reason: z.string().max(80).optional(),
    notify_url: z.url({ protocol: /^https?$/ }).max(256).optional(),
    funds_account: z.string().optional(),
    amount: z.object({
      refund: z.number().int().max(Number.MAX_SAFE_INTEGER),
      total: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      currency: z.literal('CNY', { error: '只支持CNY' }),
    }),
  })
  .refine((b) => b.transaction_id !== undefined || b.out_trade_no !== undefined, { message: 'transaction_id和out_trade_no必须二选一', path: ['out_trade_no'] });
const RefundParams = z.object({ out_refund_no: OutRefundNo });

const json = 'application/json; charset=utf-8';
const int = (v: bigint) => Number(v);

/** A refund in WeChat Pay v3's refund shape (the answer to apply and query). */
export function v3Refund(refund: PayRefundRow, order: PayOrderRow): Record<string, unknown> {
  return {
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    transaction_id: order.transaction_id,
    out_trade_no: order.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.success_time ? { success_time: rfc3339Cst(refund.success_time) } : {}),
    create_time: rfc3339Cst(refund.created_at),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: int(order.total),
      refund: int(refund.amount),
      from: [],
      payer_total: int(order.total),
      payer_refund: int(refund.amount),
      settlement_refund: int(refund.amount),
      settlement_total: int(order.total),
      discount_refund: 0,
      currency: refund.currency,
    },
  };
}


/** `/v3/refund/domestic/refunds`: apply for a refund, query one by out_refund_no. Thin: parse → service → present. */
export function refundRoutes(scope: FastifyInstance, platform: Platform): void {
  const { refunds } = platform.services;

  scope.post('/refund/domestic/refunds', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const b = RefundBody.parse(req.body);
    const { refund, order } = await refunds.request(ctx, m.merchant, {
      by: b.transaction_id !== undefined ? { transactionId: b.transaction_id } : { outTradeNo: b.out_trade_no ?? '' },
      outRefundNo: b.out_refund_no,
      amount: BigInt(b.amount.refund),
      total: BigInt(b.amount.total),
      reason: b.reason,
      notifyUrl: b.notify_url,
      api: 'v3',
    });
    return reply.status(200).type(json).send(JSON.stringify(v3Refund(refund, order)));
  });

  scope.get('/refund/domestic/refunds/:out_refund_no', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const { refund, order } = await refunds.query(ctx, m.merchant, RefundParams.parse(req.params).out_refund_no);
    return reply.status(200).type(json).send(JSON.stringify(v3Refund(refund, order)));
  });
}
