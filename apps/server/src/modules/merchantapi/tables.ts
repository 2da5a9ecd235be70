import type { Generated } from 'kysely';

/** A server-to-server key of an organisation (`lj_sk_…`); only its sha256 is kept. */
export interface MerchantApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  key_hash: string;
  /** The key's last four characters, so the console can tell keys apart. */
  last4: string;
  /** The merchant user who created it. */
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** An Idempotency-Key of an organisation: the request it was first used for and that request's answer. */
export interface IdempotencyKeysTable {
  org_id: string;
  key: string;
  /** sha256 of method, path and the canonical JSON body. */
  fingerprint: string;
  /** running: the first request is executing; done: `response_*` hold its answer. */
  state: Generated<'running' | 'done'>;
  response_status: number | null;
  /** The exact bytes first sent, replayed as they are. */
  response_body: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    merchant_api_keys: MerchantApiKeysTable;
    idempotency_keys: IdempotencyKeysTable;
  }
}
