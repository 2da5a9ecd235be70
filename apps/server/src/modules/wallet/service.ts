import type { Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { LedgerLine, LedgerService } from '../ledger/service.ts';
import type { LedgerAccountKind } from '../ledger/tables.ts';
import { normaliseCardNumber } from './cards.ts';
import { checkPin, hashPin, pinError, type PinVerdict, precheckPin, storePin } from './pin.ts';
import type { TransferDirection, WalletTransfersTable } from './tables.ts';
import './tables.ts';

/** One top-up or withdrawal moves 1 fen to 50,000 yuan. */
export const TRANSFER_MIN = 1n;
export const TRANSFER_MAX = 5_000_000n;

export interface CardView {
  id: string;
  bank: string;
  last4: string;
  createdAt: Date;
}

export interface TransferView {
  id: string;
  direction: TransferDirection;
  cardId: string;
  amount: bigint;
  /** The wallet balance right after this transfer (or now, for a replayed Idempotency-Key). */
  balance: bigint;
  createdAt: Date;
  replayed: boolean;
}

export interface Receipt {
  entryId: bigint;
  kind: string;
  /** Signed fen: + into the wallet, − out of it. */
  amount: bigint;
  counterparty: string;
  reference: string;
  createdAt: Date;
}

export interface TransferInput {
  cardId: string;
  amount: bigint;
  idempotencyKey?: string | undefined;
}

const COUNTERPARTY_LABEL: Record<LedgerAccountKind, string> = {
  consumer_wallet: 'Wallet',
  merchant_pending: 'Merchant',
  merchant_available: 'Merchant',
  platform_fees: 'Lianjie Pay',
  refunds_in_flight: 'Refund',
  bank: 'Bank',
  insurance_fund: 'Insurance',
};

export type WalletService = ReturnType<typeof createWalletService>;

/** A consumer's wallet: their `consumer_wallet` ledger account, simulated bank cards, and a payment PIN. */
export function createWalletService(deps: { db: Db; ledger: LedgerService }) {
  const { db, ledger } = deps;

  async function transfer(ctx: RequestContext, direction: TransferDirection, input: TransferInput): Promise<TransferView> {
    const consumerId = requireConsumer(ctx);
    if (typeof input.amount !== 'bigint' || input.amount < TRANSFER_MIN || input.amount > TRANSFER_MAX) {
      throw new AppError('invalid_argument', `amount is ${TRANSFER_MIN}..${TRANSFER_MAX} fen`);
    }
    return db.transaction().execute(async (tx) => {
      const card = await tx.selectFrom('wallet_cards').select('id').where('id', '=', input.cardId).where('consumer_id', '=', consumerId).executeTakeFirst();
      if (!card) throw notFound('card');
      const key = input.idempotencyKey ?? null;
      const row = await tx
        .insertInto('wallet_transfers')
        .values({ id: newId('wt'), consumer_id: consumerId, card_id: card.id, direction, amount: input.amount, idempotency_key: key })
        .onConflict((oc) => oc.columns(['consumer_id', 'direction', 'idempotency_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      const wallet = await ledger.account(tx, 'consumer_wallet', consumerId);
      if (!row) return replay(tx, consumerId, direction, key, input, wallet.id);
      const bank = await ledger.account(tx, 'bank', null);
      const [from, to] = direction === 'topup' ? [bank.id, wallet.id] : [wallet.id, bank.id];
      await ledger.post(tx, {
        kind: `wallet.${direction}`,
        reference: row.id,
        tenantId: null,
        entries: [
          { accountId: from, amount: -input.amount },
          { accountId: to, amount: input.amount },
        ],
      });
      return present(row, await ledger.balance(tx, wallet.id), false);
    });
  }

  /** A repeated Idempotency-Key: the first transfer if the request is the same, a conflict if not. */
  async function replay(tx: Tx, consumerId: string, direction: TransferDirection, key: string | null, input: TransferInput, walletId: string): Promise<TransferView> {
    const first = await tx
      .selectFrom('wallet_transfers')
      .selectAll()
      .where('consumer_id', '=', consumerId)
      .where('direction', '=', direction)
      .where('idempotency_key', '=', key ?? '')
      .executeTakeFirstOrThrow();
    if (first.card_id !== input.cardId || first.amount !== input.amount) {
      throw new AppError('conflict', 'this Idempotency-Key was used for another request');
    }
    return present(first, await ledger.balance(tx, walletId), true);
  }

  const present = (r: Selectable<WalletTransfersTable>, balance: bigint, replayed: boolean): TransferView => ({
    id: r.id,
    direction: r.direction,
    cardId: r.card_id,
    amount: r.amount,
    balance,
    createdAt: r.created_at,
    replayed,
  });

  async function label(consumerId: string, lines: LedgerLine[]): Promise<Receipt[]> {
    const refs = lines.filter((l) => l.kind.startsWith('wallet.')).map((l) => l.reference);
    const cards = refs.length
      ? await db
          .selectFrom('wallet_transfers as t')
          .innerJoin('wallet_cards as c', 'c.id', 't.card_id')
          .select(['t.id', 'c.bank', 'c.last4'])
          .where('t.id', 'in', refs)
          .where('t.consumer_id', '=', consumerId)
          .execute()
      : [];
    const byRef = new Map(cards.map((c) => [c.id, `${c.bank} (${c.last4})`]));
    return lines.map((l) => {
      const other = l.counterparties[0];
      return {
        entryId: l.entryId,
        kind: l.kind,
        amount: l.amount,
        counterparty: byRef.get(l.reference) ?? (other ? COUNTERPARTY_LABEL[other.kind] : ''),
        reference: l.reference,
        createdAt: l.createdAt,
      };
    });
  }

  return {
    checkPin,
    /** Verify the PIN's hash before the payment transaction; pass the result to `checkPin`. */
    precheckPin: (consumerId: string, pin: string) => precheckPin(db, consumerId, pin),
    pinError,

    async summary(ctx: RequestContext): Promise<{ balance: bigint; pinSet: boolean; pinLockedUntil: Date | null }> {
      const consumerId = requireConsumer(ctx);
      const account = await ledger.find(db, 'consumer_wallet', consumerId);
      const pin = await db.selectFrom('wallet_pins').select('locked_until').where('consumer_id', '=', consumerId).executeTakeFirst();
      const locked = pin?.locked_until && pin.locked_until > new Date() ? pin.locked_until : null;
      return { balance: account?.balance ?? 0n, pinSet: pin !== undefined, pinLockedUntil: locked };
    },

    async addCard(ctx: RequestContext, input: { number: string; bank: string }): Promise<CardView> {
      const consumerId = requireConsumer(ctx);
      const digits = normaliseCardNumber(input.number);
      if (!digits) throw new AppError('invalid_argument', 'not a valid card number');
      const bank = input.bank.trim();
      if (!bank || bank.length > 64) throw new AppError('invalid_argument', 'bank name is 1..64 characters');
      const row = await db
        .insertInto('wallet_cards')
        .values({ id: newId('card'), consumer_id: consumerId, bank, last4: digits.slice(-4) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { id: row.id, bank: row.bank, last4: row.last4, createdAt: row.created_at };
    },

    async listCards(ctx: RequestContext): Promise<CardView[]> {
      const consumerId = requireConsumer(ctx);
      const rows = await db.selectFrom('wallet_cards').selectAll().where('consumer_id', '=', consumerId).orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, bank: r.bank, last4: r.last4, createdAt: r.created_at }));
    },

    /** Money in from one of the consumer's cards (the simulated bank → the wallet). */
    topUp: (ctx: RequestContext, input: TransferInput) => transfer(ctx, 'topup', input),
    /** Money out to one of the consumer's cards; `failed_precondition` NOT_ENOUGH when the wallet is short. */
    withdraw: (ctx: RequestContext, input: TransferInput) => transfer(ctx, 'withdraw', input),

    /** The wallet's movements, newest first, as receipts. */
    async history(ctx: RequestContext, page: { before?: bigint | undefined; limit?: number | undefined }): Promise<Receipt[]> {
      const consumerId = requireConsumer(ctx);
      const account = await ledger.find(db, 'consumer_wallet', consumerId);
      if (!account) return [];
      return label(consumerId, await ledger.entriesOf(account.id, page));
    },

    /** Sets the payment PIN; replacing one needs the current PIN, which counts towards the lock. */
    async setPin(ctx: RequestContext, input: { pin: string; currentPin?: string | undefined }): Promise<void> {
      const consumerId = requireConsumer(ctx);
      const hash = await hashPin(input.pin);
      const verdict = await db.transaction().execute(async (tx): Promise<PinVerdict> => {
        const existing = await tx.selectFrom('wallet_pins').select('consumer_id').where('consumer_id', '=', consumerId).forUpdate().executeTakeFirst();
        if (existing) {
          if (input.currentPin === undefined) throw new AppError('failed_precondition', 'the current PIN is needed to change it', { details: { reason: 'PIN_REQUIRED' } });
          const v = await checkPin(tx, consumerId, input.currentPin);
          if (!v.ok) return v;
        }
        await storePin(tx, consumerId, hash);
        return { ok: true };
      });
      if (!verdict.ok) throw pinError(verdict);
    },

    /** Checks the PIN in a transaction of its own (the count is committed), throwing the typed error if refused. */
    async verifyPin(ctx: RequestContext, pin: string): Promise<void> {
      const consumerId = requireConsumer(ctx);
      const verdict = await db.transaction().execute((tx) => checkPin(tx, consumerId, pin));
      if (!verdict.ok) throw pinError(verdict);
    },
  };
}
