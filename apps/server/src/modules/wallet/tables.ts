import type { Generated } from 'kysely';

export interface WalletCardsTable {
  id: string;
  consumer_id: string;
  bank: string;
  /** Only the last four digits of the card number are ever stored. */
  last4: string;
  created_at: Generated<Date>;
}

export type TransferDirection = 'topup' | 'withdraw';

export interface WalletTransfersTable {
  id: string;
  consumer_id: string;
  card_id: string;
  direction: TransferDirection;
  amount: bigint;
  idempotency_key: string | null;
  created_at: Generated<Date>;
}

export interface WalletPinsTable {
  consumer_id: string;
  pin_hash: string;
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  updated_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    wallet_cards: WalletCardsTable;
    wallet_transfers: WalletTransfersTable;
    wallet_pins: WalletPinsTable;
  }
}
