import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('menus')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('default','conditional')`))
    .addColumn('buttons', 'jsonb', (c) => c.notNull())
    .addColumn('matchrule', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('menus_matchrule_kind', sql`(kind = 'conditional') = (matchrule is not null)`)
    .execute();
  // menuids look like WeChat's: nine digits.
  await sql`alter sequence menus_id_seq restart with 400000001`.execute(db);
  await db.schema.createIndex('menus_account').on('menus').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('menus_one_default').on('menus').column('account_id').unique().where(sql<boolean>`kind = 'default'`).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('menus').execute();
}
