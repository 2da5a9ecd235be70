import type { Generated } from 'kysely';

export const REPORT_CATEGORIES = ['spam', 'fraud', 'harassment', 'illegal', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export const REPORT_RESOLUTIONS = ['dismissed', 'warned', 'suspended'] as const;
export type ReportResolution = (typeof REPORT_RESOLUTIONS)[number];

/** A consumer's report of an abusive official account (migration 0039). */
export interface AccountReportsTable {
  id: string;
  account_id: string;
  consumer_id: string;
  category: ReportCategory;
  text: Generated<string>;
  status: Generated<'open' | 'resolved'>;
  resolution: ReportResolution | null;
  note: Generated<string>;
  resolved_by: string | null;
  created_at: Generated<Date>;
  resolved_at: Date | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    account_reports: AccountReportsTable;
  }
}
