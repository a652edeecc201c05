import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createIndicatorService } from '../server/modules/indicators/index.ts';
import { STAGE_LABELS } from '../core/stages.ts';
import type { Indicators, Rate } from '../core/indicators.ts';
import { IndicatorRepository, indicatorQuerySchema, type Breakdown } from '../server/modules/indicators/index.ts';
import { createLightService, lightsQuerySchema } from '../server/modules/lights/index.ts';
import { findJurisdiction } from '../server/modules/system/index.ts';
import { createDeps } from '../server/deps.ts';

/** Chinese headings of the breakdowns (no English code reaches a Chinese screen). */
const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  region: '地区', unit: '责任单位', level: '项目级别', category: '项目类别', nature: '建设性质', investment_type: '投资类型',
};

/** A stage code as its Chinese name. */
function stageName(code: string): string {
  return (STAGE_LABELS as Record<string, string>)[code] ?? code;
}

/** Integer yuan as 亿元 with two decimals, rounded half away from zero, exactly. */
export function formatYi(yuan: number): string {
  const v = BigInt(yuan);
  const abs = v < 0n ? -v : v;
  const cents = (abs * 100n + 50_000_000n) / 100_000_000n;
  return `${v < 0n && cents !== 0n ? '-' : ''}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

const pct = (r: Rate) => (r.value === null ? '—' : `${r.text}%`);

/** The bulletin's overall figures as label/value rows. */
function overallRows(ind: Indicators): [string, string][] {
  const s = ind.sums;
  const gap = ind.gap_points.value === null ? '—' : ind.gap_points.value >= 0 ? `高于序时进度 ${ind.gap_points.text} 个百分点` : `低于序时进度 ${ind.gap_points.text.replace('-', '')} 个百分点`;
  return [
    ['项目个数', String(s.count)],
    ['总投资（亿元）', formatYi(s.total_investment)],
    ['年度计划投资（亿元）', formatYi(s.planned_investment)],
    [`${ind.period_label}完成投资（亿元）`, formatYi(s.completed_ytd)],
    ['投资完成率', pct(ind.completion_rate)],
    [`序时进度${ind.time_progress.source === 'curve' ? '（自定义曲线）' : ''}`, `${ind.time_progress.text}%`],
    ['与序时进度相比', gap],
    ['计划新开工（全年 / 截至本期）', `${s.planned_starts} / ${s.planned_starts_to_date}`],
    ['已开工（全年计划中 / 截至本期计划中）', `${s.started} / ${s.started_to_date}`],
    [ind.start_rate.whole_year.label, pct(ind.start_rate.whole_year)],
    [ind.start_rate.to_date.label, pct(ind.start_rate.to_date)],
    ['提前开工 / 延期开工 / 逾期未开工', `${s.early_starts} / ${s.late_starts} / ${s.overdue_starts}`],
    ['计划竣工 / 已竣工', `${s.planned_completions} / ${s.completed}`],
    [ind.completion_plan_rate.whole_year.label, pct(ind.completion_plan_rate.whole_year)],
    ['计划投产 / 已投产', `${s.planned_productions} / ${s.producing}`],
    [ind.production_rate.whole_year.label, pct(ind.production_rate.whole_year)],
    // Offices that plan month by month also print completion against the plan up to month N.
    ...(s.monthly_planned ? [[ind.plan_to_date_rate.label, pct(ind.plan_to_date_rate)] as [string, string]] : []),
  ];
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(text: string, w: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, w - width(text)));
  return right ? fill + text : text + fill;
}

/** Renders rows as an aligned text table with a header. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `docket indicators`: the figures a bulletin needs for a scope and period, as a table or JSON. */
export function registerIndicators(program: Command): void {
  program.command('indicators')
    .description('print the indicators of a scope for 1–N月 of a year (a table by default, JSON with --json); without --year/--month, the latest period with reports')
    .option('--year <year>', 'year (default: the latest period with reports)')
    .option('--month <month>', 'last month of the period 1–N月 (default: the latest with reports in that year)')
    .option('--region <code>', 'region subtree (default: the office\'s jurisdiction; "all": every region)')
    .option('--unit <id>', 'unit subtree')
    .option('--stage <stages>', 'stages, comma-separated')
    .option('--q <text>', 'name search')
    .option('--filter <key=value...>', 'any other field of the project filter')
    .option('--breakdown <kinds>', 'region,unit,level,category,nature,investment_type')
    .option('--json', 'print JSON')
    .action(async (opts: { year?: string; month?: string; region?: string; unit?: string; stage?: string; q?: string; filter?: string[]; breakdown?: string; json?: boolean }, cmd: Command) => {
      const extra = Object.fromEntries((opts.filter ?? []).map((kv) => {
        const i = kv.indexOf('=');
        if (i < 1) throw new Error(`--filter 须为 key=value：${kv}`);
        return [kv.slice(0, i), kv.slice(i + 1)];
      }));
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        // Without a period: the latest with counted reports (a first import's 1–N月), else a clear refusal.
        let { year, month } = opts;
        if (year === undefined || month === undefined) {
          const latest = await new IndicatorRepository(database.db).findLatestReportedPeriod();
          if (!latest) throw new Error('尚无月度数据：请用 --year 和 --month 指定期间');
          if (year === undefined) ({ year, month } = { year: String(latest.year), month: month ?? String(latest.month) });
          else month = String(Number(year) === latest.year ? latest.month : 12);
        }
        // The office's jurisdiction is the default scope; --region all widens it to every region.
        const region = opts.region === 'all' ? undefined : opts.region ?? (await findJurisdiction(database.db))?.code;
        const raw = { ...extra, year, month, region, unit: opts.unit, stage: opts.stage, q: opts.q, breakdown: opts.breakdown };
        const parsed = indicatorQuerySchema.safeParse(raw);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
        const lightsQuery = lightsQuerySchema.parse({ ...raw, breakdown: undefined, page_size: 1 });
        const actor = systemActor();
        const result = await createIndicatorService(createDeps(database.db)).getIndicators(actor, parsed.data);
        const lights = await createLightService(createDeps(database.db)).getLights(actor, lightsQuery);
        const lightSummary = { counts: lights.counts, excused: lights.excused, rule_version: lights.rule_version };
        if (opts.json) {
          console.log(JSON.stringify({ ...result, lights: lightSummary }, null, 2));
          return;
        }
        const ind = result.indicators;
        console.log(`${ind.year}年重点项目${ind.period_label}推进情况`);
        console.log(renderTable(['指标', '数值'], overallRows(ind)));
        console.log(`按阶段：${Object.entries(ind.sums.by_stage).sort().map(([k, v]) => `${stageName(k)} ${v}`).join('，') || '—'}`);
        console.log(`\n红黄绿灯：红灯 ${lights.counts.red}，黄灯 ${lights.counts.yellow}，绿灯 ${lights.counts.green}，不适用 ${lights.counts.none}（已认定正当理由 ${lights.excused}）`);
        for (const [kind, items] of Object.entries(result.breakdowns)) {
          console.log(`\n按${BREAKDOWN_LABELS[kind as Breakdown] ?? kind}：`);
          console.log(renderTable(['分组', '项目数', '年度计划（亿元）', `${ind.period_label}完成（亿元）`, '完成率', '与序时进度（百分点）'],
            items.map((g) => [g.label, String(g.indicators.sums.count), formatYi(g.indicators.sums.planned_investment), formatYi(g.indicators.sums.completed_ytd),
              pct(g.indicators.completion_rate), g.indicators.gap_points.text])));
        }
        if (result.trend.length) {
          console.log('\n逐月走势：');
          console.log(renderTable(['期间', `累计完成（亿元）`, '完成率', '序时进度', '差距（百分点）'],
            result.trend.map((p) => [p.period_label, formatYi(p.completed_ytd), p.completion_rate === null ? '—' : `${p.completion_rate_text}%`, `${p.time_progress_text}%`, p.gap_points_text])));
        }
      } finally {
        await database.destroy();
      }
    });
}
