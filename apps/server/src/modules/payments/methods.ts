import type { Db } from '../../platform/database.ts';
import { requireConsumer, type RequestContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { FollowersService } from '../followers/service.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { PayMerchantsService } from '../paymerchants/service.ts';
import type { PinVerdict } from '../wallet/pin.ts';
import type { WalletService } from '../wallet/service.ts';
import type { PayOrderRow } from './lifecycle.ts';
import { completePayment, type PaySheet } from './pay.ts';
import { prepayIdOf, verifyPaySign, type JsapiPayParams } from './pay-sign.ts';
import { orderClosed, orderPaid } from './service.ts';

/** The pay sheet of an order (the prepay_id is empty for payment-code orders, which have none). */
export const sheetOf = (order: PayOrderRow, accountName: string): PaySheet => ({
  prepayId: order.prepay_id ?? '',
  accountName,
  description: order.description,
  total: order.total,
  insuredTotal: order.insured_total,
  currency: order.currency,
  state: order.state,
  expiresAt: order.expires_at,
  tradeType: order.trade_type,
});

export const orderExpired = () => new AppError('failed_precondition', '订单已过期', { details: { reason: 'ORDER_EXPIRED' } });
const paySignInvalid = (why: string) => new AppError('invalid_argument', `paySign invalid: ${why}`, { details: { reason: 'PAY_SIGN_INVALID' } });

/** Refuses an order that cannot be paid now (paid, closed, expired). */
export function requirePayable(order: PayOrderRow, state: 'NOTPAY' | 'USERPAYING'): void {
  if (order.state === 'SUCCESS' || order.state === 'REFUND') throw orderPaid();
  if (order.state !== state) throw orderClosed();
  if (order.expires_at <= new Date()) throw orderExpired();
}

export type PayMethodsService = ReturnType<typeof createPayMethodsService>;

/**
 * The consumer's side of JSAPI (checking the page's paySign) and of Native / H5 codes (whoever is
 * signed in and scans pays; their openid for the account becomes the payer).
 */
export function createPayMethodsService(deps: {
  db: Db;
  hub: RealtimeHub;
  ledger: LedgerService;
  wallet: Pick<WalletService, 'checkPin' | 'precheckPin' | 'pinError'>;
  followers: Pick<FollowersService, 'consumerOfOpenid' | 'ensureIdentity'>;
  accounts: Pick<AccountsService, 'findById'>;
  payMerchants: Pick<PayMerchantsService, 'byMchId'>;
}) {
  const { db, hub, ledger, wallet, followers, accounts, payMerchants } = deps;
  const accountName = async (accountId: string) => (await accounts.findById(accountId))?.name ?? '';

  /** A code order a consumer may see: unpaid, or paid by them. */
  async function codeOrder(consumerId: string, token: string): Promise<PayOrderRow> {
    const order = await db.selectFrom('pay_orders').selectAll().where('code_token', '=', token).executeTakeFirst();
    if (!order || (order.consumer_id !== null && order.consumer_id !== consumerId)) throw notFound('order');
    return order;
  }

  return {
    /**
     * The pay sheet behind `getBrandWCPayRequest` parameters, after checking them: the order of
     * `package`'s prepay_id, for its payer only (else 404), `appId` the order's, and `paySign` right
     * (RSA with the merchant's public key, or the v2 sign with the API v2 key) — else PAY_SIGN_INVALID.
     */
    async jsapi(ctx: RequestContext, p: JsapiPayParams): Promise<PaySheet> {
      const consumerId = requireConsumer(ctx);
      const prepayId = prepayIdOf(p.package);
      if (!prepayId) throw paySignInvalid('package must be prepay_id=…');
      const order = await db.selectFrom('pay_orders').selectAll().where('prepay_id', '=', prepayId).executeTakeFirst();
      if (!order?.payer_openid || (await followers.consumerOfOpenid(db, order.account_id, order.payer_openid)) !== consumerId) throw notFound('order');
      if (p.appId !== order.appid) throw paySignInvalid("appId is not the order's");
      const m = await payMerchants.byMchId(order.mch_id);
      if (!m || !verifyPaySign(p, { merchantPublicKey: m.merchant.merchant_public_key, apiV2Key: m.merchant.api_v2_key })) throw paySignInvalid('signature mismatch');
      return sheetOf(order, await accountName(order.account_id));
    },

    async codeSheet(ctx: RequestContext, token: string): Promise<PaySheet> {
      const consumerId = requireConsumer(ctx);
      const order = await codeOrder(consumerId, token);
      return sheetOf(order, await accountName(order.account_id));
    },

    /**
     * Pays a Native / H5 order by its code token in one transaction: the order locked, state and
     * expiry checked, the consumer's openid for the account (created if they never met it), the PIN
     * (a wrong one commits its count and moves nothing), then `completePayment`.
     */
    async payByCode(ctx: RequestContext, token: string, pin: string): Promise<PayOrderRow> {
      const consumerId = requireConsumer(ctx);
      const pre = await wallet.precheckPin(consumerId, pin);
      const outcome = await db.transaction().execute(async (tx): Promise<{ paid: PayOrderRow } | { refused: Exclude<PinVerdict, { ok: true }> }> => {
        const order = await tx.selectFrom('pay_orders').selectAll().where('code_token', '=', token).forUpdate().executeTakeFirst();
        if (!order || (order.consumer_id !== null && order.consumer_id !== consumerId)) throw notFound('order');
        requirePayable(order, 'NOTPAY');
        const verdict = await wallet.checkPin(tx, consumerId, pin, pre);
        if (!verdict.ok) return { refused: verdict };
        const { openid } = await followers.ensureIdentity(tx, order.account_id, order.org_id, consumerId);
        return { paid: await completePayment(tx, { hub, ledger }, order, consumerId, openid) };
      });
      if ('refused' in outcome) throw wallet.pinError(outcome.refused);
      return outcome.paid;
    },

    /**
     * Sandbox simulator only: how a consumer would reach an order known by mchid + out_trade_no
     * (its prepay_id, code token or, for a payment-code order, its id).
     */
    async refForSimulator(ctx: RequestContext, mchid: string, outTradeNo: string): Promise<Pick<PayOrderRow, 'id' | 'trade_type' | 'prepay_id' | 'code_token'>> {
      requireConsumer(ctx);
      const row = await db.selectFrom('pay_orders').select(['id', 'trade_type', 'prepay_id', 'code_token']).where('mch_id', '=', mchid).where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      if (!row) throw notFound('order');
      return row;
    },
  };
}
