import { sql, type Kysely } from 'kysely';

/** The IP allowlist of an official account's API calls (empty: any address may call). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official_accounts').addColumn('ip_allowlist', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official_accounts').dropColumn('ip_allowlist').execute();
}
