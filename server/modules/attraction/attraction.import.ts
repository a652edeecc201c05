// The attraction ledger import (招商引资台账, issue 21): an office's own workbook — or Docket's export of it — read
// in two passes like every import: read and check every row (a report by sheet, row and column letter, in Chinese),
// then, only without errors and not a dry run, the same plan written in one transaction. A row matches a stored
// record by 项目名称 and 招商小分队; otherwise it registers a new one. Stages are taken as the ledger states them
// (the ledger is the office's record of what was reviewed), each change in status_log as an 'import' move; a record
// that reaches 开工 becomes a library project as an approved move would make it.

import crypto from 'node:crypto';
import type { Insertable, Updateable } from 'kysely';
import { LEAD_STAGE_LABELS, LEAD_STAGES, STAGE_DATE_FIELD, STAGE_REQUIRED, stageIndex, TERMINATION_KINDS, TERMINATION_LABELS, type LeadStage, type TerminationKind } from '../../../core/attraction/lead.ts';
import { chinaToday } from '../../../core/clock.ts';
import { findMoneyUnit, parseMoney, type MoneyUnit } from '../../../core/money.ts';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';
import type { Executor } from '../../db/database.ts';
import type { AttractionLeadTable } from '../../db/schema.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { recordMove } from '../../platform/status-log.ts';
import { inTransaction } from '../../platform/tx.ts';
import { readListTable, type FieldDef, type ListProblem, type SheetFinding, type UploadLimits } from '../imports/index.ts';
import type { AttractionRepository, LeadListRow } from './attraction.repository.ts';
import type { EnterpriseRegister, ProjectLibrary } from './attraction.service.ts';
import { LEAD_ENTITY } from './attraction.service.ts';

const text = (key: string, label: string, patterns: RegExp[], maxLength = 200): FieldDef => ({ key, label, kind: 'text', patterns, maxLength });

/** The ledger's columns: Docket's export headers first, then the synonyms offices use. */
export const LEAD_IMPORT_FIELDS: FieldDef[] = [
  text('name', '项目名称', [/^(招商)?项目(名称)?$/]),
  text('team', '招商小分队', [/^(招商)?小分队$/, /^(招商|责任|牵头)(单位|部门)$/]),
  text('region', '所属地区', [/^(所属|所在)?(地区|区域|区县|县区|乡镇|乡镇街道|行政区划)$/], 60),
  text('industry', '所属产业', [/^(所属)?(产业|行业)(类别|领域)?$/], 64),
  text('investor', '投资方', [/^(投资方|投资主体|投资商|客商|签约方|投资企业)$/]),
  text('stage', '当前阶段', [/^(当前|所处|项目)?(阶段|进展阶段|进度)$/], 20),
  text('intended_amount', '意向投资额', [/^(意向|拟)投资(额|金额)?$/]),
  text('signed_amount', '签约额', [/^(签约|合同)(金额|额|投资额|总额)$/]),
  text('foreign_usd', '合同外资（万美元）', [/^合同外资(额|金额)?(\(万美元\))?$/]),
  text('planned_total', '计划总投资', [/^(计划)?总投资(额)?$/]),
  text('funds_in_place', '实际到资', [/^(实际)?到资(额|金额)?$/, /^到位资金$/]),
  text('lead_on', '线索日期', [/^(线索|登记)(日期|时间)$/]),
  text('negotiating_on', '在谈日期', [/^(在谈|洽谈)(日期|时间)$/]),
  text('signed_on', '签约日期', [/^签约(日期|时间)$/]),
  text('approved_on', '过审日期', [/^(过审|评审|准入)(日期|时间)$/]),
  text('landed_on', '落地日期', [/^(落地|注册)(日期|时间)$/]),
  text('started_on', '开工日期', [/^开工(日期|时间)$/]),
  text('producing_on', '投产日期', [/^(投产|达产)(日期|时间)$/]),
  text('review_body', '评审机构', [/^(评审|准入)(机构|单位|部门)$/]),
  text('company_name', '注册企业', [/^(注册)?(企业|公司)(名称)?$/]),
  text('company_uscc', '统一社会信用代码', [/^(统一)?社会信用代码$/, /^信用代码$/], 40),
  text('negotiator', '洽谈人', [/^(洽谈|对接)(人|负责人)$/]),
  text('site', '拟选址', [/^(拟)?(选址|落户地点|建设地点)$/]),
  text('termination', '终止情况', [/^终止(情况|原因)?$/], 1000),
  text('skip_reason', '跳过阶段理由', [/^(跳过|越过|跨)(阶段)?(的)?(理由|原因|说明)$/, /^越级(理由|原因|说明)$/], 1000),
  text('notes', '备注', [/^备注$/], 2000),
];

const STAGE_WORDS: Record<string, LeadStage> = {
  ...Object.fromEntries(LEAD_STAGES.map((s) => [LEAD_STAGE_LABELS[s], s])),
  线索: 'lead', 在谈: 'negotiating', 洽谈: 'negotiating', 签约: 'signed', 已签约: 'signed', 过审: 'approved', 准入: 'approved', 评审: 'approved',
  落地: 'landed', 注册: 'landed', 开工: 'started', 已开工: 'started', 投产: 'producing', 已投产: 'producing', 达产: 'producing',
};
const TERMINATION_WORDS: Record<string, TerminationKind> = Object.fromEntries(TERMINATION_KINDS.map((k) => [TERMINATION_LABELS[k], k]));

/** The report of a dry run or an apply (the shape of the other list imports, so the wizard shows it the same way). */
export interface LeadImportReport {
  kind: 'leads';
  fileName: string;
  dryRun: boolean;
  applied: boolean;
  sheets: SheetFinding[];
  summary: { rows: number; created: number; updated: number; unchanged: number; errorRows: number; errors: number; warnings: number };
  problems: ListProblem[];
  outcomes: { sheet: string; row: number; action: 'create' | 'update' | 'unchanged' | 'error'; name: string; changes?: string[]; reason?: string }[];
  elapsedMs: number;
}

type Fields = Omit<Insertable<AttractionLeadTable>, 'created_at' | 'updated_at'>;
interface Planned {
  row: number; sheet: string; existing?: LeadListRow; values: Fields; changes: string[]; stageFrom: string | null;
  /** The stages this row skips and why (跳过阶段理由), recorded with the move. */
  skip?: { stages: string; reason: string };
}

const MONEY_FIELDS = ['intended_amount', 'signed_amount', 'planned_total', 'funds_in_place'] as const;
const DATE_FIELDS = LEAD_STAGES.map((s) => STAGE_DATE_FIELD[s]);
const TEXT_FIELDS = ['industry', 'investor', 'review_body', 'company_name', 'negotiator', 'site', 'notes'] as const;

/** A date as offices write it: 2026-03-10, 2026/3/10, 2026.3.10, 2026年3月10日; undefined when not a real day. */
export function parseLedgerDate(raw: string): string | undefined {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(raw.normalize('NFKC').trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** The ledger import: dry run and apply. */
export class LeadImportService {
  private readonly deps: Deps;
  private readonly repo: (db: Executor) => AttractionRepository;
  private readonly projects: ProjectLibrary;
  private readonly enterprises: EnterpriseRegister;
  constructor(deps: Deps, repo: (db: Executor) => AttractionRepository, projects: ProjectLibrary, enterprises: EnterpriseRegister) {
    this.deps = deps;
    this.repo = repo;
    this.projects = projects;
    this.enterprises = enterprises;
  }

  /** Checks the workbook and, unless a dry run or any row has an error, writes it in one transaction. */
  async importFile(actor: Actor, buf: Buffer, opts: { fileName: string; dryRun: boolean; sheet?: string; limits?: UploadLimits }): Promise<LeadImportReport> {
    const started = performance.now();
    const read = await readListTable(buf, opts.fileName, LEAD_IMPORT_FIELDS, '招商项目台账', { sheet: opts.sheet, limits: opts.limits });
    const report: LeadImportReport = {
      kind: 'leads', fileName: opts.fileName, dryRun: opts.dryRun, applied: false, sheets: read.sheets,
      summary: { rows: read.rows.length, created: 0, updated: 0, unchanged: 0, errorRows: 0, errors: 0, warnings: 0 },
      problems: [...read.problems], outcomes: [], elapsedMs: 0,
    };
    const chosen = read.sheets.find((s) => s.chosen);
    const headerOf = (letter: string | undefined) => chosen?.columns.find((c) => c.letter === letter)?.header ?? '';
    const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
    await inTransaction(this.deps.db, async (trx) => {
      const plan = await this.plan(trx, actor, read.rows, headerOf, report);
      report.summary.errors = report.problems.filter((p) => p.severity === 'error').length;
      report.summary.warnings = report.problems.length - report.summary.errors;
      if (opts.dryRun || report.summary.errors > 0) return;
      await this.write(trx, actor, plan, opts.fileName);
      await this.deps.audit.record(trx, actor, {
        action: 'attraction.import', entityType: 'import', entityId: sha256,
        details: { file_name: opts.fileName, sha256, sheet: chosen?.name, created: report.summary.created, updated: report.summary.updated },
      });
      report.applied = true;
    });
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  }

  private async plan(trx: Executor, actor: Actor, rows: Awaited<ReturnType<typeof readListTable>>['rows'], headerOf: (letter: string | undefined) => string, report: LeadImportReport): Promise<Planned[]> {
    const repo = this.repo(trx);
    const today = chinaToday(this.deps.clock.now());
    const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
    const distinct = (key: string) => [...new Set(rows.map((r) => r.values[key]).filter((v): v is string => !!v))];
    const units = (await Promise.all(chunks(distinct('team')).map((c) => repo.listUnitsByName(c, actor.scope)))).flat();
    const regions = (await Promise.all(chunks(distinct('region')).map((c) => repo.listRegionsByNameOrCode(c)))).flat();
    const stored = (await Promise.all(chunks(distinct('name')).map((c) => repo.listByNames(c, actor.scope)))).flat();
    const seen = new Map<string, number>();
    const plan: Planned[] = [];
    for (const r of rows) {
      const problems: ListProblem[] = [];
      const err = (key: string | null, message: string) => problems.push({ sheet: r.sheet, row: r.row, column: key ? r.letters.get(key) ?? null : null, severity: 'error', message });
      const v = r.values;
      const name = v.name ?? '';
      if (!name) err('name', '项目名称不能为空');
      else if (name.length > 200) err('name', '项目名称过长（不超过 200 个字）');
      // The team: a unit within the importer's data scope, by its exact name.
      let teamId: number | undefined;
      let teamRegion: string | null = null;
      if (!v.team) err('team', '招商小分队（责任单位）不能为空');
      else {
        const found = units.filter((u) => u.name === v.team);
        if (found.length === 0) err('team', `招商小分队（责任单位）“${v.team}”不存在或不在您的数据范围内`);
        else if (found.length > 1) err('team', `有 ${found.length} 个名为“${v.team}”的单位，无法确定是哪一个`);
        else ({ id: teamId, region_code: teamRegion } = found[0]!);
      }
      // The region: a code or an exact name; blank takes the team's.
      let regionCode: string | null = null;
      if (v.region) {
        const found = regions.filter((x) => x.code === v.region || x.name === v.region);
        if (found.length === 0) err('region', `所属地区“${v.region}”不存在（可填写行政区划名称或 6 位代码）`);
        else if (found.length > 1) err('region', `有 ${found.length} 个名为“${v.region}”的地区，请填写 6 位行政区划代码`);
        else regionCode = found[0]!.code;
      } else if (teamId !== undefined) {
        regionCode = teamRegion;
        if (!regionCode) err('region', '所属地区不能为空（该小分队未设所属地区）');
      }
      const values: Record<string, unknown> = {};
      for (const key of TEXT_FIELDS) if (v[key] !== undefined) values[key] = v[key];
      for (const key of MONEY_FIELDS) {
        if (v[key] === undefined) continue;
        const unit: MoneyUnit = findMoneyUnit(headerOf(r.letters.get(key))) ?? '万元';
        const parsed = parseMoney(v[key], unit);
        if (!parsed.ok) err(key, `${LEAD_IMPORT_FIELDS.find((f) => f.key === key)!.label}“${v[key]}”无法识别：${parsed.reason}`);
        else if (parsed.yuan < 0) err(key, `${LEAD_IMPORT_FIELDS.find((f) => f.key === key)!.label}不能为负`);
        else values[key] = parsed.yuan;
      }
      if (v.foreign_usd !== undefined) {
        // Contracted foreign investment: 万美元 in the ledger, integer US dollars stored.
        const parsed = parseMoney(v.foreign_usd, headerOf(r.letters.get('foreign_usd')).includes('万') ? '万元' : '元');
        if (!parsed.ok || parsed.yuan < 0) err('foreign_usd', `合同外资“${v.foreign_usd}”无法识别，应为万美元数`);
        else values.foreign_usd = parsed.yuan;
      }
      if (v.company_uscc !== undefined) {
        const code = normalizeUscc(v.company_uscc);
        const problem = checkUscc(code);
        if (problem) err('company_uscc', `统一社会信用代码“${v.company_uscc}”有误：${problem}`);
        else values.company_uscc = code;
      }
      for (const key of DATE_FIELDS) {
        if (v[key] === undefined) continue;
        const d = parseLedgerDate(v[key]);
        const label = LEAD_IMPORT_FIELDS.find((f) => f.key === key)!.label;
        if (!d) err(key, `${label}“${v[key]}”不是有效日期（应为 YYYY-MM-DD）`);
        else if (d > today) err(key, `${label} ${d} 晚于今天（${today}）`);
        else values[key] = d;
      }
      // The stage: as written, else the latest stage with a date.
      let stage: LeadStage = 'lead';
      if (v.stage) {
        const s = STAGE_WORDS[v.stage.normalize('NFKC').replace(/\s+/g, '')];
        if (!s) err('stage', `当前阶段“${v.stage}”无法识别，应为：${LEAD_STAGES.map((x) => LEAD_STAGE_LABELS[x]).join('、')}`);
        else stage = s;
      } else {
        for (const s of LEAD_STAGES) if (values[STAGE_DATE_FIELD[s]]) stage = s;
      }
      const existing = name && teamId !== undefined ? stored.find((l) => l.name === name && l.team_id === teamId) : undefined;
      const merged = { ...(existing ?? {}), ...values } as Record<string, unknown>;
      if (!merged.lead_on) values.lead_on = merged.lead_on = DATE_FIELDS.map((k) => merged[k] as string | undefined).filter(Boolean).sort()[0] ?? today;
      // Stage dates: the current stage's is needed, later stages' are not allowed, and they never go backwards.
      const at = stageIndex(stage);
      if (stage !== 'lead' && !merged[STAGE_DATE_FIELD[stage]]) err(`${stage}_on`, `当前阶段为“${LEAD_STAGE_LABELS[stage]}”，须填写${LEAD_STAGE_LABELS[stage]}日期`);
      for (const s of LEAD_STAGES.slice(at + 1)) {
        if (values[STAGE_DATE_FIELD[s]]) err(STAGE_DATE_FIELD[s], `当前阶段为“${LEAD_STAGE_LABELS[stage]}”，不应填写${LEAD_STAGE_LABELS[s]}日期`);
      }
      let last: { stage: LeadStage; date: string } | undefined;
      for (const s of LEAD_STAGES.slice(0, at + 1)) {
        const d = merged[STAGE_DATE_FIELD[s]] as string | null | undefined;
        if (!d) continue;
        if (last && d < last.date) err(STAGE_DATE_FIELD[s], `${LEAD_STAGE_LABELS[s]}日期 ${d} 早于${LEAD_STAGE_LABELS[last.stage]}日期 ${last.date}`);
        last = { stage: s, date: d };
      }
      // A skipped stage needs a reason, as a reviewed move does (checkMove): a stage between the record's (线索, or the
      // stored one) and the row's whose date column the ledger has but leaves blank, with no date stored either. A
      // ledger without that date column says nothing about the stage. The reason waives the skipped stages' fields.
      const fromAt = existing && isStage(existing.stage) ? stageIndex(existing.stage) : 0;
      const skipped = LEAD_STAGES.slice(fromAt + 1, at).filter((s) => r.letters.has(STAGE_DATE_FIELD[s]) && !merged[STAGE_DATE_FIELD[s]]);
      const skipReason = v.skip_reason?.trim();
      const skippedLabels = skipped.map((s) => LEAD_STAGE_LABELS[s]).join('、');
      if (skipped.length && !skipReason) {
        err(r.letters.has('skip_reason') ? 'skip_reason' : STAGE_DATE_FIELD[skipped[0]!],
          `当前阶段为“${LEAD_STAGE_LABELS[stage]}”，未填写${skippedLabels}日期即跳过了${skippedLabels}阶段，须在“跳过阶段理由”列说明理由（或填写${skippedLabels}日期）`);
      }
      // What the stage reached needs (the same needs a reviewed move checks).
      for (const s of LEAD_STAGES.slice(1, at + 1)) {
        if (skipReason && skipped.includes(s)) continue;
        for (const [field, label] of STAGE_REQUIRED[s]) {
          const x = merged[field];
          if (x === null || x === undefined || x === '') err(field, `当前阶段为“${LEAD_STAGE_LABELS[stage]}”，须填写${label}`);
        }
      }
      if (v.termination !== undefined) {
        const m = /^(\S+?)\s+(\S+?)[:：]\s*(.+)$/.exec(v.termination.trim());
        const d = m ? parseLedgerDate(m[1]!) : undefined;
        const kind = m ? TERMINATION_WORDS[m[2]!] : undefined;
        if (!m || !d || !kind) err('termination', `终止情况应写作“日期 原因类别：理由”，如“2026-05-01 洽谈失败：投资方资金链断裂”；原因类别为：${Object.keys(TERMINATION_WORDS).join('、')}`);
        else if (d > today) err('termination', `终止日期 ${d} 晚于今天（${today}）`);
        else Object.assign(values, { terminated_on: d, termination_kind: kind, termination_reason: m[3]!.trim() });
      }
      if (existing) {
        if (existing.review_status === 'submitted') err('stage', '该招商项目有待审核的阶段变更，请先审核或撤回后再导入');
        if (isStage(existing.stage) && stageIndex(existing.stage) > at) err('stage', `系统中该项目已处于“${LEAD_STAGE_LABELS[existing.stage]}”阶段，台账中的“${LEAD_STAGE_LABELS[stage]}”不能使其后退`);
        if (existing.terminated_on && v.termination === undefined) err('termination', `该招商项目已于 ${existing.terminated_on} 终止，不能再导入变更`);
      }
      if (name && teamId !== undefined) {
        const key = `${teamId}\u0000${name}`;
        const first = seen.get(key);
        if (first !== undefined) err('name', `与第 ${first} 行重复（同一小分队的同名项目）`);
        else seen.set(key, r.row);
      }
      report.problems.push(...problems);
      if (problems.length) {
        report.summary.errorRows++;
        report.outcomes.push({ sheet: r.sheet, row: r.row, action: 'error', name, reason: problems.map((p) => p.message).join('；') });
        continue;
      }
      values.stage = stage;
      values.team_id = teamId!;
      values.region_code = regionCode!;
      values.name = name;
      if (!existing) {
        const link = values.company_uscc ? await this.enterprises.findByUscc(trx, actor, values.company_uscc as string) : undefined;
        if (link) values.enterprise_id = link.id;
        plan.push({ row: r.row, sheet: r.sheet, values: values as Fields, changes: [], stageFrom: null, ...(skipped.length ? { skip: { stages: skippedLabels, reason: skipReason! } } : {}) });
        report.summary.created++;
        report.outcomes.push({ sheet: r.sheet, row: r.row, action: 'create', name, changes: [`${LEAD_STAGE_LABELS[stage]}${link ? `，关联企业“${link.name}”` : ''}`] });
        continue;
      }
      const changes = Object.entries(values).filter(([k, x]) => (existing as Record<string, unknown>)[k] !== x && !(k === 'stage' && x === existing.stage)).map(([k]) => k);
      if (!existing.enterprise_id && (values.company_uscc ?? existing.company_uscc)) {
        const link = await this.enterprises.findByUscc(trx, actor, (values.company_uscc ?? existing.company_uscc) as string);
        if (link) {
          values.enterprise_id = link.id;
          changes.push('enterprise_id');
        }
      }
      if (changes.length === 0) {
        report.summary.unchanged++;
        report.outcomes.push({ sheet: r.sheet, row: r.row, action: 'unchanged', name });
        continue;
      }
      const labels = changes.map((k) => (k === 'enterprise_id' ? '关联企业' : k === 'team_id' ? '招商小分队' : k === 'region_code' ? '所属地区' : k === 'stage' ? '当前阶段' : k === 'termination_kind' || k === 'termination_reason' || k === 'terminated_on' ? '终止情况' : LEAD_IMPORT_FIELDS.find((f) => f.key === k)?.label ?? k));
      plan.push({ row: r.row, sheet: r.sheet, existing, values: values as Fields, changes, stageFrom: existing.stage, ...(skipped.length ? { skip: { stages: skippedLabels, reason: skipReason! } } : {}) });
      report.summary.updated++;
      report.outcomes.push({ sheet: r.sheet, row: r.row, action: 'update', name, changes: [...new Set(labels)] });
    }
    return plan;
  }

  private async write(trx: Executor, actor: Actor, plan: Planned[], fileName: string): Promise<void> {
    const repo = this.repo(trx);
    const now = this.deps.clock.now().toISOString();
    const by = actor.userId || null;
    for (const p of plan) {
      const stage = p.values.stage as LeadStage;
      let id: number;
      if (!p.existing) {
        id = await repo.insert({ ...p.values, created_at: now, updated_at: now, created_by: by, updated_by: by });
      } else {
        id = p.existing.id;
        const patch: Updateable<AttractionLeadTable> = { ...p.values, updated_at: now, updated_by: by };
        if (!(await repo.updateIfVersion(id, p.existing.version, patch))) throw new Error(`attraction record ${id} changed during the import`);
      }
      // At 开工 (or later) the record becomes a library project, as an approved move would make it.
      const projectId = p.existing?.project_id ?? null;
      if (stageIndex(stage) >= stageIndex('started') && !projectId) {
        const v = { ...(p.existing ?? {}), ...p.values } as LeadListRow;
        const created = await this.projects.create(trx, actor, {
          name: v.name, region_code: v.region_code, unit_id: v.team_id,
          total_investment: v.planned_total ?? v.signed_amount ?? v.intended_amount ?? 0,
          start_date: v.started_on!, builder_name: v.company_name, builder_uscc: v.company_uscc,
        });
        await repo.updateIfVersion(id, p.existing ? p.existing.version + 1 : 1, { project_id: created });
      }
      if (p.stageFrom !== stage || !p.existing) {
        await recordMove(trx, {
          entityType: LEAD_ENTITY, entityId: id, from: p.existing ? p.existing.review_status : null, to: 'settled', action: 'import',
          reason: `导入台账“${fileName}”第 ${p.row} 行：${p.existing ? `由“${LEAD_STAGE_LABELS[p.existing.stage] ?? p.existing.stage}”` : '登记为'}“${LEAD_STAGE_LABELS[stage]}”${p.skip ? `，跳过${p.skip.stages}阶段，理由：${p.skip.reason}` : ''}`,
          actorId: by, at: now,
        });
      }
    }
  }
}

function isStage(s: string): s is LeadStage {
  return (LEAD_STAGES as readonly string[]).includes(s);
}
