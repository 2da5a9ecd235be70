import type { Kysely } from 'kysely';

/**
 * Account settings for web pages: the OAuth redirect ("web-page") domain and the JS-SDK domain, each a
 * hostname with an optional port (`shop.example.com`, `127.0.0.1:8080`), or null when not set.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official_accounts').addColumn('web_domain', 'text').execute();
  await db.schema.alterTable('official_accounts').addColumn('jssdk_domain', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official_accounts').dropColumn('jssdk_domain').execute();
  await db.schema.alterTable('official_accounts').dropColumn('web_domain').execute();
}
