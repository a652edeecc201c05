import type { Insertable } from 'kysely';
import type { Executor } from '../server/db/database.ts';
import type { ProjectTable } from '../server/db/schema.ts';
import { searchTextOf } from '../core/search.ts';
import { hashPassword } from '../server/modules/users/index.ts';
import { clock } from '../server/clock.ts';

const now = () => clock.now().toISOString();

/**
 * A small real region tree: 江苏省 › 苏州市 › 吴中区/虎丘区, 南京市 › 玄武区. The migrations load the whole national tree,
 * so these rows are normally there already: kept for databases migrated without it.
 */
export async function buildRegions(db: Executor): Promise<void> {
  const rows = [
    { code: '320000', name: '江苏省', parent_code: null, level: 1, path: '/320000/' },
    { code: '320500', name: '苏州市', parent_code: '320000', level: 2, path: '/320000/320500/' },
    { code: '320505', name: '虎丘区', parent_code: '320500', level: 3, path: '/320000/320500/320505/' },
    { code: '320506', name: '吴中区', parent_code: '320500', level: 3, path: '/320000/320500/320506/' },
    { code: '320100', name: '南京市', parent_code: '320000', level: 2, path: '/320000/320100/' },
    { code: '320102', name: '玄武区', parent_code: '320100', level: 3, path: '/320000/320100/320102/' },
  ];
  await db.insertInto('regions').values(rows.map((r) => ({ ...r, is_custom: 0 }))).onConflict((oc) => oc.column('code').doNothing()).execute();
}

/** A unit under an optional parent, with its materialized path. */
export async function buildUnit(db: Executor, attrs: { name: string; parentId?: number | null; regionCode?: string; kind?: string }): Promise<{ id: number; path: string }> {
  const parent = attrs.parentId ? await db.selectFrom('units').select('path').where('id', '=', attrs.parentId).executeTakeFirstOrThrow() : { path: '/' };
  const { id } = await db.insertInto('units').values({
    name: attrs.name, parent_id: attrs.parentId ?? null, region_code: attrs.regionCode ?? null, kind: attrs.kind ?? 'department',
    path: '/', sort: 0, created_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  const path = `${parent.path}${id}/`;
  await db.updateTable('units').set({ path }).where('id', '=', id).execute();
  return { id, path };
}

/** An active user whose password need not be changed. */
export async function buildUser(db: Executor, attrs: { username: string; role: string; unitId?: number | null; password?: string }): Promise<number> {
  const { id } = await db.insertInto('users').values({
    username: attrs.username, display_name: attrs.username, unit_id: attrs.unitId ?? null, role: attrs.role,
    password_hash: await hashPassword(attrs.password ?? 'Docket#2026'), must_change_password: 0, is_active: 1, created_at: now(), updated_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** A project with sensible defaults; any column can be overridden. */
export async function buildProject(db: Executor, attrs: Partial<Insertable<ProjectTable>> & { unit_id: number }): Promise<number> {
  const name = attrs.name ?? '测试项目';
  const { id } = await db.insertInto('projects').values({
    region_code: '320506', total_investment: 100_000_000, stage: 'preliminary', tier: 'implementation',
    created_at: now(), updated_at: now(), ...attrs, name, search_text: searchTextOf(name),
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}
