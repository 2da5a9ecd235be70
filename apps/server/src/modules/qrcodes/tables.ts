import type { Generated } from 'kysely';

export interface QrcodesTable {
  /** Opaque and URL-safe; the QR content is `${publicUrl}/q/${ticket}`. */
  ticket: string;
  account_id: string;
  permanent: boolean;
  scene_id: bigint | null;
  scene_str: string | null;
  /** A label the merchant gave the code in the console (null for codes made through the OA API). */
  name: string | null;
  /** Null for permanent codes. */
  expires_at: Date | null;
  created_at: Generated<Date>;
  /** Set when the merchant disabled the code in the console (scans then fail); null = active (migration 0031). */
  disabled_at: Generated<Date | null>;
}

export interface QrScansTable {
  id: Generated<bigint>;
  ticket: string;
  account_id: string;
  consumer_id: string;
  /** The scan made the consumer a (new or returning) follower, rather than a SCAN of a follower. */
  resulted_in_follow: boolean;
  at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    qrcodes: QrcodesTable;
    qr_scans: QrScansTable;
  }
}
