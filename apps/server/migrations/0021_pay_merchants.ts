import { sql, type Kysely } from 'kysely';

/** Merchant pay accounts (mch_id), their platform signing keys (rotation), and used v3 request nonces. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pay_merchants')
    .addColumn('mch_id', 'text', (c) => c.primaryKey().check(sql`mch_id ~ '^[0-9]{10}$'`))
    .addColumn('org_id', 'text', (c) => c.notNull().unique().references('organizations.id').onDelete('cascade'))
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('api_v2_key', 'text', (c) => c.notNull().check(sql`length(api_v2_key) = 32`))
    .addColumn('api_v3_key', 'text', (c) => c.notNull().check(sql`length(api_v3_key) = 32`))
    .addColumn('merchant_public_key', 'text', (c) => c.notNull())
    .addColumn('merchant_cert_serial', 'text', (c) => c.notNull())
    .addColumn('verify_mode', 'text', (c) => c.notNull().defaultTo('certificate').check(sql`verify_mode in ('certificate','public_key')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('pay_platform_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mch_id', 'text', (c) => c.notNull().references('pay_merchants.mch_id').onDelete('cascade'))
    .addColumn('serial', 'text', (c) => c.notNull().unique())
    .addColumn('public_key_id', 'text', (c) => c.notNull().unique())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('pay_platform_keys_mch').on('pay_platform_keys').columns(['mch_id', 'active', 'created_at']).execute();
  await db.schema
    .createTable('pay_v3_nonces')
    .addColumn('mch_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('pay_v3_nonces_pk', ['mch_id', 'nonce'])
    .execute();
  await db.schema.createIndex('pay_v3_nonces_expiry').on('pay_v3_nonces').columns(['expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pay_v3_nonces').execute();
  await db.schema.dropTable('pay_platform_keys').execute();
  await db.schema.dropTable('pay_merchants').execute();
}
