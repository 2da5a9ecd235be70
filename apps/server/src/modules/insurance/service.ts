import type { Db, DbOrTx } from '../../platform/database.ts';
import { requireConsumer, type RequestContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { LedgerService } from '../ledger/service.ts';
import './tables.ts';

/** Card numbers: 8–24 digits and capital letters (social security / medical insurance / commercial policy cards). */
const CARD_NO = /^[0-9A-Z]{8,24}$/;
const MAX_CARDS = 10;

export interface InsuranceCardView {
  id: string;
  insurer: string;
  /** Only the last four characters leave the server. */
  cardNoLast4: string;
  holderName: string;
  createdAt: Date;
}

const present = (r: { id: string; insurer: string; card_no: string; holder_name: string; created_at: Date }): InsuranceCardView => ({
  id: r.id,
  insurer: r.insurer,
  cardNoLast4: r.card_no.slice(-4),
  holderName: r.holder_name,
  createdAt: r.created_at,
});

/** The card number without spaces or dashes, upper-cased, when it has the shape of one; otherwise undefined. */
export function normaliseInsuranceCardNo(input: string): string | undefined {
  const s = input.replace(/[\s-]/g, '').toUpperCase();
  return CARD_NO.test(s) ? s : undefined;
}

export type InsuranceService = ReturnType<typeof createInsuranceService>;

/** Insurance cards of consumers: an order with an insured share needs its payer to have bound one. */
export function createInsuranceService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async bind(ctx: RequestContext, input: { insurer: string; cardNo: string; holderName: string }): Promise<InsuranceCardView> {
      const consumerId = requireConsumer(ctx);
      const insurer = input.insurer.trim();
      const holderName = input.holderName.trim();
      const cardNo = normaliseInsuranceCardNo(input.cardNo);
      if (!cardNo) throw new AppError('invalid_argument', 'card number must be 8–24 digits or capital letters', { details: { reason: 'BAD_CARD_NO' } });
      if (!insurer || insurer.length > 64) throw new AppError('invalid_argument', 'insurer must be 1–64 characters');
      if (!holderName || holderName.length > 64) throw new AppError('invalid_argument', 'holder name must be 1–64 characters');
      return db.transaction().execute(async (tx) => {
        const count = await tx.selectFrom('insurance_cards').select((eb) => eb.fn.countAll<string>().as('n')).where('consumer_id', '=', consumerId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_CARDS) throw new AppError('failed_precondition', `at most ${MAX_CARDS} insurance cards`, { details: { reason: 'TOO_MANY_CARDS' } });
        const row = await tx
          .insertInto('insurance_cards')
          .values({ id: newId('ic'), consumer_id: consumerId, insurer, card_no: cardNo, holder_name: holderName })
          .onConflict((oc) => oc.columns(['consumer_id', 'insurer', 'card_no']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new AppError('conflict', 'this card is already bound', { details: { reason: 'CARD_ALREADY_BOUND' } });
        return present(row);
      });
    },

    async list(ctx: RequestContext): Promise<InsuranceCardView[]> {
      const consumerId = requireConsumer(ctx);
      const rows = await db.selectFrom('insurance_cards').selectAll().where('consumer_id', '=', consumerId).orderBy('created_at').orderBy('id').execute();
      return rows.map(present);
    },

    /** Unbinds one of the caller's own cards; anyone else's is not found. */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      const consumerId = requireConsumer(ctx);
      const gone = await db.deleteFrom('insurance_cards').where('id', '=', id).where('consumer_id', '=', consumerId).returning('id').executeTakeFirst();
      if (!gone) throw notFound('insurance card');
    },

    /** Internal (order creation): whether the consumer has bound any insurance card. */
    async hasCard(executor: DbOrTx, consumerId: string): Promise<boolean> {
      const row = await executor.selectFrom('insurance_cards').select('id').where('consumer_id', '=', consumerId).limit(1).executeTakeFirst();
      return row !== undefined;
    },
  };
}

/**
 * Moves money from the bank into the platform's insurance fund (ledger kind `insurance.fund`). Idempotent
 * per `reference`, so the demo seed and tests can call it again safely. Operators/seed only: no route.
 */
export async function fundInsurance(db: Db, ledger: LedgerService, input: { amount: bigint; reference: string }): Promise<void> {
  if (input.amount <= 0n) throw new AppError('invalid_argument', 'funding must be positive');
  await db.transaction().execute(async (tx) => {
    const bank = await ledger.account(tx, 'bank', null);
    const fund = await ledger.account(tx, 'insurance_fund', null);
    await ledger.post(tx, { kind: 'insurance.fund', reference: input.reference, tenantId: null, entries: [{ accountId: bank.id, amount: -input.amount }, { accountId: fund.id, amount: input.amount }] });
  });
}
