import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in','out')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('reply_to_outbox', 'bigint', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // MsgIds look like WeChat's: 64-bit and 16+ digits.
  await sql`alter sequence messages_id_seq restart with 7000000000000000001`.execute(db);
  await db.schema.createIndex('messages_thread').on('messages').columns(['account_id', 'consumer_id', 'id']).execute();
  await db.schema.createIndex('messages_consumer').on('messages').columns(['consumer_id', 'id']).execute();

  await db.schema
    .createTable('thread_reads')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('last_read_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_reads_pk', ['account_id', 'consumer_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('thread_reads').execute();
  await db.schema.dropTable('messages').execute();
}
