import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { PayPayoutAccountsTable, PayPayoutsTable } from './tables.ts';
import './tables.ts';

export type PayoutAccountRow = Selectable<PayPayoutAccountsTable>;
export type PayoutRow = Selectable<PayPayoutsTable>;

/** Fen per payout: at least 1, at most ¥100,000,000. */
export const PAYOUT_MAX = 10_000_000_000n;

export interface PayoutInput {
  accountId: string;
  amount: bigint;
  idempotencyKey?: string | undefined;
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;

/**
 * The merchant's payout bank accounts and payouts of its available balance (ledger 'payout'). Money leaves
 * the platform, so adding accounts and paying out is for the owner; staff may read.
 */
export function createPayoutsService(deps: { db: Db; ledger: LedgerService }) {
  const { db, ledger } = deps;

  /** A repeated Idempotency-Key: the first payout for the same request, a conflict for another one. */
  async function replay(tx: Tx, orgId: string, key: string, input: PayoutInput): Promise<{ payout: PayoutRow; replayed: true }> {
    const first = await tx.selectFrom('pay_payouts').selectAll().where('org_id', '=', orgId).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    if (first.account_id !== input.accountId || first.amount !== input.amount) throw new AppError('conflict', 'this Idempotency-Key was used for another payout', { details: { reason: 'IDEMPOTENCY_KEY_REUSED' } });
    return { payout: first, replayed: true };
  }

  return {
    /** Adds a bank account; only the bank name and the last four digits of the number are kept. */
    async addAccount(ctx: RequestContext, input: { bankName: string; accountNumber: string }): Promise<PayoutAccountRow> {
      const orgId = requirePermission(ctx, 'pay.payout');
      const digits = input.accountNumber.replace(/[\s-]/g, '');
      const bankName = input.bankName.trim();
      if (!/^\d{8,32}$/.test(digits)) throw new AppError('invalid_argument', 'accountNumber is 8–32 digits');
      if (!bankName || bankName.length > 64) throw new AppError('invalid_argument', 'bankName is 1–64 characters');
      return db.insertInto('pay_payout_accounts').values({ id: newId('ppa'), org_id: orgId, bank_name: bankName, last4: digits.slice(-4) }).returningAll().executeTakeFirstOrThrow();
    },

    async listAccounts(ctx: RequestContext): Promise<PayoutAccountRow[]> {
      const orgId = requirePermission(ctx, 'pay.read');
      return db.selectFrom('pay_payout_accounts').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
    },

    /**
     * Pays `amount` of the available balance out to one of the organisation's accounts, in one transaction:
     * the payout row and ledger 'payout' (merchant_available → bank). Not enough available: 412 NOT_ENOUGH
     * and nothing is written. The same Idempotency-Key returns the first payout (replayed), or 409 for another body.
     */
    async request(ctx: RequestContext, input: PayoutInput): Promise<{ payout: PayoutRow; replayed: boolean }> {
      const orgId = requirePermission(ctx, 'pay.payout');
      if (typeof input.amount !== 'bigint' || input.amount < 1n || input.amount > PAYOUT_MAX) throw new AppError('invalid_argument', `amount is 1..${PAYOUT_MAX} fen`);
      const key = input.idempotencyKey ?? null;
      return db.transaction().execute(async (tx) => {
        const account = await tx.selectFrom('pay_payout_accounts').select('id').where('id', '=', input.accountId).where('org_id', '=', orgId).executeTakeFirst();
        if (!account) throw notFound('payout account');
        const row = await tx
          .insertInto('pay_payouts')
          .values({ id: newId('po'), org_id: orgId, account_id: account.id, amount: input.amount, idempotency_key: key })
          .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) return replay(tx, orgId, key ?? '', input);
        const available = await ledger.account(tx, 'merchant_available', orgId);
        const bank = await ledger.account(tx, 'bank', null);
        await ledger.post(tx, {
          kind: 'payout',
          reference: row.id,
          tenantId: orgId,
          entries: [
            { accountId: available.id, amount: -input.amount },
            { accountId: bank.id, amount: input.amount },
          ],
        });
        return { payout: row, replayed: false };
      });
    },

    async list(ctx: RequestContext, page: { limit?: number | undefined } = {}): Promise<PayoutRow[]> {
      const orgId = requirePermission(ctx, 'pay.read');
      return db
        .selectFrom('pay_payouts')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(page.limit ?? 50, 1), 200))
        .execute();
    },
  };
}
