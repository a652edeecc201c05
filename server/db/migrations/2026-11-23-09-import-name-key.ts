import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

// Imports match projects by folded name (search_text's first part, before '|') and region. Without an index they
// had to read every project's keys (1M projects: 21 s and 1.7 GB for a 100k-row file); this expression index lets
// them look up only the names the file holds. The expression must stay identical to ImportRepository.nameKey().

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE INDEX projects_name_key ON projects ((split_part(search_text, '|', 1)), region_code)`.execute(db);
  } else {
    await sql`CREATE INDEX projects_name_key ON projects (substr(search_text, 1, instr(search_text, '|') - 1), region_code)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX projects_name_key`.execute(db);
}
