import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { z } from 'zod';
import { configFrom } from './config.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createDeps } from '../server/deps.ts';
import { systemActor } from '../server/context.ts';
import { createIndicatorService } from '../server/modules/indicators/index.ts';
import { createLightService } from '../server/modules/lights/index.ts';
import { createMonthlyReportService } from '../server/modules/reports/index.ts';
import {
  createExportService, indicatorExportQuery, indicatorWorkbook, lightsExportQuery, lightsWorkbook, missingExportQuery, missingWorkbook,
  progressExportQuery, projectExportQuery, reviewWorkbook,
} from '../server/modules/exports/index.ts';

/** What `docket export` can write; `projects` when no view is named. */
export const EXPORT_VIEWS = ['projects', 'monthly-progress', 'indicators', 'lights', 'review-queue', 'missing'] as const;
type View = (typeof EXPORT_VIEWS)[number];

interface ExportOptions {
  output: string;
  year?: string; month?: string;
  region?: string; unit?: string; stage?: string; q?: string; tier?: string; level?: string; category?: string; nature?: string;
  investmentType?: string; campaignGroup?: string; groupBy?: string; breakdown?: string; light?: string; dimension?: string;
}

const FILTER_OPTIONS = ['region', 'unit', 'stage', 'q', 'tier', 'level', 'category', 'nature', 'investmentType', 'campaignGroup'] as const;

/** The options each view honours; any other option given is refused rather than silently ignored. */
const VIEW_OPTIONS: Record<View, readonly (keyof ExportOptions)[]> = {
  projects: [...FILTER_OPTIONS, 'year', 'groupBy'],
  'monthly-progress': [...FILTER_OPTIONS, 'year', 'month', 'groupBy'],
  // --group-by X is the breakdown X (the indicator table's groups are its breakdowns).
  indicators: [...FILTER_OPTIONS, 'year', 'month', 'breakdown', 'groupBy'],
  lights: [...FILTER_OPTIONS, 'year', 'month', 'light', 'dimension'],
  'review-queue': ['year', 'month', 'unit'],
  missing: ['year', 'month', 'unit'],
};

/** The command-line spelling of an option key ('investmentType' → '--investment-type'). */
const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Refuses, in Chinese, an option the view would not use. */
function checkOptions(view: View, o: ExportOptions): void {
  const allowed = new Set<string>(['output', ...VIEW_OPTIONS[view]]);
  const unused = Object.entries(o).filter(([k, v]) => v !== undefined && !allowed.has(k)).map(([k]) => flagOf(k));
  if (unused.length) {
    throw new Error(`导出 ${view} 不使用选项 ${unused.join('、')}（可用：${VIEW_OPTIONS[view].map(flagOf).join('、')}）`);
  }
  if (view === 'indicators' && o.groupBy !== undefined && o.breakdown !== undefined) {
    throw new Error('导出 indicators 时 --group-by 与 --breakdown 含义相同，请只用其一');
  }
}

/** The options as the view's query string would carry them (undefined ones dropped), validated by the same schema. */
function queryOf(view: View, o: ExportOptions) {
  checkOptions(view, o);
  const raw = Object.fromEntries(Object.entries({
    year: o.year, month: o.month, region: o.region, unit: o.unit, stage: o.stage, q: o.q, tier: o.tier, level: o.level, category: o.category,
    nature: o.nature, investment_type: o.investmentType, campaign_group: o.campaignGroup,
    ...(view === 'indicators' ? { breakdown: o.groupBy ?? o.breakdown } : { group_by: o.groupBy, breakdown: o.breakdown }),
    light: o.light, dimension: o.dimension,
  }).filter(([, v]) => v !== undefined));
  const parse = <T>(schema: z.ZodType<T>): T => {
    const r = schema.safeParse(raw);
    if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || view}: ${i.message}`).join('；'));
    return r.data;
  };
  return { raw, parse };
}

/** Writes the view's workbook to `out`, reporting progress where the export streams pages; returns the row count if known. */
async function writeView(database: Database, view: View, o: ExportOptions, out: Writable, onProgress: (done: number, total: number) => void): Promise<number | undefined> {
  const actor = systemActor();
  const { parse } = queryOf(view, o);
  const exports = createExportService(database);
  switch (view) {
    case 'projects': {
      const { group_by: groupBy, ...filter } = parse(projectExportQuery);
      return (await exports.exportProjects(actor, filter, out, { groupBy, onProgress })).rows;
    }
    case 'monthly-progress': {
      const { group_by: groupBy, year, month, ...filter } = parse(progressExportQuery);
      return (await exports.exportMonthlyProgress(actor, filter, year, month, out, { groupBy, onProgress })).rows;
    }
    case 'indicators': {
      const { group_by: _groupBy, ...query } = parse(indicatorExportQuery); // --group-by arrived as the breakdown
      const { write } = await indicatorWorkbook(createIndicatorService(createDeps(database.db)), actor, query);
      await write(out);
      return undefined;
    }
    case 'lights': {
      const service = createLightService(createDeps(database.db));
      const { write } = await lightsWorkbook(service, actor, parse(lightsExportQuery));
      await write(out);
      return undefined;
    }
    case 'review-queue': {
      const { year, month, unit } = parse(missingExportQuery);
      const { write } = await reviewWorkbook(createMonthlyReportService(createDeps(database.db)), actor, year, month, unit);
      await write(out);
      return undefined;
    }
    case 'missing': {
      const { year, month, unit } = parse(missingExportQuery);
      const { write } = await missingWorkbook(createMonthlyReportService(createDeps(database.db)), actor, year, month, unit);
      await write(out);
      return undefined;
    }
  }
}

/** `docket export [view] [filters] -o FILE`: the project list or a report view to .xlsx, streamed. */
export function registerExport(program: Command): void {
  program.command('export')
    .description(`export to .xlsx (streamed): ${EXPORT_VIEWS.join(' | ')} (default projects)`)
    .argument('[view]', `what to export: ${EXPORT_VIEWS.join(', ')}`, 'projects')
    .requiredOption('-o, --output <file>', 'output .xlsx file')
    .option('--year <year>', 'year (monthly-progress, indicators, lights, review-queue, missing)')
    .option('--month <month>', 'month 1–12 (monthly-progress, indicators, lights, review-queue, missing)')
    .option('--region <code>', 'region subtree, e.g. 320506')
    .option('--unit <id>', 'unit subtree id')
    .option('--stage <stages>', 'comma-separated stages, e.g. started,completed')
    .option('--q <text>', 'name search (Chinese, pinyin or initials)')
    .option('--tier <tiers>', 'comma-separated tiers (monthly-progress: default implementation)')
    .option('--level <levels>', 'comma-separated levels: national,province,city,county')
    .option('--category <names>', 'comma-separated categories')
    .option('--nature <natures>', 'comma-separated natures: new,continued,expansion,reconstruction,tech_upgrade')
    .option('--investment-type <types>', 'government,social')
    .option('--campaign-group <groups>', 'comma-separated campaign groups (四个一批…)')
    .option('--group-by <field>', 'projects, monthly-progress: group headings with subtotals by campaign_group, category, region (districts with their towns) or unit; indicators: the breakdown')
    .option('--breakdown <list>', 'indicators: region,unit,level,category,nature,investment_type (default nature,category,investment_type)')
    .option('--light <lights>', 'lights: which lights to list (default red,yellow)')
    .option('--dimension <dimension>', 'lights: judge the list by one dimension (investment, start, stats)')
    .action(async (view: string, opts: ExportOptions, cmd: Command) => {
      if (!(EXPORT_VIEWS as readonly string[]).includes(view)) throw new Error(`不支持导出“${view}”（可选 ${EXPORT_VIEWS.join('、')}）`);
      // Checks the options before opening anything, so a typo costs no database work.
      queryOf(view as View, opts);
      const database = openDatabase(configFrom(cmd));
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: '导出 / export [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
      const tmp = `${opts.output}.part`;
      try {
        await migrateToLatest(database.db);
        const out = fs.createWriteStream(tmp);
        const finished = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); });
        let started = false;
        const rows = await writeView(database, view as View, opts, out, (done, total) => {
          if (!bar) return;
          if (!started) { bar.start(total, 0); started = true; }
          bar.update(done);
        });
        await finished;
        fs.renameSync(tmp, opts.output);
        bar?.stop();
        console.log(`已导出 / exported ${rows === undefined ? '' : `${rows} 行 / rows `}→ ${opts.output}`);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      } finally {
        bar?.stop();
        await database.destroy();
      }
    });
}
