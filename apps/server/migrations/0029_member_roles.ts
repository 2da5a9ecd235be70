import { sql, type Kysely } from 'kysely';

/** Member roles of issue 6: owner, operator, cs (customer service), finance. Former 'staff' members become operators. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table merchant_users drop constraint merchant_users_role_check`.execute(db);
  await sql`update merchant_users set role = 'operator' where role = 'staff'`.execute(db);
  await sql`alter table merchant_users add constraint merchant_users_role_check check (role in ('owner','operator','cs','finance'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table merchant_users drop constraint merchant_users_role_check`.execute(db);
  await sql`update merchant_users set role = 'staff' where role <> 'owner'`.execute(db);
  await sql`alter table merchant_users add constraint merchant_users_role_check check (role in ('owner','staff'))`.execute(db);
}
