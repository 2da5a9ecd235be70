import { sql } from 'kysely';
import type { Db } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, randomDigits, randomString } from '../../platform/ids.ts';
import { cstCompactDate } from '../../platform/time.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import { transition, type PayOrderRow } from './lifecycle.ts';
import type { PayApi, PayState, TradeType } from './tables.ts';
import './tables.ts';
import type { FollowersService } from '../followers/service.ts';
import { requireOrgApproved } from '../operator/org-status.ts';

/** Unpaid orders expire after 2 hours unless the merchant sets `time_expire`. */
export const DEFAULT_EXPIRY_MS = 2 * 3_600_000;

export interface CreateOrderInput {
  tradeType: TradeType;
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  notifyUrl: string;
  total: bigint;
  currency: string;
  payerOpenid?: string | undefined;
  timeExpire?: Date | undefined;
  attach?: string | undefined;
  /** Which wire creates the order (default v3); it decides the notification's format. */
  api?: PayApi | undefined;
  /** v2 only: the signing the merchant used, so its notifications are signed the same way. */
  v2SignType?: 'MD5' | 'HMAC-SHA256' | undefined;
  /** The part of `total` an insurance fund pays for the consumer (our JSON API); default 0. */
  insuredTotal?: bigint | undefined;
}

interface AccountLookup {
  findByAppId(appid: string): Promise<{ id: string; org_id: string; appid: string } | undefined>;
}

/** A v3 error code carried by an AppError (the v3 scope maps `details.v3Code`). */
export const v3Refusal = (code: 'not_found' | 'invalid_argument' | 'conflict' | 'failed_precondition', v3Code: string, message: string) =>
  new AppError(code, message, { details: { v3Code, reason: v3Code } });

export const orderNotExist = () => v3Refusal('not_found', 'ORDER_NOT_EXIST', '订单不存在');
export const orderPaid = () => v3Refusal('conflict', 'ORDERPAID', '该订单已支付');
export const orderClosed = () => v3Refusal('failed_precondition', 'ORDER_CLOSED', '订单已关闭');

/** 28 digits like WeChat's: `4200` + 6 random + yyyyMMdd (CST) + 10 random. */
export function newTransactionId(now: Date = new Date()): string {
  return `4200${randomDigits(6)}${cstCompactDate(now)}${randomDigits(10)}`;
}

/** The columns every new pay order starts with (ids, merchant, account and what the merchant sent), for `create` and micropay. */
export const newOrderBase = (m: PayMerchantRow, accountId: string, input: Pick<CreateOrderInput, 'appid' | 'outTradeNo' | 'description' | 'total' | 'attach' | 'api' | 'v2SignType'>, now: Date) => ({
  id: newId('po'),
  transaction_id: newTransactionId(now),
  mch_id: m.mch_id,
  org_id: m.org_id,
  account_id: accountId,
  appid: input.appid,
  out_trade_no: input.outTradeNo,
  description: input.description,
  total: input.total,
  attach: input.attach || null,
  api: input.api ?? 'v3',
  v2_sign_type: input.v2SignType ?? null,
});

const sameOrder = (o: PayOrderRow, i: CreateOrderInput) =>
  o.trade_type === i.tradeType &&
  o.appid === i.appid &&
  o.description === i.description &&
  o.total === i.total &&
  o.currency === i.currency &&
  o.notify_url === i.notifyUrl &&
  (o.payer_openid ?? undefined) === (i.tradeType === 'JSAPI' ? i.payerOpenid : undefined) &&
  (o.attach ?? undefined) === (i.attach || undefined) &&
  o.api === (i.api ?? 'v3') &&
  o.insured_total === (i.insuredTotal ?? 0n) &&
  (i.timeExpire === undefined || o.expires_at.getTime() === i.timeExpire.getTime());

export type PaymentsService = ReturnType<typeof createPaymentsService>;

/** The merchant's side of pay orders: create (idempotent per out_trade_no), query, close. */
export function createPaymentsService(deps: { db: Db; accounts: AccountLookup; followers: Pick<FollowersService, 'consumerOfOpenid'> }) {
  const { db, accounts, followers } = deps;

  /** The caller must be the merchant's own organisation (the v3 wire builds the context from the signature). */
  function own(ctx: RequestContext, m: PayMerchantRow): void {
    if (requireOrg(ctx) !== m.org_id) throw new AppError('permission_denied', '商户无权限', { details: { v3Code: 'NO_AUTH' } });
  }

  function checkMchid(m: PayMerchantRow, mchid: string | undefined): void {
    if (mchid !== m.mch_id) throw v3Refusal('invalid_argument', 'PARAM_ERROR', 'mchid与请求方商户号不一致');
  }

  async function find(m: PayMerchantRow, by: { outTradeNo: string } | { transactionId: string }): Promise<PayOrderRow> {
    let q = db.selectFrom('pay_orders').selectAll().where('mch_id', '=', m.mch_id);
    q = 'outTradeNo' in by ? q.where('out_trade_no', '=', by.outTradeNo) : q.where('transaction_id', '=', by.transactionId);
    const row = await q.executeTakeFirst();
    if (!row) throw orderNotExist();
    return row;
  }

  return {
    /** Creates an order, or returns the same one for a repeat with the same parameters. */
    async create(ctx: RequestContext, m: PayMerchantRow, input: CreateOrderInput): Promise<{ order: PayOrderRow; created: boolean }> {
      own(ctx, m);
      checkMchid(m, input.mchid);
      await requireOrgApproved(db, m.org_id);
      if (input.currency !== 'CNY') throw v3Refusal('invalid_argument', 'PARAM_ERROR', '不支持的币种');
      if (input.total < 1n) throw v3Refusal('invalid_argument', 'PARAM_ERROR', '订单金额必须大于0');
      const insured = input.insuredTotal ?? 0n;
      if (insured < 0n || insured >= input.total) throw v3Refusal('invalid_argument', 'PARAM_ERROR', '保险支付金额必须小于订单金额');
      if (input.tradeType === 'MICROPAY') throw new AppError('internal', 'payment-code orders are created by micropay');
      const account = await accounts.findByAppId(input.appid);
      if (!account || account.appid !== m.appid || account.org_id !== m.org_id) throw v3Refusal('invalid_argument', 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
      const now = new Date();
      if (input.timeExpire && input.timeExpire <= now) throw v3Refusal('invalid_argument', 'PARAM_ERROR', 'time_expire时间已过期');
      if (input.tradeType === 'JSAPI') {
        if (!input.payerOpenid) throw v3Refusal('invalid_argument', 'PARAM_ERROR', '缺少参数payer.openid');
        if (!(await followers.consumerOfOpenid(db, account.id, input.payerOpenid))) throw v3Refusal('invalid_argument', 'PARAM_ERROR', 'openid无效');
      }
      const inserted = await db
        .insertInto('pay_orders')
        .values({
          ...newOrderBase(m, account.id, input, now),
          currency: input.currency,
          trade_type: input.tradeType,
          payer_openid: input.tradeType === 'JSAPI' ? (input.payerOpenid ?? null) : null,
          notify_url: input.notifyUrl,
          prepay_id: `wx${randomString(34).toLowerCase()}`,
          code_token: input.tradeType === 'NATIVE' || input.tradeType === 'MWEB' ? randomString(32) : null,
          insured_total: insured,
          expires_at: input.timeExpire ?? new Date(now.getTime() + DEFAULT_EXPIRY_MS),
        })
        .onConflict((oc) => oc.columns(['mch_id', 'out_trade_no']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return { order: inserted, created: true };
      const first = await find(m, { outTradeNo: input.outTradeNo });
      if (first.state === 'SUCCESS' || first.state === 'REFUND') throw orderPaid();
      if (first.state !== 'NOTPAY') throw orderClosed();
      if (!sameOrder(first, input)) throw v3Refusal('conflict', 'INVALID_REQUEST', '订单号重复');
      return { order: first, created: false };
    },

    async query(ctx: RequestContext, m: PayMerchantRow, mchid: string | undefined, by: { outTradeNo: string } | { transactionId: string }): Promise<PayOrderRow> {
      own(ctx, m);
      checkMchid(m, mchid);
      return find(m, by);
    },

    /** The merchant's orders, newest first, by state and creation time; `after` is the last order id of the previous page. */
    async list(ctx: RequestContext, m: PayMerchantRow, f: { state?: PayState | undefined; from?: Date | undefined; to?: Date | undefined; after?: string | undefined; limit: number }): Promise<PayOrderRow[]> {
      own(ctx, m);
      let q = db.selectFrom('pay_orders').selectAll().where('org_id', '=', m.org_id).where('mch_id', '=', m.mch_id);
      if (f.state) q = q.where('state', '=', f.state);
      if (f.from) q = q.where('created_at', '>=', f.from);
      if (f.to) q = q.where('created_at', '<', f.to);
      // The cursor row's own timestamp (microseconds, which a JS Date would lose) bounds the page.
      if (f.after) q = q.where(sql<boolean>`(created_at, id) < (select c.created_at, c.id from pay_orders c where c.id = ${f.after} and c.mch_id = ${m.mch_id})`);
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    },

    /** Closes an unpaid order (closing a closed one again is fine); a paid one is ORDERPAID. */
    async close(ctx: RequestContext, m: PayMerchantRow, mchid: string | undefined, outTradeNo: string): Promise<void> {
      own(ctx, m);
      checkMchid(m, mchid);
      await db.transaction().execute(async (tx) => {
        const order = await tx.selectFrom('pay_orders').selectAll().where('mch_id', '=', m.mch_id).where('out_trade_no', '=', outTradeNo).forUpdate().executeTakeFirst();
        if (!order) throw orderNotExist();
        if (order.state === 'SUCCESS' || order.state === 'REFUND') throw orderPaid();
        if (order.state === 'CLOSED') return;
        await transition(tx, order, 'CLOSED');
      });
    },
  };
}
