import { sql, type Kysely } from 'kysely';

/** JS-SDK tickets (`/cgi-bin/ticket/getticket`): per account and type, the current one plus any in grace. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jsapi_tickets')
    .addColumn('ticket', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('jsapi','wx_card')`))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jsapi_tickets_account').on('jsapi_tickets').columns(['account_id', 'type', 'expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jsapi_tickets').execute();
}
