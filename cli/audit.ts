import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { anchorAuditHead, anchorPathsOf, createAuditService, readAnchors } from '../server/modules/audit/index.ts';
import { readSecuritySettings } from '../server/modules/security/index.ts';

/** `docket audit verify | archive`: check the hash chain; move rows beyond the retention period to a file. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit.command('verify')
    .description('walk the hash chain (archive files and table) and report changed, inserted or deleted rows; exit code 2 when broken')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const database = openDatabase(config);
      try {
        await migrateToLatest(database.db);
        const result = await createAuditService(database.db).verify(config.dataDir, readAnchors(anchorPathsOf(config)));
        if (opts.json) console.log(JSON.stringify(result, null, 2));
        else {
          console.log(`审计记录 / rows: ${result.rows}（已归档 / archived: ${result.archivedRows}）`);
          console.log(`链头 / head: #${result.headSeq} ${result.headHash}`);
          console.log(`锚点 / anchors: ${result.anchors}（${anchorPathsOf(config).anchorFile}）`);
          for (const p of result.problems) console.log(`  ✗ [${p.kind}] ${p.message}`);
          console.log(result.ok ? '校验通过 / chain intact' : `校验失败 / chain broken: ${result.problems.length} problem(s)`);
        }
        if (!result.ok) process.exitCode = 2;
      } finally {
        await database.destroy();
      }
    });
  audit.command('anchor')
    .description('append the chain head, signed with the anchor key, to the anchor file (the server does it every DOCKET_AUDIT_ANCHOR_SECONDS)')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const database = openDatabase(config);
      try {
        await migrateToLatest(database.db);
        const anchor = await anchorAuditHead(database, anchorPathsOf(config));
        console.log(anchor ? `已锚定 / anchored #${anchor.seq} ${anchor.hash}` : '链头已锚定，无需重复 / head already anchored');
      } finally {
        await database.destroy();
      }
    });
  audit.command('archive')
    .description('move audit rows older than the retention setting (>= 180 days) to a verifiable file under the data dir')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const database = openDatabase(config);
      try {
        await migrateToLatest(database.db);
        const settings = await readSecuritySettings(database.db);
        const result = await createAuditService(database.db).archive(database.db, config.dataDir, settings.audit_retention_days);
        console.log(result ? `已归档 / archived ${result.rows} rows → ${result.file}` : `没有超过 ${settings.audit_retention_days} 天的记录 / nothing to archive`);
      } finally {
        await database.destroy();
      }
    });
}
