import fs from 'node:fs';
import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { renderTable } from './indicators.ts';
import { formatYi } from '../core/money.ts';
import { STATUS_LABELS } from '../core/bulletins/workflow.ts';
import { systemActor, type Actor } from '../server/context.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { roleHas } from '../server/plugins/permissions.ts';
import { bulletinCreateSchema, createBulletinService, docxToPdf, rankingQuerySchema, rankingWorkbook } from '../server/modules/bulletins/index.ts';
import { createDeps } from '../server/deps.ts';
import { createUserService } from '../server/modules/users/index.ts';

/** Opens and migrates the database, runs `fn`, closes it. */
async function withDatabase<T>(cmd: Command, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(configFrom(cmd));
  try {
    await migrateToLatest(database.db);
    return await fn(database);
  } finally {
    await database.destroy();
  }
}

/** The account a signing or submitting command acts as (the signer must be a real person, 签发人). */
async function actorNamed(database: Database, username: string, permission: 'bulletin.write' | 'bulletin.sign'): Promise<Actor> {
  const actor = await createUserService(createDeps(database.db)).findActorByUsername(username);
  if (!actor) throw new Error(`账号不存在或已停用：${username}`);
  if (!roleHas(actor.role, permission)) throw new Error(`账号 ${username} 没有权限 ${permission}`);
  return actor;
}

function parsed<T>(result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  return result.data;
}

/** `docket bulletin …`: list, draft, submit, sign, download .docx/.pdf, and the unit ranking (月讲评). */
export function registerBulletin(program: Command): void {
  const bulletin = program.command('bulletin').description('bulletins (通报): drafts, 签发, .docx/.pdf, unit ranking');

  bulletin.command('list').description('list bulletins and their issued versions')
    .option('--year <year>', 'only this year')
    .action(async (opts: { year?: string }, cmd: Command) => withDatabase(cmd, async (database) => {
      const items = await createBulletinService(createDeps(database.db)).list(opts.year ? Number(opts.year) : undefined);
      console.log(renderTable(['编号', '期间', '标题', '状态', '期号', '版本', '签发'], items.map((b) => [
        String(b.id), `${b.year}年${b.month}月`, b.title, STATUS_LABELS[b.status] ?? b.status, b.issue_no ? `第${b.issue_no}期` : '—', String(b.revision),
        b.versions.map((v) => `v${v.revision} ${v.signer_name} ${v.issued_on}`).join('；') || '—',
      ])));
    }));

  bulletin.command('draft').description('create a draft bulletin for 1–N月 of a year')
    .requiredOption('--year <year>', 'year').requiredOption('--month <month>', 'last month of the period')
    .option('--region <code>', 'region (6 digits); default: the whole portfolio')
    .action(async (opts: { year: string; month: string; region?: string }, cmd: Command) => withDatabase(cmd, async (database) => {
      const input = parsed(bulletinCreateSchema.safeParse(opts));
      const b = await createBulletinService(createDeps(database.db)).create(systemActor(), input);
      console.log(`已创建通报草稿 ${b.id}：${b.title}`);
    }));

  bulletin.command('submit <id>').description('submit a draft for review')
    .requiredOption('--as <username>', 'the account submitting (needs bulletin.write)')
    .action(async (id: string, opts: { as: string }, cmd: Command) => withDatabase(cmd, async (database) => {
      const service = createBulletinService(createDeps(database.db));
      const b = await service.get(Number(id));
      const after = await service.submit(await actorNamed(database, opts.as, 'bulletin.write'), b.id, b.version);
      console.log(`通报 ${after.id} 已提交审核`);
    }));

  bulletin.command('sign <id>').description('签发 a bulletin under review: freezes its figures and document')
    .requiredOption('--as <username>', 'the signer (needs bulletin.sign); recorded on the version')
    .action(async (id: string, opts: { as: string }, cmd: Command) => withDatabase(cmd, async (database) => {
      const service = createBulletinService(createDeps(database.db));
      const b = await service.get(Number(id));
      const after = await service.sign(await actorNamed(database, opts.as, 'bulletin.sign'), b.id, b.version);
      const v = after.versions.at(-1)!;
      console.log(`已签发：${after.title}（${after.year}年第${v.issue_no}期，第${v.revision}版，签发人 ${v.signer_name}，sha256 ${v.docx_sha256.slice(0, 12)}…）`);
    }));

  for (const format of ['docx', 'pdf'] as const) {
    bulletin.command(`${format} <id>`).description(`write the bulletin as .${format} (issued: the stored version; draft: composed now)`)
      .option('--revision <n>', 'an issued version')
      .option('--out <file>', 'output file (default: the document title)')
      .action(async (id: string, opts: { revision?: string; out?: string }, cmd: Command) => withDatabase(cmd, async (database) => {
        const service = createBulletinService(createDeps(database.db));
        const doc = opts.revision ? await service.versionDocument(Number(id), Number(opts.revision)) : await service.document(Number(id));
        const bytes = format === 'pdf' ? await docxToPdf(doc.docx) : doc.docx;
        const out = opts.out ?? doc.fileName.replace(/\.docx$/, `.${format}`);
        fs.writeFileSync(out, bytes);
        console.log(`已写入 ${out}（${bytes.length} 字节）`);
      }));
  }

  bulletin.command('ranking').description('rank units by completion rate for 1–N月 (月讲评), with 十快/十慢 projects')
    .requiredOption('--year <year>', 'year').requiredOption('--month <month>', 'last month of the period')
    .option('--region <code>', 'region (6 digits)')
    .option('--xlsx <file>', 'also write the ranking workbook')
    .action(async (opts: { year: string; month: string; region?: string; xlsx?: string }, cmd: Command) => withDatabase(cmd, async (database) => {
      const query = parsed(rankingQuerySchema.safeParse(opts));
      const service = createBulletinService(createDeps(database.db));
      const r = await service.getRanking(systemActor(), query);
      console.log(`${r.year}年重点项目${r.period_label}各单位推进情况排名（序时进度 ${r.time_progress_text}%）`);
      console.log(renderTable(['名次', '单位', '项目数', '年度计划（亿元）', '完成（亿元）', '完成率（%）', '差（百分点）', '说明'], r.units.map((u) => [
        u.rank === null ? '—' : String(u.rank), u.name, String(u.count), formatYi(u.planned_investment), formatYi(u.completed_ytd), u.completion_rate_text, u.gap_points_text, u.note,
      ])));
      for (const [label, list] of [['十快', r.fast], ['十慢', r.slow]] as const) {
        console.log(`\n${label}：${list.map((p) => `${p.name}（${p.completion_rate_text}%）`).join('、') || '—'}`);
      }
      if (opts.xlsx) {
        const { write } = await rankingWorkbook(service, systemActor(), query);
        const out = fs.createWriteStream(opts.xlsx);
        const done = new Promise<void>((resolve, reject) => {
          out.on('finish', resolve);
          out.on('error', reject);
        });
        await write(out);
        await done;
        console.log(`已写入 ${opts.xlsx}`);
      }
    }));
}
