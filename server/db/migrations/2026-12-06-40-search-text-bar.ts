import type { Kysely } from 'kysely';
import { searchTextOf } from '../../../core/search.ts';

// foldText now folds '|' (and '｜') to '¦', because '|' separates the forms of projects.search_text and the import's
// name key is the text before the first '|'. Names stored before that hold a broken search_text: recompute them.

export async function up(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('projects').select(['id', 'name'])
    .where((eb) => eb.or([eb('name', 'like', '%|%'), eb('name', 'like', '%｜%')])).execute() as { id: number; name: string }[];
  for (const r of rows) {
    await db.updateTable('projects').set({ search_text: searchTextOf(r.name) }).where('id', '=', r.id).execute();
  }
}

export async function down(): Promise<void> {
  // The old search text cannot be told apart from the new one's meaning; nothing to undo.
}
