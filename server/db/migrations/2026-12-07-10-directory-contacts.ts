import type { Kysely } from 'kysely';

// A unit list carries each unit's contact (联系人, 电话) and a user list each reporter's mobile phone (手机): the
// office phones them when a report is late. Plain text, NULL when unknown.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('units').addColumn('contact_name', 'text').execute();
  await db.schema.alterTable('units').addColumn('contact_phone', 'text').execute();
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('phone').execute();
  await db.schema.alterTable('units').dropColumn('contact_phone').execute();
  await db.schema.alterTable('units').dropColumn('contact_name').execute();
}
