import { sql, type Kysely } from 'kysely';

/** Insurance (medical insurance / 医保) cards a consumer binds, so an insurance fund can pay part of an order. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insurance_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('insurer', 'text', (c) => c.notNull())
    .addColumn('card_no', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('insurance_cards_consumer_card', ['consumer_id', 'insurer', 'card_no'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('insurance_cards').execute();
}
