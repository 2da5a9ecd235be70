import { sql, type Kysely } from 'kysely';

/**
 * Payment codes (付款码): a consumer shows an 18-digit code starting `13`, valid 60 s and usable once;
 * the merchant scans it and calls micropay. `order_id` is the MICROPAY order it paid (set when used).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pay_codes')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^13[0-9]{16}$'`))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('order_id', 'text', (c) => c.references('pay_orders.id'))
    .execute();
  await db.schema.createIndex('pay_codes_consumer').on('pay_codes').columns(['consumer_id', 'created_at']).execute();
  await db.schema.createIndex('pay_codes_order').on('pay_codes').column('order_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_codes').execute();
}
