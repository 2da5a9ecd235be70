import type { Generated } from 'kysely';

export type VerifyMode = 'certificate' | 'public_key';

/** One pay account per organisation. Holds secrets: never log a row or return it to another tenant. */
export interface PayMerchantsTable {
  mch_id: string;
  org_id: string;
  appid: string;
  api_v2_key: string;
  api_v3_key: string;
  /** The merchant's API public key (SPKI PEM); its private key is handed out once and not kept. */
  merchant_public_key: string;
  merchant_cert_serial: string;
  verify_mode: Generated<VerifyMode>;
  created_at: Generated<Date>;
}

/** Platform signing keys of a merchant; several active at once during a rotation. */
export interface PayPlatformKeysTable {
  id: string;
  mch_id: string;
  serial: string;
  public_key_id: string;
  private_key: string;
  certificate: string;
  not_before: Date;
  not_after: Date;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface PayV3NoncesTable {
  mch_id: string;
  nonce: string;
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    pay_merchants: PayMerchantsTable;
    pay_platform_keys: PayPlatformKeysTable;
    pay_v3_nonces: PayV3NoncesTable;
  }
}
