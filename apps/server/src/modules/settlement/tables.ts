import type { Generated } from 'kysely';

export type SettlementDelay = 'T+1' | 'now';

/** Per-organisation pay settings (no row: the defaults). */
export interface PaySettingsTable {
  org_id: string;
  /** The platform fee in basis points of the settled amount (60 = 0.6%); set by the operator. */
  fee_rate_bp: Generated<number>;
  /** 'T+1': due at 00:00 CST of the day after the payment; 'now': due at once. */
  settlement_delay: Generated<SettlementDelay>;
  updated_at: Generated<Date>;
}

/** A merchant's bank account for payouts; only the bank name and the last four digits are kept. */
export interface PayPayoutAccountsTable {
  id: string;
  org_id: string;
  bank_name: string;
  last4: string;
  created_at: Generated<Date>;
}

/** Available balance paid out to a bank account (ledger 'payout', reference = id). */
export interface PayPayoutsTable {
  id: string;
  org_id: string;
  account_id: string;
  amount: bigint;
  status: Generated<'paid'>;
  idempotency_key: string | null;
  created_at: Generated<Date>;
}

/** A bill's exact bytes behind a short-lived v3 download token (owned by modules/bills). */
export interface PayBillDownloadsTable {
  token: string;
  mch_id: string;
  bill_date: string;
  bill_type: string;
  content: string;
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    pay_settings: PaySettingsTable;
    pay_payout_accounts: PayPayoutAccountsTable;
    pay_payouts: PayPayoutsTable;
    pay_bill_downloads: PayBillDownloadsTable;
  }
}
