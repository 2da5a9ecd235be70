import { sql, type Kysely } from 'kysely';

/**
 * The customer-service inbox (issue 6): who answers a conversation (account × consumer), whether it is
 * open, and how far the merchant has read it; and the organisation's saved quick replies.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbox_conversations')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id').onDelete('cascade'))
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    .addColumn('last_read_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('inbox_conversations_pk', ['account_id', 'consumer_id'])
    .execute();
  await db.schema.createIndex('inbox_conversations_assignee').on('inbox_conversations').column('assignee_id').execute();
  await db.schema
    .createTable('quick_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('quick_replies_org').on('quick_replies').column('org_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('quick_replies').execute();
  await db.schema.dropTable('inbox_conversations').execute();
}
