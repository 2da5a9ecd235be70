import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('official_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('original_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('service','subscription')`))
    .addColumn('avatar_url', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('appid', 'text', (c) => c.notNull().unique())
    .addColumn('appsecret', 'text', (c) => c.notNull())
    .addColumn('callback_url', 'text')
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('encoding_aes_key', 'text', (c) => c.notNull())
    .addColumn('msg_mode', 'text', (c) => c.notNull().defaultTo('plain').check(sql`msg_mode in ('plain','compatible','safe')`))
    .addColumn('welcome_message', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','suspended')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('official_accounts_org').on('official_accounts').column('org_id').execute();

  await db.schema
    .createTable('access_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('lineage', 'text', (c) => c.notNull().check(sql`lineage in ('client','stable')`))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_tokens_account').on('access_tokens').columns(['account_id', 'lineage', 'issued_at']).execute();

  await db.schema
    .createTable('api_quota_usage')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('api', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('api_quota_usage_pk', ['account_id', 'api', 'day'])
    .execute();

  await db.schema
    .createTable('auto_reply_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('match', 'text', (c) => c.notNull().check(sql`match in ('exact','contains','default')`))
    .addColumn('keyword', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reply_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('auto_reply_rules_account').on('auto_reply_rules').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['auto_reply_rules', 'api_quota_usage', 'access_tokens', 'official_accounts']) await db.schema.dropTable(t).execute();
}
