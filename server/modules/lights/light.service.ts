import {
  DEFAULT_RULE_SET, DIMENSIONS, checkRuleSet, judgeProject,
  type Dimension, type Excuse, type LightOrNone, type ProjectFacts, type ProjectLights, type RuleSet,
} from '../../../core/lights.ts';
import type { TimeCurve } from '../../../core/indicators.ts';
import type { Actor } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { IndicatorRepository } from '../indicators/indicator.repository.ts';
import type { ProjectRepository } from '../projects/project.repository.ts';
import type { ProjectFilter } from '../projects/project.schema.ts';
import type { LightFactsRow, LightRepository } from './light.repository.ts';
import { ruleSetSchema, type ExcuseWrite, type LightsQuery, type RuleSetWrite } from './light.schema.ts';

/** The rule set ruling a month, and where it came from. */
interface RulesInForce {
  rules: RuleSet;
  version: number | null;
}

type Counts = Record<LightOrNone, number>;
const zeroCounts = (): Counts => ({ green: 0, yellow: 0, red: 0, none: 0 });
const ORDER: Record<LightOrNone, number> = { red: 0, yellow: 1, green: 2, none: 3 };

/** Lights for a scope and period, their rule sets per year and version, and accepted excuses. */
export class LightService {
  private readonly lights: LightRepository;
  private readonly indicators: IndicatorRepository;
  private readonly projects: ProjectRepository;
  constructor(lights: LightRepository, indicators: IndicatorRepository, projects: ProjectRepository) {
    this.lights = lights;
    this.indicators = indicators;
    this.projects = projects;
  }

  /** The rule set in force for (year, month): the latest version effective by then, else the shipped default. */
  async rulesInForce(year: number, month: number): Promise<RulesInForce> {
    const row = await this.lights.findRuleVersionInForce(year, month);
    if (!row) return { rules: DEFAULT_RULE_SET, version: null };
    return { rules: ruleSetSchema.parse(JSON.parse(row.rules)), version: row.version };
  }

  /** Every version of a year's rule set and which one rules each month. */
  async getRuleSets(year: number) {
    const versions = (await this.lights.listRuleVersions(year)).map((v) => ({
      version: v.version, effective_month: v.effective_month, rules: ruleSetSchema.parse(JSON.parse(v.rules)).rules,
      note: v.note, created_at: v.created_at, created_by: v.created_by,
    }));
    const in_force = [];
    for (let m = 1; m <= 12; m++) in_force.push({ month: m, version: (await this.rulesInForce(year, m)).version });
    return { year, versions, in_force, default: DEFAULT_RULE_SET };
  }

  /**
   * Saves a new version of the year's rule set. It rules from effective_month on (default: January for a year's
   * first version, the current month for a later version of the current year); earlier months keep their rules.
   */
  async putRuleSet(actor: Actor, year: number, input: RuleSetWrite) {
    const problem = checkRuleSet({ rules: input.rules });
    if (problem) throw new AppError('validation_failed', problem, [{ path: 'rules' }]);
    await this.lights.transaction(async (lights) => {
      const existing = await lights.listRuleVersions(year);
      const now = new Date();
      const effective = input.effective_month ?? (existing.length && now.getUTCFullYear() === year ? now.getUTCMonth() + 1 : 1);
      // Before: the rules that ruled the new version's first month until now (null: the shipped default).
      const previous = await lights.findRuleVersionInForce(year, effective);
      const saved = await lights.insertRuleVersion({ year, effective_month: effective, rules: JSON.stringify({ rules: input.rules }), note: input.note ?? null, created_by: actor.userId });
      const present = (v: NonNullable<typeof previous>) => ({ version: v.version, effective_month: v.effective_month, rules: (JSON.parse(v.rules) as { rules: unknown }).rules, note: v.note });
      await recordAudit(lights.executor, actor, {
        action: 'lights.rules_update', entityType: 'light_rule_set', entityId: year,
        before: previous ? present(previous) : null, after: present(saved), details: { year, version: saved.version, effective_month: effective },
      });
    });
    return this.getRuleSets(year);
  }

  /** The months before `month` in the same year that are reporting periods (a merged year has no January), latest first. */
  private async previousMonths(year: number, month: number, count: number): Promise<number[]> {
    if (count <= 0) return [];
    const merged = await this.indicators.isJanFebMerged(year);
    const out: number[] = [];
    for (let m = month - 1; m >= 1 && out.length < count; m--) if (!(merged && m === 1)) out.push(m);
    return out;
  }

  private async timeCurve(year: number): Promise<TimeCurve | null> {
    const v = await this.indicators.findSetting(`time_curve:${year}`);
    return Array.isArray(v) ? v.map(Number) : null;
  }

  /** Lights of every project in the scope for (year, month), each judged by the rules in force in that month. */
  private async judgeAll(actor: Actor, filter: ProjectFilter, year: number, month: number): Promise<{ row: LightFactsRow; lights: ProjectLights }[]> {
    const curve = await this.timeCurve(year);
    const current = await this.rulesInForce(year, month);
    const depth = Math.max(0, ...current.rules.rules.filter((r) => r.enabled && r.kind === 'consecutive').map((r) => (r.kind === 'consecutive' ? r.periods - 1 : 0)));
    const earlier = await this.previousMonths(year, month, depth);
    const earlierRules = await Promise.all(earlier.map((m) => this.rulesInForce(year, m)));
    const [rows, excuseRows] = await Promise.all([
      this.lights.listFacts(filter, actor.scope, year),
      this.lights.listActiveExcuses(filter, actor.scope, year),
    ]);
    const excusesOf = new Map<number, typeof excuseRows>();
    for (const e of excuseRows) excusesOf.set(e.project_id, [...(excusesOf.get(e.project_id) ?? []), e]);
    const inForce = (projectId: number, m: number): Excuse[] => (excusesOf.get(projectId) ?? [])
      .filter((e) => e.month_from <= m && (e.month_to === null || e.month_to >= m))
      .map((e) => ({ id: e.id, dimension: e.dimension as Dimension | null, reason: e.reason, accepted_by_name: e.accepted_by_name, accepted_at: e.accepted_at }));
    const factsAt = (r: LightFactsRow, m: number): ProjectFacts => ({
      planned_investment: r.planned_investment, completed_ytd: r.months[m - 1]!, plan_new_start: r.plan_new_start === 1,
      plan_start_month: r.plan_start_month, actual_start_date: r.actual_start_date, stats_entered: r.stats_entered === 1, stats_entered_date: r.stats_entered_date,
    });
    return rows.map((row) => {
      const history: Partial<Record<Dimension, LightOrNone[]>> = {};
      earlier.forEach((m, i) => {
        const past = judgeProject({ facts: factsAt(row, m), year, month: m, rules: earlierRules[i]!.rules, curve, excuses: inForce(row.project_id, m) });
        for (const d of past.dimensions) (history[d.dimension] ??= []).push(d.light);
      });
      const lights = judgeProject({ facts: factsAt(row, month), year, month, rules: current.rules, curve, history, excuses: inForce(row.project_id, month) });
      return { row, lights };
    });
  }

  /** Counts by light (overall and per dimension) and a page of projects whose light is among those asked (red, yellow). */
  async getLights(actor: Actor, query: LightsQuery) {
    const { year, month, light, dimension, page, page_size, ...filter } = query;
    const judged = await this.judgeAll(actor, filter, year, month);
    const counts = zeroCounts();
    const by_dimension = Object.fromEntries(DIMENSIONS.map((d) => [d, zeroCounts()])) as Record<Dimension, Counts>;
    let excused = 0;
    for (const { lights } of judged) {
      counts[lights.overall]++;
      for (const d of lights.dimensions) by_dimension[d.dimension][d.light]++;
      if (lights.dimensions.some((d) => d.excuse)) excused++;
    }
    const lightOf = (l: ProjectLights) => (dimension ? l.dimensions.find((d) => d.dimension === dimension)!.light : l.overall);
    const listed = judged
      .filter(({ lights }) => light.includes(lightOf(lights)))
      .sort((a, b) => ORDER[lightOf(a.lights)] - ORDER[lightOf(b.lights)] || a.row.project_id - b.row.project_id);
    const rules = await this.rulesInForce(year, month);
    return {
      year, month, rule_version: rules.version, counts, excused, by_dimension, total: listed.length,
      items: listed.slice((page - 1) * page_size, page * page_size).map(({ row, lights }) => ({
        project_id: row.project_id, name: row.name, region_code: row.region_code, unit_id: row.unit_id, unit_name: row.unit_name,
        overall: lights.overall,
        reasons: lights.dimensions.filter((d) => d.light === 'yellow' || d.light === 'red').map((d) => d.reason),
        dimensions: lights.dimensions,
      })),
    };
  }

  async listExcuses(actor: Actor, year: number, projectId?: number) {
    return { items: await this.lights.listActiveExcuses({}, actor.scope, year, projectId) };
  }

  /** Records an accepted excuse (正当理由) with who accepted it and why. */
  async acceptExcuse(actor: Actor, input: ExcuseWrite) {
    if (!(await this.projects.findById(input.project_id, actor.scope))) throw notFound('项目');
    if (input.month_to != null && input.month_to < input.month_from) throw new AppError('validation_failed', '截止月份不能早于起始月份', [{ path: 'month_to' }]);
    return this.lights.transaction(async (lights) => {
      const excuse = await lights.insertExcuse({
        project_id: input.project_id, year: input.year, month_from: input.month_from, month_to: input.month_to ?? null,
        dimension: input.dimension ?? null, reason: input.reason, accepted_by: actor.userId, accepted_by_name: actor.displayName,
        accepted_at: new Date().toISOString(),
      });
      await recordAudit(lights.executor, actor, { action: 'lights.excuse_accept', entityType: 'light_excuse', entityId: excuse.id, before: null, after: excuse });
      return excuse;
    });
  }

  /** Revokes an excuse; the record stays (who accepted it, who revoked it). */
  async revokeExcuse(actor: Actor, id: number) {
    const excuse = await this.lights.findExcuse(id);
    if (!excuse || !(await this.projects.findById(excuse.project_id, actor.scope))) throw notFound('正当理由');
    await this.lights.transaction(async (lights) => {
      if (!(await lights.revokeExcuse(id, actor.userId))) throw new AppError('conflict', '该正当理由已撤销');
      await recordAudit(lights.executor, actor, { action: 'lights.excuse_revoke', entityType: 'light_excuse', entityId: id, before: excuse, after: await lights.findExcuse(id) });
    });
    return { ok: true };
  }
}
