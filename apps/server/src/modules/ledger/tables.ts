import type { Generated } from 'kysely';

export const LEDGER_ACCOUNT_KINDS = [
  'consumer_wallet',
  'merchant_pending',
  'merchant_available',
  'platform_fees',
  'refunds_in_flight',
  'bank',
  'insurance_fund',
] as const;

export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export interface LedgerAccountsTable {
  id: string;
  kind: LedgerAccountKind;
  /** Consumer id, organisation id, or null for a platform-wide account. */
  owner_id: string | null;
  balance: Generated<bigint>;
  may_go_negative: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface LedgerTransactionsTable {
  id: Generated<bigint>;
  kind: string;
  reference: string;
  tenant_id: string | null;
  created_at: Generated<Date>;
}

export interface LedgerEntriesTable {
  id: Generated<bigint>;
  transaction_id: bigint;
  account_id: string;
  /** Signed fen: + credit, − debit. */
  amount: bigint;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    ledger_accounts: LedgerAccountsTable;
    ledger_transactions: LedgerTransactionsTable;
    ledger_entries: LedgerEntriesTable;
  }
}
