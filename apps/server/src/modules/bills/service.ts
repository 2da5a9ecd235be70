import { createHash } from 'node:crypto';
import type { Db } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import type { PayMerchantRow } from '../paymerchants/service.ts';
import { cstDay, feeOf, type SettlementService } from '../settlement/service.ts';
import { formatTradeBill, type BillLine } from './format.ts';
import '../payments/tables.ts';
import '../settlement/tables.ts';

export type BillType = 'ALL' | 'SUCCESS' | 'REFUND';
export const BILL_TYPES: readonly BillType[] = ['ALL', 'SUCCESS', 'REFUND'];

/** How long a v3 download_url works. */
export const DOWNLOAD_TTL_MS = 5 * 60_000;

export interface BillQuery {
  /** `yyyy-mm-dd`, a CST calendar day. */
  date: string;
  type: BillType;
}

const noStatement = () => new AppError('not_found', '账单文件不存在', { details: { v3Code: 'NO_STATEMENT_EXIST', reason: 'NO_STATEMENT_EXIST' } });
const badToken = () => new AppError('invalid_argument', '下载链接无效或已过期', { details: { v3Code: 'INVALID_REQUEST', reason: 'BAD_TOKEN' } });

export type BillsService = ReturnType<typeof createBillsService>;

/** The merchant's trade bill of a CST day (WeChat's format) and short-lived downloads of it. */
export function createBillsService(deps: { db: Db; settlement: Pick<SettlementService, 'settingsOf'> }) {
  const { db, settlement } = deps;

  function own(ctx: RequestContext, m: PayMerchantRow): void {
    if (requireOrg(ctx) !== m.org_id) throw new AppError('permission_denied', '商户无权限', { details: { v3Code: 'NO_AUTH' } });
  }

  async function tradeBill(ctx: RequestContext, m: PayMerchantRow, q: BillQuery): Promise<string> {
    own(ctx, m);
    if (!BILL_TYPES.includes(q.type)) throw new AppError('invalid_argument', 'bill_type 为 ALL、SUCCESS 或 REFUND', { details: { v3Code: 'PARAM_ERROR' } });
    const { start, end } = cstDay(q.date);
    const { feeRateBp } = await settlement.settingsOf(db, m.org_id);
    const lines: BillLine[] = [];
    if (q.type !== 'REFUND') {
      const paid = await db
        .selectFrom('pay_orders')
        .selectAll()
        .where('mch_id', '=', m.mch_id)
        .where('state', 'in', ['SUCCESS', 'REFUND'])
        .where('success_time', '>=', start)
        .where('success_time', '<', end)
        .execute();
      for (const o of paid) {
        // Settled: the fee kept. Not yet: what the current rate would take from what is left to settle.
        const fee = o.settled_at ? o.fee : feeOf(o.total - o.refunded_total, feeRateBp);
        lines.push({
          time: o.success_time ?? start, appid: o.appid, mchId: o.mch_id, transactionId: o.transaction_id, outTradeNo: o.out_trade_no, openid: o.payer_openid ?? '',
          tradeType: o.trade_type, state: 'SUCCESS', currency: o.currency, settlementAmount: o.total, refundId: '', outRefundNo: '', refundAmount: 0n,
          description: o.description, attach: o.attach ?? '', fee, feeRateBp, orderAmount: o.total, refundRequested: 0n,
        });
      }
    }
    if (q.type !== 'SUCCESS') {
      const refunds = await db
        .selectFrom('pay_refunds as r')
        .innerJoin('pay_orders as o', 'o.id', 'r.order_id')
        .select(['r.refund_id', 'r.out_refund_no', 'r.amount', 'r.success_time', 'r.currency', 'o.appid', 'o.transaction_id', 'o.out_trade_no', 'o.payer_openid', 'o.trade_type', 'o.description', 'o.attach'])
        .where('r.mch_id', '=', m.mch_id)
        .where('r.status', '=', 'SUCCESS')
        .where('r.success_time', '>=', start)
        .where('r.success_time', '<', end)
        .execute();
      for (const r of refunds) {
        lines.push({
          time: r.success_time ?? start, appid: r.appid, mchId: m.mch_id, transactionId: r.transaction_id, outTradeNo: r.out_trade_no, openid: r.payer_openid ?? '',
          tradeType: r.trade_type, state: 'REFUND', currency: r.currency, settlementAmount: 0n, refundId: r.refund_id, outRefundNo: r.out_refund_no, refundAmount: r.amount,
          description: r.description, attach: r.attach ?? '', fee: 0n, feeRateBp, orderAmount: 0n, refundRequested: r.amount,
        });
      }
    }
    if (lines.length === 0) throw noStatement();
    lines.sort((a, b) => a.time.getTime() - b.time.getTime() || a.transactionId.localeCompare(b.transactionId) || a.refundId.localeCompare(b.refundId));
    return formatTradeBill(lines);
  }

  return {
    /**
     * The trade bill of a CST day: payments by their success time (types ALL and SUCCESS), refunds by
     * theirs (ALL and REFUND). NO_STATEMENT_EXIST (not_found) for a day with nothing.
     */
    tradeBill,

    /** Builds the bill and keeps its exact bytes behind a token bound to this merchant, day and type. */
    async prepareDownload(ctx: RequestContext, m: PayMerchantRow, q: BillQuery): Promise<{ token: string; sha1: string; expiresAt: Date }> {
      const content = await tradeBill(ctx, m, q);
      const token = randomString(40);
      const expiresAt = new Date(Date.now() + DOWNLOAD_TTL_MS);
      await db.deleteFrom('pay_bill_downloads').where('expires_at', '<', new Date()).execute();
      await db.insertInto('pay_bill_downloads').values({ token, mch_id: m.mch_id, bill_date: q.date, bill_type: q.type, content, expires_at: expiresAt }).execute();
      return { token, sha1: createHash('sha1').update(content, 'utf8').digest('hex'), expiresAt };
    },

    /** The bill behind a download token: only for the merchant it was issued to, only until it expires. */
    async download(ctx: RequestContext, m: PayMerchantRow, token: string): Promise<string> {
      own(ctx, m);
      const row = await db.selectFrom('pay_bill_downloads').select(['content', 'expires_at']).where('token', '=', token).where('mch_id', '=', m.mch_id).executeTakeFirst();
      if (!row || row.expires_at <= new Date()) throw badToken();
      return row.content;
    },
  };
}
