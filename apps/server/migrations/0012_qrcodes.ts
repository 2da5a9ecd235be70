import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('qrcodes')
    .addColumn('ticket', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('permanent', 'boolean', (c) => c.notNull())
    .addColumn('scene_id', 'bigint')
    .addColumn('scene_str', 'text')
    .addColumn('name', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('qrcodes_one_scene', sql`(scene_id is null) <> (scene_str is null)`)
    .addCheckConstraint('qrcodes_permanent_no_expiry', sql`permanent = (expires_at is null)`)
    .execute();
  await db.schema.createIndex('qrcodes_account_created').on('qrcodes').columns(['account_id', 'created_at']).execute();
  // A permanent scene has one code per account (creating it again returns the same ticket).
  await db.schema.createIndex('qrcodes_permanent_scene_id').on('qrcodes').columns(['account_id', 'scene_id']).unique().where(sql.ref('permanent'), '=', true).where(sql.ref('scene_id'), 'is not', null).execute();
  await db.schema.createIndex('qrcodes_permanent_scene_str').on('qrcodes').columns(['account_id', 'scene_str']).unique().where(sql.ref('permanent'), '=', true).where(sql.ref('scene_str'), 'is not', null).execute();

  await db.schema
    .createTable('qr_scans')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket', 'text', (c) => c.notNull().references('qrcodes.ticket'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('resulted_in_follow', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('qr_scans_ticket').on('qr_scans').columns(['ticket', 'at']).execute();
  await db.schema.createIndex('qr_scans_account_at').on('qr_scans').columns(['account_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('qr_scans').execute();
  await db.schema.dropTable('qrcodes').execute();
}
