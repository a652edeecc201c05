import fs from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { projectFilterSchema } from '../server/modules/projects/project.schema.ts';
import { ExportRepository } from '../server/modules/exports/export.repository.ts';
import { ExportService } from '../server/modules/exports/export.service.ts';

/** `docket export [filters] -o FILE`: stream the project list (any filter) to an .xlsx. */
export function registerExport(program: Command): void {
  program.command('export')
    .description('export projects matching a filter to .xlsx (streamed)')
    .requiredOption('-o, --output <file>', 'output .xlsx file')
    .option('--region <code>', 'region subtree, e.g. 320506')
    .option('--unit <id>', 'unit subtree id')
    .option('--stage <stages>', 'comma-separated stages, e.g. started,completed')
    .option('--q <text>', 'name search (Chinese, pinyin or initials)')
    .option('--group-by <field>', 'campaign_group: group headings by 四个一批 group')
    .action(async (opts: { output: string; region?: string; unit?: string; stage?: string; q?: string; groupBy?: string }, cmd: Command) => {
      const filter = projectFilterSchema.parse({ region: opts.region, unit: opts.unit, stage: opts.stage, q: opts.q });
      if (opts.groupBy && opts.groupBy !== 'campaign_group') throw new Error('--group-by 只支持 campaign_group');
      const database = openDatabase(configFrom(cmd));
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: '导出 / export [{bar}] {value}/{total}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
      const tmp = `${opts.output}.part`;
      try {
        await migrateToLatest(database.db);
        const out = fs.createWriteStream(tmp);
        const finished = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); });
        let started = false;
        const { rows } = await new ExportService(new ExportRepository(database.db)).exportProjects(systemActor(), filter, out, {
          groupBy: opts.groupBy ? 'campaign_group' : undefined,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) { bar.start(total, 0); started = true; }
            bar.update(done);
          },
        });
        await finished;
        fs.renameSync(tmp, opts.output);
        bar?.stop();
        console.log(`已导出 / exported ${rows} 个项目 → ${opts.output}`);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      } finally {
        bar?.stop();
        await database.destroy();
      }
    });
}
