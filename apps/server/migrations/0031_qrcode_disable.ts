import type { Kysely } from 'kysely';

/** A merchant may disable a scene QR code (a printed code then stops working); null = active. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('qrcodes').addColumn('disabled_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('qrcodes').dropColumn('disabled_at').execute();
}
