import { sql, type Kysely } from 'kysely';

/** Consumer reports of abusive official accounts (issue 6): at most one open report per consumer per account. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id').onDelete('cascade'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('spam','fraud','harassment','illegal','other')`))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','resolved')`))
    .addColumn('resolution', 'text', (c) => c.check(sql`resolution in ('dismissed','warned','suspended')`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resolved_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await sql`create unique index account_reports_one_open on account_reports (account_id, consumer_id) where status = 'open'`.execute(db);
  await db.schema.createIndex('account_reports_queue').on('account_reports').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_reports').execute();
}
