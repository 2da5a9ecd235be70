import { sql, type Kysely } from 'kysely';

/**
 * Settlement, payouts and bill downloads of Lianjie Pay.
 * - `pay_settings`: per organisation, the platform fee rate in basis points (60 = 0.6%, set by the operator)
 *   and the settlement delay ('T+1': 00:00 CST of the day after payment; 'now': at once). No row = defaults.
 * - `pay_payout_accounts`: the merchant's bank accounts for payouts (only the bank name and last four digits).
 * - `pay_payouts`: available balance paid out to a bank account; `idempotency_key` unique per organisation.
 * - `pay_bill_downloads`: a bill's exact bytes behind a short-lived v3 download token (the hash the
 *   merchant was given matches what it downloads).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pay_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('fee_rate_bp', 'integer', (c) => c.notNull().defaultTo(60).check(sql`fee_rate_bp between 0 and 10000`))
    .addColumn('settlement_delay', 'text', (c) => c.notNull().defaultTo('T+1').check(sql`settlement_delay in ('T+1','now')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('pay_payout_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull().check(sql`last4 ~ '^[0-9]{4}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('pay_payout_accounts_org').on('pay_payout_accounts').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('pay_payouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('pay_payout_accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('paid').check(sql`status in ('paid')`))
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('pay_payouts_idempotency', ['org_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('pay_payouts_org_created').on('pay_payouts').columns(['org_id', 'created_at']).execute();

  // The sweeper looks for paid, unsettled orders; settled-day listings look orders up by org and settled_at.
  await sql`create index pay_orders_unsettled on pay_orders (success_time) where settled_at is null and state in ('SUCCESS','REFUND')`.execute(db);
  await db.schema.createIndex('pay_orders_org_settled').on('pay_orders').columns(['org_id', 'settled_at']).execute();
  await db.schema.createIndex('pay_orders_mch_success').on('pay_orders').columns(['mch_id', 'success_time']).execute();
  await db.schema.createIndex('pay_refunds_mch_success').on('pay_refunds').columns(['mch_id', 'success_time']).execute();

  await db.schema
    .createTable('pay_bill_downloads')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('mch_id', 'text', (c) => c.notNull().references('pay_merchants.mch_id').onDelete('cascade'))
    .addColumn('bill_date', 'text', (c) => c.notNull())
    .addColumn('bill_type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_bill_downloads').execute();
  for (const i of ['pay_refunds_mch_success', 'pay_orders_mch_success', 'pay_orders_org_settled', 'pay_orders_unsettled']) await db.schema.dropIndex(i).execute();
  await db.schema.dropTable('pay_payouts').execute();
  await db.schema.dropTable('pay_payout_accounts').execute();
  await db.schema.dropTable('pay_settings').execute();
}
