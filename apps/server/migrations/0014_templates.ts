import { sql, type Kysely } from 'kysely';

/** Template messages: each account's private templates and every `template/send` (its msgid and outcome). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_templates')
    .addColumn('template_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('primary_industry', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deputy_industry', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('example', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('message_templates_account').on('message_templates').columns(['account_id', 'created_at']).execute();

  await db.schema
    .createTable('template_sends')
    .addColumn('msgid', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    // No foreign key: a template may be deleted after it was used.
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // msgids look like WeChat's (ten digits) and stay below 2^53, so JSON clients read them exactly.
  await sql`alter sequence template_sends_msgid_seq restart with 3000000001`.execute(db);
  await db.schema.createIndex('template_sends_account').on('template_sends').columns(['account_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('template_sends').execute();
  await db.schema.dropTable('message_templates').execute();
}
