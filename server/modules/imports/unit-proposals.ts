// The responsible units a list names that do not exist yet. An office's first list names 30–300 of them: each is
// either a variant of a unit already there (XX市XX区城市管理局 ↔ 城管局: the jurisdiction's prefixes, the usual 简称,
// full/half width, spaces) or a new unit to create under the office, with a kind guessed from its name.

import { foldText } from '../../../core/search.ts';

export interface UnitRow {
  id: number;
  name: string;
  short_name: string | null;
  region_code: string | null;
  path: string;
}

export type UnitKind = 'department' | 'township' | 'company' | 'park' | 'other';

export const UNIT_KIND_LABELS: Record<string, string> = { office: '发改部门', department: '部门', township: '乡镇（街道）', company: '国有企业', park: '园区', other: '其他' };

/** What the import proposes for one unit name of the file. */
export interface UnitProposal {
  /** The name as the file spells it. */
  name: string;
  /** How many rows name it. */
  rows: number;
  /** 'match': an existing unit under another spelling; 'create': a new unit. */
  action: 'match' | 'create';
  kind: UnitKind;
  matchId?: number;
  matchName?: string;
  /** Other existing units that could be meant (for the wizard's drop-down). */
  candidates: { id: number; name: string }[];
  /** Where a created unit would sit: under the office's root unit, in this region. */
  parentId: number | null;
  regionCode: string | null;
}

/** Long forms → the short forms offices write (住房和城乡建设局 → 住建局). Applied to both sides before comparing. */
const ABBREVIATIONS: [RegExp, string][] = [
  [/发展和改革|发展改革/g, '发改'], [/住房和城乡建设|住房城乡建设/g, '住建'], [/城市管理(综合)?(行政)?(执法)?/g, '城管'],
  [/自然资源和规划|自然资源与规划/g, '自然资源'], [/经济和信息化|经济信息化/g, '经信'], [/人力资源和社会保障/g, '人社'],
  [/市场监督管理/g, '市场监管'], [/文化(和|广电)?(广电)?(和)?旅游(体育)?/g, '文旅'], [/卫生健康|卫生和计划生育/g, '卫健'],
  [/交通运输/g, '交通'], [/生态环境/g, '环境'], [/农业农村/g, '农业'], [/教育(和|与)?(体育)?/g, '教育'], [/科学技术/g, '科技'],
  [/管理委员会/g, '管委会'], [/委员会/g, '委'], [/办公室/g, '办'], [/人民政府/g, '政府'], [/街道办事处/g, '街道'],
  [/有限责任公司|股份有限公司|有限公司/g, '公司'], [/投资集团/g, '投资集团'],
];

/** The kind a unit's name suggests: 局/委/办 department, 镇/街道 township, 公司/集团 state company, 管委会 park. */
export function guessUnitKind(name: string): UnitKind {
  const t = name.normalize('NFKC').replace(/\s+/g, '');
  if (/管委会|管理委员会|(开发|高新|园)区$|园$/.test(t)) return 'park';
  if (/(镇|乡|街道|街道办事处|办事处)(人民政府|政府)?$/.test(t)) return 'township';
  if (/(公司|集团|总公司|有限公司)$/.test(t)) return 'company';
  if (/(局|委|办|委员会|办公室|中心|所|站|院|处|部|厅|队|会)$/.test(t)) return 'department';
  return 'other';
}

/** Matches the file's unit names against the unit tree and proposes what to do with the rest. */
export class UnitMatcher {
  private readonly byName = new Map<string, UnitRow[]>();
  private readonly byKey = new Map<string, UnitRow[]>();
  private readonly prefixes: string[];
  private readonly proposals = new Map<string, UnitProposal>();

  /**
   * `places`: the names of the jurisdiction and its ancestors (浙江省, 杭州市, 西湖区), stripped from the front of
   * names with and without their suffix; `placeOf` resolves a township's place name to a region code.
   */
  private readonly office: { rootUnitId: number | null; regionCode: string | null; places: string[] };
  private readonly placeOf: (name: string) => string | undefined;

  constructor(units: readonly UnitRow[], office: { rootUnitId: number | null; regionCode: string | null; places: string[] }, placeOf: (name: string) => string | undefined) {
    this.office = office;
    this.placeOf = placeOf;
    const prefixes = new Set<string>();
    for (const p of office.places) {
      const f = foldText(p);
      prefixes.add(f);
      const bare = f.replace(/(省|市|自治区|自治州|地区|盟|区|县|旗)$/, '');
      if (bare.length >= 2) prefixes.add(bare);
    }
    this.prefixes = [...prefixes].sort((a, b) => b.length - a.length);
    for (const u of units) {
      for (const n of new Set([u.name, u.short_name].filter((x): x is string => !!x))) {
        push(this.byName, foldText(n), u);
        push(this.byKey, this.keyOf(n), u);
      }
    }
  }

  /** A spelling-independent key: folded, jurisdiction prefixes and a leading 县/市/区 dropped, long forms shortened. */
  keyOf(name: string): string {
    let t = foldText(name).replace(/[()（）·•\-—_]/g, '');
    for (let changed = true; changed;) {
      changed = false;
      for (const p of this.prefixes) {
        if (t.startsWith(p) && t.length - p.length >= 2) {
          t = t.slice(p.length);
          changed = true;
        }
      }
    }
    if (/^[县市区]/.test(t) && t.length >= 4) t = t.slice(1);
    for (const [re, short] of ABBREVIATIONS) t = t.replace(re, short);
    return t;
  }

  /** The office's root unit, under which new units go (null before the office said who it is). */
  get rootUnitId(): number | null {
    return this.office.rootUnitId;
  }

  /** Units of exactly this name or 简称. */
  exact(name: string): UnitRow[] {
    return this.byName.get(foldText(name)) ?? [];
  }

  /** The proposal for a name no unit bears exactly; counted once per row that names it. */
  propose(name: string): UnitProposal {
    const existing = this.proposals.get(name);
    if (existing) {
      existing.rows++;
      return existing;
    }
    const variants = this.byKey.get(this.keyOf(name)) ?? [];
    const kind = guessUnitKind(name);
    let regionCode = this.office.regionCode;
    if (kind === 'township') {
      const place = name.normalize('NFKC').replace(/\s+/g, '').replace(/(人民政府|政府|办事处)$/, '');
      regionCode = this.placeOf(place) ?? regionCode;
    }
    const p: UnitProposal = {
      name, rows: 1, action: variants.length === 1 ? 'match' : 'create', kind,
      ...(variants.length === 1 ? { matchId: variants[0]!.id, matchName: variants[0]!.name } : {}),
      candidates: variants.map((u) => ({ id: u.id, name: u.name })),
      parentId: this.office.rootUnitId, regionCode,
    };
    this.proposals.set(name, p);
    return p;
  }

  list(): UnitProposal[] {
    return [...this.proposals.values()];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}
