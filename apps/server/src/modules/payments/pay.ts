import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/database.ts';
import { requireConsumer, type RequestContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import { isNotEnough, type LedgerService } from '../ledger/service.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import type { PinVerdict } from '../wallet/pin.ts';
import type { WalletService } from '../wallet/service.ts';
import { transition, type PayOrderRow } from './lifecycle.ts';
import { orderClosed, orderPaid } from './service.ts';
import type { PayApi, PayState, TradeType } from './tables.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { FollowersService } from '../followers/service.ts';

export const PAY_NOTIFY_V3 = 'pay.notify.v3';
export const PAY_NOTIFY_V2 = 'pay.notify.v2';
export const PAY_WEBHOOK = 'pay.webhook';

/** The outbox kind that tells the merchant an order was paid, by the wire that created the order. */
export const PAY_NOTIFY_KIND: Readonly<Record<PayApi, string>> = { v3: PAY_NOTIFY_V3, v2: PAY_NOTIFY_V2, api: PAY_WEBHOOK };

/**
 * Completes a payment inside the caller's transaction, after the caller has locked the order row
 * (`FOR UPDATE`), checked who pays and their PIN: one ledger movement (consumer_wallet pays
 * `total − insured_total`, the insurance fund pays `insured_total`, merchant_pending receives `total`;
 * kind `pay.success`, reference the order id), the transition to SUCCESS (from NOTPAY or USERPAYING),
 * the merchant's notification outbox row (kind by `order.api`, payload `{orderId, notificationId}`,
 * deduplicated per order) and the receipt in the account's thread. Not enough money aborts the
 * transaction with NOT_ENOUGH; nothing moves.
 */
export async function completePayment(tx: Tx, deps: { hub: RealtimeHub; ledger: LedgerService }, order: PayOrderRow, consumerId: string, openid: string): Promise<PayOrderRow> {
  const { ledger, hub } = deps;
  const consumerShare = order.total - order.insured_total;
  const [to, wallet, fund] = await ledger.accounts(tx, [
    { kind: 'merchant_pending', ownerId: order.org_id },
    { kind: 'consumer_wallet', ownerId: consumerId },
    ...(order.insured_total > 0n ? [{ kind: 'insurance_fund' as const, ownerId: null }] : []),
  ]);
  if (!to || !wallet) throw new AppError('internal', 'ledger accounts missing');
  const entries = [{ accountId: to.id, amount: order.total }];
  if (consumerShare > 0n) entries.push({ accountId: wallet.id, amount: -consumerShare });
  if (fund) entries.push({ accountId: fund.id, amount: -order.insured_total });
  const paid = await transition(tx, order, 'SUCCESS', { consumer_id: consumerId, payer_openid: openid, success_time: new Date() });
  const kind = PAY_NOTIFY_KIND[order.api];
  // A v2/v3 payment-code order has no notify_url (the merchant learns the result from micropay / orderquery).
  if (order.notify_url !== '' || order.api === 'api') {
    await enqueue(tx, { kind, tenantId: order.org_id, payload: { orderId: order.id, notificationId: randomUUID() }, dedupeKey: `${kind}:${order.id}` });
  }
  const insured = order.insured_total > 0n ? `（医保/保险支付 ¥${yuan(order.insured_total)}，个人支付 ¥${yuan(consumerShare)}）` : '';
  await writeThreadMessage(tx, hub, { accountId: order.account_id, consumerId, openid }, 'out', 'system', {
    type: 'system',
    content: `支付成功 ¥${yuan(order.total)} ${order.description}${insured}（交易单号 ${order.transaction_id}）`,
  });
  // The money moves last: every payment of a merchant updates its one merchant_pending row, so that row
  // lock is taken as late as possible and held only until commit. A refusal here (not enough money)
  // aborts the transaction, taking the state change, the notification and the receipt with it.
  try {
    await ledger.post(tx, { kind: 'pay.success', reference: order.id, tenantId: order.org_id, entries });
  } catch (err) {
    // The insurer cannot pay its share: say so, rather than telling the consumer their wallet is short.
    if (fund && isNotEnough(err) && err.details?.accountId === fund.id) {
      throw new AppError('failed_precondition', '保险基金暂时无法支付，请稍后再试或自费支付', { details: { reason: 'INSURANCE_NOT_ENOUGH' } });
    }
    throw err;
  }
  return paid;
}

export interface PaySheet {
  prepayId: string;
  accountName: string;
  description: string;
  total: bigint;
  /** Paid by an insurance fund on the consumer's behalf; the consumer pays `total − insuredTotal`. */
  insuredTotal: bigint;
  currency: string;
  state: PayState;
  expiresAt: Date;
  tradeType: TradeType;
}

export const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;

export type PayerService = ReturnType<typeof createPayerService>;

/** The consumer's side of a pay order: the pay sheet and paying it from the wallet with the PIN. */
export function createPayerService(deps: { db: Db; hub: RealtimeHub; ledger: LedgerService; wallet: WalletService; followers: Pick<FollowersService, 'consumerOfOpenid'>; accounts: Pick<AccountsService, 'findById'> }) {
  const { db, hub, ledger, wallet, followers, accounts } = deps;

  /** The order of a prepay_id, only for its payer (anyone else: not found). */
  async function payersOrder(tx: Db | Tx, consumerId: string, prepayId: string, lock: boolean): Promise<{ order: PayOrderRow; openid: string }> {
    let q = tx.selectFrom('pay_orders').selectAll().where('prepay_id', '=', prepayId);
    if (lock) q = q.forUpdate();
    const order = await q.executeTakeFirst();
    if (!order?.payer_openid) throw notFound('order');
    if ((await followers.consumerOfOpenid(tx, order.account_id, order.payer_openid)) !== consumerId) throw notFound('order');
    return { order, openid: order.payer_openid };
  }

  return {
    async sheet(ctx: RequestContext, prepayId: string): Promise<PaySheet> {
      const consumerId = requireConsumer(ctx);
      const { order } = await payersOrder(db, consumerId, prepayId, false);
      const account = await accounts.findById(order.account_id);
      return { prepayId, accountName: account?.name ?? '', description: order.description, total: order.total, insuredTotal: order.insured_total, currency: order.currency, state: order.state, expiresAt: order.expires_at, tradeType: order.trade_type };
    },

    /**
     * Pays a JSAPI order from the wallet in one transaction: the order locked, state and expiry checked,
     * the PIN checked (a wrong PIN commits its count and moves nothing), the ledger movement
     * consumer_wallet → merchant_pending, SUCCESS, the notification outbox row and the thread receipt.
     */
    async payByPrepay(ctx: RequestContext, prepayId: string, pin: string): Promise<PayOrderRow> {
      const consumerId = requireConsumer(ctx);
      const pre = await wallet.precheckPin(consumerId, pin);
      const outcome = await db.transaction().execute(async (tx): Promise<{ paid: PayOrderRow } | { refused: Exclude<PinVerdict, { ok: true }> }> => {
        const { order, openid } = await payersOrder(tx, consumerId, prepayId, true);
        if (order.state === 'SUCCESS' || order.state === 'REFUND') throw orderPaid();
        if (order.state !== 'NOTPAY') throw orderClosed();
        if (order.expires_at <= new Date()) throw new AppError('failed_precondition', '订单已过期', { details: { reason: 'ORDER_EXPIRED' } });
        const verdict = await wallet.checkPin(tx, consumerId, pin, pre);
        if (!verdict.ok) return { refused: verdict };
        const paid = await completePayment(tx, { hub, ledger }, order, consumerId, openid);
        return { paid };
      });
      if ('refused' in outcome) throw wallet.pinError(outcome.refused);
      return outcome.paid;
    },
  };
}
