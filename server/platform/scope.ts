import { expressionBuilder, sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DataScope } from './context.ts';

/** Which columns of an entity's row carry its unit and its region (either may be absent). */
export interface ScopeColumns {
  /** 'projects.unit_id', 'matters.lead_unit_id' */
  unit?: string;
  /** 'projects.region_code' */
  region?: string;
}

/** The columns that place a project in a data scope. */
export const PROJECT_SCOPE: ScopeColumns = { unit: 'projects.unit_id', region: 'projects.region_code' };

/**
 * True for rows within the actor's data scope: any of its unit subtrees or region subtrees. A scope with no paths
 * sees nothing. No constant sentinel joins the OR: it would stop SQLite from answering a reporter's unit subtree
 * from the unit index (a full scan per request at 100k projects).
 */
export function inScope(scope: DataScope, cols: ScopeColumns): Expression<SqlBool> {
  const eb = expressionBuilder<DB, never>();
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const parts: Expression<SqlBool>[] = [];
  if (cols.unit) {
    for (const p of scope.unitPaths) {
      parts.push(eb(sql.ref<number>(cols.unit), 'in', eb.selectFrom('units').select('units.id').where('units.path', '>=', p).where('units.path', '<', `${p}~`)));
    }
  }
  if (cols.region) {
    for (const p of scope.regionPaths) {
      parts.push(eb(sql.ref<string>(cols.region), 'in', eb.selectFrom('regions').select('regions.code').where('regions.path', '>=', p).where('regions.path', '<', `${p}~`)));
    }
  }
  return parts.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(parts);
}

/** Restricts a query to the actor's data scope; a query over everything is returned unchanged. */
export function whereInScope<TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, scope: DataScope, cols: ScopeColumns): SelectQueryBuilder<DB, TB, O> {
  if (scope.all) return qb;
  return qb.where(inScope(scope, cols));
}

// Materialized paths hold '/', digits and uppercase letters, all below '~': the subtree of path P is the range
// [P, P~), which both engines answer from the path index (LIKE with a computed pattern cannot use it on SQLite).

/** The region codes of the subtree rooted at `code` (the region itself included), as a sub-query. */
export function regionSubtree(code: string) {
  const eb = expressionBuilder<DB, never>();
  const pathOf = () => eb.selectFrom('regions as root').where('root.code', '=', code);
  return eb.selectFrom('regions').select('regions.code')
    .where('regions.path', '>=', pathOf().select('root.path'))
    .where('regions.path', '<', pathOf().select(sql<string>`root.path || '~'`.as('upper')));
}

/** The unit ids of the subtree rooted at unit `id` (the unit itself included), as a sub-query. */
export function unitSubtree(id: number) {
  const eb = expressionBuilder<DB, never>();
  const pathOf = () => eb.selectFrom('units as root').where('root.id', '=', id);
  return eb.selectFrom('units').select('units.id')
    .where('units.path', '>=', pathOf().select('root.path'))
    .where('units.path', '<', pathOf().select(sql<string>`root.path || '~'`.as('upper')));
}
