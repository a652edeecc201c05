// What a project-list import needs to take an office's own first list: region names resolved inside the office's
// jurisdiction, unit names matched to variants or proposed as new units, development zones proposed as custom
// areas — and, when asked, those units and areas created in the import's own transaction.

import type { Executor } from '../../db/database.ts';
import { findJurisdiction } from '../system/index.ts';
import { ImportRepository } from './import.repository.ts';
import { ImportSetupRepository } from './import-setup.repository.ts';
import { RegionResolver, type RegionRow } from './region-resolver.ts';
import { UnitMatcher, UNIT_KIND_LABELS, type UnitProposal, type UnitRow } from './unit-proposals.ts';

/** The proposals a dry run reports (and an apply with createMissing carries out). */
export interface FirstDayProposals {
  jurisdiction: { code: string; name: string; office: string } | null;
  units: UnitProposal[];
  areas: { name: string; parentCode: string; parentName: string; rows: number }[];
}

/** A unit answer: an id (a negative one stands for a unit this import creates), or a refusal. */
export type UnitAnswer = { id: number; note?: string } | { error: string };

/** Builds the context of one import: the jurisdiction, the region resolver and the unit matcher. */
export async function firstDayContext(db: Executor, regions: readonly RegionRow[], units: readonly UnitRow[]) {
  const jurisdiction = await findJurisdiction(db);
  const resolver = new RegionResolver(regions, jurisdiction?.code);
  const j = jurisdiction ? resolver.find(jurisdiction.code) : undefined;
  const places = j ? j.path.split('/').filter(Boolean).map((c) => resolver.find(c)?.name).filter((n): n is string => !!n && !/^(市辖区|县)$/.test(n)) : [];
  const matcher = new UnitMatcher(units, { rootUnitId: jurisdiction?.unitId ?? null, regionCode: jurisdiction?.code ?? null, places }, (place) => {
    const r = resolver.resolve(place);
    return r.ok ? r.code : undefined;
  });
  return new FirstDay(resolver, matcher, jurisdiction ? { code: jurisdiction.code, name: jurisdiction.fullName, office: jurisdiction.officeName } : null);
}

/** The per-import state: pending units and areas by placeholder. */
export class FirstDay {
  readonly resolver: RegionResolver;
  readonly matcher: UnitMatcher;
  readonly jurisdiction: FirstDayProposals['jurisdiction'];
  /** Placeholder id (negative) → the proposal it creates. */
  readonly pendingUnits = new Map<number, UnitProposal>();
  private readonly unitPlaceholder = new Map<string, number>();
  /** Placeholder region code ('new:<name>') → area name. */
  readonly pendingAreas = new Map<string, { name: string; rows: number }>();
  constructor(resolver: RegionResolver, matcher: UnitMatcher, jurisdiction: FirstDayProposals['jurisdiction']) {
    this.resolver = resolver;
    this.matcher = matcher;
    this.jurisdiction = jurisdiction;
  }

  /**
   * A unit named by the file: an exact name or 简称, a chosen mapping, a variant of an existing unit, or (with
   * createMissing) a unit to create; otherwise a refusal that says what the import would propose.
   */
  unit(text: string, label: string, opts: { createMissing?: boolean; unitMap?: Record<string, number | 'create' | 'skip'> }, knownIds: Set<number>): UnitAnswer {
    const mapped = opts.unitMap?.[text];
    if (typeof mapped === 'number') return knownIds.has(mapped) ? { id: mapped } : { error: `${label}“${text}”所选的对应单位不存在` };
    if (mapped !== 'create') {
      const found = this.matcher.exact(text);
      if (found.length === 1) return { id: found[0]!.id };
      if (found.length > 1) return { error: `${label}“${text}”有重名，请填写全称` };
    }
    const p = this.matcher.propose(text);
    if (p.action === 'match' && mapped === undefined) return { id: p.matchId!, note: `${label}“${text}”按已有单位“${p.matchName}”匹配` };
    // 'skip': the office unticked this unit in the wizard; it is neither matched nor created.
    if ((!opts.createMissing && mapped !== 'create') || mapped === 'skip') {
      return { error: `${label}“${text}”不存在：可在导入时选择“建立缺少的单位”（将作为${UNIT_KIND_LABELS[p.kind]}建在${this.jurisdiction?.office ?? '单位树顶层'}下），或先在系统中建立该单位` };
    }
    let id = this.unitPlaceholder.get(text);
    if (id === undefined) {
      id = -(this.unitPlaceholder.size + 1);
      this.unitPlaceholder.set(text, id);
      this.pendingUnits.set(id, p);
    }
    return { id };
  }

  /** A placeholder region code for an area this import creates. */
  area(name: string): string {
    const key = `new:${name}`;
    const a = this.pendingAreas.get(key);
    if (a) a.rows++;
    else this.pendingAreas.set(key, { name, rows: 1 });
    return key;
  }

  /** The region a pending unit will have (a township's own place), for rows that name no region. */
  pendingUnitRegion(id: number): string | undefined {
    return this.pendingUnits.get(id)?.regionCode ?? undefined;
  }

  proposals(areaNames: Map<string, number>): FirstDayProposals {
    const j = this.jurisdiction;
    return {
      jurisdiction: j,
      units: this.matcher.list(),
      areas: [...areaNames].map(([name, rows]) => ({ name, rows, parentCode: j?.code ?? '', parentName: j?.name ?? '' })),
    };
  }
}

/**
 * Creates the pending areas (custom regions under the jurisdiction, codes '<parent>Z01'…) and units (under the
 * office's root unit) in the import's transaction; returns placeholder → real id / code.
 */
export async function applyFirstDayCreations(executor: Executor, fd: FirstDay, now: string): Promise<{ units: Map<number, number>; areas: Map<string, string> }> {
  const repo = new ImportSetupRepository(executor);
  const areas = new Map<string, string>();
  if (fd.pendingAreas.size) {
    const parent = fd.jurisdiction ? await repo.findRegion(fd.jurisdiction.code) : undefined;
    if (!parent) throw new Error('建立开发区/园区须先设置本单位辖区');
    const used = new Set(await repo.listCustomChildCodes(parent.code));
    let n = 1;
    for (const [key, a] of fd.pendingAreas) {
      while (used.has(`${parent.code}Z${String(n).padStart(2, '0')}`)) n++;
      const code = `${parent.code}Z${String(n).padStart(2, '0')}`;
      used.add(code);
      await repo.insertArea({ code, name: a.name, parent_code: parent.code, level: parent.level + 1, path: `${parent.path}${code}/` });
      areas.set(key, code);
    }
  }
  const units = new Map<number, number>();
  let sort = 1;
  for (const [placeholder, p] of fd.pendingUnits) {
    const regionCode = p.regionCode && p.regionCode.startsWith('new:') ? areas.get(p.regionCode) ?? null : p.regionCode;
    units.set(placeholder, await repo.insertUnit({ name: p.name, kind: p.kind, parentId: p.parentId, regionCode, sort: sort++ }, now));
  }
  return { units, areas };
}

/** What a typed region name means for this office (the project form's region field): a region, or why not. */
export type RegionAnswer =
  | { ok: true; code: string; name: string; full_name: string }
  | { ok: false; message: string; candidates: { code: string; name: string }[]; area?: string };

/**
 * Resolves a region name the way an import does: inside the jurisdiction first, 县直/本级 as the jurisdiction,
 * 杭州市西湖区 by its parts; an ambiguous name answers with its candidates.
 */
export async function resolveRegionName(db: Executor, name: string): Promise<RegionAnswer> {
  const jurisdiction = await findJurisdiction(db);
  // Only the rows this name can reach (indexed by name), their ancestors (for full names and 杭州市西湖区) and the
  // jurisdiction's: a handful of rows instead of the whole tree per call.
  const repo = new ImportRepository(db);
  const numeric = name.normalize('NFKC').replace(/\s+/g, '').trim();
  const named = /^\d{6,12}$/.test(numeric) ? await repo.listRegionsByCode([numeric]) : await repo.listRegionsNamed(RegionResolver.namesToLookUp(name));
  const ancestors = new Set<string>(jurisdiction ? jurisdiction.path.split('/').filter(Boolean) : []);
  for (const r of named) for (const c of r.path.split('/').filter(Boolean)) ancestors.add(c);
  const known = new Set(named.map((r) => r.code));
  const regions: RegionRow[] = [...named, ...(await repo.listRegionsByCode([...ancestors].filter((c) => !known.has(c))))];
  const resolver = new RegionResolver(regions, jurisdiction?.code, { shared: false });
  const r = resolver.resolve(name);
  if (r.ok) {
    const row = resolver.find(r.code)!;
    return { ok: true, code: r.code, name: row.name, full_name: resolver.fullName(row) };
  }
  return { ok: false, message: r.message, candidates: r.area === undefined ? r.candidates ?? [] : [], ...(r.area !== undefined ? { area: r.area } : {}) };
}
