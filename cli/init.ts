import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createSystemService } from '../server/modules/system/index.ts';
import { createDeps } from '../server/deps.ts';

/** `docket init --region 330106 --name "西湖区发展和改革局"`: migrate and say once who the office is. */
export function registerInit(program: Command): void {
  program.command('init')
    .description('first-run setup: load the division tree (migrations) and record the office name and its jurisdiction (province, city or county code)')
    .requiredOption('--region <code>', 'jurisdiction: 6-digit administrative code, e.g. 330106')
    .requiredOption('--name <name>', 'office name, e.g. 西湖区发展和改革局')
    .action(async (opts: { region: string; name: string }, cmd: Command) => {
      const database = openDatabase(configFrom(cmd));
      try {
        await migrateToLatest(database.db);
        const service = createSystemService(createDeps(database.db));
        await service.configure(systemActor(), { office_name: opts.name, region_code: opts.region.trim() });
        const j = (await service.findJurisdiction())!;
        console.log(`已设置 / configured: ${j.officeName}，辖区 ${j.fullName}（${j.code}）`);
      } finally {
        await database.destroy();
      }
    });
}
