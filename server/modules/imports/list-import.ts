// An office's two other first-day workbooks: its unit list (单位名单: name, 简称, kind, region, parent, contact) and
// its user list (填报人员名单: unit, name, phone, role). Same two passes as the project import — read and check
// everything (a report by sheet, row and column letter), then, only without errors, the same plan written in one
// transaction — and the same sheet choice: a workbook with several tables is refused until one is chosen.
//
// Accounts get a random first-login password each (policy in force), returned once in the apply's answer (and as an
// .xlsx built from it), never stored in clear and never written to the audit trail; the holder must change it at
// first sign-in.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Executor } from '../../db/database.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { Actor } from '../../platform/context.ts';
import { AppError } from '../../errors.ts';
import type { Deps } from '../../platform/context.ts';
import { loadExcel } from '../../excel.ts';
import { ReferenceRepository } from '../reference/index.ts';
import { createAccounts, findAccounts, prepareAccounts, type AccountInput, type PreparedAccount } from '../users/index.ts';
import { cellText, isCellError } from './cell.ts';
import { unneutralize } from '../../../core/formula-text.ts';
import { codeOf, type FieldDef } from './columns.ts';
import { DEFAULT_LIMITS, type UploadLimits } from './file-guard.ts';
import { firstDayContext } from './first-day.ts';
import { ImportRepository } from './import.repository.ts';
import { ImportSetupRepository } from './import-setup.repository.ts';
import { classifyRow, detectLayout, HEADER_SEARCH_ROWS, type SheetLayout } from './layout.ts';
import { LIST_ROLE_CODES, UNIT_LIST_FIELDS, USER_LIST_FIELDS } from './list-columns.ts';
import { openUpload, type SheetRow } from './sheet-reader.ts';
import { guessUnitKind, UNIT_KIND_LABELS } from './unit-proposals.ts';

export type ListKind = 'units' | 'users';

export interface ListImportOptions {
  kind: ListKind;
  fileName: string;
  dryRun: boolean;
  /** The sheet to read when the workbook holds several tables (the dry run lists them). */
  sheet?: string;
  limits?: UploadLimits;
  /** Unit list: move stored units the list names under another parent (the dry run offers each move; issue 12). */
  moveUnits?: boolean;
}

/** One sheet of the workbook as the dry run saw it. */
export interface SheetFinding {
  name: string;
  headerRows: string | null;
  columns: { letter: string; header: string; label: string }[];
  unmapped: { letter: string; header: string }[];
  dataRows: number;
  /** The sheet whose rows are imported. */
  chosen: boolean;
  note?: string;
}

export interface ListProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
}

export interface ListOutcome {
  sheet: string;
  row: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  name: string;
  changes?: string[];
  reason?: string;
}

/** A created account with its first-login password: in the apply's answer only, once. */
export interface Credential {
  row: number;
  unit: string;
  name: string;
  phone: string | null;
  username: string;
  role: string;
  password: string;
}

export interface ListReport {
  kind: ListKind;
  fileName: string;
  dryRun: boolean;
  applied: boolean;
  sheets: SheetFinding[];
  summary: { rows: number; created: number; updated: number; unchanged: number; errorRows: number; errors: number; warnings: number };
  problems: ListProblem[];
  outcomes: ListOutcome[];
  /** User list, applied: each new account's first-login password (shown once). */
  credentials?: Credential[];
  /** The same as an .xlsx workbook, base64: the one download of the passwords (nothing keeps them). */
  credentialsXlsx?: string;
  elapsedMs: number;
}

interface ListRow {
  sheet: string;
  row: number;
  values: Record<string, string>;
  letters: Map<string, string>;
}

const ROLE_NAMES: Record<string, string> = { reporter: '责任单位填报员', leader: '领导', supervisor: '督查室', office: '发改局（重点项目办）' };
const KIND_WORD: Record<ListKind, string> = { units: '单位名单', users: '人员名单' };

/**
 * Reads every visible sheet, finds the tables (a header naming the kind's fields) and takes the rows of one: the
 * only table, or the one `sheet` names. Several tables and no choice → an error listing them, nothing read.
 */
export async function readListTable(buf: Buffer, fileName: string, fields: FieldDef[], word: string, opts: { sheet?: string; limits?: UploadLimits }): Promise<{ sheets: SheetFinding[]; rows: ListRow[]; problems: ListProblem[] }> {
  const { sheets } = await openUpload(buf, fileName, { limits: opts.limits ?? DEFAULT_LIMITS, mode: 'memory' });
  const found: { finding: SheetFinding; layout?: SheetLayout; rows: SheetRow[] }[] = [];
  for await (const sheet of sheets) {
    const all: SheetRow[] = [];
    for await (const r of sheet.rows) all.push(r);
    const layout = detectLayout(all.slice(0, HEADER_SEARCH_ROWS), sheet.merges, fields);
    const finding: SheetFinding = {
      name: sheet.name, headerRows: null, columns: [], unmapped: [], dataRows: 0, chosen: false,
      ...(layout ? {} : { note: all.length ? `未找到${word}的表头，已跳过该工作表` : '空工作表，已跳过' }),
    };
    if (layout) {
      finding.headerRows = layout.headerTop === layout.headerBottom ? String(layout.headerTop) : `${layout.headerTop}-${layout.headerBottom}`;
      finding.columns = layout.columns.map((c) => ({ letter: c.letter, header: c.header, label: c.field.label }));
      finding.unmapped = layout.unmapped;
      finding.dataRows = all.filter((r) => r.number > layout.headerBottom && classifyRow(r, layout).type === 'data').length;
    }
    found.push({ finding, layout, rows: all });
  }
  const tables = found.filter((f) => f.layout);
  const problems: ListProblem[] = [];
  const sheetList = tables.map((f) => `「${f.finding.name}」（${f.finding.dataRows} 行）`).join('、');
  let chosen: (typeof found)[number] | undefined;
  if (opts.sheet !== undefined) {
    chosen = found.find((f) => f.finding.name === opts.sheet);
    if (!chosen) throw new AppError('validation_failed', `工作簿中没有名为“${opts.sheet}”的工作表；含${word}的工作表：${sheetList || '无'}`);
    if (!chosen.layout) throw new AppError('validation_failed', `工作表“${opts.sheet}”中未找到${word}的表头；含${word}的工作表：${sheetList || '无'}`);
  } else if (tables.length === 1) {
    chosen = tables[0];
  } else if (tables.length > 1) {
    problems.push({ sheet: '', row: null, column: null, severity: 'error', message: `工作簿中有 ${tables.length} 个工作表含${word}：${sheetList}。请选择要导入的一个工作表` });
  } else {
    throw new AppError('unprocessable', `文件中没有可识别的${word}：未找到包含“${fields.find((f) => f.key === 'name')!.label}”等列的表头`, { sheets: found.map((f) => f.finding) });
  }
  const rows: ListRow[] = [];
  if (chosen?.layout) {
    chosen.finding.chosen = true;
    const layout = chosen.layout;
    const letters = new Map(layout.columns.map((c) => [c.field.key, c.letter]));
    for (const r of chosen.rows) {
      if (r.number <= layout.headerBottom || classifyRow(r, layout).type !== 'data') continue;
      const values: Record<string, string> = {};
      for (const c of layout.columns) {
        const cell = r.cells[c.col - 1] ?? null;
        if (cell === null || isCellError(cell)) continue;
        const t = unneutralize(cellText(cell)).trim();
        if (t) values[c.field.key] = t;
      }
      if (Object.keys(values).length) rows.push({ sheet: chosen.finding.name, row: r.number, values, letters });
    }
  }
  return { sheets: found.map((f) => f.finding), rows, problems };
}

/** Digits of a phone as written ("138 0000 0000", "0471-1234567", 13800000000 as a number). */
function normalizePhone(text: string): string | undefined {
  const t = text.normalize('NFKC').replace(/[\s()（）]/g, '');
  return /^(\+?86)?1\d{10}$/.test(t.replace(/-/g, '')) ? t.replace(/-/g, '').replace(/^\+?86/, '')
    : /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(t) ? t : undefined;
}

/** Unit and user list imports (dry run / apply). */
export class ListImportService {
  private readonly deps: Deps;
  private readonly db: Kysely<DB>;
  constructor(deps: Deps) {
    this.deps = deps;
    this.db = deps.db;
  }

  async importFile(actor: Actor, buf: Buffer, opts: ListImportOptions): Promise<ListReport> {
    const started = performance.now(); // a duration, not "now": the monotonic clock
    const fields = opts.kind === 'units' ? UNIT_LIST_FIELDS : USER_LIST_FIELDS;
    const read = await readListTable(buf, opts.fileName, fields, KIND_WORD[opts.kind], { sheet: opts.sheet, limits: opts.limits });
    const report: ListReport = {
      kind: opts.kind, fileName: opts.fileName, dryRun: opts.dryRun, applied: false, sheets: read.sheets,
      summary: { rows: read.rows.length, created: 0, updated: 0, unchanged: 0, errorRows: 0, errors: 0, warnings: 0 },
      problems: [...read.problems], outcomes: [], elapsedMs: 0,
    };
    const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
    // Planned and written in one transaction: the plan a dry run shows is the plan an apply writes.
    const run = async (trx: Executor) => {
      const write = opts.kind === 'units' ? await this.planUnits(trx, actor, read.rows, report, opts.moveUnits === true) : await this.planUsers(trx, actor, read.rows, report);
      const errors = report.problems.filter((p) => p.severity === 'error').length;
      if (opts.dryRun || errors > 0) return;
      await write(trx);
      await this.deps.audit.record(trx, actor, {
        action: 'import.apply', entityType: 'import', entityId: sha256,
        details: { file_name: opts.fileName, sha256, kind: opts.kind, sheet: read.sheets.find((s) => s.chosen)?.name, created: report.summary.created, updated: report.summary.updated },
      });
      report.applied = true;
    };
    if (!read.rows.length && !read.problems.length) report.problems.push({ sheet: read.sheets.find((s) => s.chosen)?.name ?? '', row: null, column: null, severity: 'error', message: '表头下没有数据行' });
    if (opts.dryRun) await run(this.db);
    else if (opts.kind === 'users') {
      // Accounts: planned and their passwords hashed outside the transaction (scrypt must not hold the write lock);
      // the transaction only inserts, and a username taken meanwhile fails it whole.
      const write = await this.planUsers(this.db, actor, read.rows, report, true);
      if (!report.problems.some((p) => p.severity === 'error')) {
        await inTransaction(this.db, async (trx) => {
          await write(trx);
          await this.deps.audit.record(trx, actor, {
            action: 'import.apply', entityType: 'import', entityId: sha256,
            details: { file_name: opts.fileName, sha256, kind: opts.kind, sheet: read.sheets.find((s) => s.chosen)?.name, created: report.summary.created, updated: 0 },
          });
        });
        report.applied = true;
      }
    } else await inTransaction(this.db, run);
    const errorRows = new Set(report.outcomes.filter((o) => o.action === 'error').map((o) => o.row));
    report.summary.errorRows = errorRows.size;
    report.summary.errors = report.problems.filter((p) => p.severity === 'error').length;
    report.summary.warnings = report.problems.length - report.summary.errors;
    if (report.credentials?.length) report.credentialsXlsx = (await credentialsWorkbook(report.credentials, opts.fileName)).toString('base64');
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  }

  /** Unit list: matches each row to an existing unit (name, 简称 or a variant) or plans a new one under its parent. */
  private async planUnits(db: Executor, actor: Actor, rows: ListRow[], report: ListReport, moveUnits: boolean): Promise<(trx: Executor) => Promise<void>> {
    const repo = new ImportRepository(db);
    const [regions, units] = await Promise.all([repo.listRegions(), repo.listUnits()]);
    const fd = await firstDayContext(db, regions, units);
    const stored = new Map((await new ImportSetupRepository(db).listUnitDetails()).map((u) => [u.id, u]));
    const rootUnitId = fd.matcher.rootUnitId;
    const err = (r: ListRow, key: string | null, message: string) => report.problems.push({ sheet: r.sheet, row: r.row, column: key ? r.letters.get(key) ?? null : null, severity: 'error', message });
    const warn = (r: ListRow, key: string | null, message: string) => report.problems.push({ sheet: r.sheet, row: r.row, column: key ? r.letters.get(key) ?? null : null, severity: 'warning', message });

    interface Planned { r: ListRow; name: string; kind: string; shortName?: string; regionCode?: string; area?: string; parentText?: string; contactName?: string; contactPhone?: string; existingId?: number; bad: boolean }
    const planned: Planned[] = [];
    const byName = new Map<string, Planned>();
    for (const r of rows) {
      const name = r.values.name?.replace(/\s+/g, '');
      const p: Planned = { r, name: name ?? '', kind: 'other', bad: false };
      if (!name) {
        err(r, 'name', '请填写单位名称');
        p.bad = true;
        planned.push(p);
        continue;
      }
      const first = byName.get(name);
      if (first) {
        err(r, 'name', `单位“${name}”与第 ${first.r.row} 行重复`);
        p.bad = true;
      } else byName.set(name, p);
      const kindText = r.values.kind;
      if (kindText !== undefined) {
        const code = codeOf(UNIT_LIST_FIELDS.find((f) => f.key === 'kind')!, kindText);
        if (code === undefined) {
          err(r, 'kind', `单位类型只能填写：部门、乡镇（街道）、国有企业、园区、其他（实为“${kindText}”）`);
          p.bad = true;
        } else p.kind = code;
      } else p.kind = guessUnitKind(name);
      p.shortName = r.values.short_name;
      p.contactName = r.values.contact_name;
      if (r.values.contact_phone !== undefined) {
        p.contactPhone = normalizePhone(r.values.contact_phone);
        if (!p.contactPhone) {
          err(r, 'contact_phone', `联系电话格式不对：${r.values.contact_phone}（手机 11 位，座机如 0471-1234567）`);
          p.bad = true;
        }
      }
      const regionText = r.values.region;
      if (regionText !== undefined) {
        const res = fd.resolver.resolve(regionText);
        if (res.ok) p.regionCode = res.code;
        else if (res.area !== undefined) {
          p.area = res.area;
          warn(r, 'region', `“${res.area}”不在行政区划中，将作为自定义区域建在${fd.jurisdiction?.name ?? '辖区'}下`);
        } else {
          err(r, 'region', res.message);
          p.bad = true;
        }
      } else if (p.kind === 'township') {
        const place = name.replace(/(人民政府|政府|办事处)$/, '');
        const res = fd.resolver.resolve(place);
        p.regionCode = res.ok ? res.code : fd.jurisdiction?.code;
      } else p.regionCode = fd.jurisdiction?.code;
      p.parentText = r.values.parent?.replace(/\s+/g, '');
      // An existing unit: its exact name or 简称; else a variant (XX县住房和城乡建设局 ↔ 县住建局), said in a warning.
      const exact = fd.matcher.exact(name);
      if (exact.length > 1) {
        err(r, 'name', `系统中有 ${exact.length} 个单位名为“${name}”，请填写全称`);
        p.bad = true;
      } else if (exact.length === 1) p.existingId = exact[0]!.id;
      else {
        const variant = fd.matcher.propose(name);
        if (variant.action === 'match') {
          p.existingId = variant.matchId;
          warn(r, 'name', `按已有单位“${variant.matchName}”匹配，不另建`);
        }
      }
      planned.push(p);
    }

    // Parents: a unit of this list (by name or 简称) or one already stored; blank → under the office.
    const byShort = new Map<string, Planned>();
    for (const p of planned) if (p.shortName && !p.bad) byShort.set(p.shortName, p);
    const parentOf = new Map<Planned, { planned?: Planned; id?: number | null }>();
    for (const p of planned) {
      if (p.bad) continue;
      if (!p.parentText) {
        parentOf.set(p, { id: rootUnitId });
        continue;
      }
      const inFile = byName.get(p.parentText) ?? byShort.get(p.parentText);
      if (inFile && inFile !== p) {
        parentOf.set(p, { planned: inFile });
        continue;
      }
      const ex = fd.matcher.exact(p.parentText);
      const v = ex.length ? undefined : fd.matcher.propose(p.parentText);
      const id = ex.length === 1 ? ex[0]!.id : v?.action === 'match' ? v.matchId : undefined;
      if (id === undefined) {
        err(p.r, 'parent', ex.length > 1 ? `上级单位“${p.parentText}”有重名，请填写全称` : `上级单位“${p.parentText}”既不在本名单中，也不在系统中`);
        p.bad = true;
      } else parentOf.set(p, { id });
    }
    // A parent chain that loops back (A under B, B under A) has no place in a tree.
    for (const p of planned) {
      const seen = new Set<Planned>([p]);
      for (let q = parentOf.get(p)?.planned; q; q = parentOf.get(q)?.planned) {
        if (seen.has(q)) {
          if (!p.bad) err(p.r, 'parent', `上级单位形成循环：${[...seen].map((s) => s.name).join(' → ')} → ${q.name}`);
          p.bad = true;
          break;
        }
        seen.add(q);
      }
    }
    // A row whose parent row is refused cannot be placed either.
    for (let changed = true; changed;) {
      changed = false;
      for (const p of planned) {
        const parent = parentOf.get(p)?.planned;
        if (!p.bad && parent?.bad) {
          err(p.r, 'parent', `上级单位“${parent.name}”（第 ${parent.r.row} 行）有错误`);
          p.bad = changed = true;
        }
      }
    }

    const creates: Planned[] = [];
    const updates: { id: number; patch: Record<string, string | null> }[] = [];
    // Stored units the list places under another parent: offered in the dry run, moved on confirmation (moveUnits).
    const moves: { p: Planned; from: number | null; to: { planned?: Planned; id?: number | null } }[] = [];
    const unitName = (id: number | null | undefined) => (id ? stored.get(id)?.name ?? `#${id}` : '单位树顶层');
    for (const p of planned) {
      if (p.bad) {
        report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'error', name: p.name });
        continue;
      }
      if (p.existingId === undefined) {
        creates.push(p);
        report.summary.created++;
        report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'create', name: p.name, reason: `${UNIT_KIND_LABELS[p.kind] ?? p.kind}` });
        continue;
      }
      // A stored unit: 简称, kind, region and contact filled in when they differ; never moved (the unit page moves).
      const s = stored.get(p.existingId)!;
      const patch: Record<string, string | null> = {};
      const changes: string[] = [];
      const set = (col: string, label: string, v: string | undefined, cur: string | null) => {
        if (v !== undefined && v !== cur) {
          patch[col] = v;
          changes.push(label);
        }
      };
      set('short_name', '简称', p.shortName, s.short_name);
      if (p.r.values.kind !== undefined) set('kind', '单位类型', p.kind, s.kind);
      if (p.r.values.region !== undefined && !p.area) set('region_code', '所属地区', p.regionCode, s.region_code);
      set('contact_name', '联系人', p.contactName, s.contact_name);
      set('contact_phone', '联系电话', p.contactPhone, s.contact_phone);
      const parent = parentOf.get(p)!;
      const wantParent = parent.planned ? parent.planned.existingId : parent.id;
      if (p.parentText && wantParent !== s.parent_id) {
        const target = parent.planned ? parent.planned.name : unitName(parent.id);
        const targetPath = parent.planned ? (parent.planned.existingId ? stored.get(parent.planned.existingId)?.path : undefined) : parent.id ? stored.get(parent.id)?.path : '/';
        if (targetPath !== undefined && targetPath.startsWith(s.path)) {
          err(p.r, 'parent', `不能把“${s.name}”移到它自己或它的下级单位“${target}”之下`);
          report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'error', name: p.name });
          continue;
        }
        if (moveUnits) {
          moves.push({ p, from: s.parent_id, to: parent });
          changes.push(`上级单位：${unitName(s.parent_id)} → ${target}`);
        } else {
          warn(p.r, 'parent', `“${s.name}”在系统中的上级单位是“${unitName(s.parent_id)}”，名单为“${target}”：选择“按名单移动单位”后移动`);
        }
      }
      if (changes.length) {
        updates.push({ id: p.existingId, patch });
        report.summary.updated++;
        report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'update', name: p.name, changes });
      } else {
        report.summary.unchanged++;
        report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'unchanged', name: p.name });
      }
    }

    return async (trx) => {
      const setup = new ImportSetupRepository(trx);
      const now = this.deps.clock.now().toISOString();
      const areaCodes = new Map<string, string>();
      const parentRegion = fd.jurisdiction ? await setup.findRegion(fd.jurisdiction.code) : undefined;
      const ids = new Map<Planned, number>();
      // Parents before children: a created unit's parent may be created by this same list.
      const pending = [...creates];
      let sort = 1;
      while (pending.length) {
        const i = pending.findIndex((p) => {
          const parent = parentOf.get(p)!.planned;
          return !parent || parent.existingId !== undefined || ids.has(parent);
        });
        const p = pending.splice(i, 1)[0]!;
        let regionCode = p.regionCode ?? null;
        if (p.area) {
          if (!parentRegion) throw new AppError('unprocessable', '建立自定义区域须先设置本单位辖区（本单位设置）');
          regionCode = areaCodes.get(p.area) ?? await setup.insertCustomArea(parentRegion, p.area);
          areaCodes.set(p.area, regionCode);
        }
        const parent = parentOf.get(p)!;
        const parentId = parent.planned ? (parent.planned.existingId ?? ids.get(parent.planned)!) : parent.id ?? null;
        const id = await setup.insertUnit({ name: p.name, kind: p.kind, parentId, regionCode, sort: sort++ }, now);
        await setup.updateUnitDetails(id, { short_name: p.shortName ?? null, contact_name: p.contactName ?? null, contact_phone: p.contactPhone ?? null });
        ids.set(p, id);
        await this.deps.audit.record(trx, actor, { action: 'unit.create', entityType: 'unit', entityId: id, after: { name: p.name, short_name: p.shortName ?? null, kind: p.kind, parent_id: parentId, region_code: regionCode, via: 'unit_list_import' } });
      }
      for (const u of updates) {
        if (Object.keys(u.patch).length) {
          await setup.updateUnitDetails(u.id, u.patch);
          await this.deps.audit.record(trx, actor, { action: 'unit.update', entityType: 'unit', entityId: u.id, before: pick(stored.get(u.id)!, Object.keys(u.patch)), after: u.patch });
        }
      }
      // Moves after the creates (a new parent exists by now); each rewrites the unit's subtree paths.
      const units = new ReferenceRepository(trx);
      for (const m of moves) {
        const id = m.p.existingId!;
        const parentId = m.to.planned ? (m.to.planned.existingId ?? ids.get(m.to.planned)!) : m.to.id ?? null;
        const unit = await units.findUnit(id);
        const parent = parentId === null ? undefined : await units.findUnit(parentId);
        if (!unit || (parentId !== null && !parent)) throw new AppError('conflict', `单位“${m.p.name}”或其上级单位已被删除，请重新预检`);
        if (parent && parent.path.startsWith(unit.path)) throw new AppError('unprocessable', `不能把“${m.p.name}”移到它自己或它的下级单位之下`);
        const path = `${parent?.path ?? '/'}${id}/`;
        await units.updateUnit(id, { parent_id: parentId });
        await units.movePaths(unit.path, path);
        await this.deps.audit.record(trx, actor, {
          action: 'unit.move', entityType: 'unit', entityId: id,
          before: { parent_id: m.from, path: unit.path }, after: { parent_id: parentId, path, via: 'unit_list_import' },
        });
      }
    };
  }

  /** User list: one account per row, in an existing unit; a username already there with the same person is unchanged. */
  private async planUsers(db: Executor, actor: Actor, rows: ListRow[], report: ListReport, hashNow = false): Promise<(trx: Executor) => Promise<void>> {
    const repo = new ImportRepository(db);
    const [regions, units] = await Promise.all([repo.listRegions(), repo.listUnits()]);
    const fd = await firstDayContext(db, regions, units);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const err = (r: ListRow, key: string | null, message: string) => report.problems.push({ sheet: r.sheet, row: r.row, column: key ? r.letters.get(key) ?? null : null, severity: 'error', message });
    const warn = (r: ListRow, key: string | null, message: string) => report.problems.push({ sheet: r.sheet, row: r.row, column: key ? r.letters.get(key) ?? null : null, severity: 'warning', message });
    const planned: { r: ListRow; input?: AccountInput; bad: boolean }[] = [];
    const byUsername = new Map<string, ListRow>();
    for (const r of rows) {
      let bad = false;
      const fail = (key: string | null, message: string) => {
        err(r, key, message);
        bad = true;
      };
      const displayName = r.values.name?.replace(/\s+/g, '');
      if (!displayName) fail('name', '请填写姓名');
      let phone: string | null = null;
      if (r.values.phone !== undefined) {
        phone = normalizePhone(r.values.phone) ?? null;
        if (!phone) fail('phone', `手机号码格式不对：${r.values.phone}（11 位手机号，或座机如 0471-1234567）`);
      }
      let role: string | undefined = 'reporter';
      if (r.values.role !== undefined) {
        const code = codeOf(USER_LIST_FIELDS.find((f) => f.key === 'role')!, r.values.role);
        role = code;
        if (code === undefined) fail('role', `角色只能填写：${[...new Set(Object.keys(LIST_ROLE_CODES))].slice(0, 6).join('、')}等（实为“${r.values.role}”；系统管理员、安全管理员、审计员不能从名单建立）`);
      }
      // The account name: the 用户名 column, else the mobile number (what reporters remember).
      const username = r.values.username ?? (phone && /^1\d{10}$/.test(phone) ? phone : undefined);
      if (!username) fail(r.values.username !== undefined ? 'username' : 'phone', '请填写用户名，或填写 11 位手机号作为用户名');
      else if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(username)) fail('username', `用户名只能包含字母、数字和 _ . @ -（2–64 位）：${username}`);
      else {
        const first = byUsername.get(username);
        if (first) fail(r.values.username !== undefined ? 'username' : 'phone', `用户名“${username}”与第 ${first.row} 行重复`);
        else byUsername.set(username, r);
      }
      let unitId: number | undefined;
      const unitText = r.values.unit?.replace(/\s+/g, '');
      if (!unitText) {
        if (role === 'reporter') fail('unit', '责任单位填报员须填写所属单位');
      } else {
        const exact = fd.matcher.exact(unitText);
        const v = exact.length ? undefined : fd.matcher.propose(unitText);
        if (exact.length > 1) fail('unit', `单位“${unitText}”有重名，请填写全称`);
        else if (exact.length === 1) unitId = exact[0]!.id;
        else if (v?.action === 'match') {
          unitId = v.matchId;
          warn(r, 'unit', `单位“${unitText}”按已有单位“${v.matchName}”匹配`);
        } else fail('unit', `单位“${unitText}”不存在：请先导入单位名单，或在单位管理中建立该单位`);
      }
      planned.push({ r, bad, input: bad ? undefined : { username: username!, displayName: displayName!, role: role!, unitId: unitId ?? fd.matcher.rootUnitId, phone } });
    }
    // A list imported twice: the same username with the same person and unit is unchanged; anyone else is refused.
    const existing = new Map((await findAccounts(db, planned.flatMap((p) => (p.input ? [p.input.username] : [])))).map((u) => [u.username, u]));
    const creates: { r: ListRow; input: AccountInput }[] = [];
    for (const p of planned) {
      const name = p.input?.displayName ?? p.r.values.name ?? '';
      if (p.input) {
        const ex = existing.get(p.input.username);
        if (ex && (ex.display_name !== p.input.displayName || ex.unit_id !== p.input.unitId)) {
          err(p.r, p.r.values.username !== undefined ? 'username' : 'phone', `用户名“${p.input.username}”已被“${ex.display_name}”（${unitName.get(ex.unit_id ?? 0) ?? '无单位'}）使用`);
          p.bad = true;
        } else if (ex) {
          report.summary.unchanged++;
          report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'unchanged', name, reason: `账号 ${ex.username} 已存在` });
          continue;
        }
      }
      if (p.bad || !p.input) {
        report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'error', name });
        continue;
      }
      creates.push({ r: p.r, input: p.input });
      report.summary.created++;
      report.outcomes.push({ sheet: p.r.sheet, row: p.r.row, action: 'create', name, reason: `${ROLE_NAMES[p.input.role] ?? p.input.role}，${(p.input.unitId !== null ? unitName.get(p.input.unitId) : undefined) ?? '无单位'}，用户名 ${p.input.username}` });
    }
    const prepared: PreparedAccount[] = hashNow && !report.problems.some((p) => p.severity === 'error') ? await prepareAccounts(db, creates.map((c) => c.input)) : [];
    return async (trx) => {
      const made = await createAccounts(trx, this.deps.audit, actor, hashNow ? prepared : await prepareAccounts(trx, creates.map((c) => c.input)), this.deps.clock.now().toISOString());
      report.credentials = made.map((m, i) => ({
        row: creates[i]!.r.row, unit: (m.unitId !== null ? unitName.get(m.unitId) : undefined) ?? '', name: m.displayName, phone: m.phone, username: m.username,
        role: ROLE_NAMES[m.role] ?? m.role, password: m.temporaryPassword,
      }));
    };
  }
}

function pick<T extends object>(row: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));
}

/** The one download of the passwords: an .xlsx a clerk prints or hands out, never kept by the server. */
export async function credentialsWorkbook(credentials: readonly Credential[], fileName: string): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('首次登录密码');
  ws.addRow([`账号与首次登录密码（导入自 ${fileName}；仅此一次，首次登录须修改密码，请妥善分发后删除本文件）`]);
  ws.mergeCells(1, 1, 1, 7);
  ws.addRow(['序号', '单位', '姓名', '手机', '用户名', '首次登录密码', '角色']);
  credentials.forEach((c, i) => ws.addRow([i + 1, c.unit, c.name, c.phone ?? '', c.username, c.password, c.role]));
  ws.getRow(2).font = { bold: true };
  for (const [i, w] of [6, 30, 10, 14, 16, 18, 18].entries()) ws.getColumn(i + 1).width = w;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
