import type { Actor, Deps } from '../../platform/context.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { inTransaction } from '../../platform/tx.ts';
import { SystemRepository } from './system.repository.ts';

/** The office's profile as every signed-in user sees it. */
export interface SystemProfile {
  configured: boolean;
  office_name: string | null;
  region_code: string | null;
  region_name: string | null;
}

/** The profile with what the server needs besides: the jurisdiction's path and full name, the root unit. */
export interface Jurisdiction {
  officeName: string;
  code: string;
  name: string;
  /** Ancestors and itself joined (浙江省杭州市西湖区). */
  fullName: string;
  path: string;
  level: number;
  unitId: number | null;
}

export const SETTING = { officeName: 'office.name', regionCode: 'office.region_code', unitId: 'office.unit_id', regionsSource: 'regions.source' } as const;

/** Who the office is (name and jurisdiction), said once by `docket init` or the first-run page. */
export class SystemService {
  private readonly deps: Deps;
  constructor(deps: Deps) {
    this.deps = deps;
  }

  async getProfile(): Promise<SystemProfile> {
    const repo = new SystemRepository(this.deps.db);
    const settings = await repo.listSettings();
    const code = settings.get(SETTING.regionCode) ?? null;
    const region = code ? await repo.findRegion(code) : undefined;
    const officeName = settings.get(SETTING.officeName) ?? null;
    return { configured: !!(officeName && region), office_name: officeName, region_code: code, region_name: region?.name ?? null };
  }

  /** The jurisdiction, undefined before the office has said who it is. */
  findJurisdiction(): Promise<Jurisdiction | undefined> {
    return findJurisdiction(this.deps.db);
  }

  /**
   * Records the office's name and jurisdiction (a province, city or county code) and makes the office the root of
   * the unit tree: a top-level unit of that name for the jurisdiction, created or renamed. Saying it again changes it.
   */
  async configure(actor: Actor, input: { office_name: string; region_code: string }): Promise<SystemProfile> {
    const name = input.office_name.normalize('NFKC').trim();
    if (!name) throw new AppError('validation_failed', '请填写单位名称', [{ path: 'office_name' }]);
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new SystemRepository(trx);
      const region = await repo.findRegion(input.region_code);
      if (!region) throw new AppError('validation_failed', `行政区划代码不存在：${input.region_code}`, [{ path: 'region_code' }]);
      if (region.level > 3) throw new AppError('validation_failed', `辖区应为省、市或县级行政区划，${region.name}（${region.code}）是乡镇级`, [{ path: 'region_code' }]);
      const settings = await repo.listSettings();
      const before = { office_name: settings.get(SETTING.officeName) ?? null, region_code: settings.get(SETTING.regionCode) ?? null };
      const now = this.deps.clock.now().toISOString();
      const storedUnit = settings.get(SETTING.unitId) ? await repo.findUnit(Number(settings.get(SETTING.unitId))) : undefined;
      let unitId: number;
      if (storedUnit && !storedUnit.deleted_at) {
        unitId = storedUnit.id;
        await repo.updateUnit(unitId, { name, region_code: region.code });
      } else {
        const same = await repo.findRootUnitByName(name);
        unitId = same ? same.id : await repo.insertRootUnit(name, region.code, now);
        if (same) await repo.updateUnit(unitId, { name, region_code: region.code });
      }
      await repo.putSetting(SETTING.officeName, name, now);
      await repo.putSetting(SETTING.regionCode, region.code, now);
      await repo.putSetting(SETTING.unitId, String(unitId), now);
      await this.deps.audit.record(trx, actor, {
        action: 'system.configure', entityType: 'system', entityId: 'profile', before, after: { office_name: name, region_code: region.code, unit_id: unitId },
      });
    });
    return this.getProfile();
  }
}

/** The jurisdiction's region code alone (one setting read), null before the office has said who it is. */
export async function findOfficeRegionCode(db: Executor): Promise<string | null> {
  return (await new SystemRepository(db).findSetting(SETTING.regionCode)) ?? null;
}

/** The jurisdiction (in any transaction), undefined before the office has said who it is. */
export async function findJurisdiction(db: Executor): Promise<Jurisdiction | undefined> {
  const repo = new SystemRepository(db);
  const settings = await repo.listSettings();
  const code = settings.get(SETTING.regionCode);
  const officeName = settings.get(SETTING.officeName);
  if (!code || !officeName) return undefined;
  const region = await repo.findRegion(code);
  if (!region) return undefined;
  const chain = await repo.listRegionChain(region.path);
  const unitId = settings.get(SETTING.unitId);
  return {
    officeName, code, name: region.name, fullName: chain.map((r) => r.name).join(''), path: region.path, level: region.level,
    unitId: unitId ? Number(unitId) : null,
  };
}
