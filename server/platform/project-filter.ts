import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { foldText } from '../../core/search.ts';
import { dialectOf } from '../db/dialect.ts';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { DataScope } from './context.ts';
import { PROJECT_SCOPE, regionSubtree, unitSubtree, whereInScope } from './scope.ts';

// The project filter language and its SQL: what "these projects" means on every view that reads the portfolio —
// the project list and its totals, indicators, lights, monthly reports, imports and exports. Each of those modules'
// repositories applies it to its own query; it lives here rather than in the projects module because a repository
// never imports another module (eslint.config.js), and every view must mean the same scope by the same filter.

/** A comma-separated multi-value filter field. */
const csv = (max = 400) => z.string().max(max).optional();

const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional();

/**
 * The filter language shared by the project list, indicators, lights and exports. Multi-valued fields take
 * comma-separated values ("stage=started,completed"). `year` keeps projects with an annual plan that year.
 */
export const projectFilterSchema = z.object({
  /** A region subtree. On the scoped routes none means the office's jurisdiction and `all` the caller's whole scope (plugins/scope-region.ts). */
  region: z.string().max(16).optional(),
  unit: z.coerce.number().int().positive().optional(),
  stage: csv(200),
  q: z.string().trim().max(100).optional(),
  tier: csv(),
  level: csv(),
  category: csv(),
  /** GB/T 4754 codes or prefixes ('C', 'C36'). */
  industry: csv(),
  nature: csv(),
  investment_type: csv(),
  campaign_group: csv(),
  year: z.coerce.number().int().min(1949).max(2100).optional(),
  list_year: z.coerce.number().int().min(1949).max(2100).optional(),
  batch: z.string().max(64).optional(),
  has_code: boolParam,
  is_key_of_key: boolParam,
  /** Builder name substring, or an exact unified social credit code. */
  builder: z.string().trim().max(200).optional(),
  /** Major items and stand-alone projects only (no sub-items of packages). */
  major_only: boolParam,
  /** Sub-items of this package. */
  parent: z.coerce.number().int().positive().optional(),
});
export type ProjectFilter = z.infer<typeof projectFilterSchema>;

/**
 * The part of a project filter that kept rollups answer from their own attribute columns (the indicators' group rows,
 * the lights' snapshots): region subtree, unit subtree and value lists of stage, nature, category and investment type.
 */
export interface AttributeFilter {
  region?: string;
  unit?: number;
  stage?: string[];
  nature?: string[];
  category?: string[];
  investment_type?: string[];
}

/** A query over the projects table (with whatever it selects). */
export type ProjectQuery<O> = SelectQueryBuilder<DB, 'projects', O>;

/** Restricts a projects query to the actor's data scope (unit subtrees and region subtrees): platform/scope.ts. */
export function withinScope<O>(qb: ProjectQuery<O>, scope: DataScope): ProjectQuery<O> {
  return whereInScope(qb, scope, PROJECT_SCOPE);
}

/** Splits a comma-separated filter value; empty parts are dropped. */
export function listOf(value: string | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

/** Escapes LIKE wildcards for a pattern used with ESCAPE '\'. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Shortest query the trigram indexes can answer; shorter ones fall back to a LIKE scan. */
export const TRIGRAM_MIN_LENGTH = 3;

/**
 * True when the trigram indexes answer a term: three characters or more, none of them a LIKE wildcard (the trigram
 * index answers LIKE only without an ESCAPE clause); other terms take a LIKE scan of projects.search_text.
 */
export function isTrigramTerm(term: string): boolean {
  return [...term].length >= TRIGRAM_MIN_LENGTH && !/[\\%_]/.test(term);
}

/** The folded terms of a search: whitespace separates terms ('轨道交通 吴中' → two), each must match. */
export function searchTerms(q: string | undefined): string[] {
  return q ? q.trim().split(/[\s\u3000]+/).map(foldText).filter(Boolean).slice(0, 5) : [];
}

/**
 * What one search term names besides project names: the codes of the regions whose name holds it and of the regions
 * below them ('吴中' finds the projects of 吴中区 and of its towns), and the units whose short name (else name) holds
 * it ('住建' finds those of 市住建局; not of the units below it: an office's own name holds its region's). Resolved
 * before the project query by resolveSearch (two small indexed queries on the region and unit tables), so a term
 * naming neither — most searches — costs only its name index, as before the union of e0a7a96 tripled it (issue 16).
 */
export interface TermNames {
  term: string;
  /** The filter's region or an ancestor bears the name: every project the region filter keeps matches. */
  matchesAll: boolean;
  /** Region codes, or null when more than NAME_LIST_MAX matched (then the query keeps the sub-query). */
  regionCodes: string[] | null;
  /** Unit ids, or null when more than NAME_LIST_MAX matched. */
  unitIds: number[] | null;
  /**
   * SQLite: ask the trigram index with MATCH and a phrase, answered from the index alone; LIKE on the FTS table is
   * re-checked row by row against projects.search_text (the external content), which cost most of a search's time
   * (100k, 新能源: 3.2 ms CPU for LIKE, 0.09 ms for MATCH; issue 16). Same rows: the phrase of a term's trigrams at
   * consecutive places is the term as a substring, and both sides are folded (lower case) already.
   */
  ftsMatch: boolean;
}

/** The project filter with its search terms' region and unit names resolved (resolveSearch). */
export type ResolvedProjectFilter = ProjectFilter & { resolvedTerms?: readonly TermNames[] };

/** Beyond this many matching regions or units a term binds a sub-query, not a list of values. */
export const NAME_LIST_MAX = 500;

// The regions whose name holds the pattern, with the regions below them; the units whose short name (else name)
// holds it — a unit is named by its short name when it has one: '人民' must not find every 镇人民政府's projects.
const regionNameHolds = (pattern: string) => sql<boolean>`m.name like ${pattern} escape '\\'`;
const unitNameHolds = (pattern: string) => sql<boolean>`coalesce(units.short_name, units.name) like ${pattern} escape '\\'`;

/**
 * Resolves the region and unit names each search term matches (at most NAME_LIST_MAX + 1 rows read per table and
 * term), for applyProjectFilter to bind as values. A filter without `q` comes back unchanged.
 *
 * With a region filter (every scoped list has one) only the regions that can matter are read: those of the filter's
 * subtree (a range of the path index) and the filter region with its ancestors (a match there matches every project
 * of the filter: '苏州' within 苏州市 narrows nothing). Without one, every region name is read (~44k in the national tree: a few ms, whatever the portfolio).
 */
export async function resolveSearch<F extends ProjectFilter>(db: Executor, filter: F): Promise<F & { resolvedTerms?: readonly TermNames[] }> {
  const terms = searchTerms(filter.q);
  if (!terms.length) return filter;
  const root = filter.region
    ? (await db.selectFrom('regions').select('path').where('code', '=', filter.region).executeTakeFirst())?.path
    : undefined;
  const ftsMatch = dialectOf(db) === 'sqlite';
  const resolvedTerms = await Promise.all(terms.map(async (term): Promise<TermNames> => {
    const pattern = `%${likeEscape(term)}%`;
    const units = db.selectFrom('units').select('units.id').where(unitNameHolds(pattern)).limit(NAME_LIST_MAX + 1).execute();
    let regions: Promise<Array<{ code: string }>>;
    let matchesAll = false;
    if (root !== undefined) {
      const ancestors = root.split('/').filter(Boolean);
      matchesAll = ancestors.length > 0 && !!await db.selectFrom('regions as m').select('m.code')
        .where('m.code', 'in', ancestors).where(regionNameHolds(pattern)).executeTakeFirst();
      regions = matchesAll ? Promise.resolve([]) : db.selectFrom(['regions as r', 'regions as m']).select('r.code')
        .where('m.path', '>=', root).where('m.path', '<', `${root}~`).where(regionNameHolds(pattern))
        .whereRef('r.path', '>=', 'm.path').where('r.path', '<', sql<string>`m.path || '~'`)
        .limit(NAME_LIST_MAX + 1).execute();
    } else {
      regions = db.selectFrom(['regions as r', 'regions as m']).select('r.code').where(regionNameHolds(pattern))
        .whereRef('r.path', '>=', 'm.path').where('r.path', '<', sql<string>`m.path || '~'`)
        .limit(NAME_LIST_MAX + 1).execute();
    }
    const [regionRows, unitRows] = await Promise.all([regions, units]);
    return {
      term, matchesAll, ftsMatch,
      regionCodes: regionRows.length > NAME_LIST_MAX ? null : [...new Set(regionRows.map((r) => r.code))],
      unitIds: unitRows.length > NAME_LIST_MAX ? null : unitRows.map((u) => u.id),
    };
  }));
  return { ...filter, resolvedTerms };
}

/**
 * One search term: the project's name (folded, full pinyin or initials), or a region or unit name (TermNames).
 * With the names resolved and none matching, only the name index is asked; otherwise a union of ids rather than an
 * OR of conditions, so each part keeps its own index (the trigram index, the region and unit indexes), where an OR
 * made both engines scan every project (3× the CPU of a name search at 5k). Unresolved (a caller that did not
 * call resolveSearch), the names are uncorrelated sub-queries: the same answer, at the union's cost.
 */
function termMatch(eb: ExpressionBuilder<DB, 'projects'>, term: string, names: TermNames | undefined) {
  const pattern = `%${likeEscape(term)}%`;
  const trigram = isTrigramTerm(term);
  if (names?.matchesAll) return sql<boolean>`1 = 1`;
  // A phrase in double quotes takes every character literally but the quote, which is doubled.
  const ftsHolds = names?.ftsMatch ? sql<boolean>`projects_fts match ${`"${term.replaceAll('"', '""')}"`}` : sql<boolean>`projects_fts.search_text like ${`%${term}%`}`;
  if (names && names.regionCodes?.length === 0 && names.unitIds?.length === 0) {
    if (!trigram) return sql<boolean>`projects.search_text like ${pattern} escape '\\'`;
    // PostgreSQL (no FTS table: projects_fts is a view of projects itself): the condition on the row, answered by the
    // trigram index (projects_search_trgm). As `id IN (the view)` the planner joined projects to itself, guessed 15
    // matches and probed every project of the region by key (100k, 新能源: 1.2 s against 28 ms; issue 16).
    return names.ftsMatch
      ? eb('projects.id', 'in', eb.selectFrom('projects_fts').select('projects_fts.rowid').where(ftsHolds))
      : sql<boolean>`projects.search_text like ${`%${term}%`}`;
  }
  const byName = trigram
    ? eb.selectFrom('projects_fts').select('projects_fts.rowid as id').where(ftsHolds)
    : eb.selectFrom('projects as byname').select('byname.id').where(sql<boolean>`byname.search_text like ${pattern} escape '\\'`);
  const regions = names?.regionCodes ?? eb.selectFrom(['regions as r', 'regions as m']).select('r.code').where(regionNameHolds(pattern))
    .whereRef('r.path', '>=', 'm.path').where('r.path', '<', sql<string>`m.path || '~'`);
  const units = names?.unitIds ?? eb.selectFrom('units').select('units.id').where(unitNameHolds(pattern));
  // Empty value lists are left out (IN () is not SQL); at least one of the two is not empty here.
  const byRegion = eb.selectFrom('projects as byregion').select('byregion.id').where('byregion.region_code', 'in', regions);
  const byUnit = eb.selectFrom('projects as byunit').select('byunit.id').where('byunit.unit_id', 'in', units);
  const hasRegions = !Array.isArray(regions) || regions.length > 0;
  const hasUnits = !Array.isArray(units) || units.length > 0;
  if (hasRegions && hasUnits) return eb('projects.id', 'in', byRegion.union(byUnit).union(byName));
  return eb('projects.id', 'in', hasRegions ? byRegion.union(byName) : byUnit.union(byName));
}

/**
 * Applies the project-list filter language (region subtree, unit subtree, stage, text search …) to a query over
 * projects. Shared by the list, totals, indicators, lights and exports so that every view means the same scope.
 * `q` is folded here (traditional → simplified, case, width), so every caller searches the way the list does.
 */
export function applyProjectFilter<O>(qb: ProjectQuery<O>, query: ResolvedProjectFilter): ProjectQuery<O> {
  qb = qb.where('projects.deleted_at', 'is', null);
  const { region, unit, year, parent } = query;
  if (region) qb = qb.where('projects.region_code', 'in', regionSubtree(region));
  if (unit) qb = qb.where('projects.unit_id', 'in', unitSubtree(unit));
  const inList = (column: 'stage' | 'tier' | 'category' | 'nature' | 'investment_type' | 'campaign_group', value: string | undefined) => {
    const values = listOf(value);
    if (values.length) qb = qb.where(`projects.${column}`, 'in', values);
  };
  inList('stage', query.stage);
  inList('tier', query.tier);
  inList('category', query.category);
  inList('nature', query.nature);
  inList('investment_type', query.investment_type);
  inList('campaign_group', query.campaign_group);
  const levels = listOf(query.level);
  if (levels.length) {
    qb = qb.where('projects.id', 'in', (eb) => eb.selectFrom('project_levels').select('project_levels.project_id').where('project_levels.level', 'in', levels));
  }
  const industries = listOf(query.industry);
  if (industries.length) {
    qb = qb.where((eb) => eb.or(industries.map((code) => eb('projects.industry_code', 'like', `${likeEscape(code.toUpperCase())}%`))));
  }
  if (year !== undefined) {
    qb = qb.where('projects.id', 'in', (eb) => eb.selectFrom('annual_plans').select('annual_plans.project_id').where('annual_plans.year', '=', year));
  }
  if (query.list_year !== undefined) qb = qb.where('projects.list_year', '=', query.list_year);
  if (query.batch) qb = qb.where('projects.batch', '=', query.batch);
  if (query.has_code !== undefined) qb = qb.where('projects.code', query.has_code ? 'is not' : 'is', null);
  if (query.is_key_of_key !== undefined) qb = qb.where('projects.is_key_of_key', '=', query.is_key_of_key ? 1 : 0);
  if (query.major_only) qb = qb.where('projects.parent_id', 'is', null);
  if (parent) qb = qb.where('projects.parent_id', '=', parent);
  if (query.builder) {
    const builder = query.builder.toUpperCase();
    qb = /^[0-9A-Z]{18}$/.test(builder)
      ? qb.where('projects.builder_uscc', '=', builder)
      : qb.where(sql<boolean>`projects.builder_name like ${`%${likeEscape(query.builder)}%`} escape '\\'`);
  }
  const resolved = new Map((query.resolvedTerms ?? []).map((t) => [t.term, t]));
  for (const term of searchTerms(query.q)) qb = qb.where((eb) => termMatch(eb, term, resolved.get(term)));
  return qb;
}
