import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_identities')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('openid', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('account_identities_pk', ['account_id', 'consumer_id'])
    .execute();
  await db.schema
    .createTable('org_identities')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('unionid', 'text', (c) => c.notNull().unique())
    .addPrimaryKeyConstraint('org_identities_pk', ['org_id', 'consumer_id'])
    .execute();
  await db.schema
    .createTable('follows')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('subscribed', 'boolean', (c) => c.notNull())
    .addColumn('subscribe_time', 'timestamptz', (c) => c.notNull())
    .addColumn('unsubscribe_time', 'timestamptz')
    .addColumn('subscribe_scene', 'text', (c) => c.notNull())
    .addColumn('qr_scene', 'bigint')
    .addColumn('qr_scene_str', 'text')
    .addColumn('blocked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_interaction_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('follows_pk', ['account_id', 'consumer_id'])
    .execute();
  await db.schema.createIndex('follows_account_openid').on('follows').columns(['account_id', 'openid']).unique().execute();
  await db.schema.createIndex('follows_consumer').on('follows').column('consumer_id').execute();
  await db.schema
    .createTable('follow_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('subscribe','unsubscribe')`))
    .addColumn('scene', 'text')
    .addColumn('qr_scene', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('follow_events_account_at').on('follow_events').columns(['account_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['follow_events', 'follows', 'org_identities', 'account_identities']) await db.schema.dropTable(t).execute();
}
