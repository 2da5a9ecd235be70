import type { Db, Tx } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { FollowersService } from '../followers/service.ts';
import { isNotEnough, type LedgerService } from '../ledger/service.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import { transition, type PayOrderRow } from './lifecycle.ts';
import { completePayment, yuan } from './pay.ts';
import { newOrderBase, orderNotExist, v3Refusal } from './service.ts';
import type { PayApi } from './tables.ts';
import './paycode-tables.ts';
import { requireOrgApproved } from '../operator/org-status.ts';

/** Payment-code payments up to ¥1000 (100000 fen) go through without the consumer's PIN. */
export const MICROPAY_NO_PIN_LIMIT = 100_000n;
/** How long a USERPAYING order waits for the consumer's PIN. */
export const MICROPAY_CONFIRM_MS = 5 * 60_000;
/** WeChat's payment codes: 18 digits starting 10–15 (Lianjie issues `13…`). */
export const AUTH_CODE_PATTERN = /^1[0-5]\d{16}$/;

export interface MicropayInput {
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  total: bigint;
  authCode: string;
  attach?: string | undefined;
  api: PayApi;
  v2SignType?: 'MD5' | 'HMAC-SHA256' | undefined;
}

interface AccountLookup {
  findByAppId(appid: string): Promise<{ id: string; org_id: string; appid: string } | undefined>;
}

const authCodeInvalid = () => v3Refusal('invalid_argument', 'AUTH_CODE_INVALID', '付款码无效，请刷新后重试');
const authCodeExpired = () => v3Refusal('failed_precondition', 'AUTHCODEEXPIRE', '付款码已过期，请刷新后重试');
const duplicate = () => v3Refusal('conflict', 'INVALID_REQUEST', '订单号重复');

export type MicropayService = ReturnType<typeof createMicropayService>;

/**
 * The merchant's side of payment-code payments (付款码): micropay scans the consumer's code and takes
 * the money at once (up to the no-PIN limit) or waits for the consumer's PIN (USERPAYING); reverse
 * undoes one (REVOKED, the money back when it was paid).
 */
export function createMicropayService(deps: { db: Db; hub: RealtimeHub; ledger: LedgerService; accounts: AccountLookup; followers: Pick<FollowersService, 'ensureIdentity'> }) {
  const { db, hub, ledger, accounts, followers } = deps;

  function own(ctx: RequestContext, m: PayMerchantRow): void {
    if (requireOrg(ctx) !== m.org_id) throw new AppError('permission_denied', '商户无权限', { details: { v3Code: 'NO_AUTH' } });
  }

  const byOutTradeNo = (ex: Db | Tx, m: PayMerchantRow, outTradeNo: string) => ex.selectFrom('pay_orders').selectAll().where('mch_id', '=', m.mch_id).where('out_trade_no', '=', outTradeNo);

  /** A repeat of the same out_trade_no: the same order when every parameter (and the code) is the same. */
  async function repeat(m: PayMerchantRow, input: MicropayInput): Promise<PayOrderRow | undefined> {
    const o = await byOutTradeNo(db, m, input.outTradeNo).executeTakeFirst();
    if (!o) return undefined;
    const code = await db.selectFrom('pay_codes').select('order_id').where('code', '=', input.authCode).executeTakeFirst();
    const same = o.trade_type === 'MICROPAY' && o.appid === input.appid && o.description === input.description && o.total === input.total && (o.attach ?? undefined) === (input.attach || undefined) && o.api === input.api && code?.order_id === o.id;
    if (!same) throw duplicate();
    return o;
  }

  return {
    /**
     * Takes a payment with a consumer's payment code, in one transaction: the code checked and used,
     * the MICROPAY order created with the consumer's openid, then paid at once (SUCCESS) when
     * `total ≤ MICROPAY_NO_PIN_LIMIT`, else left USERPAYING and the consumer told (realtime
     * `pay.userpaying`); the merchant polls orderquery. A wallet short of money refuses (NOTENOUGH)
     * and creates nothing: the code stays usable. A repeat returns the same order.
     */
    async micropay(ctx: RequestContext, m: PayMerchantRow, input: MicropayInput): Promise<PayOrderRow> {
      own(ctx, m);
      if (input.mchid !== m.mch_id) throw v3Refusal('invalid_argument', 'PARAM_ERROR', 'mchid与请求方商户号不一致');
      await requireOrgApproved(db, m.org_id);
      if (input.total < 1n) throw v3Refusal('invalid_argument', 'PARAM_ERROR', '订单金额必须大于0');
      if (!AUTH_CODE_PATTERN.test(input.authCode)) throw authCodeInvalid();
      const account = await accounts.findByAppId(input.appid);
      if (!account || account.appid !== m.appid || account.org_id !== m.org_id) throw v3Refusal('invalid_argument', 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
      const again = await repeat(m, input);
      if (again) return again;
      try {
        return await db.transaction().execute(async (tx) => {
          const now = new Date();
          const code = await tx.selectFrom('pay_codes').selectAll().where('code', '=', input.authCode).forUpdate().executeTakeFirst();
          if (!code || code.used_at) throw authCodeInvalid();
          if (code.expires_at <= now) throw authCodeExpired();
          const { openid } = await followers.ensureIdentity(tx, account.id, account.org_id, code.consumer_id);
          const large = input.total > MICROPAY_NO_PIN_LIMIT;
          const order = await tx
            .insertInto('pay_orders')
            .values({
              ...newOrderBase(m, account.id, input, now),
              trade_type: 'MICROPAY',
              payer_openid: openid,
              notify_url: '',
              state: large ? 'USERPAYING' : 'NOTPAY',
              expires_at: new Date(now.getTime() + MICROPAY_CONFIRM_MS),
            })
            .onConflict((oc) => oc.columns(['mch_id', 'out_trade_no']).doNothing())
            .returningAll()
            .executeTakeFirst();
          if (!order) throw duplicate();
          await tx.updateTable('pay_codes').set({ used_at: now, order_id: order.id }).where('code', '=', code.code).execute();
          if (large) {
            await hub.publish(tx, code.consumer_id, { type: 'pay.userpaying', orderId: order.id }, { type: 'pay.userpaying', id: order.id });
            return order;
          }
          return completePayment(tx, { hub, ledger }, order, code.consumer_id, openid);
        });
      } catch (err) {
        if (isNotEnough(err)) throw v3Refusal('failed_precondition', 'NOTENOUGH', '用户余额不足');
        // A concurrent repeat of the same request committed first: answer with its order.
        const raced = isAppError(err) && (err.details?.v3Code === 'AUTH_CODE_INVALID' || err.details?.v3Code === 'INVALID_REQUEST') ? await repeat(m, input).catch(() => undefined) : undefined;
        if (raced) return raced;
        throw err;
      }
    },

    /**
     * Reverses (撤销) a payment-code order: USERPAYING → REVOKED; SUCCESS → the money back exactly as
     * `pay.success` moved it (ledger `pay.reverse`, reference the order id) and REVOKED, only while it
     * has no refunds and is not settled. REVOKED or PAYERROR again: nothing to undo, the order as it is.
     */
    async reverse(ctx: RequestContext, m: PayMerchantRow, by: { outTradeNo: string } | { transactionId: string }): Promise<PayOrderRow> {
      own(ctx, m);
      return db.transaction().execute(async (tx) => {
        let q = tx.selectFrom('pay_orders').selectAll().where('mch_id', '=', m.mch_id);
        q = 'outTradeNo' in by ? q.where('out_trade_no', '=', by.outTradeNo) : q.where('transaction_id', '=', by.transactionId);
        const order = await q.forUpdate().executeTakeFirst();
        if (!order) throw orderNotExist();
        if (order.trade_type !== 'MICROPAY') throw v3Refusal('failed_precondition', 'INVALID_REQUEST', '仅付款码支付的订单可以撤销');
        if (order.state === 'REVOKED' || order.state === 'PAYERROR') return order;
        if (order.state === 'USERPAYING' || order.state === 'NOTPAY') return transition(tx, order, 'REVOKED');
        if (order.state !== 'SUCCESS' || order.refund_count > 0 || order.refunded_total > 0n) throw v3Refusal('failed_precondition', 'INVALID_REQUEST', '订单已发生退款，不能撤销');
        if (order.settled_at) throw v3Refusal('failed_precondition', 'INVALID_REQUEST', '订单已结算，请使用退款');
        if (!order.consumer_id || !order.payer_openid) throw new AppError('internal', 'a paid order without its payer');
        const consumerShare = order.total - order.insured_total;
        const entries = [{ accountId: (await ledger.account(tx, 'merchant_pending', order.org_id)).id, amount: -order.total }];
        if (consumerShare > 0n) entries.push({ accountId: (await ledger.account(tx, 'consumer_wallet', order.consumer_id)).id, amount: consumerShare });
        if (order.insured_total > 0n) entries.push({ accountId: (await ledger.account(tx, 'insurance_fund', null)).id, amount: order.insured_total });
        try {
          await ledger.post(tx, { kind: 'pay.reverse', reference: order.id, tenantId: order.org_id, entries });
        } catch (err) {
          if (isNotEnough(err)) throw v3Refusal('failed_precondition', 'INVALID_REQUEST', '商户待结算余额不足，不能撤销');
          throw err;
        }
        const revoked = await transition(tx, order, 'REVOKED');
        await writeThreadMessage(tx, hub, { accountId: order.account_id, consumerId: order.consumer_id, openid: order.payer_openid }, 'out', 'system', {
          type: 'system',
          content: `付款已撤销，¥${yuan(consumerShare)} 已退回零钱（交易单号 ${order.transaction_id}）`,
        });
        return revoked;
      });
    },
  };
}
