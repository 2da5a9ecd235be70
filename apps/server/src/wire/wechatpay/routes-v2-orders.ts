import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { TRADE_STATE_DESC, type PayOrderRow } from '../../modules/payments/lifecycle.ts';
import { orderClosed, type CreateOrderInput } from '../../modules/payments/service.ts';
import { v2Route, type V2Call, type V2Fields } from './v2-scope.ts';
import { CST_OFFSET_MS } from '../../platform/time.ts';

/** `yyyyMMddHHmmss` in China Standard Time (UTC+8), as Pay v2 writes times. */
export function v2Time(d: Date): string {
  return new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** Parses `yyyyMMddHHmmss` (CST); undefined for anything that is not a real time. */
export function parseV2Time(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - CST_OFFSET_MS);
  return v2Time(d) === s ? d : undefined;
}

/** `yyyyMMdd` → `YYYY-MM-DD` when it is a real date. */
export function parseV2Date(s: string): string | undefined {
  return parseV2Time(`${s}000000`) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : undefined;
}

export const isPaid = (o: PayOrderRow) => o.state === 'SUCCESS' || o.state === 'REFUND';

/** The order as v2 reports it (orderquery and the notification share these fields). */
export function v2OrderFields(o: PayOrderRow): V2Fields {
  const paid = isPaid(o);
  return {
    openid: o.payer_openid ?? undefined,
    trade_type: o.trade_type,
    trade_state: o.state,
    bank_type: paid ? 'OTHERS' : undefined,
    total_fee: o.total,
    fee_type: o.currency,
    cash_fee: paid ? o.total : undefined,
    cash_fee_type: paid ? o.currency : undefined,
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    attach: o.attach ?? undefined,
    time_end: paid ? v2Time(o.success_time ?? o.created_at) : undefined,
    trade_state_desc: TRADE_STATE_DESC[o.state],
  };
}

/** `Y` when the payer follows the order's official account (v2's is_subscribe). */
export async function isSubscribed(platform: Platform, o: PayOrderRow): Promise<'Y' | 'N'> {
  if (!o.consumer_id) return 'N';
  const follow = await platform.services.followers.findFollow(platform.handle.db, o.account_id, o.consumer_id);
  return follow?.subscribed === true ? 'Y' : 'N';
}

const Fen = z.string().regex(/^[1-9]\d{0,15}$/, '必须为正整数(分)');
const OutTradeNo = z.string().regex(/^[0-9A-Za-z_\-|*@]{1,32}$/, 'out_trade_no 为1-32位字母、数字、_-|*@');
const UnifiedOrder = z.object({
  body: z.string().min(1).max(128),
  out_trade_no: OutTradeNo,
  total_fee: Fen,
  fee_type: z.string().default('CNY'),
  spbill_create_ip: z.string().min(1).max(64),
  notify_url: z.url({ protocol: /^https?$/ }).max(256),
  trade_type: z.enum(['JSAPI', 'NATIVE', 'MWEB']),
  openid: z.string().max(128).optional(),
  product_id: z.string().max(32).optional(),
  attach: z.string().max(127).optional(),
  time_expire: z.string().optional(),
}).superRefine((b, ctx) => {
  if (b.time_expire && !parseV2Time(b.time_expire)) ctx.addIssue({ code: 'custom', path: ['time_expire'], message: 'time_expire格式为yyyyMMddHHmmss' });
  if (b.trade_type === 'NATIVE' && !b.product_id) ctx.addIssue({ code: 'custom', path: ['product_id'], message: 'trade_type=NATIVE时product_id必填' });
});
/** By transaction_id (preferred) or out_trade_no. */
const OrderRef = z
  .object({ transaction_id: z.string().max(32).optional(), out_trade_no: z.string().max(32).optional() })
  .refine((v) => Boolean(v.transaction_id || v.out_trade_no), 'transaction_id和out_trade_no至少填一个');

export function orderRef(fields: V2Call['fields']): { transactionId: string } | { outTradeNo: string } {
  const r = OrderRef.parse(fields);
  return r.transaction_id ? { transactionId: r.transaction_id } : { outTradeNo: r.out_trade_no ?? '' };
}

/** `/pay/unifiedorder`, `/pay/orderquery`, `/pay/closeorder`: thin adapters over the payments service. */
export function orderRoutesV2(scope: FastifyInstance, platform: Platform): void {
  const { payments } = platform.services;
  const publicUrl = platform.config.publicUrl;

  v2Route(
    scope,
    '/pay/unifiedorder',
    async ({ fields, merchant, signType, ctx }) => {
      const b = UnifiedOrder.parse(fields);
      const timeExpire = b.time_expire ? parseV2Time(b.time_expire) : undefined;
      const input: CreateOrderInput = {
        tradeType: b.trade_type,
        appid: fields.appid ?? '',
        mchid: fields.mch_id ?? '',
        description: b.body,
        outTradeNo: b.out_trade_no,
        notifyUrl: b.notify_url,
        total: BigInt(b.total_fee),
        currency: b.fee_type,
        payerOpenid: b.openid,
        timeExpire,
        attach: b.attach,
        api: 'v2',
        v2SignType: signType,
      };
      const { order } = await payments.create(ctx, merchant.merchant, input);
      return {
        trade_type: order.trade_type,
        prepay_id: order.prepay_id ?? undefined,
        code_url: order.trade_type === 'NATIVE' ? `${publicUrl}/pay/native/${order.code_token}` : undefined,
        mweb_url: order.trade_type === 'MWEB' ? `${publicUrl}/pay/h5/${order.code_token}` : undefined,
      };
    },
    { errCodes: { INVALID_REQUEST: 'OUT_TRADE_NO_USED' } },
  );

  v2Route(scope, '/pay/orderquery', async ({ fields, merchant, ctx }) => {
    const order = await payments.query(ctx, merchant.merchant, fields.mch_id, orderRef(fields));
    return { ...v2OrderFields(order), is_subscribe: isPaid(order) ? await isSubscribed(platform, order) : undefined };
  });

  v2Route(scope, '/pay/closeorder', async ({ fields, merchant, ctx }) => {
    const outTradeNo = OutTradeNo.parse(fields.out_trade_no);
    const order = await payments.query(ctx, merchant.merchant, fields.mch_id, { outTradeNo });
    if (order.state === 'CLOSED') throw orderClosed();
    await payments.close(ctx, merchant.merchant, fields.mch_id, outTradeNo);
    return {};
  });
}
