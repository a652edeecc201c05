// The escalation rules per year (督办规则按年度, issue 17): 交办函 on creation, the completion deadline's ladder
// (提醒 → 督办 → 约谈 …), the missed-feedback ladder and the letter each step issues.
//
// Which year: a matter follows the rules of the year it was assigned in, the year of its number (督办〔2026〕N号), for
// its whole life, even when its deadline falls in the next year: the office sets 2027's rules for the matters it
// hands out in 2027 and the units' 2026 matters finish under the rules they were assigned under.
// A year without rules of its own follows the nearest earlier year that has some (rules carry forward until the office
// changes them, as a clerk expects: setting 2026 once does not mean setting it again every January); before any year
// has its own, the office's defaults (the supervision settings' values, the common ones unless changed).
import { z } from 'zod';
import { chinaYear } from '../../../core/clock.ts';
import { checkEscalationRules } from '../../../core/supervision/escalation-settings.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { inTransaction } from '../../platform/tx.ts';
import { supervisionSettings } from './supervision.settings.ts';
import { YearRulesRepository } from './year-rules.repository.ts';

const step = z.object({ key: z.string().min(1).max(30), offset: z.number().int().min(-30).max(250), label: z.string().max(30) });
/** One year's rules as stored (and as a matter's year resolves them). */
export const yearRulesShape = z.object({
  ladder: z.array(step).max(10),
  feedback_ladder: z.array(step).max(10),
  letter_on_step: z.record(z.string(), z.enum(['remind', 'press', 'interview'])),
  letter_on_create: z.boolean(),
});
export type YearRules = z.infer<typeof yearRulesShape>;
export const YEAR_RULE_KEYS = ['ladder', 'feedback_ladder', 'letter_on_step', 'letter_on_create'] as const;
/** Each rule's Chinese name (a stale save's 409 names the ones it would overwrite). */
const LABELS: Record<keyof YearRules, string> = { ladder: '逐级督办步骤', feedback_ladder: '反馈逾期步骤', letter_on_step: '各级督办发函', letter_on_create: '交办即发交办函' };

/** Where a year's rules come from: its own, an earlier year's (carried forward), or the office's defaults. */
export interface ResolvedYearRules extends YearRules {
  year: number;
  /** The year whose rules these are (the year itself when it has its own); null: the defaults. */
  from: number | null;
  /** The version a save must name: the year's own row's, 0 while it has none. */
  version: number;
}

/** The rules a matter of `year` follows (its own, else the nearest earlier year's, else the defaults). */
export async function rulesOfYear(db: Executor, year: number): Promise<ResolvedYearRules> {
  const row = await new YearRulesRepository(db).findAtOrBefore(year);
  if (row) {
    const parsed = yearRulesShape.safeParse(JSON.parse(row.rules));
    if (parsed.success) return { ...parsed.data, year, from: Number(row.year), version: Number(row.year) === year ? Number(row.version) : 0 };
  }
  const s = await supervisionSettings.get(db);
  return { ladder: s.ladder, feedback_ladder: s.feedback_ladder, letter_on_step: s.letter_on_step, letter_on_create: s.letter_on_create, year, from: null, version: 0 };
}

/** Reading and changing the rules of a year; a change re-arms the open matters it concerns. */
export class YearRulesService {
  private readonly deps: Deps;
  constructor(deps: Deps) {
    this.deps = deps;
  }

  /** A year's rules as the settings page shows them, with the years that have their own and this year. */
  async get(year: number, db: Executor = this.deps.db) {
    const rules = await rulesOfYear(db, year);
    return { ...rules, own: rules.from === year, years: await new YearRulesRepository(db).years(), currentYear: chinaYear(this.deps.clock.now()) };
  }

  /**
   * Sets a year's own rules (a change of any of the keys, on the rules it resolves to now), made on `version` (0: the
   * year had none of its own). Another save since → 409 version_conflict naming the rules it would overwrite. The open
   * deadlines of the matters whose rules this changes (the year's, and later years' that carry it forward) get the
   * new ladders in the same transaction, so the escalation job takes the steps of the rules in force.
   */
  async put(actor: Actor, year: number, version: number, patch: Partial<YearRules>) {
    const problems = checkEscalationRules(patch);
    if (problems.length) throw new AppError('unprocessable', problems.join('；'));
    return inTransaction(this.deps.db, async (trx) => {
      const repo = new YearRulesRepository(trx);
      const before = await rulesOfYear(trx, year);
      const conflict = async () => {
        const current = await this.get(year, trx);
        const keys = YEAR_RULE_KEYS.filter((k) => patch[k] !== undefined && JSON.stringify(current[k]) !== JSON.stringify(patch[k]));
        return new AppError('version_conflict', `${year}年督办规则已被他人修改${keys.length ? `（${keys.map((k) => LABELS[k]).join('、')}与您提交的不同）` : ''}，请查看最新内容后重新提交`, { current, fields: keys });
      };
      if (before.version !== version) throw await conflict();
      const merged: YearRules = { ladder: before.ladder, feedback_ladder: before.feedback_ladder, letter_on_step: before.letter_on_step, letter_on_create: before.letter_on_create };
      for (const k of YEAR_RULE_KEYS) if (patch[k] !== undefined) (merged as Record<string, unknown>)[k] = patch[k];
      const checked = yearRulesShape.safeParse(merged);
      if (!checked.success) throw new AppError('unprocessable', `督办规则无效：${checked.error.issues[0]?.message ?? ''}`);
      // A letter only for the steps that exist.
      const keys = new Set([...checked.data.ladder, ...checked.data.feedback_ladder].map((s) => s.key));
      const rules = { ...checked.data, letter_on_step: Object.fromEntries(Object.entries(checked.data.letter_on_step).filter(([k]) => keys.has(k))) };
      const now = this.deps.clock.now().toISOString();
      const values = { rules: JSON.stringify(rules), updated_at: now, updated_by: actor.userId || null };
      const stored = version === 0 ? await repo.insert({ year, version: 1, ...values }) : await repo.updateIfVersion(year, version, values);
      if (!stored) throw await conflict();
      // Re-arm the open deadlines of every matter year whose resolved rules are this change's.
      for (const y of await repo.yearsWithOpenDeadlines()) {
        if (y < year) continue;
        const r = await rulesOfYear(trx, y);
        if (r.from !== year) continue;
        await repo.rearm(y, 'complete', JSON.stringify(r.ladder), now);
        await repo.rearm(y, 'feedback', JSON.stringify(r.feedback_ladder), now);
      }
      await this.deps.audit.record(trx, actor, {
        action: 'supervision.year_rules_update', entityType: 'supervision_year_rules', entityId: year,
        before: { from: before.from, ...Object.fromEntries(YEAR_RULE_KEYS.map((k) => [k, before[k]])) }, after: rules,
      });
      return this.get(year, trx);
    });
  }
}
