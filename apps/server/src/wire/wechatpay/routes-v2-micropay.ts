import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { AppError } from '../../platform/errors.ts';
import { isSubscribed, orderRef, v2OrderFields } from './routes-v2-orders.ts';
import { v2Route } from './v2-scope.ts';

const Micropay = z.object({
  body: z.string().min(1).max(128),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,32}$/, 'out_trade_no 为1-32位字母、数字、_-|*@'),
  total_fee: z.string().regex(/^[1-9]\d{0,15}$/, '必须为正整数(分)'),
  fee_type: z.literal('CNY').default('CNY'),
  spbill_create_ip: z.string().min(1).max(64),
  auth_code: z.string().min(1).max(128),
  attach: z.string().max(127).optional(),
});

/**
 * `/pay/micropay` (付款码) and `/secapi/pay/reverse` over the micropay service. A payment that waits
 * for the consumer's PIN answers result_code FAIL err_code USERPAYING (the merchant polls orderquery).
 */
export function micropayRoutesV2(scope: FastifyInstance, platform: Platform): void {
  const { micropay } = platform.services;

  v2Route(scope, '/pay/micropay', async ({ fields, merchant, signType, ctx }) => {
    const b = Micropay.parse(fields);
    const order = await micropay.micropay(ctx, merchant.merchant, {
      appid: fields.appid ?? '',
      mchid: fields.mch_id ?? '',
      description: b.body,
      outTradeNo: b.out_trade_no,
      total: BigInt(b.total_fee),
      authCode: b.auth_code,
      attach: b.attach,
      api: 'v2',
      v2SignType: signType,
    });
    if (order.state === 'USERPAYING' || order.state === 'NOTPAY') {
      throw new AppError('failed_precondition', '需要用户输入支付密码', { details: { v3Code: 'USERPAYING' } });
    }
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') {
      throw new AppError('failed_precondition', `订单状态为${order.state}`, { details: { v3Code: order.state === 'CLOSED' ? 'ORDER_CLOSED' : 'INVALID_REQUEST' } });
    }
    return { ...v2OrderFields(order), trade_state: undefined, trade_state_desc: undefined, is_subscribe: await isSubscribed(platform, order) };
  });

  v2Route(scope, '/secapi/pay/reverse', async ({ fields, merchant, ctx }) => {
    await micropay.reverse(ctx, merchant.merchant, orderRef(fields));
    return { recall: 'N' };
  });
}
