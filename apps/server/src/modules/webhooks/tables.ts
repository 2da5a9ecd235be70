import type { ColumnType, Generated } from 'kysely';

/** Where an organisation's signed events go. The secret signs them, so it is kept in clear: never log a row. */
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: Generated<string>;
  /** Event types (JSON array), `["*"]` for all. Written as JSON text. */
  events: ColumnType<string[], string, string>;
  secret: string;
  enabled: Generated<boolean>;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    webhook_endpoints: WebhookEndpointsTable;
  }
}
