import { sql, type Kysely } from 'kysely';

/**
 * The double-entry ledger (ADR 0004) and the consumer wallet around it.
 * Transactions and entries are insert-only (a trigger refuses UPDATE, DELETE and TRUNCATE); an account's
 * balance is kept in the same transaction as its entries and may go negative only for `bank`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('consumer_wallet','merchant_pending','merchant_available','platform_fees','refunds_in_flight','bank','insurance_fund')`),
    )
    .addColumn('owner_id', 'text')
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('may_go_negative', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ledger_accounts_kind_owner', ['kind', 'owner_id'], (u) => u.nullsNotDistinct())
    // Only the simulated outside world may be negative; the database refuses anything else as a backstop.
    .addCheckConstraint('ledger_accounts_negative_only_bank', sql`may_go_negative = (kind = 'bank')`)
    .addCheckConstraint('ledger_accounts_not_negative', sql`may_go_negative or balance >= 0`)
    .execute();
  // The platform-wide accounts exist from the start, so no money movement has to create one under load.
  await sql`insert into ledger_accounts (id, kind, owner_id, may_go_negative) values
    ('la_bank', 'bank', null, true), ('la_platform_fees', 'platform_fees', null, false),
    ('la_refunds_in_flight', 'refunds_in_flight', null, false), ('la_insurance_fund', 'insurance_fund', null, false)`.execute(db);

  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`length(kind) between 1 and 64`))
    .addColumn('reference', 'text', (c) => c.notNull().check(sql`length(reference) between 1 and 200`))
    .addColumn('tenant_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ledger_transactions_kind_reference', ['kind', 'reference'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('transaction_id', 'bigint', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount <> 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('ledger_entries_transaction').on('ledger_entries').column('transaction_id').execute();

  await sql`
    create function ledger_insert_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger rows are insert-only (% on %)', tg_op, tg_table_name using errcode = 'restrict_violation';
    end
    $$`.execute(db);
  for (const table of ['ledger_transactions', 'ledger_entries']) {
    await sql`create trigger ${sql.raw(`${table}_insert_only`)} before update or delete on ${sql.table(table)} for each row execute function ledger_insert_only()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)} for each statement execute function ledger_insert_only()`.execute(db);
  }

  await db.schema
    .createTable('wallet_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('bank', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull().check(sql`last4 ~ '^[0-9]{4}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('wallet_cards_consumer').on('wallet_cards').columns(['consumer_id', 'created_at']).execute();

  // One row per top-up or withdrawal: the ledger reference, and the Idempotency-Key scoped to its consumer.
  await db.schema
    .createTable('wallet_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('wallet_cards.id'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('topup','withdraw')`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('wallet_transfers_idempotency', ['consumer_id', 'direction', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('wallet_pins')
    .addColumn('consumer_id', 'text', (c) => c.primaryKey().references('consumers.id').onDelete('cascade'))
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wallet_pins').execute();
  await db.schema.dropTable('wallet_transfers').execute();
  await db.schema.dropTable('wallet_cards').execute();
  await db.schema.dropTable('ledger_entries').execute();
  await db.schema.dropTable('ledger_transactions').execute();
  await db.schema.dropTable('ledger_accounts').execute();
  await sql`drop function ledger_insert_only()`.execute(db);
}
