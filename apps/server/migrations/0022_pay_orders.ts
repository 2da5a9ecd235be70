import { sql, type Kysely } from 'kysely';

/** Pay orders (WeChat Pay v3/v2 transactions) and their lifecycle state. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pay_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().unique().check(sql`transaction_id ~ '^[0-9]{28}$'`))
    .addColumn('mch_id', 'text', (c) => c.notNull().references('pay_merchants.mch_id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('out_trade_no', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull().check(sql`total > 0`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('trade_type', 'text', (c) => c.notNull().check(sql`trade_type in ('JSAPI','NATIVE')`))
    .addColumn('payer_openid', 'text')
    .addColumn('consumer_id', 'text')
    .addColumn('notify_url', 'text', (c) => c.notNull())
    .addColumn('prepay_id', 'text', (c) => c.unique())
    .addColumn('code_token', 'text', (c) => c.unique())
    .addColumn('attach', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('NOTPAY').check(sql`state in ('NOTPAY','USERPAYING','SUCCESS','CLOSED','PAYERROR','REFUND','REVOKED')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('success_time', 'timestamptz')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('pay_orders_mch_out_trade_no', ['mch_id', 'out_trade_no'])
    .execute();
  await db.schema.createIndex('pay_orders_consumer').on('pay_orders').columns(['consumer_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_orders').execute();
}
