import { sql, type Kysely } from 'kysely';

/**
 * Mass messages: one job per `mass/sendall`, `mass/send` or `mass/preview` (its msg_id), delivered
 * in the background; one recipient row per follower in the audience, which is both the job's
 * resumable progress and the record the monthly per-follower limit counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mass_jobs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('official_accounts.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('all','tag','openids','preview')`))
    .addColumn('tag_id', 'integer')
    .addColumn('openids', 'jsonb')
    .addColumn('msgtype', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('clientmsgid', 'text')
    .addColumn('msg_data_id', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('sending','success','fail','deleted')`))
    .addColumn('expanded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('total_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filtered_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // msg_ids look like WeChat's (ten digits) and stay below 2^53, so JSON clients read them exactly.
  await sql`alter sequence mass_jobs_id_seq restart with 1000000001`.execute(db);
  await db.schema.createIndex('mass_jobs_account').on('mass_jobs').columns(['account_id', 'created_at']).execute();
  await db.schema
    .createIndex('mass_jobs_clientmsgid')
    .on('mass_jobs')
    .columns(['account_id', 'clientmsgid'])
    .unique()
    .where(sql.ref('clientmsgid'), 'is not', null)
    .execute();

  await db.schema
    .createTable('mass_recipients')
    .addColumn('job_id', 'bigint', (c) => c.notNull().references('mass_jobs.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('openid', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending','sent','filtered','error')`))
    .addColumn('reason', 'text')
    /** CST `yyyy-mm` of delivery: what the 4-a-month limit of service accounts counts. */
    .addColumn('sent_month', 'text')
    .addPrimaryKeyConstraint('mass_recipients_pk', ['job_id', 'consumer_id'])
    .execute();
  await db.schema.createIndex('mass_recipients_pending').on('mass_recipients').columns(['job_id', 'state', 'openid']).execute();
  await db.schema.createIndex('mass_recipients_month').on('mass_recipients').columns(['account_id', 'consumer_id', 'sent_month']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mass_recipients').execute();
  await db.schema.dropTable('mass_jobs').execute();
}
