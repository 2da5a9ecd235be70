import type { Generated } from 'kysely';

/** Analytics rollups (migration 0036): closed CST days per account, and each account's watermark. */
export interface AnalyticsDailyTable {
  account_id: string;
  /** CST day number (days since 1970-01-01). */
  day: number;
  metric: string;
  dimension: string;
  value: bigint;
}

export interface AnalyticsRollupsTable {
  account_id: string;
  /** The last CST day whose rows are in analytics_daily; later days are counted live. */
  rolled_through: number;
  updated_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    analytics_daily: AnalyticsDailyTable;
    analytics_rollups: AnalyticsRollupsTable;
  }
}
