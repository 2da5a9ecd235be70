import type { Generated } from 'kysely';

/** One payment code (付款码) of a consumer: 18 digits starting `13`, single use, short-lived. */
export interface PayCodesTable {
  code: string;
  consumer_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  /** When a merchant's micropay used it (null: unused). */
  used_at: Date | null;
  /** The MICROPAY order it paid. */
  order_id: string | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    pay_codes: PayCodesTable;
  }
}
