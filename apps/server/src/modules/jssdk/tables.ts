import type { Generated } from 'kysely';

export type TicketType = 'jsapi' | 'wx_card';

export interface JsapiTicketsTable {
  ticket: string;
  account_id: string;
  type: TicketType;
  issued_at: Generated<Date>;
  /** 7200 s after issue; shortened to now + 5 min when a newer ticket replaces it. */
  expires_at: Date;
}

declare module '../../platform/database.ts' {
  interface Database {
    jsapi_tickets: JsapiTicketsTable;
  }
}
