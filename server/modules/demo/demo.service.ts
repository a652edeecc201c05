import type { Insertable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ProjectTable } from '../../db/schema.ts';
import { searchTextOf } from '../../../core/search.ts';
import { hashPassword } from '../users/password.ts';
import { seedRegions } from '../reference/reference.service.ts';

/** Mulberry32: a small deterministic PRNG so the same seed and size give the same portfolio. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['苏州湾', '太湖', '东山', '木渎', '甪直', '临湖', '胥口', '越溪', '城南', '郭巷'];
const SUBJECTS = ['新能源汽车零部件', '高端装备制造', '生物医药产业园', '数字经济产业园', '集成电路封测', '智能制造基地', '污水处理厂提标改造', '人民医院新院区', '实验学校', '快速路改造工程', '综合管廊', '保障性租赁住房', '冷链物流中心', '光伏发电', '文旅综合体'];
const SUFFIX = ['项目', '一期项目', '二期工程', '建设项目', '扩建项目'];
const STAGES = ['preliminary', 'started', 'started', 'started', 'completed', 'producing'];

/** Creates regions, a unit tree under 苏州市吴中区, demo accounts and N projects; skips when projects exist. */
export async function generateDemo(database: Database, opts: { projects: number; seed: number; onProgress?: (done: number, total: number) => void }): Promise<{ projects: number; skipped: boolean }> {
  const { db } = database;
  const existing = await db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return { projects: 0, skipped: true };
  await seedRegions(db, { townships: true });
  const rand = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = new Date().toISOString();

  const county = '320506';
  const townships = await db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', county).orderBy('code').execute();
  const office = await db.insertInto('units').values({ name: '吴中区发展和改革委员会', kind: 'office', region_code: county, path: '/', sort: 0, created_at: now }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('units').set({ path: `/${office.id}/` }).where('id', '=', office.id).execute();
  const units: { id: number; region: string }[] = [];
  for (const [i, t] of townships.entries()) {
    const u = await db.insertInto('units').values({ name: `${t.name}人民政府`, short_name: t.name, parent_id: office.id, kind: 'township', region_code: t.code, path: '/', sort: i, created_at: now }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('units').set({ path: `/${office.id}/${u.id}/` }).where('id', '=', u.id).execute();
    units.push({ id: u.id, region: t.code });
  }
  const hash = await hashPassword('Docket#2026');
  await db.insertInto('users').values({ username: 'office', display_name: '区发改委（演示）', unit_id: office.id, role: 'office', password_hash: hash, must_change_password: 0, is_active: 1, created_at: now, updated_at: now }).execute();
  // The 三员 demo accounts: three separate people, none of whom sees project data.
  await db.insertInto('users').values([
    { username: 'sysadmin', display_name: '系统管理员（演示）', role: 'sysadmin' },
    { username: 'secadmin', display_name: '安全管理员（演示）', role: 'secadmin' },
    { username: 'auditor', display_name: '安全审计员（演示）', role: 'auditor' },
  ].map((u) => ({ ...u, unit_id: null, password_hash: hash, must_change_password: 0, is_active: 1, created_at: now, updated_at: now, password_changed_at: now }))).execute();

  const batch: Insertable<ProjectTable>[] = [];
  for (let i = 0; i < opts.projects; i++) {
    const unit = units.length ? pick(units) : { id: office.id, region: county };
    const name = `${pick(PLACES)}${pick(SUBJECTS)}${pick(SUFFIX)}`;
    // Log-normal investment around 2 亿 yuan, rounded to 万元.
    const gaussian = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const total = Math.round(Math.exp(Math.log(2e8) + 1.2 * gaussian) / 10_000) * 10_000;
    batch.push({ name: `${name}${i + 1 > PLACES.length ? '' : ''}`, search_text: searchTextOf(name), region_code: unit.region, unit_id: unit.id, total_investment: total, stage: pick(STAGES), tier: 'implementation', list_year: 2026, created_at: now, updated_at: now });
    if (batch.length === 500 || i === opts.projects - 1) {
      await db.insertInto('projects').values(batch).execute();
      batch.length = 0;
      opts.onProgress?.(i + 1, opts.projects);
    }
  }
  return { projects: opts.projects, skipped: false };
}
