import type { Kysely } from 'kysely';

// Issue 14 (sign-in during a flood): the key that signs the known-device cookie (docket_device). It lives in the
// database, never in one server's memory or files, so every server sharing the database checks the same cookie,
// and rotating it (one UPDATE) invalidates every device cookie on all servers at once. One row, id 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('device_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('device_keys').execute();
}
