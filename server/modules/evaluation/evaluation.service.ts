import { chinaToday } from '../../../core/clock.ts';
import { add, cmp, dec, formatScore, frac, sub, ZERO, type Fraction } from '../../../core/evaluation/exact.ts';
import { RULE_LABELS } from '../../../core/evaluation/rules.ts';
import { advancedAndLagging, leavesOf, scoreScheme, validateScheme, type Scheme } from '../../../core/evaluation/scheme.ts';
import { periodLabel } from '../../../core/indicators.ts';
import { scoreYearEnd, type YearEndUnitInput } from '../../../core/evaluation/year-end.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import { systemActor, type Actor, type Deps } from '../../platform/context.ts';
import { recordMove } from '../../platform/status-log.ts';
import { inTransaction } from '../../platform/tx.ts';
import { createBulletinService } from '../bulletins/index.ts';
import { createMatterService } from '../supervision/index.ts';
import type { EvaluationRepository} from './evaluation.repository.ts';
import { type SnapshotRow } from './evaluation.repository.ts';
import { listSources, MANUAL_SOURCE, providersFor } from './evaluation.sources.ts';

/** The user id to store for an actor: null for the CLI's system actor (no users row). */
const userRef = (actor: Actor): number | null => (actor.userId > 0 ? actor.userId : null);

/** An exact fraction as stored in snapshot JSON: 'num/den'. */
const store = (f: Fraction): string => `${f.num}/${f.den}`;
const load = (s: string): Fraction => {
  const [n, d] = s.split('/');
  return frac(BigInt(n!), BigInt(d ?? '1'));
};
/** A value as printed: two decimals trimmed ('45.54', '3.87', '2'). */
const valueText = (f: Fraction | null): string => (f === null ? '—' : formatScore(f, 2).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1'));

/** One scored node of a unit, as a snapshot keeps it. */
export interface SnapshotNode {
  value: string | null;
  value_text: string;
  score_text: string;
  contribution: string;
  contribution_text: string;
  note: string;
}

/** One unit of a snapshot. */
export interface SnapshotUnit {
  key: string;
  name: string;
  rank: number;
  total: string;
  total_text: string;
  tree_total_text: string;
  adjustment_text: string;
  vetoed: boolean;
  veto_reasons: string[];
  /** Leader's total − this unit's, printed. */
  gap_to_leader_text: string;
  prev_rank: number | null;
  prev_total_text: string | null;
  /** Positive = moved up (rank 5 → 3 is +2). */
  rank_change: number | null;
  score_change_text: string | null;
  nodes: Record<string, SnapshotNode>;
}

/** A per-indicator 红榜/黄榜 line: the best or worst unit of a leaf, with its figure. */
export interface BoardLine {
  leaf: string;
  leaf_name: string;
  unit_key: string;
  unit_name: string;
  value_text: string;
  score_text: string;
}

/** One project of the 十快/十慢 lists (from the bulletin ranking). */
export interface SpeedLine {
  project_id: number;
  name: string;
  unit_name: string;
  completion_rate_text: string;
  gap_points_text: string;
}

/** Everything a month's 讲评 shows; frozen in eval_snapshots.body when published. */
export interface SnapshotBody {
  year: number;
  month: number;
  period_label: string;
  scheme: { id: number | null; version: number | null; name: string };
  computed_at: string;
  leaves: { key: string; name: string; path: string; source: string; source_label: string; unit: string; rule: string; records: string }[];
  units: SnapshotUnit[];
  advanced: string[];
  lagging: string[];
  red: BoardLine[];
  yellow: BoardLine[];
  fast: SpeedLine[];
  slow: SpeedLine[];
}

/** A difference between a frozen snapshot and a recomputation. */
export interface SnapshotDiff {
  unit_key: string;
  unit_name: string;
  item: string;
  before: string;
  after: string;
}

const SNAPSHOT_STATUS_LABELS: Record<string, string> = { draft: '草稿', objection: '异议期', published: '已发布' };

/**
 * Unit evaluation (考评): schemes per year, hand-entered values, monthly snapshots (讲评) through an objection window
 * to publication, the 加分/扣分 ledger, outcomes, and upper levels' ranking of us.
 */
export class EvaluationService {
  private readonly deps: Deps;
  private readonly repo: EvaluationRepository;
  private readonly repos: (db: Executor) => EvaluationRepository;
  constructor(deps: Deps, repo: (db: Executor) => EvaluationRepository) {
    this.deps = deps;
    this.repo = repo(deps.db);
    this.repos = repo;
  }

  private tx<T>(fn: (repo: EvaluationRepository, trx: Executor) => Promise<T>): Promise<T> {
    return inTransaction(this.deps.db, (trx) => fn(this.repos(trx), trx));
  }
  private now(): string {
    return this.deps.clock.now().toISOString();
  }
  private today(): string {
    return chinaToday(this.deps.clock.now());
  }

  /** Every source a leaf may bind to (wired ones available, others listed as not yet wired). */
  sources() {
    return listSources();
  }

  /** Problems with a scheme (Chinese), against the registry. */
  validate(scheme: Scheme) {
    const available = new Map(listSources().filter((s) => s.available).map((s) => [s.key, s.label]));
    const problems = validateScheme(scheme, available);
    const pending = new Map(listSources().filter((s) => !s.available).map((s) => [s.key, s.label]));
    return problems.map((p) => {
      const m = /^数据来源“(.+)”不存在$/.exec(p.message);
      return m && pending.has(m[1]!) ? { ...p, message: `数据来源“${pending.get(m[1]!)}”尚未接入，暂不能使用` } : p;
    });
  }

  private assertValid(scheme: Scheme) {
    const problems = this.validate(scheme);
    if (problems.length) throw new AppError('validation_failed', `考评方案有${problems.length}处问题：${problems[0]!.path}：${problems[0]!.message}`, problems);
  }

  // Schemes ------------------------------------------------------------------------------------------------------

  async listSchemes(year?: number) {
    return (await this.repo.listSchemes(year)).map((r) => ({ ...r, body: JSON.parse(r.body) as Scheme }));
  }

  async getScheme(id: number) {
    const r = await this.repo.findScheme(id);
    if (!r) throw notFound('考评方案');
    return { ...r, body: JSON.parse(r.body) as Scheme };
  }

  /** A new draft version of a year's scheme. */
  async createScheme(actor: Actor, input: { year: number; scheme: Scheme }) {
    this.assertValid(input.scheme);
    const id = await this.tx(async (repo, trx) => {
      const version = await repo.nextSchemeVersion(input.year);
      const at = this.now();
      const id = await repo.insertScheme({
        year: input.year, version, name: input.scheme.name, status: 'draft', body: JSON.stringify(input.scheme),
        created_by: userRef(actor), created_at: at, updated_at: at,
      });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.scheme_create', entityType: 'eval_scheme', entityId: id, after: { year: input.year, version, scheme: input.scheme } });
      return id;
    });
    return this.getScheme(id);
  }

  /** Changes a draft (adopted and retired versions are frozen: make a new version instead). */
  async updateScheme(actor: Actor, id: number, input: { scheme: Scheme; row_version: number }) {
    this.assertValid(input.scheme);
    await this.tx(async (repo, trx) => {
      const before = await repo.findScheme(id);
      if (!before) throw notFound('考评方案');
      if (before.status !== 'draft') throw new AppError('unprocessable', '已启用或已停用的方案不能修改，请另存为新版本');
      if (!(await repo.updateDraftScheme(id, input.row_version, { name: input.scheme.name, body: JSON.stringify(input.scheme), updated_at: this.now() }))) {
        throw new AppError('version_conflict', '方案已被他人修改，请刷新后再改', { current: await this.getScheme(id) });
      }
      await this.deps.audit.record(trx, actor, { action: 'evaluation.scheme_update', entityType: 'eval_scheme', entityId: id, before: JSON.parse(before.body), after: input.scheme });
    });
    return this.getScheme(id);
  }

  /** Adopts a draft as the year's scheme; the previously adopted version is retired. */
  async adoptScheme(actor: Actor, id: number) {
    await this.tx(async (repo, trx) => {
      const s = await repo.findScheme(id);
      if (!s) throw notFound('考评方案');
      if (s.status !== 'draft') throw new AppError('unprocessable', '只能启用草稿状态的方案');
      this.assertValid(JSON.parse(s.body) as Scheme);
      await repo.retireAdopted(s.year);
      await repo.adoptScheme(id, userRef(actor), this.now());
      await recordMove(trx, { entityType: 'eval_scheme', entityId: id, from: 'draft', to: 'adopted', action: 'adopt', reason: `${s.year}年第${s.version}版`, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.scheme_adopt', entityType: 'eval_scheme', entityId: id, details: { year: s.year, version: s.version } });
    });
    return this.getScheme(id);
  }

  // Computing ----------------------------------------------------------------------------------------------------

  /**
   * Scores a month under a scheme, live: the sources' values, approved hand entries, the ledger, last month's
   * snapshot for the changes, and the bulletin ranking's 十快/十慢 projects. Nothing is written.
   */
  async compute(scheme: Scheme, year: number, month: number, meta: { id: number | null; version: number | null } = { id: null, version: null }, db: Executor = this.deps.db): Promise<SnapshotBody> {
    const repo = this.repos(db);
    const sources = new Map(listSources().map((s) => [s.key, s]));
    const leaves = leavesOf(scheme.nodes);
    const sourceKeys = new Set(leaves.map((l) => l.node.source).filter((s): s is string => !!s));
    const units = new Map<string, string>();
    const values = new Map<string, Map<string, Fraction | null>>();
    for (const p of providersFor(sourceKeys)) {
      const m = await p.measure({ ...this.deps, db: db }, year, month);
      for (const u of m.units) units.set(u.key, u.name);
      for (const [u, vs] of m.values) values.set(u, new Map([...(values.get(u) ?? []), ...vs]));
    }
    const entries = (await repo.listEntries(year, month)).filter((e) => e.status === 'approved');
    const ledger = await repo.listLedger(year, month);
    const extra = [...entries.map((e) => e.unit_id), ...ledger.map((l) => l.unit_id)].filter((id) => !units.has(String(id)));
    for (const [id, name] of await repo.listUnitNames([...new Set(extra)])) units.set(String(id), name);
    const manual = new Map(entries.map((e) => [`${e.unit_id}:${e.item_key}`, dec(Number(e.value))]));
    // Accepted line objections (异议) set the line's value, over its source or hand entry.
    const corrected = new Map((await repo.listCorrections(year, month)).map((c) => [`${c.unit_id}:${c.leaf_key}`, dec(Number(c.corrected_value))]));
    const adjust = new Map<string, number>();
    for (const l of ledger) adjust.set(String(l.unit_id), (adjust.get(String(l.unit_id)) ?? 0) + l.points_hundredths);

    const results = scoreScheme(scheme, {
      units: [...units].map(([key, name]) => ({ key, name })),
      value: (unit, leafKey) => {
        const leaf = leaves.find((l) => l.node.key === leafKey)!.node;
        const fixed = corrected.get(`${unit}:${leafKey}`);
        if (fixed) return fixed;
        if (leaf.source === MANUAL_SOURCE) return manual.get(`${unit}:${leafKey}`) ?? null;
        return values.get(unit)?.get(leaf.source ?? '') ?? null;
      },
      adjustment: (unit) => frac(BigInt(adjust.get(unit) ?? 0), 100n),
    });

    const prevRow = month > 1 ? await repo.findSnapshot(year, month - 1) : undefined;
    const prev = new Map((prevRow ? (JSON.parse(prevRow.body) as SnapshotBody).units : []).map((u) => [u.key, u]));
    const leader = results.find((r) => !r.vetoed);
    const snapshotUnits: SnapshotUnit[] = results.map((r) => {
      const p = prev.get(r.key);
      return {
        key: r.key, name: r.name, rank: r.rank, total: store(r.total), total_text: formatScore(r.total),
        tree_total_text: formatScore(r.tree_total), adjustment_text: formatScore(r.adjustment), vetoed: r.vetoed, veto_reasons: r.veto_reasons,
        gap_to_leader_text: formatScore(leader ? sub(leader.total, r.total) : ZERO),
        prev_rank: p?.rank ?? null, prev_total_text: p?.total_text ?? null,
        rank_change: p ? p.rank - r.rank : null, score_change_text: p ? formatScore(sub(r.total, load(p.total))) : null,
        nodes: Object.fromEntries(Object.values(r.nodes).map((n) => [n.key, {
          value: n.value ? store(n.value) : null, value_text: valueText(n.value), score_text: formatScore(n.score),
          contribution: store(n.contribution), contribution_text: formatScore(n.contribution), note: n.note,
        }])),
      };
    });
    const { advanced, lagging } = advancedAndLagging(results, scheme);
    // 红榜/黄榜 per indicator: the one unit that scored best (worst) on it; a leaf where the best (worst) is shared
    // by several units singles nobody out and is left off.
    const board = (best: boolean): BoardLine[] => leaves.flatMap(({ node }) => {
      if (node.rule?.kind === 'veto') return [];
      const scored = results.filter((r) => r.nodes[node.key]?.value != null)
        .sort((a, b) => cmp(b.nodes[node.key]!.contribution, a.nodes[node.key]!.contribution) * (best ? 1 : -1));
      if (scored.length < 2 || cmp(scored[0]!.nodes[node.key]!.contribution, scored[1]!.nodes[node.key]!.contribution) === 0) return [];
      const pick = scored[0]!;
      const n = pick.nodes[node.key]!;
      return [{ leaf: node.key, leaf_name: node.name, unit_key: pick.key, unit_name: pick.name, value_text: valueText(n.value), score_text: formatScore(n.contribution) }];
    });
    let fast: SpeedLine[] = [];
    let slow: SpeedLine[] = [];
    if (sourceKeys.size) {
      const ranking = await createBulletinService({ ...this.deps, db }).getRanking(systemActor(), { year, month });
      const line = (p: (typeof ranking.fast)[number]): SpeedLine => ({ project_id: p.project_id, name: p.name, unit_name: p.unit_name, completion_rate_text: p.completion_rate_text, gap_points_text: p.gap_points_text });
      fast = ranking.fast.map(line);
      slow = ranking.slow.map(line);
    }
    return {
      year, month, period_label: periodLabel(month), scheme: { ...meta, name: scheme.name }, computed_at: this.now(),
      leaves: leaves.map(({ node, path }) => {
        const s = sources.get(node.source ?? '');
        return {
          key: node.key, name: node.name, path: path.join(' › '), source: node.source ?? '', source_label: s?.label ?? node.source ?? '',
          unit: s?.unit ?? '', rule: node.rule ? RULE_LABELS[node.rule.kind] : '', records: s?.records ?? 'none',
        };
      }),
      units: snapshotUnits, advanced: advanced.map((a) => a.key), lagging: lagging.map((l) => l.key),
      red: board(true), yellow: board(false), fast, slow,
    };
  }

  /** "What would March's ranking have been": a scheme (draft, adopted or unsaved) tried on any month, nothing written. */
  async preview(input: { scheme: Scheme; year: number; month: number }) {
    const problems = this.validate(input.scheme);
    if (problems.length) return { problems, result: null };
    return { problems, result: await this.compute(input.scheme, input.year, input.month) };
  }

  private async adoptedOrFail(repo: EvaluationRepository, year: number) {
    const s = await repo.findAdoptedScheme(year);
    if (!s) throw new AppError('unprocessable', `${year}年尚未启用考评方案`);
    return s;
  }

  // Snapshots ----------------------------------------------------------------------------------------------------

  /** The month's snapshot (frozen body when published, else the last computed draft), objections, outcomes, and — when published — what a recomputation would change. */
  async getSnapshot(year: number, month: number) {
    const row = await this.repo.findSnapshot(year, month);
    if (!row) return { year, month, status: 'none' as const, status_label: '未生成', snapshot: null, objections: [], outcomes: [], diff: [], matters: [] };
    const body = JSON.parse(row.body) as SnapshotBody;
    let diff: SnapshotDiff[] = [];
    if (row.status === 'published') {
      const scheme = await this.repo.findScheme(row.scheme_id);
      const live = await this.compute(JSON.parse(scheme!.body) as Scheme, year, month, body.scheme);
      diff = diffSnapshots(body, live);
    }
    const objections = await this.repo.listObjections(row.id);
    const names = await this.repo.listUnitNames([...new Set(objections.map((o) => o.unit_id))]);
    const leafNames = new Map(body.leaves.map((l) => [l.key, l.name]));
    const prefix = `line:${row.id}:`;
    const matters = (await this.repo.listMatterLinks(prefix)).map((l) => {
      const [unitKey, ...leaf] = l.line_key.slice(prefix.length).split(':');
      return { unit_key: unitKey!, leaf: leaf.join(':'), matter_id: l.matter_id, matter_number: l.matter_number };
    });
    return {
      year, month, id: row.id, status: row.status, status_label: SNAPSHOT_STATUS_LABELS[row.status] ?? row.status,
      objection_until: row.objection_until, published_at: row.published_at, revision: row.revision, snapshot: body,
      objections: objections.map((o) => ({ ...o, unit_name: names.get(o.unit_id) ?? '', leaf_name: o.leaf_key ? (leafNames.get(o.leaf_key) ?? o.leaf_key) : null })),
      outcomes: await this.repo.listOutcomes(row.id),
      diff, matters,
    };
  }

  /** Computes (or recomputes) the month's draft under the year's adopted scheme. A published month is corrected with `republish`. */
  async computeSnapshot(actor: Actor, year: number, month: number) {
    await this.tx(async (repo, trx) => {
      const scheme = await this.adoptedOrFail(repo, year);
      const body = await this.compute(JSON.parse(scheme.body) as Scheme, year, month, { id: scheme.id, version: scheme.version }, trx);
      const row = await repo.findSnapshot(year, month);
      if (row?.status === 'published') throw new AppError('unprocessable', `${year}年${month}月讲评已发布，数据更正后请“更正重发”`);
      if (row) await repo.updateSnapshot(row.id, { body: JSON.stringify(body), scheme_id: scheme.id, computed_at: body.computed_at });
      else {
        const id = await repo.insertSnapshot({ year, month, scheme_id: scheme.id, status: 'draft', body: JSON.stringify(body), computed_at: body.computed_at });
        await recordMove(trx, { entityType: 'eval_snapshot', entityId: id, from: null, to: 'draft', action: 'compute', reason: `${year}年${month}月讲评生成`, actorId: userRef(actor), at: this.now() });
      }
      await this.deps.audit.record(trx, actor, { action: 'evaluation.snapshot_compute', entityType: 'eval_snapshot', entityId: `${year}-${month}`, details: { scheme_id: scheme.id, units: body.units.length } });
    });
    return this.getSnapshot(year, month);
  }

  private async snapshotOrFail(repo: EvaluationRepository, year: number, month: number): Promise<SnapshotRow> {
    const row = await repo.findSnapshot(year, month);
    if (!row) throw new AppError('unprocessable', `${year}年${month}月讲评尚未生成`);
    return row;
  }

  /** Opens the objection window (异议期) through `until` (China date): units may object until then. */
  async openObjections(actor: Actor, year: number, month: number, until: string) {
    await this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      if (row.status === 'published') throw new AppError('unprocessable', '已发布的讲评不能再开异议期');
      if (until < this.today()) throw new AppError('validation_failed', `异议截止日期${until}早于今天`, [{ path: 'until' }]);
      await repo.updateSnapshot(row.id, { status: 'objection', objection_until: until });
      await recordMove(trx, { entityType: 'eval_snapshot', entityId: row.id, from: row.status, to: 'objection', action: 'open_objections', reason: `异议期至${until}`, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.objection_open', entityType: 'eval_snapshot', entityId: row.id, details: { until } });
    });
    return this.getSnapshot(year, month);
  }

  /**
   * A unit objects (异议) during the window to its result or to one indicator line of it (`leaf`); a reporter only for
   * units in its scope. One open objection per line at a time.
   */
  async object(actor: Actor, year: number, month: number, input: { unit_id: number; leaf?: string | null | undefined; reason: string }) {
    await this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      if (row.status !== 'objection') throw new AppError('unprocessable', '当前不在异议期，不能提出异议');
      if (row.objection_until && this.today() > row.objection_until) throw new AppError('unprocessable', `异议期已于${row.objection_until}截止`);
      if (!actor.scope.all) {
        const path = await repo.findUnitPath(input.unit_id);
        if (!path || !actor.scope.unitPaths.some((p) => path.startsWith(p))) throw new AppError('forbidden', '只能对本单位的考评结果提出异议');
      }
      const body = JSON.parse(row.body) as SnapshotBody;
      const unit = body.units.find((u) => u.key === String(input.unit_id));
      if (!unit) throw new AppError('validation_failed', '该单位不在本月考评名单中', [{ path: 'unit_id' }]);
      const leafKey = input.leaf ?? null;
      const leaf = leafKey === null ? undefined : body.leaves.find((l) => l.key === leafKey);
      if (leafKey !== null && !leaf) throw new AppError('validation_failed', `指标${leafKey}不在本月考评方案中`, [{ path: 'leaf' }]);
      const pending = (await repo.listObjections(row.id)).find((o) => o.unit_id === input.unit_id && o.leaf_key === leafKey && o.status === 'open');
      if (pending) throw new AppError('conflict', leaf ? `${unit.name}对“${leaf.name}”已有待复核的异议，请等待复核结果` : `${unit.name}已有待复核的异议，请等待复核结果`);
      const valueBefore = leafKey === null ? null : (unit.nodes[leafKey]?.value_text ?? null);
      const id = await repo.insertObjection({
        snapshot_id: row.id, unit_id: input.unit_id, leaf_key: leafKey, value_before: valueBefore, reason: input.reason, status: 'open', raised_by: userRef(actor), raised_at: this.now(),
      });
      await recordMove(trx, { entityType: 'eval_objection', entityId: id, from: null, to: 'open', action: 'raise', reason: input.reason, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.objection_raise', entityType: 'eval_objection', entityId: id, after: input });
    });
    return this.getSnapshot(year, month);
  }

  /**
   * The office answers an objection (复核) before the month is published, with a reply. Rejected: nothing else
   * changes. Accepted on a line: the line takes the corrected value the office sets, and the month is recomputed
   * (scores, ranks, lists) in the same transaction; the audit keeps the line's value, the unit's total and rank
   * before and after. Accepted on a unit's whole result: the office corrects the data itself and recomputes.
   */
  async handleObjection(actor: Actor, id: number, input: { decision: 'accepted' | 'rejected'; reply: string; corrected_value?: string | null | undefined }) {
    const o = await this.tx(async (repo, trx) => {
      const o = await repo.findObjection(id);
      if (!o) throw notFound('异议');
      if (o.status !== 'open') throw new AppError('unprocessable', '该异议已复核');
      const row = (await repo.findSnapshotById(o.snapshot_id))!;
      if (row.status === 'published') throw new AppError('unprocessable', '讲评已发布，不能再复核异议');
      const correcting = input.decision === 'accepted' && o.leaf_key !== null;
      if (correcting && (input.corrected_value === undefined || input.corrected_value === null)) {
        throw new AppError('validation_failed', '采纳指标异议须填写更正后的数值', [{ path: 'corrected_value' }]);
      }
      if (!correcting && input.corrected_value != null) throw new AppError('validation_failed', '只有采纳指标异议时才填写更正数值', [{ path: 'corrected_value' }]);
      await repo.updateObjection(id, { status: input.decision, reply: input.reply, handled_by: userRef(actor), handled_at: this.now(), corrected_value: correcting ? input.corrected_value! : null });
      let recomputed: Record<string, unknown> | undefined;
      if (correcting) {
        const before = JSON.parse(row.body) as SnapshotBody;
        const scheme = await repo.findScheme(row.scheme_id);
        const after = await this.compute(JSON.parse(scheme!.body) as Scheme, row.year, row.month, before.scheme, trx);
        await repo.updateSnapshot(row.id, { body: JSON.stringify(after), computed_at: after.computed_at });
        const key = String(o.unit_id);
        const b = before.units.find((u) => u.key === key);
        const a = after.units.find((u) => u.key === key);
        recomputed = {
          leaf: o.leaf_key, value_before: b?.nodes[o.leaf_key!]?.value_text ?? null, value_after: a?.nodes[o.leaf_key!]?.value_text ?? null,
          total_before: b?.total_text ?? null, total_after: a?.total_text ?? null, rank_before: b?.rank ?? null, rank_after: a?.rank ?? null,
          diff: diffSnapshots(before, after),
        };
      }
      await recordMove(trx, { entityType: 'eval_objection', entityId: id, from: 'open', to: input.decision, action: 'handle', reason: input.reply, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.objection_handle', entityType: 'eval_objection', entityId: id, before: o, after: input, details: recomputed });
      return row;
    });
    return this.getSnapshot(o.year, o.month);
  }

  /** Publishes (freezes) the month after the objection window, every objection answered. */
  async publish(actor: Actor, year: number, month: number) {
    await this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      if (row.status === 'published') throw new AppError('unprocessable', '该月讲评已发布');
      if (row.status !== 'objection') throw new AppError('unprocessable', '发布前须先开放异议期');
      if (row.objection_until && this.today() < row.objection_until) throw new AppError('unprocessable', `异议期至${row.objection_until}，期满后方可发布`);
      const open = (await repo.listObjections(row.id)).filter((o) => o.status === 'open');
      if (open.length) throw new AppError('unprocessable', `还有${open.length}条异议未复核，不能发布`);
      await repo.updateSnapshot(row.id, { status: 'published', published_by: userRef(actor), published_at: this.now() });
      await recordMove(trx, { entityType: 'eval_snapshot', entityId: row.id, from: row.status, to: 'published', action: 'publish', reason: null, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.publish', entityType: 'eval_snapshot', entityId: row.id, details: { year, month, scheme_id: row.scheme_id } });
    });
    return this.getSnapshot(year, month);
  }

  /** Corrects a published month after a data correction: recomputes, replaces the frozen body, records the diff and the reason. */
  async republish(actor: Actor, year: number, month: number, reason: string) {
    await this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      if (row.status !== 'published') throw new AppError('unprocessable', '只有已发布的讲评才需更正重发');
      const before = JSON.parse(row.body) as SnapshotBody;
      const scheme = await repo.findScheme(row.scheme_id);
      const after = await this.compute(JSON.parse(scheme!.body) as Scheme, year, month, before.scheme, trx);
      const diff = diffSnapshots(before, after);
      if (!diff.length) throw new AppError('unprocessable', '重新计算结果与已发布结果相同，无需更正');
      await repo.updateSnapshot(row.id, { body: JSON.stringify(after), computed_at: after.computed_at, revision: row.revision + 1, published_by: userRef(actor), published_at: this.now() });
      await recordMove(trx, { entityType: 'eval_snapshot', entityId: row.id, from: 'published', to: 'published', action: 'republish', reason: `第${row.revision + 1}次更正：${reason}`, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.republish', entityType: 'eval_snapshot', entityId: row.id, details: { reason, diff } });
    });
    return this.getSnapshot(year, month);
  }

  /** The month's snapshot body and its status label, for the 讲评 exports; the China date for the document. */
  async sheet(year: number, month: number): Promise<{ body: SnapshotBody; status: string; today: string }> {
    const row = await this.repo.findSnapshot(year, month);
    if (!row) throw new AppError('unprocessable', `${year}年${month}月讲评尚未生成`);
    const status = row.status === 'published' ? (row.revision ? `已发布（第${row.revision}次更正）` : '已发布') : `${SNAPSHOT_STATUS_LABELS[row.status] ?? row.status}，未发布`;
    return { body: JSON.parse(row.body) as SnapshotBody, status, today: this.today() };
  }

  /** The records behind one unit's scores: its scored nodes, hand entries and ledger lines for the month. */
  async unitDetail(year: number, month: number, unitId: number) {
    const row = await this.repo.findSnapshot(year, month);
    if (!row) throw new AppError('unprocessable', `${year}年${month}月讲评尚未生成`);
    const body = JSON.parse(row.body) as SnapshotBody;
    const unit = body.units.find((u) => u.key === String(unitId));
    if (!unit) throw notFound('考评单位');
    return {
      unit, leaves: body.leaves,
      entries: (await this.repo.listEntries(year, month)).filter((e) => e.unit_id === unitId),
      ledger: (await this.repo.listLedger(year, month)).filter((l) => l.unit_id === unitId),
      projects_link: `/projects?unit=${unitId}`,
    };
  }

  /**
   * The year-end comprehensive evaluation: every published month's totals per unit, averaged and weighted as the
   * adopted scheme's year_end says, plus the year's hand-entered items (month 0, approved) and year-level ledger
   * lines (month 0). Computed on request from the frozen months, so it shows exactly what was published.
   */
  async yearEnd(year: number) {
    const scheme = await this.adoptedOrFail(this.repo, year);
    const spec = (JSON.parse(scheme.body) as Scheme).year_end ?? {};
    const snaps = await this.repo.listPublishedSnapshots(year);
    const units = new Map<string, YearEndUnitInput>();
    const unitOf = (key: string, name: string) => {
      let u = units.get(key);
      if (!u) units.set(key, u = { key, name, months: new Map(), items: new Map(), ledger: ZERO, vetoed_months: [] });
      return u;
    };
    for (const row of snaps) {
      for (const su of (JSON.parse(row.body) as SnapshotBody).units) {
        const u = unitOf(su.key, su.name);
        u.months.set(row.month, load(su.total));
        if (su.vetoed) u.vetoed_months.push(row.month);
      }
    }
    const entries = (await this.repo.listEntries(year, 0)).filter((e) => e.status === 'approved');
    const ledger = await this.repo.listLedger(year, 0);
    const names = await this.repo.listUnitNames([...new Set([...entries.map((e) => e.unit_id), ...ledger.map((l) => l.unit_id)])]);
    for (const e of entries) unitOf(String(e.unit_id), names.get(e.unit_id) ?? '').items.set(e.item_key, dec(Number(e.value)));
    for (const l of ledger) {
      const u = unitOf(String(l.unit_id), names.get(l.unit_id) ?? '');
      u.ledger = add(u.ledger, frac(BigInt(l.points_hundredths), 100n));
    }
    const ranked = scoreYearEnd(spec, [...units.values()]);
    return {
      year, scheme: { id: scheme.id, version: scheme.version, name: scheme.name }, months: snaps.map((s) => s.month),
      monthly_weight: spec.monthly_weight ?? 1, items: spec.items ?? [],
      units: ranked.map(({ total: _t, ...u }) => u),
    };
  }

  // Hand-entered values ------------------------------------------------------------------------------------------

  async listEntries(year: number, month: number) {
    const rows = await this.repo.listEntries(year, month);
    const names = await this.repo.listUnitNames([...new Set(rows.map((r) => r.unit_id))]);
    return rows.map((r) => ({ ...r, unit_name: names.get(r.unit_id) ?? '' }));
  }

  /** Enters (or re-enters) a value with evidence; it waits for review before it counts. */
  async putEntry(actor: Actor, input: { year: number; month: number; unit_id: number; item_key: string; value: string; evidence: string }) {
    const id = await this.tx(async (repo, trx) => {
      if (!(await repo.listUnitNames([input.unit_id])).size) throw new AppError('validation_failed', `单位不存在：${input.unit_id}`, [{ path: 'unit_id' }]);
      const existing = await repo.findEntryByKey(input.year, input.month, input.unit_id, input.item_key);
      const at = this.now();
      let id: number;
      if (existing) {
        await repo.updateEntry(existing.id, { value: input.value, evidence: input.evidence, status: 'pending', entered_by: userRef(actor), entered_at: at, reviewed_by: null, reviewed_at: null, review_note: null });
        id = existing.id;
      } else {
        id = await repo.insertEntry({ ...input, status: 'pending', entered_by: userRef(actor), entered_at: at });
      }
      await this.deps.audit.record(trx, actor, { action: 'evaluation.entry_put', entityType: 'eval_entry', entityId: id, before: existing ?? null, after: input });
      return id;
    });
    return (await this.repo.findEntry(id))!;
  }

  /** Reviews a hand entry: approved values count, rejected ones do not. */
  async reviewEntry(actor: Actor, id: number, input: { decision: 'approved' | 'rejected'; note?: string | undefined }) {
    await this.tx(async (repo, trx) => {
      const e = await repo.findEntry(id);
      if (!e) throw notFound('录入项');
      if (e.status !== 'pending') throw new AppError('unprocessable', '该录入项已审核');
      if (e.entered_by !== null && e.entered_by === userRef(actor)) throw new AppError('unprocessable', '录入人不能审核自己录入的数据');
      await repo.updateEntry(id, { status: input.decision, reviewed_by: userRef(actor), reviewed_at: this.now(), review_note: input.note ?? null });
      await recordMove(trx, { entityType: 'eval_entry', entityId: id, from: 'pending', to: input.decision, action: 'review', reason: input.note ?? null, actorId: userRef(actor), at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.entry_review', entityType: 'eval_entry', entityId: id, details: input });
    });
    return (await this.repo.findEntry(id))!;
  }

  // Ledger and outcomes ------------------------------------------------------------------------------------------

  async listLedger(year: number, month?: number) {
    const rows = await this.repo.listLedger(year, month);
    const names = await this.repo.listUnitNames([...new Set(rows.map((r) => r.unit_id))]);
    return rows.map((r) => ({ ...r, unit_name: names.get(r.unit_id) ?? '', points_text: formatScore(frac(BigInt(r.points_hundredths), 100n)) }));
  }

  /** A 加分/扣分 line with reason, 文号 and approver; append-only (a mistake is reversed by an opposite line). */
  async addLedger(actor: Actor, input: { year: number; month: number; unit_id: number; points: number; reason: string; doc_number: string; approver: string }) {
    const hundredths = Math.round(input.points * 100);
    if (Math.abs(input.points * 100 - hundredths) > 1e-6) throw new AppError('validation_failed', '分值最多两位小数', [{ path: 'points' }]);
    if (hundredths === 0) throw new AppError('validation_failed', '分值不能为0', [{ path: 'points' }]);
    const id = await this.tx(async (repo, trx) => {
      if (!(await repo.listUnitNames([input.unit_id])).size) throw new AppError('validation_failed', `单位不存在：${input.unit_id}`, [{ path: 'unit_id' }]);
      const published = await repo.findSnapshot(input.year, input.month);
      const id = await repo.insertLedger({
        year: input.year, month: input.month, unit_id: input.unit_id, points_hundredths: hundredths, reason: input.reason,
        doc_number: input.doc_number, approver: input.approver, created_by: userRef(actor), created_at: this.now(),
      });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.ledger_add', entityType: 'eval_ledger', entityId: id, after: input, details: published?.status === 'published' ? { note: '该月讲评已发布，须更正重发方计入' } : undefined });
      return id;
    });
    return (await this.listLedger(input.year, input.month)).find((l) => l.id === id)!;
  }

  /** Records an outcome of a snapshot for a unit: a reward (integer yuan), 约谈 or 通报批评. */
  async addOutcome(actor: Actor, year: number, month: number, input: { unit_id: number; kind: 'reward' | 'interview' | 'criticism'; amount?: number | null | undefined; note?: string | null | undefined }) {
    if (input.kind === 'reward' && !(Number.isInteger(input.amount) && input.amount! > 0)) throw new AppError('validation_failed', '奖励须填写金额（元，正整数）', [{ path: 'amount' }]);
    if (input.kind !== 'reward' && input.amount != null) throw new AppError('validation_failed', '约谈、通报批评不填金额', [{ path: 'amount' }]);
    await this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      if (row.status !== 'published') throw new AppError('unprocessable', '讲评发布后才能登记奖惩结果');
      const id = await repo.insertOutcome({ snapshot_id: row.id, unit_id: input.unit_id, kind: input.kind, amount: input.amount ?? null, note: input.note ?? null, created_by: userRef(actor), created_at: this.now() });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.outcome_add', entityType: 'eval_outcome', entityId: id, after: input });
    });
    return this.getSnapshot(year, month);
  }

  // Upper levels ranking us --------------------------------------------------------------------------------------

  async listUpperRanks(year: number) {
    const links = new Map((await this.repo.listMatterLinks('upper:')).map((l) => [l.line_key, { id: l.matter_id, number: l.matter_number }]));
    return (await this.repo.listUpperRanks(year)).map((r) => ({ ...r, is_weak: r.is_weak === 1, matter: links.get(`upper:${r.id}`) ?? null }));
  }

  /** Records how the city or province ranked us on an indicator; a rank in the bottom third flags it weak unless said. */
  async addUpperRank(actor: Actor, input: { year: number; month: number; level: 'city' | 'province'; indicator: string; our_rank: number; unit_count: number; our_score?: string | null | undefined; leader_score?: string | null | undefined; is_weak?: boolean | undefined; reasons?: string | null | undefined; next_steps?: string | null | undefined }) {
    if (input.our_rank > input.unit_count) throw new AppError('validation_failed', `名次${input.our_rank}大于参评单位数${input.unit_count}`, [{ path: 'our_rank' }]);
    const weak = input.is_weak ?? input.our_rank * 3 > input.unit_count * 2;
    const id = await this.tx(async (repo, trx) => {
      const id = await repo.insertUpperRank({
        year: input.year, month: input.month, level: input.level, indicator: input.indicator, our_rank: input.our_rank, unit_count: input.unit_count,
        our_score: input.our_score ?? null, leader_score: input.leader_score ?? null, is_weak: weak ? 1 : 0, reasons: input.reasons ?? null,
        next_steps: input.next_steps ?? null, created_by: userRef(actor), created_at: this.now(),
      });
      await this.deps.audit.record(trx, actor, { action: 'evaluation.upper_rank_add', entityType: 'eval_upper_rank', entityId: id, after: input });
      return id;
    });
    return (await this.listUpperRanks(input.year)).find((r) => r.id === id)!;
  }

  // Weak indicator → 督办事项 ---------------------------------------------------------------------------------------

  /**
   * Turns a weak upper-level ranking (弱项: flagged, by default the bottom third) into a supervised matter in one
   * step through the supervision module: title and content prefilled from the ranking, the lead unit the office
   * picks, the deadline given or the supervision default; the matter's source links back (source 'evaluation',
   * source_id = the ranking). Audited by the matter engine; all in one transaction.
   */
  async upperRankMatter(actor: Actor, id: number, input: { lead_unit_id: number; title?: string | null | undefined; due_on?: string | null | undefined }) {
    return this.tx(async (repo, trx) => {
      const r = await repo.findUpperRank(id);
      if (!r) throw notFound('上级排名记录不存在');
      if (r.is_weak !== 1) throw new AppError('unprocessable', `${r.indicator}不是弱项指标，不能转为督办事项`);
      await this.refuseSecondMatter(repo, `upper:${r.id}`, r.indicator);
      const level = r.level === 'city' ? '市级' : '省级';
      const ref = `${r.year}年${r.month}月${level}考核：${r.indicator} 第${r.our_rank}名/${r.unit_count}`;
      const content = [ref, r.our_score !== null ? `我方得分${r.our_score}${r.leader_score !== null ? `，第一名${r.leader_score}` : ''}` : '', r.reasons ? `原因：${r.reasons}` : '', r.next_steps ? `下步措施：${r.next_steps}` : '']
        .filter(Boolean).join('\n');
      const made = await createMatterService({ ...this.deps, db: trx }).create(actor, {
        title: input.title?.trim() || `弱项整改：${r.indicator}（${level}排名${r.our_rank}/${r.unit_count}）`, content, source: 'evaluation', sourceId: r.id,
        sourceRef: ref, type: '考评弱项', urgency: 'urgent', leadUnitId: input.lead_unit_id, dueOn: input.due_on ?? null,
      });
      await this.linkMatter(repo, `upper:${r.id}`, made, r.indicator);
      return made;
    });
  }

  /** A unit's weak line of a month's 讲评 (one indicator) → a matter led by that unit, prefilled with its figures. */
  async unitLineMatter(actor: Actor, year: number, month: number, unitId: number, input: { leaf: string; title?: string | null | undefined; due_on?: string | null | undefined }) {
    return this.tx(async (repo, trx) => {
      const row = await this.snapshotOrFail(repo, year, month);
      const body = JSON.parse(row.body) as SnapshotBody;
      const unit = body.units.find((u) => u.key === String(unitId));
      const leaf = body.leaves.find((l) => l.key === input.leaf);
      if (!unit) throw new AppError('unprocessable', '该单位不在本月讲评中');
      if (!leaf) throw new AppError('unprocessable', `指标${input.leaf}不在本月考评方案中`);
      const node = unit.nodes[leaf.key];
      const lineKey = `line:${row.id}:${unit.key}:${leaf.key}`;
      await this.refuseSecondMatter(repo, lineKey, `${unit.name}${leaf.name}`);
      const ref = `${year}年${body.period_label}考评：${unit.name} · ${leaf.name}`;
      const content = `${ref}\n得分${node?.score_text ?? '—'}（实际值${node?.value_text ?? '—'}），总分第${unit.rank}名`;
      const made = await createMatterService({ ...this.deps, db: trx }).create(actor, {
        title: input.title?.trim() || `弱项整改：${unit.name}${leaf.name}`, content, source: 'evaluation', sourceId: row.id, sourceRef: ref,
        type: '考评弱项', urgency: 'normal', leadUnitId: unitId, dueOn: input.due_on ?? null,
      });
      await this.linkMatter(repo, lineKey, made, `${unit.name}${leaf.name}`);
      return made;
    });
  }

  /** A weak line becomes one matter only: a second attempt is refused (409) and names the matter it already has. */
  private async refuseSecondMatter(repo: EvaluationRepository, lineKey: string, what: string) {
    const link = await repo.findMatterLink(lineKey);
    if (link) throw new AppError('conflict', `${what}已转为督办事项${link.matter_number}，不能重复转办`, { matter_id: link.matter_id, matter_number: link.matter_number });
  }
  private async linkMatter(repo: EvaluationRepository, lineKey: string, made: { id: number; number: string }, what: string) {
    if (!(await repo.insertMatterLink({ line_key: lineKey, matter_id: made.id, matter_number: made.number, created_at: this.now() }))) {
      // Another request linked a matter to the line first: this transaction (and its matter) is rolled back.
      const link = await repo.findMatterLink(lineKey).catch(() => undefined);
      throw new AppError('conflict', `${what}已转为督办事项${link ? link.matter_number : ''}，不能重复转办`, link ? { matter_id: link.matter_id, matter_number: link.matter_number } : undefined);
    }
  }
}

/** What differs between a frozen snapshot and a recomputation: totals, ranks and each node's contribution. */
export function diffSnapshots(before: SnapshotBody, after: SnapshotBody): SnapshotDiff[] {
  const out: SnapshotDiff[] = [];
  const afterUnits = new Map(after.units.map((u) => [u.key, u]));
  const names = new Map(after.leaves.map((l) => [l.key, l.name]));
  for (const b of before.units) {
    const a = afterUnits.get(b.key);
    if (!a) {
      out.push({ unit_key: b.key, unit_name: b.name, item: '参评', before: '参评', after: '不在名单' });
      continue;
    }
    if (cmp(load(a.total), load(b.total)) !== 0) out.push({ unit_key: b.key, unit_name: b.name, item: '总分', before: b.total_text, after: a.total_text });
    if (a.rank !== b.rank) out.push({ unit_key: b.key, unit_name: b.name, item: '名次', before: String(b.rank), after: String(a.rank) });
    for (const [k, bn] of Object.entries(b.nodes)) {
      const an = a.nodes[k];
      if (an && cmp(load(an.contribution), load(bn.contribution)) !== 0) {
        out.push({ unit_key: b.key, unit_name: b.name, item: names.get(k) ?? k, before: `${bn.value_text}（${bn.contribution_text}分）`, after: `${an.value_text}（${an.contribution_text}分）` });
      }
    }
  }
  for (const a of after.units) if (!before.units.some((b) => b.key === a.key)) out.push({ unit_key: a.key, unit_name: a.name, item: '参评', before: '不在名单', after: '参评' });
  return out;
}
