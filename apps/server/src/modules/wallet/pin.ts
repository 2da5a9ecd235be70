import type { DbOrTx, Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from '../../platform/passwords.ts';
import './tables.ts';

/** Wrong PINs in a row that lock payments, and for how long. */
export const PIN_MAX_TRIES = 5;
export const PIN_LOCK_MS = 15 * 60_000;

export const PIN_PATTERN = /^\d{6}$/;

export type PinVerdict =
  | { ok: true }
  | { ok: false; reason: 'PIN_NOT_SET' }
  | { ok: false; reason: 'PIN_WRONG'; triesLeft: number }
  | { ok: false; reason: 'PIN_LOCKED'; unlockAt: Date };

/** The typed error for a refused PIN (our API maps it once; `details.unlockAt` when locked). */
export function pinError(v: Exclude<PinVerdict, { ok: true }>): AppError {
  switch (v.reason) {
    case 'PIN_NOT_SET':
      return new AppError('failed_precondition', 'set a payment PIN first', { details: { reason: v.reason } });
    case 'PIN_WRONG':
      return new AppError('permission_denied', `wrong payment PIN, ${v.triesLeft} tries left`, { details: { reason: v.reason, triesLeft: v.triesLeft } });
    case 'PIN_LOCKED':
      return new AppError('rate_limited', `payments are locked until ${v.unlockAt.toISOString()}`, { details: { reason: v.reason, unlockAt: v.unlockAt.toISOString() } });
  }
}

/** A PIN verified against the stored hash before the payment transaction (scrypt is ~50 ms of CPU). */
export interface PinPrecheck {
  consumerId: string;
  /** The hash it was checked against: the transaction uses the result only if the hash is still this one. */
  hash: string;
  right: boolean;
}

/**
 * Runs the slow hash outside any transaction, so a payment does not hold its row locks (or PGlite's
 * single connection) for the length of a scrypt. The transaction then only compares and counts.
 */
export async function precheckPin(db: DbOrTx, consumerId: string, pin: string): Promise<PinPrecheck | undefined> {
  const row = await db.selectFrom('wallet_pins').select('pin_hash').where('consumer_id', '=', consumerId).executeTakeFirst();
  if (!row) return undefined;
  return { consumerId, hash: row.pin_hash, right: PIN_PATTERN.test(pin) && (await verifyPassword(pin, row.pin_hash)) };
}

/**
 * Checks a consumer's payment PIN inside the caller's transaction and records the outcome there: a right
 * PIN resets the count, a wrong one counts, the fifth wrong one in a row locks payments for 15 minutes.
 * It returns a verdict rather than throwing, so the caller commits the count before refusing
 * (a thrown error would roll the count back and allow unlimited guesses). The row is locked, so
 * concurrent guesses are counted one after another.
 */
export async function checkPin(tx: Tx, consumerId: string, pin: string, pre?: PinPrecheck, now: Date = new Date()): Promise<PinVerdict> {
  const row = await tx.selectFrom('wallet_pins').select(['pin_hash', 'failed_attempts', 'locked_until']).where('consumer_id', '=', consumerId).forUpdate().executeTakeFirst();
  if (!row) return { ok: false, reason: 'PIN_NOT_SET' };
  if (row.locked_until && row.locked_until > now) return { ok: false, reason: 'PIN_LOCKED', unlockAt: row.locked_until };
  const checked = pre && pre.consumerId === consumerId && pre.hash === row.pin_hash ? pre.right : undefined;
  const right = checked ?? (PIN_PATTERN.test(pin) && (await verifyPassword(pin, row.pin_hash)));
  const update = tx.updateTable('wallet_pins').where('consumer_id', '=', consumerId);
  if (right) {
    if (row.failed_attempts !== 0 || row.locked_until) await update.set({ failed_attempts: 0, locked_until: null }).execute();
    return { ok: true };
  }
  const failed = row.failed_attempts + 1;
  if (failed >= PIN_MAX_TRIES) {
    const unlockAt = new Date(now.getTime() + PIN_LOCK_MS);
    await update.set({ failed_attempts: 0, locked_until: unlockAt }).execute();
    return { ok: false, reason: 'PIN_LOCKED', unlockAt };
  }
  await update.set({ failed_attempts: failed, locked_until: null }).execute();
  return { ok: false, reason: 'PIN_WRONG', triesLeft: PIN_MAX_TRIES - failed };
}

/** Hashes a new PIN (outside any transaction: scrypt is slow on purpose). */
export async function hashPin(pin: string): Promise<string> {
  if (!PIN_PATTERN.test(pin)) throw new AppError('invalid_argument', 'a payment PIN is 6 digits');
  return hashPassword(pin);
}

/** Sets or replaces the PIN hash and clears any count or lock (the caller has checked the current PIN). */
export async function storePin(tx: Tx, consumerId: string, pin_hash: string): Promise<void> {
  await tx
    .insertInto('wallet_pins')
    .values({ consumer_id: consumerId, pin_hash })
    .onConflict((oc) => oc.column('consumer_id').doUpdateSet({ pin_hash, failed_attempts: 0, locked_until: null, updated_at: new Date() }))
    .execute();
}
