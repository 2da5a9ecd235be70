import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import type { CreateOrderInput } from '../../modules/payments/service.ts';
import { v3Transaction } from '../../modules/payments/v3-transaction.ts';
import { V3Error, v3MerchantContext } from './v3-scope.ts';

const OrderBody = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/, 'out_trade_no 为6-32位字母、数字、_-|*'),
  notify_url: z.url({ protocol: /^https?$/ }).max(255),
  time_expire: z.iso.datetime({ offset: true }).optional(),
  attach: z.string().max(128).optional(),
  amount: z.object({ total: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), currency: z.string().default('CNY') }),
  payer: z.object({ openid: z.string().min(1).max(128) }).optional(),
  scene_info: z.object({ payer_client_ip: z.string().min(1).max(45), h5_info: z.object({ type: z.string().min(1).max(32) }).optional() }).optional(),
});
/** The v3 path of each trade type (H5 is MWEB). */
const PATHS = { JSAPI: 'jsapi', NATIVE: 'native', MWEB: 'h5' } as const;
const MchidQuery = z.object({ mchid: z.string().optional() });
const MchidBody = z.object({ mchid: z.string().min(1) });
const OutTradeNo = z.object({ no: z.string().min(1).max(32) });
const TransactionId = z.object({ id: z.string().min(1).max(32) });

const json = 'application/json; charset=utf-8';


/** `/v3/pay/transactions/{jsapi,native,h5}`, query by out-trade-no and id, close. Thin: parse → service → present. */
export function transactionRoutes(scope: FastifyInstance, platform: Platform): void {
  const { payments } = platform.services;

  for (const tradeType of ['JSAPI', 'NATIVE', 'MWEB'] as const) {
    scope.post(`/pay/transactions/${PATHS[tradeType]}`, async (req, reply) => {
      const { ctx, m } = await v3MerchantContext(platform, req);
      const b = OrderBody.parse(req.body);
      if (tradeType === 'MWEB' && !b.scene_info?.h5_info) throw new V3Error(400, 'PARAM_ERROR', 'H5下单需要scene_info.payer_client_ip和scene_info.h5_info');
      const input: CreateOrderInput = {
        tradeType,
        appid: b.appid,
        mchid: b.mchid,
        description: b.description,
        outTradeNo: b.out_trade_no,
        notifyUrl: b.notify_url,
        total: BigInt(b.amount.total),
        currency: b.amount.currency,
        payerOpenid: b.payer?.openid,
        timeExpire: b.time_expire === undefined ? undefined : new Date(b.time_expire),
        attach: b.attach,
      };
      const { order } = await payments.create(ctx, m.merchant, input);
      const body =
        tradeType === 'JSAPI'
          ? { prepay_id: order.prepay_id }
          : tradeType === 'MWEB'
            ? { h5_url: `${platform.config.publicUrl}/pay/h5/${order.code_token}` }
            : { code_url: `${platform.config.publicUrl}/pay/native/${order.code_token}` };
      return reply.status(200).type(json).send(JSON.stringify(body));
    });
  }

  scope.get('/pay/transactions/out-trade-no/:no', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const order = await payments.query(ctx, m.merchant, MchidQuery.parse(req.query).mchid, { outTradeNo: OutTradeNo.parse(req.params).no });
    return reply.status(200).type(json).send(JSON.stringify(v3Transaction(order)));
  });

  scope.get('/pay/transactions/id/:id', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const order = await payments.query(ctx, m.merchant, MchidQuery.parse(req.query).mchid, { transactionId: TransactionId.parse(req.params).id });
    return reply.status(200).type(json).send(JSON.stringify(v3Transaction(order)));
  });

  scope.post('/pay/transactions/out-trade-no/:no/close', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    await payments.close(ctx, m.merchant, MchidBody.parse(req.body).mchid, OutTradeNo.parse(req.params).no);
    return reply.status(204).send();
  });
}
