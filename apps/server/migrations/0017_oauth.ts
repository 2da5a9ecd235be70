import { sql, type Kysely } from 'kysely';

/**
 * OAuth2 web login: pending consent requests, authorisation codes, the consumer's userinfo grants
 * and the access/refresh tokens a merchant's server holds. Codes and tokens are stored as sha256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const scope = (c: string) => sql.raw(`${c} in ('snsapi_base','snsapi_userinfo')`);
  await db.schema
    .createTable('oauth_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(scope('scope')))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(scope('scope')))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('oauth_grants')
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(scope('scope')))
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('oauth_grants_pk', ['account_id', 'consumer_id', 'scope'])
    .execute();

  await db.schema
    .createTable('oauth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('access','refresh')`))
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id'))
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().check(scope('scope')))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_tokens_account_consumer').on('oauth_tokens').columns(['account_id', 'consumer_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['oauth_tokens', 'oauth_grants', 'oauth_codes', 'oauth_requests']) await db.schema.dropTable(t).execute();
}
