import { Command } from 'commander';
import { registerServe } from './serve.ts';
import { registerMigrate } from './migrate.ts';
import { registerInit } from './init.ts';
import { registerUser } from './user.ts';
import { registerDemo } from './demo.ts';
import { registerImport } from './import.ts';
import { registerExport } from './export.ts';
import { registerVerify } from './verify.ts';
import { registerIndicators } from './indicators.ts';
import { registerAudit } from './audit.ts';
import { registerBulletin } from './bulletin.ts';
import { registerMatters } from './matters.ts'; // issue 17
import { registerProblems } from './problems.ts'; // issue 18
import { registerAttraction } from './attraction.ts'; // issue 21

const program = new Command();
program
  .name('docket')
  .description('Docket (重点项目调度督查平台)')
  .option('--data-dir <dir>', 'data directory (default ./data or DOCKET_DATA_DIR)')
  .showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerInit(program);
registerUser(program);
registerDemo(program);
registerImport(program);
registerExport(program);
registerVerify(program);
registerIndicators(program);
registerAudit(program);
registerBulletin(program);
registerMatters(program); // issue 17
registerProblems(program); // issue 18
registerAttraction(program); // issue 21

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`错误 / error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
