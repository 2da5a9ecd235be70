import { sql, type Kysely } from 'kysely';

/**
 * Pay orders of every method and API, insured shares, and refunds.
 * - `trade_type` gains MWEB (H5) and MICROPAY (payment code); `api` says which wire created the order and
 *   so which notification it gets (v3 JSON, v2 XML, or our JSON API's webhook); `v2_sign_type` is the
 *   signing the v2 merchant used (its notifications are signed the same way).
 * - `insured_total`: the part of `total` an insurance fund pays on the consumer's behalf (0 = none).
 * - `pay_refunds`: one row per refund, `out_refund_no` unique per merchant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pay_orders drop constraint pay_orders_trade_type_check`.execute(db);
  await sql`alter table pay_orders add constraint pay_orders_trade_type_check check (trade_type in ('JSAPI','NATIVE','MWEB','MICROPAY'))`.execute(db);
  await db.schema
    .alterTable('pay_orders')
    .addColumn('api', 'text', (c) => c.notNull().defaultTo('v3').check(sql`api in ('v3','v2','api')`))
    .execute();
  await db.schema
    .alterTable('pay_orders')
    .addColumn('v2_sign_type', 'text', (c) => c.check(sql`v2_sign_type in ('MD5','HMAC-SHA256')`))
    .execute();
  await db.schema
    .alterTable('pay_orders')
    .addColumn('insured_total', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`insured_total >= 0`))
    .execute();
  await sql`alter table pay_orders add constraint pay_orders_insured_within_total check (insured_total < total)`.execute(db);
  await db.schema.alterTable('pay_orders').addColumn('refunded_total', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`refunded_total >= 0`)).execute();
  await sql`alter table pay_orders add constraint pay_orders_refunded_within_total check (refunded_total <= total)`.execute(db);
  await db.schema.alterTable('pay_orders').addColumn('refund_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`refund_count between 0 and 50`)).execute();
  // Settlement (pending → available) stamps the order once, with the fee the platform kept.
  await db.schema.alterTable('pay_orders').addColumn('settled_at', 'timestamptz').execute();
  await db.schema.alterTable('pay_orders').addColumn('fee', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`fee >= 0`)).execute();
  await db.schema.createIndex('pay_orders_org_created').on('pay_orders').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('pay_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('refund_id', 'text', (c) => c.notNull().unique().check(sql`refund_id ~ '^[0-9]{29}$'`))
    .addColumn('mch_id', 'text', (c) => c.notNull().references('pay_merchants.mch_id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull().references('pay_orders.id'))
    .addColumn('out_refund_no', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('insured_amount', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`insured_amount >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('PROCESSING').check(sql`status in ('PROCESSING','SUCCESS','CLOSED','ABNORMAL')`))
    .addColumn('api', 'text', (c) => c.notNull().check(sql`api in ('v3','v2','api')`))
    .addColumn('notify_url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('success_time', 'timestamptz')
    .addUniqueConstraint('pay_refunds_mch_out_refund_no', ['mch_id', 'out_refund_no'])
    .addCheckConstraint('pay_refunds_insured_within_amount', sql`insured_amount <= amount`)
    .execute();
  await db.schema.createIndex('pay_refunds_order').on('pay_refunds').columns(['order_id', 'created_at']).execute();
  await db.schema.createIndex('pay_refunds_org_created').on('pay_refunds').columns(['org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_refunds').execute();
  await db.schema.dropIndex('pay_orders_org_created').execute();
  for (const c of ['fee', 'settled_at', 'refund_count', 'refunded_total', 'insured_total', 'v2_sign_type', 'api']) await db.schema.alterTable('pay_orders').dropColumn(c).execute();
  await sql`alter table pay_orders drop constraint pay_orders_trade_type_check`.execute(db);
  await sql`alter table pay_orders add constraint pay_orders_trade_type_check check (trade_type in ('JSAPI','NATIVE'))`.execute(db);
}
