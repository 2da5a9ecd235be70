import type { Db, DbOrTx, Tx } from '../../platform/database.ts';
import { requireOperator, type RequestContext } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { CST_OFFSET_MS } from '../../platform/time.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { PayOrderRow } from '../payments/lifecycle.ts';
import type { SettlementDelay } from './tables.ts';
import './tables.ts';
import '../payments/tables.ts';

export const DEFAULT_FEE_RATE_BP = 60;
const DAY_MS = 86_400_000;

export interface PaySettings {
  feeRateBp: number;
  delay: SettlementDelay;
}

/** The platform fee on a settled amount: `amount × rateBp / 10000`, rounded half up to the fen. */
export const feeOf = (amount: bigint, rateBp: number): bigint => (amount <= 0n ? 0n : (amount * BigInt(rateBp) + 5_000n) / 10_000n);

/** `0.60%`: a basis-point rate as WeChat's bills print it. */
export const ratePercent = (rateBp: number) => `${(rateBp / 100).toFixed(2)}%`;

/** 00:00 CST of the calendar day containing `at` (CST has no daylight saving). */
export const cstDayStart = (at: Date): Date => new Date(Math.floor((at.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS);

/** When a payment at `successTime` becomes due: at once, or 00:00 CST of the next day. */
export const dueAt = (successTime: Date, delay: SettlementDelay): Date => (delay === 'now' ? successTime : new Date(cstDayStart(successTime).getTime() + DAY_MS));

/** `[start, end)` of the CST calendar day `yyyy-mm-dd`; invalid_argument (v3 PARAM_ERROR) for anything else. */
export function cstDay(date: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const utc = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) {
    throw new AppError('invalid_argument', '日期格式不正确，应为 yyyy-MM-dd', { details: { v3Code: 'PARAM_ERROR', reason: 'BAD_DATE' } });
  }
  return { start: new Date(utc - CST_OFFSET_MS), end: new Date(utc - CST_OFFSET_MS + DAY_MS) };
}

export interface SettledOrder {
  transactionId: string;
  outTradeNo: string;
  total: bigint;
  refunded: bigint;
  /** `total − refunded` at settlement: what moved from pending. */
  amount: bigint;
  fee: bigint;
  settledAt: Date;
}

export type SettlementService = ReturnType<typeof createSettlementService>;

/**
 * Settlement of paid orders (pending → available, less the platform fee), the merchant's pay settings and
 * balances. `settleDue` is the sweeper's work; it is safe to run in every instance (SKIP LOCKED).
 */
export function createSettlementService(deps: { db: Db; ledger: LedgerService; defaultDelay: SettlementDelay }) {
  const { db, ledger, defaultDelay } = deps;

  async function settingsOf(executor: DbOrTx, orgId: string): Promise<PaySettings> {
    const row = await executor.selectFrom('pay_settings').select(['fee_rate_bp', 'settlement_delay']).where('org_id', '=', orgId).executeTakeFirst();
    return { feeRateBp: row?.fee_rate_bp ?? DEFAULT_FEE_RATE_BP, delay: row?.settlement_delay ?? defaultDelay };
  }

  async function saveSettings(orgId: string, set: Partial<{ fee_rate_bp: number; settlement_delay: SettlementDelay }>): Promise<PaySettings> {
    const current = await settingsOf(db, orgId);
    await db
      .insertInto('pay_settings')
      .values({ org_id: orgId, fee_rate_bp: current.feeRateBp, settlement_delay: current.delay, ...set })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...set, updated_at: new Date() }))
      .execute();
    return settingsOf(db, orgId);
  }

  /** Claims the next due, unsettled paid order no other instance holds (one row, `FOR UPDATE SKIP LOCKED`). */
  async function claimDue(tx: Tx, now: Date, skip: readonly string[]): Promise<PayOrderRow | undefined> {
    const todayStart = cstDayStart(now);
    let q = tx
      .selectFrom('pay_orders as o')
      .selectAll('o')
      .where('o.settled_at', 'is', null)
      .where('o.state', 'in', ['SUCCESS', 'REFUND'])
      .where((eb) => {
        const settingIs = (delay: SettlementDelay) => eb.exists(eb.selectFrom('pay_settings as s').select('s.org_id').whereRef('s.org_id', '=', 'o.org_id').where('s.settlement_delay', '=', delay));
        const immediate = defaultDelay === 'now' ? eb.not(settingIs('T+1')) : settingIs('now');
        // T+1 is due from 00:00 CST of the next day: paid before today's CST midnight.
        return eb.or([eb('o.success_time', '<', todayStart), eb.and([eb('o.success_time', '<=', now), immediate])]);
      });
    if (skip.length > 0) q = q.where('o.id', 'not in', skip);
    return q.orderBy('o.success_time').limit(1).forUpdate().skipLocked().executeTakeFirst();
  }

  /** One order's settlement inside the caller's transaction, the order row locked by the caller. */
  async function settle(tx: Tx, order: PayOrderRow, now: Date): Promise<void> {
    const { feeRateBp } = await settingsOf(tx, order.org_id);
    // Refunds accepted before settlement were already taken from pending (refunded_total).
    const amount = order.total - order.refunded_total;
    const fee = feeOf(amount, feeRateBp);
    if (amount > 0n) {
      const entries = [{ accountId: (await ledger.account(tx, 'merchant_pending', order.org_id)).id, amount: -amount }];
      if (amount - fee > 0n) entries.push({ accountId: (await ledger.account(tx, 'merchant_available', order.org_id)).id, amount: amount - fee });
      if (fee > 0n) entries.push({ accountId: (await ledger.account(tx, 'platform_fees', null)).id, amount: fee });
      await ledger.post(tx, { kind: 'settle', reference: order.id, tenantId: order.org_id, entries });
    }
    await tx.updateTable('pay_orders').set({ settled_at: now, fee }).where('id', '=', order.id).where('settled_at', 'is', null).execute();
  }

  return {
    settingsOf,

    /**
     * Settles up to `limit` due orders, each in its own transaction (claim, ledger 'settle', stamp).
     * An order that fails is reported to `onError` and skipped for the rest of this sweep. Returns how many settled.
     */
    async settleDue(now: Date = new Date(), limit = 100, onError?: (orderId: string, err: unknown) => void): Promise<number> {
      let settled = 0;
      const failed: string[] = [];
      while (settled + failed.length < limit) {
        let claimedId: string | undefined;
        try {
          const done = await db.transaction().execute(async (tx) => {
            const order = await claimDue(tx, now, failed);
            if (!order) return false;
            claimedId = order.id;
            await settle(tx, order, now);
            return true;
          });
          if (!done) break;
          settled++;
        } catch (err) {
          if (!claimedId) throw err;
          failed.push(claimedId);
          onError?.(claimedId, err);
        }
      }
      return settled;
    },

    async getSettings(ctx: RequestContext): Promise<PaySettings> {
      return settingsOf(db, requirePermission(ctx, 'pay.read'));
    },

    /** The merchant chooses when its payments settle (owner only); the fee rate is the operator's. */
    async setDelay(ctx: RequestContext, delay: SettlementDelay): Promise<PaySettings> {
      const orgId = requirePermission(ctx, 'pay.payout');
      if (delay !== 'T+1' && delay !== 'now') throw new AppError('invalid_argument', "delay is 'T+1' or 'now'");
      return saveSettings(orgId, { settlement_delay: delay });
    },

    /** The operator sets an organisation's fee rate (basis points, 0..10000). */
    async setFeeRate(ctx: RequestContext, orgId: string, feeRateBp: number): Promise<PaySettings> {
      requireOperator(ctx);
      if (!Number.isInteger(feeRateBp) || feeRateBp < 0 || feeRateBp > 10_000) throw new AppError('invalid_argument', 'feeRateBp is an integer 0..10000');
      const org = await db.selectFrom('organizations').select('id').where('id', '=', orgId).executeTakeFirst();
      if (!org) throw notFound('organization');
      return saveSettings(orgId, { fee_rate_bp: feeRateBp });
    },

    /** The organisation's pending and available balances and the fees kept at its settlements. */
    async balance(ctx: RequestContext): Promise<{ pending: bigint; available: bigint; fees: bigint }> {
      const orgId = requirePermission(ctx, 'pay.read');
      const pending = (await ledger.find(db, 'merchant_pending', orgId))?.balance ?? 0n;
      const available = (await ledger.find(db, 'merchant_available', orgId))?.balance ?? 0n;
      const row = await db.selectFrom('pay_orders').select((eb) => eb.fn.sum<string | null>('fee').as('fees')).where('org_id', '=', orgId).where('settled_at', 'is not', null).executeTakeFirst();
      return { pending, available, fees: BigInt(row?.fees ?? 0) };
    },

    /** The organisation's orders settled on a CST calendar day, oldest first. */
    async settledOn(ctx: RequestContext, date: string): Promise<SettledOrder[]> {
      const orgId = requirePermission(ctx, 'pay.read');
      const { start, end } = cstDay(date);
      const rows = await db
        .selectFrom('pay_orders')
        .select(['transaction_id', 'out_trade_no', 'total', 'refunded_total', 'fee', 'settled_at'])
        .where('org_id', '=', orgId)
        .where('settled_at', '>=', start)
        .where('settled_at', '<', end)
        .orderBy('settled_at')
        .orderBy('id')
        .execute();
      // refunded_total may have grown after settlement (refunds then come from available); the settled
      // amount is what pending held: total − refunded_total at that moment, which the ledger recorded.
      const moved = await settledAmounts(db, orgId, start, end);
      return rows.map((r) => {
        const amount = moved.get(r.transaction_id) ?? 0n;
        return { transactionId: r.transaction_id, outTradeNo: r.out_trade_no, total: r.total, refunded: r.total - amount, amount, fee: r.fee, settledAt: r.settled_at ?? start };
      });
    },
  };
}

/** Per transaction id, what each settlement took from pending (the ledger's 'settle' movement). */
async function settledAmounts(db: Db, orgId: string, start: Date, end: Date): Promise<Map<string, bigint>> {
  const rows = await db
    .selectFrom('pay_orders as o')
    .innerJoin('ledger_transactions as t', (j) => j.onRef('t.reference', '=', 'o.id').on('t.kind', '=', 'settle'))
    .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
    .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
    .select(['o.transaction_id', 'e.amount'])
    .where('o.org_id', '=', orgId)
    .where('o.settled_at', '>=', start)
    .where('o.settled_at', '<', end)
    .where('a.kind', '=', 'merchant_pending')
    .execute();
  return new Map(rows.map((r) => [r.transaction_id, -r.amount]));
}
