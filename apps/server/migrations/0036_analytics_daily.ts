import { sql, type Kysely } from 'kysely';

/**
 * Analytics rollups (ADR 0006): one row per (account, CST day, metric, dimension) for every closed day,
 * written by the rollup catch-up from a per-account watermark; "today" is counted live from the event
 * tables. Indexes let the catch-up and the live counts read one account's events by time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('analytics_daily')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_daily_pk', ['account_id', 'day', 'metric', 'dimension'])
    .execute();
  await db.schema
    .createTable('analytics_rollups')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('official_accounts.id'))
    .addColumn('rolled_through', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('follow_events_account_consumer_at').on('follow_events').columns(['account_id', 'consumer_id', 'at']).execute();
  await db.schema.createIndex('messages_account_created').on('messages').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('qr_scans_account_consumer_at').on('qr_scans').columns(['account_id', 'consumer_id', 'at']).execute();
  await db.schema.createIndex('pay_orders_account_created').on('pay_orders').columns(['account_id', 'created_at']).execute();
  await db.schema.createIndex('pay_orders_account_success').on('pay_orders').columns(['account_id', 'success_time']).execute();
  await db.schema.createIndex('pay_refunds_org_success').on('pay_refunds').columns(['org_id', 'success_time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of ['pay_refunds_org_success', 'pay_orders_account_success', 'pay_orders_account_created', 'qr_scans_account_consumer_at', 'messages_account_created', 'follow_events_account_consumer_at']) await db.schema.dropIndex(i).execute();
  await db.schema.dropTable('analytics_rollups').execute();
  await db.schema.dropTable('analytics_daily').execute();
}
