import { sql, type Kysely } from 'kysely';

/**
 * Person-to-person social layer: friendships (stored in both directions, added at once — no request/accept
 * step in this minimal version), 1:1 messages between friends, read marks, and share referrals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('friendships')
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('friend_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('friendships_pk', ['consumer_id', 'friend_id'])
    .addCheckConstraint('friendships_not_self', sql`consumer_id <> friend_id`)
    .execute();

  await db.schema
    .createTable('dm_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('sender_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('msg_type', 'text', (c) => c.notNull().check(sql`msg_type in ('text','account_card','page_card')`))
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('dm_messages_sender').on('dm_messages').columns(['sender_id', 'recipient_id', 'id']).execute();
  await db.schema.createIndex('dm_messages_recipient').on('dm_messages').columns(['recipient_id', 'sender_id', 'id']).execute();

  await db.schema
    .createTable('dm_reads')
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('friend_id', 'text', (c) => c.notNull())
    .addColumn('last_read_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dm_reads_pk', ['consumer_id', 'friend_id'])
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id').onDelete('cascade'))
    .addColumn('referrer_consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('referred_consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('share_message_id', 'bigint', (c) => c.notNull().unique().references('dm_messages.id'))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('followed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('referrals_referred').on('referrals').columns(['account_id', 'referred_consumer_id', 'opened_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referrals').execute();
  await db.schema.dropTable('dm_reads').execute();
  await db.schema.dropTable('dm_messages').execute();
  await db.schema.dropTable('friendships').execute();
}
