import { sql, type Kysely } from 'kysely';

/**
 * Merchant-side follower data of the OA API: user tags and their members, remarks and the
 * account's blacklist. Follows themselves belong to the followers module (0004).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per account that has used tags: the next tag id (WeChat's start at 100) and the row
  // every tag write locks, so limits (100 tags, 20 tags a follower) hold under concurrency.
  await db.schema
    .createTable('tag_counters')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('official_accounts.id'))
    .addColumn('next_id', 'integer', (c) => c.notNull().defaultTo(100))
    .execute();
  await db.schema
    .createTable('tags')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('tags_pk', ['account_id', 'id'])
    .addUniqueConstraint('tags_account_name', ['account_id', 'name'])
    .execute();
  // No foreign key to tags: the system tag 2 (星标组) has members but no row.
  await db.schema
    .createTable('tag_members')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('tag_id', 'integer', (c) => c.notNull())
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('tag_members_pk', ['account_id', 'tag_id', 'openid'])
    .execute();
  await db.schema.createIndex('tag_members_openid').on('tag_members').columns(['account_id', 'openid']).execute();
  await db.schema
    .createTable('follower_remarks')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('remark', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('follower_remarks_pk', ['account_id', 'openid'])
    .execute();
  // The merchant blacklisted these followers (the consumer's own block is follows.blocked).
  await db.schema
    .createTable('account_blacklist')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('account_blacklist_pk', ['account_id', 'openid'])
    .execute();
  await db.schema.createIndex('account_blacklist_consumer').on('account_blacklist').columns(['account_id', 'consumer_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['account_blacklist', 'follower_remarks', 'tag_members', 'tags', 'tag_counters']) await db.schema.dropTable(t).execute();
}
