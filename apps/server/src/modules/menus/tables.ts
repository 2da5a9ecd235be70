import type { Generated } from 'kysely';
import type { Json } from '../../platform/outbox-tables.ts';

/**
 * Custom menus of an official account: at most one default menu and any number of conditional
 * ones. The row id is WeChat's `menuid`; re-creating the default menu gives it a new one.
 */
export interface MenusTable {
  id: Generated<bigint>;
  account_id: string;
  kind: 'default' | 'conditional';
  /** The validated buttons (modules/menus/model.ts `MenuButton[]`). */
  buttons: Json;
  /** Conditional menus only (`MatchRule`). */
  matchrule: Json | null;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    menus: MenusTable;
  }
}
