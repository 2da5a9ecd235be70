import { sql, type Kysely } from 'kysely';

/**
 * Organisation review (issue 6): status pending → approved → suspended. Existing organisations
 * (and the demo) become `approved`; the column default stays `approved` so rows inserted directly
 * keep working; sign-up chooses `pending` itself when review is on (MERCHANT_REVIEW).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organizations drop constraint if exists organizations_status_check`.execute(db);
  await sql`update organizations set status = 'approved' where status = 'active'`.execute(db);
  await sql`alter table organizations alter column status set default 'approved'`.execute(db);
  await sql`alter table organizations add constraint organizations_status_check check (status in ('pending','approved','suspended'))`.execute(db);
  await db.schema.alterTable('organizations').addColumn('reviewed_at', 'timestamptz').execute();
  await db.schema.alterTable('organizations').addColumn('status_note', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizations').dropColumn('status_note').execute();
  await db.schema.alterTable('organizations').dropColumn('reviewed_at').execute();
  await sql`alter table organizations drop constraint if exists organizations_status_check`.execute(db);
  await sql`update organizations set status = 'active' where status = 'approved'`.execute(db);
  await sql`alter table organizations alter column status set default 'active'`.execute(db);
  await sql`alter table organizations add constraint organizations_status_check check (status in ('pending','active','suspended'))`.execute(db);
}
