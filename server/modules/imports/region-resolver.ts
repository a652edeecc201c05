// Region names in an office's own list, resolved the way the office reads them: inside its jurisdiction first
// (西湖区 in 杭州市 is 330106; 城关镇 is the township of that name under the jurisdiction), 县直/市直/区直/本级 as the
// jurisdiction itself, a name prefixed with its parents (杭州市西湖区) by its last part, and only then nationwide.
// A name still ambiguous gets a message naming the candidates; a development-zone name (高新区, 经开区, 产业园) that
// is not in the tree is proposed as a new custom area under the jurisdiction.

import crypto from 'node:crypto';
import { foldText } from '../../../core/search.ts';

export interface RegionRow {
  code: string;
  name: string;
  path: string;
  parent_code: string | null;
  level: number;
}

/** The outcome of one name: a code, a proposed custom area, or a refusal naming candidates. */
export type RegionResolution =
  | { ok: true; code: string }
  | { ok: false; area: string; message: string }
  | { ok: false; area?: undefined; message: string; candidates?: { code: string; name: string }[] };

const SELF = /^(县直|市直|区直|旗直|州直|本级|县本级|市本级|区本级|县级|市级|区级|全县|全市|全区|本县|本市|本区)(单位|部门)?$/;
/** Names of development zones and parks, which the national tree does not hold. */
export const ZONE = /(高新|经开|开发|保税|综保|自贸|产业|工业|科技|物流|度假|新|园)区$|(产业|工业|科技|创业|物流|农业|文创|软件)?园(区)?$|示范区$|集聚区$|新城$|管委会$/;
const SUFFIXES = ['省', '市', '自治州', '地区', '盟', '区', '县', '旗', '自治县', '镇', '乡', '街道', '街道办事处', '办事处'];

// Folding 44k names (traditional → simplified, full width) costs ~0.7 s: done once per process, not per import.
const KEYS = new Map<string, string[]>();
let INDEX: { sig: string; byCode: Map<string, RegionRow>; byName: Map<string, RegionRow[]> } | undefined;

/** Resolves region names of one import against the tree and the office's jurisdiction (its materialized path). */
export class RegionResolver {
  private readonly byName: Map<string, RegionRow[]>;
  private readonly byCode: Map<string, RegionRow>;
  private readonly jurisdiction: RegionRow | undefined;

  /**
   * `regions`: the whole tree (an import), or only the rows one name can reach (`namesToLookUp`, their ancestors and
   * the jurisdiction's: `GET /regions/resolve`), which gives the same answer; `shared: false` keeps such a subset out
   * of the process-wide index.
   */
  constructor(regions: readonly RegionRow[], jurisdictionCode: string | undefined, opts: { shared?: boolean } = {}) {
    // The index is kept while the tree is unchanged (the same rows: codes, names and paths).
    let text = '';
    if (opts.shared !== false) for (const r of regions) text += `${r.code}\t${r.name}\t${r.path}\n`;
    const sig = opts.shared === false ? undefined : crypto.createHash('sha1').update(text).digest('hex');
    if (sig && INDEX?.sig === sig) {
      this.byCode = INDEX.byCode;
      this.byName = INDEX.byName;
    } else {
      this.byCode = new Map();
      this.byName = new Map();
      for (const r of regions) {
        this.byCode.set(r.code, r);
        for (const key of this.keysOf(r.name)) {
          const list = this.byName.get(key);
          if (list) list.push(r);
          else this.byName.set(key, [r]);
        }
      }
      // Candidates in code order, whatever order the rows came in (the whole tree or an indexed subset, either engine).
      for (const list of this.byName.values()) if (list.length > 1) list.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
      if (sig) INDEX = { sig, byCode: this.byCode, byName: this.byName };
    }
    this.jurisdiction = jurisdictionCode ? this.byCode.get(jurisdictionCode) : undefined;
  }

  /** The folded name and, for a township or district, the name without its suffix (城关 ↔ 城关镇). Cached per name. */
  private keysOf(name: string): string[] {
    const cached = KEYS.get(name);
    if (cached) return cached;
    const f = foldText(name);
    const keys = [f];
    for (const s of SUFFIXES) {
      if (f.endsWith(s) && f.length - s.length >= 2) keys.push(`~${f.slice(0, -s.length)}`);
    }
    KEYS.set(name, keys);
    return keys;
  }

  /**
   * The region names `resolve(raw)` can reach: the typed name and each part of a prefixed name (杭州市西湖区), folded,
   * bare and with each suffix (城关 → 城关镇, 城关街道 …). A region any key of `candidates` matches has one of these names.
   */
  static namesToLookUp(raw: string): string[] {
    const t = raw.normalize('NFKC').replace(/\s+/g, '').trim();
    const parts = t.match(/.+?(省|自治区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)/g) ?? [];
    const names = new Set<string>();
    for (const p of [t, ...parts]) {
      const f = foldText(p);
      names.add(f);
      for (const s of SUFFIXES) names.add(f + s);
    }
    return [...names];
  }

  get jurisdictionCode(): string | undefined {
    return this.jurisdiction?.code;
  }

  find(code: string): RegionRow | undefined {
    return this.byCode.get(code);
  }

  /** The full name of a region: its ancestors' names and its own (长春市朝阳区). */
  fullName(r: RegionRow): string {
    const chain = r.path.split('/').filter(Boolean).map((c) => this.byCode.get(c)).filter((a): a is RegionRow => !!a);
    // 市辖区 and 省直辖县级行政区划 are bookkeeping levels; a province is left out when a city names the place
    // (长春市朝阳区), kept for municipalities (北京市朝阳区).
    const named = chain.filter((a) => !/^(市辖区|县|.*直辖.*)$/.test(a.name));
    const hasCity = named.some((a) => a.level === 2);
    return named.filter((a) => !(a.level === 1 && hasCity && r.level > 2)).map((a) => a.name).join('');
  }

  private candidates(text: string): RegionRow[] {
    const f = foldText(text);
    const exact = this.byName.get(f) ?? [];
    if (exact.length) return exact;
    return this.byName.get(`~${f}`) ?? [];
  }

  private inside(rows: RegionRow[]): RegionRow[] {
    const j = this.jurisdiction;
    if (!j) return rows;
    return rows.filter((r) => r.path.startsWith(j.path));
  }

  /** Inside the jurisdiction, above it, or in its province. */
  private near(r: RegionRow): boolean {
    const j = this.jurisdiction!;
    return r.path.startsWith(j.path) || j.path.startsWith(r.path) || r.path.split('/')[1] === j.path.split('/')[1];
  }

  /** Prefers candidates inside the jurisdiction, then candidates that contain it (its city or province). */
  private narrow(rows: RegionRow[]): RegionRow[] {
    if (rows.length <= 1 || !this.jurisdiction) return rows;
    const inside = this.inside(rows);
    if (inside.length) return inside;
    const above = rows.filter((r) => this.jurisdiction!.path.startsWith(r.path));
    if (above.length) return above;
    // Near the jurisdiction: same province, then same city.
    const province = this.jurisdiction.path.split('/')[1];
    const sameProvince = rows.filter((r) => r.path.split('/')[1] === province);
    return sameProvince.length ? sameProvince : rows;
  }

  /** Resolves a 所属地区 cell: a code, a name, a prefixed name, 县直 and its kin, or a development zone. */
  resolve(raw: string): RegionResolution {
    const t = raw.normalize('NFKC').replace(/\s+/g, '').trim();
    if (/^\d{6,12}$/.test(t)) {
      return this.byCode.has(t) ? { ok: true, code: t } : { ok: false, message: `行政区划代码不存在：${t}` };
    }
    if (SELF.test(t)) {
      if (this.jurisdiction) return { ok: true, code: this.jurisdiction.code };
      return { ok: false, message: `“${t}”指本级，但尚未设置本单位辖区：请先运行 docket init --region <代码> 或在首次运行页面设置` };
    }
    let found = this.narrow(this.candidates(t));
    // A zone name that only exists far from the jurisdiction (another province's 高新区 township) is this office's own zone.
    if (this.jurisdiction && ZONE.test(t) && found.length && !found.some((r) => this.near(r))) found = [];
    if (!found.length) {
      // 杭州市西湖区, 浙江省杭州市西湖区: the last part, under the parts before it.
      const parts = t.match(/.+?(省|自治区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)/g);
      if (parts && parts.length > 1 && parts.join('') === t) {
        let rows = this.candidates(parts[parts.length - 1]!);
        for (const p of parts.slice(0, -1)) {
          const ancestors = this.candidates(p);
          rows = rows.filter((r) => ancestors.some((a) => r.path.startsWith(a.path)));
        }
        found = this.narrow(rows);
      }
    }
    if (found.length === 1) return { ok: true, code: found[0]!.code };
    if (found.length > 1) {
      const list = found.slice(0, 6).map((r) => `${this.fullName(r)} ${r.code}`).join(' / ');
      return {
        ok: false, message: `地区名称“${t}”对应多个行政区划：${list}${found.length > 6 ? ` 等 ${found.length} 个` : ''}，请填写 6 位区划代码或带上级名称（如“${this.fullName(found[0]!)}”）`,
        candidates: found.slice(0, 20).map((r) => ({ code: r.code, name: this.fullName(r) })),
      };
    }
    if (ZONE.test(t)) {
      const under = this.jurisdiction;
      return {
        ok: false, area: t,
        message: under
          ? `所属地区“${t}”不在行政区划中：可作为自定义区域（开发区/园区）建在${under.name}下（选择“建立缺少的单位和区域”）`
          : `所属地区“${t}”不在行政区划中：请先设置本单位辖区，或在地区管理中添加该开发区/园区`,
      };
    }
    return { ok: false, message: `所属地区“${t}”不存在${this.jurisdiction ? `（已在${this.jurisdiction.name}辖区内和全国查找）` : ''}` };
  }
}
