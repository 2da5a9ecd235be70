import type { Db } from '../../platform/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { requirePermission, type Permission } from '../../platform/permissions.ts';
import { AppError } from '../../platform/errors.ts';
import type { FollowersService } from '../followers/service.ts';
import type { InsuranceService } from '../insurance/service.ts';
import type { PayOrderRow } from '../payments/lifecycle.ts';
import { v3Refusal, type PaymentsService } from '../payments/service.ts';
import type { PayState } from '../payments/tables.ts';
import type { PayRefundRow, RefundsService } from '../refunds/service.ts';
import type { PayMerchantRow, PayMerchantsService } from '../paymerchants/service.ts';
import { presentOrder, TRADE_TYPE_OF, type OrderView } from './present.ts';

export interface MerchantOrderInput {
  appid?: string | undefined;
  outTradeNo: string;
  description: string;
  amount: bigint;
  method: keyof typeof TRADE_TYPE_OF;
  payerOpenid?: string | undefined;
  attach?: string | undefined;
  /** The part of `amount` the payer's insurance pays (JSAPI only; the payer needs a bound card). */
  insuredAmount?: bigint | undefined;
  expiresAt?: Date | undefined;
}

export interface OrderFilter {
  state?: PayState | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

interface AccountLookup {
  findByAppId(appid: string): Promise<{ id: string; org_id: string; appid: string } | undefined>;
}

export type MerchantPayService = ReturnType<typeof createMerchantPayService>;

/**
 * Our own JSON pay API over the pay-order domain: the same orders, ledger and lifecycle as the WeChat
 * wire, created with `api: 'api'` so their notifications are signed webhooks (modules/webhooks), not
 * calls to a notify_url (stored as '').
 */
export function createMerchantPayService(deps: {
  db: Db;
  payMerchants: Pick<PayMerchantsService, 'get' | 'byMchId'>;
  payments: PaymentsService;
  accounts: AccountLookup;
  followers: Pick<FollowersService, 'consumerOfOpenid'>;
  insurance: Pick<InsuranceService, 'hasCard'>;
  refunds: Pick<RefundsService, 'request'>;
  /** Where Native / H5 pay links point. */
  publicUrl: string;
}) {
  const { db, payMerchants, payments, accounts, followers, insurance, refunds } = deps;

  /** The caller's own pay account (404 when the org has none), if the caller may `perm`. */
  async function merchantOf(ctx: RequestContext, perm: Permission): Promise<PayMerchantRow> {
    requirePermission(ctx, perm);
    const view = await payMerchants.get(ctx);
    const s = await payMerchants.byMchId(view.mchId);
    if (!s) throw new AppError('not_found', 'pay merchant account not found');
    return s.merchant;
  }

  /** An insured share needs a known payer with a bound insurance card (checked before anything is written). */
  async function checkInsured(m: PayMerchantRow, appid: string, input: MerchantOrderInput, insured: bigint): Promise<void> {
    if (input.method !== 'jsapi' || !input.payerOpenid) {
      throw new AppError('invalid_argument', 'an insured share needs a JSAPI order with payerOpenid', { details: { reason: 'INSURANCE_NEEDS_PAYER' } });
    }
    if (insured >= input.amount) throw new AppError('invalid_argument', 'insurance.amount must be less than amount', { details: { reason: 'INSURED_NOT_BELOW_AMOUNT' } });
    const account = await accounts.findByAppId(appid);
    if (!account || account.org_id !== m.org_id || account.appid !== m.appid) throw v3Refusal('invalid_argument', 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const consumerId = await followers.consumerOfOpenid(db, account.id, input.payerOpenid);
    if (!consumerId) throw v3Refusal('invalid_argument', 'PARAM_ERROR', 'openid无效');
    if (!(await insurance.hasCard(db, consumerId))) {
      throw new AppError('failed_precondition', 'the payer has no insurance card bound', { details: { reason: 'NO_INSURANCE_CARD' } });
    }
  }

  return {
    merchantOf,

    /** An order as the API and its webhooks show it. */
    present: (o: PayOrderRow): OrderView => presentOrder(o, deps.publicUrl),

    /** Creates an order (a repeat with the same parameters returns the same order, `created: false`). */
    async create(ctx: RequestContext, input: MerchantOrderInput): Promise<{ order: PayOrderRow; created: boolean }> {
      const m = await merchantOf(ctx, 'pay.charge');
      const appid = input.appid ?? m.appid;
      const insured = input.insuredAmount ?? 0n;
      if (insured > 0n) await checkInsured(m, appid, input, insured);
      return payments.create(ctx, m, {
        tradeType: TRADE_TYPE_OF[input.method],
        appid,
        mchid: m.mch_id,
        description: input.description,
        outTradeNo: input.outTradeNo,
        notifyUrl: '',
        total: input.amount,
        currency: 'CNY',
        payerOpenid: input.method === 'jsapi' ? input.payerOpenid : undefined,
        timeExpire: input.expiresAt,
        attach: input.attach,
        api: 'api',
        insuredTotal: insured,
      });
    },

    async get(ctx: RequestContext, outTradeNo: string): Promise<PayOrderRow> {
      const m = await merchantOf(ctx, 'pay.read');
      return payments.query(ctx, m, m.mch_id, { outTradeNo });
    },

    async close(ctx: RequestContext, outTradeNo: string): Promise<PayOrderRow> {
      const m = await merchantOf(ctx, 'pay.charge');
      await payments.close(ctx, m, m.mch_id, outTradeNo);
      return payments.query(ctx, m, m.mch_id, { outTradeNo });
    },

    async list(ctx: RequestContext, f: OrderFilter): Promise<{ orders: PayOrderRow[]; nextCursor: string | null }> {
      const m = await merchantOf(ctx, 'pay.read');
      const orders = await payments.list(ctx, m, { state: f.state, from: f.from, to: f.to, after: f.cursor, limit: f.limit + 1 });
      const more = orders.length > f.limit;
      const page = more ? orders.slice(0, f.limit) : orders;
      return { orders: page, nextCursor: more ? (page.at(-1)?.id ?? null) : null };
    },

    /** A refund of one of the caller's orders, split back to its payers like the payment (modules/refunds). */
    async refund(ctx: RequestContext, outTradeNo: string, input: { outRefundNo: string; amount: bigint; reason?: string | undefined }): Promise<{ refund: PayRefundRow; order: PayOrderRow; created: boolean }> {
      const m = await merchantOf(ctx, 'pay.refund');
      return refunds.request(ctx, m, { by: { outTradeNo }, outRefundNo: input.outRefundNo, amount: input.amount, ...(input.reason ? { reason: input.reason } : {}), api: 'api' });
    },
  };
}
