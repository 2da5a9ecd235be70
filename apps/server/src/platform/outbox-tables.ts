import type { ColumnType, Generated } from 'kysely';

export type Json = ColumnType<unknown, string, string>;

export interface OutboxTable {
  id: Generated<bigint>;
  kind: string;
  tenant_id: string | null;
  payload: Json;
  dedupe_key: string | null;
  ordering_key: string | null;
  status: Generated<'pending' | 'done' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<bigint>;
  outbox_id: bigint;
  tenant_id: string | null;
  kind: string;
  attempt: number;
  request: Json;
  response_status: number | null;
  response_body: string | null;
  latency_ms: number;
  outcome: 'success' | 'failure';
  error: string | null;
  created_at: Generated<Date>;
}

declare module './database.ts' {
  interface Database {
    outbox: OutboxTable;
    delivery_attempts: DeliveryAttemptsTable;
  }
}
