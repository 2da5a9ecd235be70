import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('media_files')
    .addColumn('media_id', 'text', (c) => c.primaryKey())
    // Exactly one owner: an official account (OA upload) or a consumer (an image they send).
    .addColumn('account_id', 'text', (c) => c.references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.references('consumers.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('image','voice','video','thumb')`))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('download_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('media_files_one_owner', sql`(account_id is null) <> (consumer_id is null)`)
    .execute();
  await db.schema.createIndex('media_files_account').on('media_files').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('media_files_consumer').on('media_files').columns(['consumer_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('media_files').execute();
}
