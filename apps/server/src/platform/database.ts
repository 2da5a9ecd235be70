import type { Kysely, Transaction } from 'kysely';

/**
 * The database schema. Each module adds its own tables to this interface by module augmentation
 * (`declare module '../../platform/database.ts' { interface Database { … } }`) in its `tables.ts`,
 * so modules own their tables and nothing central lists them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the root handle or an open transaction: repositories accept both. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
