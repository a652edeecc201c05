// The columns Docket understands in an office's workbook: each field has its template header, the shapes its
// cells take, and the header texts (synonyms) that name it in users' own workbooks.

import type { MoneyUnit } from '../../../core/money.ts';

/** How a field's cells are read. */
export type FieldKind = 'text' | 'money' | 'date' | 'years' | 'year' | 'month' | 'bool' | 'int' | 'coded' | 'levels' | 'tick';

export interface FieldDef {
  key: string;
  /** The header in Docket's templates and exports (money headers get the unit appended). */
  label: string;
  kind: FieldKind;
  /** Header texts that name this field, tried on the normalized header (no spaces, units, "其中：", "*"). */
  patterns: RegExp[];
  /**
   * Tried first, on the whole normalized header path of a multi-row header: a sub-column "省级" under "项目级别"
   * is a level tick, not the 省级资金 its lowest part alone would name.
   */
  pathPatterns?: RegExp[];
  /** For coded fields: accepted texts → stored code. The first text per code is the template's. */
  codes?: Record<string, string>;
  maxLength?: number;
  /** Shown in the instructions sheet. */
  hint?: string;
}

export const NATURE_CODES: Record<string, string> = { 新建: 'new', 续建: 'continued', 扩建: 'expansion', 改建: 'reconstruction', 技改: 'tech_upgrade', 技术改造: 'tech_upgrade', 改扩建: 'expansion' };
export const INVESTMENT_TYPE_CODES: Record<string, string> = { 政府投资: 'government', 社会投资: 'social', 企业投资: 'social', 民间投资: 'social' };
export const STAGE_CODES: Record<string, string> = {
  前期: 'preliminary', 谋划储备: 'planning', 谋划: 'planning', 储备: 'planning', 前期推进: 'preliminary', 签约: 'signed', 在建: 'started', 开工: 'started',
  已开工: 'started', 新开工: 'started', 竣工: 'completed', 已竣工: 'completed', 投产: 'producing', 已投产: 'producing', 停工: 'paused', 停建: 'paused', 开工在建: 'started',
};
export const LIST_KIND_CODES: Record<string, string> = { 年初: 'initial', 年初清单: 'initial', 增补: 'supplementary', 增补清单: 'supplementary' };
/** Campaign groups (四个一批, 三个一批) that a group heading row may name. */
export const CAMPAIGN_GROUPS = ['投产达产', '加快建设', '促进开工', '前期储备', '签约一批', '开工一批', '投产一批', '竣工一批'];

const bool = (key: string, label: string, patterns: RegExp[]): FieldDef => ({ key, label, kind: 'bool', patterns });
const money = (key: string, label: string, patterns: RegExp[]): FieldDef => ({ key, label, kind: 'money', patterns });
const text = (key: string, label: string, patterns: RegExp[], maxLength = 200): FieldDef => ({ key, label, kind: 'text', patterns, maxLength });

/** The 序号 column: not a project field, read only for the numbering of package sub-items ("1.1", "（1）", "①"). */
export const SEQ_PATTERN = /^(序号|编号|序|no\.?|#)$/i;

/** The project levels stored in project_levels, in their order. */
export const LEVEL_CODES = ['national', 'province', 'city', 'county'] as const;
export type LevelCode = (typeof LEVEL_CODES)[number];
export const LEVEL_LABELS: Record<LevelCode, string> = { national: '国家重点', province: '省重点', city: '市重点', county: '县重点' };

/** One tick column per level ("省重点" with ✓ / √ / 是 / 1), also as a sub-column under a "项目级别" header. */
const LEVEL_TICKS: FieldDef[] = ([
  ['national', '国家', '国家(级)?|国'],
  ['province', '省', '省(级)?'],
  ['city', '市', '(市|州)(级)?'],
  ['county', '县', '(县|区|县区|区县|县市区|县\\(市、区\\))(级)?'],
] as const).map(([code, short, re]) => ({
  key: `level_${code}`, label: `是否${short === '国家' ? '国家' : short}重点项目`, kind: 'tick' as const,
  patterns: [new RegExp(`^(是否)?(${re})重点(项目)?$`)],
  pathPatterns: [new RegExp(`^(项目|重点项目)?(级别|层级)(${re})(重点)?(项目)?$`)],
  hint: `打“√”“✓”或填“是”“1”表示${LEVEL_LABELS[code]}；本行任一级别列有填写时，空白视为“否”`,
}));

/** The level tick field of a level code. */
export function tickKey(level: LevelCode): string {
  return `level_${level}`;
}

const LEVEL_CHAR: Record<string, LevelCode> = { 国: 'national', 省: 'province', 市: 'city', 州: 'city', 县: 'county', 区: 'county' };

/**
 * A 项目级别 cell: "省重点、市重点", "省市重点", "省级", "国家级重点项目", "市重中之重" → the levels named and whether
 * the city's 重中之重 marker is named. "无" names no level. Unknown text → `{ unknown }` with the offending part.
 */
export function parseLevels(text: string): { levels: LevelCode[]; keyOfKey: boolean } | { unknown: string } {
  const t = text.normalize('NFKC').replace(/\s+/g, '').replace(/["'“”‘’「」『』]/g, '').replace(/\((市、?区|市|区)\)/g, '');
  if (/^(无|否|-|—|\/)$/.test(t)) return { levels: [], keyOfKey: false };
  const found = new Set<LevelCode>();
  let keyOfKey = false;
  for (const raw of t.split(/[、,，;；/|+＋和及与]+/)) {
    if (!raw) continue;
    let part = raw.replace(/^(列入|纳入)/, '');
    if (/重中之重/.test(part)) {
      keyOfKey = true;
      part = part.replace(/重中之重(项目)?/, '');
      if (part === '') continue;
    }
    part = part.replace(/(级)?(重点)?(建设)?(项目)?(清单)?$/, '').replace(/国家/g, '国').replace(/级/g, '');
    if (part === '' || ![...part].every((ch) => ch in LEVEL_CHAR)) return { unknown: raw };
    for (const ch of part) found.add(LEVEL_CHAR[ch]!);
  }
  return { levels: LEVEL_CODES.filter((l) => found.has(l)), keyOfKey };
}

/** A level tick cell: yes/no texts, ticks and stars. Undefined when it is neither. */
export function parseTick(v: string | number | boolean): boolean | undefined {
  const b = parseBool(v);
  if (b !== undefined) return b;
  const t = String(v).normalize('NFKC').trim();
  if (['★', '☆', '●', '▲', '✅', '☑', '✓', '√', 'v', 'V'].includes(t)) return true;
  if (['○', '×', '✕', '✘', '☐'].includes(t)) return false;
  // The cell repeats its column's level ("省重点" under 省重点): a yes.
  const levels = parseLevels(t);
  return 'levels' in levels && levels.levels.length === 1 ? true : undefined;
}

/** A 序号 cell: a major item ("1"), a sub-item ("1.1", "1-2", "（1）", "(1)", "1)", "①"), or something else. */
export function parseSeq(v: string | number | null): { kind: 'major'; n: string } | { kind: 'sub'; style: SeqStyle; parent?: string } | { kind: 'none' } {
  if (v === null || v === '') return { kind: 'none' };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'major', n: String(v) } : subOfNumber(v);
  // Circled and parenthesized digits (①, ⑴) before NFKC, which would fold ① into a plain 1.
  if (/^[\u2460-\u2473\u2474-\u2487\u24f5-\u24fe\u2776-\u277f]$/.test(v.trim())) return { kind: 'sub', style: 'circled' };
  const t = v.normalize('NFKC').replace(/\s+/g, '');
  if (/^\d+[.、]?$/.test(t)) return { kind: 'major', n: t.replace(/[.、]$/, '') };
  const dotted = /^(\d+)[.\-_]\d+$/.exec(t);
  if (dotted) return { kind: 'sub', style: 'dotted', parent: dotted[1] };
  if (/^\(\d+\)$|^\d+\)$/.test(t)) return { kind: 'sub', style: 'paren' };
  return { kind: 'none' };
}

function subOfNumber(v: number): { kind: 'sub'; style: SeqStyle; parent: string } {
  // A 1.1 typed into a numeric cell arrives as the number 1.1.
  return { kind: 'sub', style: 'dotted', parent: String(Math.trunc(v)) };
}

/** How a sub-item is numbered: 1.1, （1）, ①. */
export type SeqStyle = 'dotted' | 'paren' | 'circled';

// Identification, shared by every kind of import.
const IDENTITY: FieldDef[] = [
  { key: 'code', label: '项目代码', kind: 'text', maxLength: 32, patterns: [/^(国家)?项目(统一)?(代码|编码)$/, /^统一项目代码$/, /审批监管平台.*代码/, /^项目赋码$/], hint: '全国投资项目在线审批监管平台赋予的 24 位代码，如 2020-320506-44-01-123456；有代码时按代码匹配已有项目' },
  { key: 'name', label: '项目名称', kind: 'text', maxLength: 200, patterns: [/^(项目)?名称$/, /^项目$/, /^项目全称$/], hint: '必填；无项目代码时按“项目名称 + 所属地区”匹配已有项目（繁简体视为相同）' },
  { key: 'region', label: '所属地区', kind: 'text', maxLength: 50, patterns: [/^(所属|所在)?(地区|区域|县区|县市区|区县|县（市、区）|县\(市、区\)|镇街|乡镇|行政区划)(代码|名称)?$/, /^属地$/], hint: '行政区划名称或 6/9 位代码，如 吴中区 或 320506' },
];

/** Fields of the project list (项目清单). */
export const PROJECT_FIELDS: FieldDef[] = [
  ...IDENTITY,
  bool('is_attraction', '是否招商引资项目', [/^是否.*招商引资/]),
  bool('is_central_budget', '是否中央预算内项目', [/^是否.*中央预算内/]),
  bool('is_special_bond', '是否专项债项目', [/^是否.*专项债/]),
  bool('is_key_of_key', '是否重中之重', [/重中之重/]),
  bool('stats_entered', '是否入库纳统', [/^是否.*纳统/]),
  { key: 'stats_code', label: '纳统项目编码', kind: 'text', maxLength: 64, patterns: [/纳统.*(编码|代码)/, /统计.*(编码|代码)/] },
  { key: 'unit', label: '责任单位', kind: 'text', maxLength: 100, patterns: [/^(责任|主责|推进|包保|属地)(单位|主体|部门)(名称)?$/, /^属地责任单位$/], hint: '必填；须与系统中的单位名称（或简称）一致' },
  { key: 'lead_unit', label: '牵头单位', kind: 'text', maxLength: 100, patterns: [/^牵头(责任)?(单位|部门)(名称)?$/, /^(项目)?牵头单位$/], hint: '须与系统中的单位名称（或简称）一致；表中没有“责任单位”列时，牵头单位同时作为责任单位' },
  { key: 'levels', label: '项目级别', kind: 'levels', maxLength: 100, patterns: [/^(项目|重点项目)?(级别|层级)$/, /^重点(项目)?级别$/], hint: '国家重点、省重点、市重点、县重点，可多选，用顿号分隔（如“省重点、市重点”，也可写“省市重点”“省级”）；市级“重中之重”可写“市重中之重”。填写后以本列为准替换项目原有级别' },
  ...LEVEL_TICKS,
  { key: 'package', label: '所属打包项目', kind: 'text', maxLength: 200, patterns: [/^所属(打包)?(项目|母项目)(名称)?$/, /^打包项目(名称)?$/, /^(上级|母|主)项目(名称)?$/], hint: '子项目填写所属打包项目的名称（或项目代码），打包项目本身留空；也可不用本列，按序号“1”下的“1.1”“（1）”“①”或名称前的“其中：”表示子项目' },
  { key: 'builder_uscc', label: '统一社会信用代码', kind: 'text', maxLength: 18, patterns: [/信用代码/] },
  { key: 'builder_name', label: '建设单位', kind: 'text', maxLength: 200, patterns: [/^(建设|项目|业主|实施)(单位|主体)(名称)?$/, /^项目法人(单位)?$/, /^(项目)?业主(单位)?(名称)?$/], hint: '项目业主、建设单位、业主单位：只作记录，不作为责任单位' },
  text('builder_legal_person', '法定代表人', [/^(项目)?法人代表$/, /^法定代表人$/], 50),
  text('builder_contact', '联系人', [/^(项目)?联系人(姓名)?$/], 50),
  text('builder_phone', '联系电话', [/^(联系)?(电话|手机)(号码)?$/], 50),
  text('leader_name', '责任领导', [/^(责任|包保|挂钩|包挂|分管|联系)领导(姓名)?$/, /^区领导$/, /^县领导$/], 50),
  text('leader_post', '领导职务', [/^(责任)?领导职务$/], 100),
  { key: 'nature', label: '建设性质', kind: 'coded', codes: NATURE_CODES, patterns: [/^(建设|项目)?性质$/] },
  { key: 'investment_type', label: '投资类型', kind: 'coded', codes: INVESTMENT_TYPE_CODES, patterns: [/^投资(类型|主体|性质|类别)$/] },
  text('category', '项目类别', [/^(项目)?(类别|类型|分类)$/, /^(产业|行业)类别$/], 64),
  text('industry_code', '所属行业', [/^(所属|国民经济)?行业(代码|分类)?$/], 64),
  { key: 'campaign_group', label: '四个一批分组', kind: 'text', maxLength: 32, patterns: [/一批/, /^(项目)?分组$/], hint: `如 ${CAMPAIGN_GROUPS.slice(0, 4).join('、')}；也可用分组标题行（如“一、投产达产”）表示` },
  text('address', '建设地点', [/^(建设|项目)?(地点|地址|选址)$/], 200),
  text('scope_content', '建设规模及内容', [/建设(规模|内容)/, /^主要建设内容$/, /^项目(概况|简介)$/], 4000),
  { key: 'years', label: '建设起止年限', kind: 'years', patterns: [/起止年限/, /^建设(年限|周期)$/] },
  { key: 'planned_start_date', label: '计划开工时间', kind: 'date', patterns: [/^(计划)?开工(时间|日期|年月)$/] },
  { key: 'actual_start_date', label: '实际开工时间', kind: 'date', patterns: [/^实际开工(时间|日期|年月)?$/] },
  { key: 'planned_completion_date', label: '计划竣工时间', kind: 'date', patterns: [/^(计划)?竣工(时间|日期|年月)$/] },
  { key: 'actual_completion_date', label: '实际竣工时间', kind: 'date', patterns: [/^实际竣工(时间|日期|年月)?$/] },
  { key: 'planned_production_date', label: '计划投产时间', kind: 'date', patterns: [/^(计划)?投产(时间|日期|年月)$/] },
  { key: 'actual_production_date', label: '实际投产时间', kind: 'date', patterns: [/^实际投产(时间|日期|年月)?$/] },
  { key: 'stage', label: '项目阶段', kind: 'coded', codes: STAGE_CODES, patterns: [/^(项目|建设)?(阶段|进展阶段|建设状态|状态)$/] },
  money('total_investment', '总投资', [/^(计划|项目)?总投资(额)?(合计)?$/]),
  money('fund_central', '中央资金', [/^中央(预算内)?(资金|投资)?$/]),
  money('fund_province', '省级资金', [/^省(级)?(资金|投资)?$/]),
  money('fund_city', '市级资金', [/^市(级)?(资金|投资)?$/]),
  money('fund_county', '县级资金', [/^(县|区|县区|区县)(级)?(资金|投资)?$/]),
  money('fund_bank_loan', '银行贷款', [/银行贷款|^贷款$/]),
  money('fund_self', '企业自筹', [/自筹/]),
  money('fund_special_bond', '专项债资金', [/^专项债(券)?(资金)?$/]),
  { key: 'list_year', label: '年度', kind: 'year', patterns: [/^(清单|计划)?(年度|年份)$/] },
  text('batch', '批次', [/^批次$/], 32),
];

const PLAN_ONLY: FieldDef[] = [
  money('planned_investment', '年度计划投资', [/^(\d{4}年)?(年度)?计划(完成)?投资(额)?$/, /^本年(度)?计划投资$/, /^年度投资计划$/]),
  money('completed_before_year', '截至上年底累计完成投资', [/截至?上年(底|末)?.*累计/, /以前年度.*完成/, /^至上年底.*完成/, /^(截)?至\d{4}年(底|末).*完成/, /^\d{4}年(底|末)(前|以前)?累计完成/]),
  bool('plan_new_start', '是否计划新开工', [/^是否(计划)?新开工$/]),
  { key: 'plan_start_month', label: '计划开工月份', kind: 'month', patterns: [/^计划开工月份$/] },
  bool('plan_completion', '是否计划竣工', [/^是否(计划)?竣工$/]),
  { key: 'plan_completion_month', label: '计划竣工月份', kind: 'month', patterns: [/^计划竣工月份$/] },
  bool('plan_production', '是否计划投产', [/^是否(计划)?投产$/]),
  { key: 'plan_production_month', label: '计划投产月份', kind: 'month', patterns: [/^计划投产月份$/] },
  text('progress_target', '年度形象进度目标', [/^年度(建设)?形象进度(目标)?$/, /^形象进度目标$/, /^年度(建设)?目标$/], 1000),
  { key: 'list_kind', label: '清单类型', kind: 'coded', codes: LIST_KIND_CODES, patterns: [/^清单类型$/, /^年初.?增补$/] },
  // The month-by-month plan (计划完成表): columns labelled by month, "1月" / "1月计划" / "3月份计划投资".
  ...Array.from({ length: 12 }, (_, i) => money(`plan_m${String(i + 1).padStart(2, '0')}`, `${i + 1}月计划投资`,
    [new RegExp(`^${i + 1}月份?(计划)?(完成)?(投资)?(计划)?$`)])),
];

/** Fields of the annual plan (年度计划表): identification, year and the plan. */
export const PLAN_FIELDS: FieldDef[] = [
  ...IDENTITY,
  { key: 'list_year', label: '年度', kind: 'year', patterns: [/^(清单|计划)?(年度|年份)$/], hint: '必填（也可在表头上方标题中写明，如“2026年重点项目计划表”）' },
  ...PLAN_ONLY,
];

/**
 * Progress to date that a real list carries next to the plan (1–N月累计完成投资, 形象进度): a project import writes it
 * as the period's approved monthly figures, marked as imported (project-progress.ts).
 */
export const PROGRESS_FIELDS: FieldDef[] = [
  money('progress_ytd', '1-N月累计完成投资', [/^(\d{4}年)?1[-—–~至到]\d{1,2}月(份)?.*完成/, /^(\d{4}年)?1[-—–~至到]\d{1,2}月(份)?累计/, /^本年(度)?累计(完成)?投资(额)?$/, /^(今年|年初)至今.*完成/]),
  text('progress_text', '形象进度', [/形象进度/, /^(工程|建设)进展(情况)?$/, /^目前(进展|进度)(情况)?$/], 2000),
];

/** The project list also carries a year's plan and the progress to date when their columns are present. */
export const PROJECT_LIST_FIELDS: FieldDef[] = [...PROJECT_FIELDS, ...PLAN_ONLY, ...PROGRESS_FIELDS];

/** Header text normalized for matching: full-width folded, no spaces, units, markers or "其中：". */
export function normalizeHeader(text: string): string {
  return text.normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[(（[【](万亿元|亿元|万元|元|万|亿|个|人|年|月|%)[)）\]】]/g, '')
    .replace(/^其中[:：]?/, '')
    .replace(/^[*＊※]+|[*＊※]+$/g, '')
    .replace(/[:：]$/, '');
}

/** API names that differ from a field's key (the project API's `region_code`, `project_name` …). */
const API_ALIASES: Record<string, string> = {
  region_code: 'region', project_name: 'name', project_code: 'code', unit_name: 'unit', lead_unit_name: 'lead_unit', package_name: 'package',
};

/** A header written as an API field name ("total_investment_wan", "Name", "region-code"), normalized, or undefined. */
function apiName(text: string): string | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/^[*]+|[*]+$/g, '');
  return /^[a-z][a-z0-9_]*$/.test(t) ? t : undefined;
}

/**
 * The field an English header names: the API's own field names (`name`, `region`, `stage`, `amount_month` …,
 * `region_code` too) are header synonyms; a money field may carry its unit as a suffix (`total_investment_wan`,
 * `_yi`, `_yuan`).
 */
function matchApiName(text: string, fields: FieldDef[]): FieldDef | undefined {
  const t = apiName(text);
  if (!t) return undefined;
  const key = API_ALIASES[t] ?? t;
  const exact = fields.find((f) => f.key === key);
  if (exact) return exact;
  const money = /^(.+)_(wan|yi|yuan)$/.exec(key);
  return money ? fields.find((f) => f.kind === 'money' && f.key === money[1]) : undefined;
}

/**
 * The unit of a money column headed by an API field name: a `_wan` / `_yi` / `_yuan` suffix, else yuan (the API's
 * unit: money is integer yuan). Undefined for any other header.
 */
export function apiHeaderUnit(text: string, field: FieldDef): MoneyUnit | undefined {
  const t = apiName(text);
  if (!t || field.kind !== 'money' || matchApiName(text, [field]) !== field) return undefined;
  if (t.endsWith('_wan')) return '万元';
  if (t.endsWith('_yi')) return '亿元';
  return '元';
}

/** The field a header names, trying the lowest header part first, then the whole path, then upper parts. */
export function matchField(parts: string[], fields: FieldDef[]): FieldDef | undefined {
  const api = parts.length === 1 ? matchApiName(parts[0]!, fields) : undefined;
  if (api) return api;
  if (parts.length > 1) {
    const path = normalizeHeader(parts.join(''));
    for (const f of fields) if (f.pathPatterns?.some((p) => p.test(path))) return f;
  }
  const candidates = [parts[parts.length - 1] ?? '', parts.join(''), ...parts.slice(0, -1).reverse()].map(normalizeHeader).filter(Boolean);
  for (const c of candidates) {
    for (const f of fields) if (f.patterns.some((p) => p.test(c))) return f;
  }
  return undefined;
}

/** The stored code of a coded cell, or undefined when the text is not one of the field's codes. */
export function codeOf(field: FieldDef, text: string): string | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const codes = field.codes ?? {};
  if (t in codes) return codes[t];
  if (Object.values(codes).includes(t)) return t;
  return undefined;
}

/** The template's label of a stored code (the first text that maps to it). */
export function labelOf(codes: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '';
  return Object.entries(codes).find(([, v]) => v === code)?.[0] ?? code;
}

/** A yes/no cell: 是/否, √/×, Y/N, 1/0, true/false. Undefined when it is neither. */
export function parseBool(v: string | number | boolean): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const t = String(v).normalize('NFKC').trim().toLowerCase();
  if (['是', '√', '✓', '✔', 'y', 'yes', '1', 'true', '有'].includes(t)) return true;
  if (['否', '×', '✗', 'n', 'no', '0', 'false', '无', '-'].includes(t)) return false;
  return undefined;
}

/** The heading's campaign group ("一、投产达产（共12个）" → 投产达产), undefined when it names none. */
export function campaignGroupOf(heading: string): string | undefined {
  const t = heading.normalize('NFKC').replace(/\s+/g, '');
  return CAMPAIGN_GROUPS.find((g) => t.includes(g)) ?? CAMPAIGN_GROUPS.find((g) => g.endsWith('一批') && t.includes(`${g.slice(0, 2)}类`));
}

/** Fields of the monthly progress sheet (月度进度). */
export const MONTHLY_FIELDS: FieldDef[] = [
  ...IDENTITY,
  { key: 'year', label: '年份', kind: 'year', patterns: [/^(填报)?年(份|度)$/] },
  { key: 'month', label: '月份', kind: 'month', patterns: [/^(填报)?月份$/] },
  money('amount_month', '本月完成投资', [/^(本|当)月(完成)?投资$/, /^本月完成$/]),
  money('amount_ytd', '1-N月累计完成投资', [/^1[-—~至]N?\d*月.*(完成|累计)/, /^本年(度)?累计(完成)?投资$/, /^年内累计/]),
  money('amount_since_start', '自开工累计完成投资', [/^(自)?开工(以来)?累计(完成)?投资$/, /^累计完成投资$/]),
  { key: 'stage', label: '项目阶段', kind: 'coded', codes: STAGE_CODES, patterns: [/^(项目|建设)?(阶段|进展阶段|建设状态|状态)$/] },
  { key: 'stage_date', label: '阶段变更日期', kind: 'date', patterns: [/^阶段(变更)?日期$/, /^(实际)?(开工|竣工|投产)(时间|日期)$/], hint: '建设阶段变为开工、竣工或投产时必填' },
  text('progress_text', '形象进度', [/^(本月)?形象进度$/, /^(工程|建设)进展(情况)?$/], 2000),
  { key: 'workers', label: '施工人数', kind: 'int', patterns: [/^(在岗|施工|用工)人数$/] },
  text('problems', '存在问题', [/存在(的)?问题|需协调/], 2000),
  text('next_plan', '下月计划', [/^下(一)?月(工作)?计划$/], 2000),
  bool('stats_entered', '是否入库纳统', [/^是否.*纳统/]),
  { key: 'stats_code', label: '纳统项目编码', kind: 'text', maxLength: 64, patterns: [/纳统.*(编码|代码)/] },
  text('stats_reason', '未纳统原因', [/未(入库)?纳统原因/], 500),
  text('negative_reason', '负数原因', [/负数原因|核减原因/], 500),
];

/**
 * Template columns per kind, in order (exports write `keys`); `required` get a * in the header. `templateKeys`:
 * the import template's own order when it carries columns that exports do not write (yet).
 */
export const TEMPLATE_COLUMNS: Record<'projects' | 'plans' | 'monthly', { fields: FieldDef[]; keys: string[]; templateKeys?: string[]; required: string[] }> = {
  projects: {
    fields: PROJECT_LIST_FIELDS,
    keys: ['code', 'name', 'region', 'unit', 'nature', 'category', 'investment_type', 'campaign_group', 'builder_name', 'builder_uscc', 'address', 'scope_content',
      'years', 'planned_start_date', 'planned_completion_date', 'stage', 'total_investment', 'fund_central', 'fund_province', 'fund_city', 'fund_county',
      'fund_bank_loan', 'fund_self', 'fund_special_bond', 'list_year', 'planned_investment', 'leader_name', 'builder_contact', 'builder_phone', 'stats_code', 'is_attraction'],
    templateKeys: ['code', 'name', 'package', 'region', 'unit', 'lead_unit', 'levels', 'nature', 'category', 'investment_type', 'campaign_group', 'builder_name',
      'builder_uscc', 'address', 'scope_content', 'years', 'planned_start_date', 'planned_completion_date', 'stage', 'total_investment', 'fund_central',
      'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond', 'list_year', 'planned_investment', 'leader_name',
      'builder_contact', 'builder_phone', 'stats_code', 'is_attraction'],
    required: ['name', 'region', 'unit', 'total_investment'],
  },
  plans: {
    fields: PLAN_FIELDS,
    keys: ['code', 'name', 'region', 'list_year', 'planned_investment', 'completed_before_year', 'plan_new_start', 'plan_start_month', 'plan_completion',
      'plan_completion_month', 'plan_production', 'plan_production_month', 'progress_target', 'list_kind'],
    required: ['name', 'list_year', 'planned_investment'],
  },
  monthly: {
    fields: MONTHLY_FIELDS,
    keys: ['code', 'name', 'region', 'year', 'month', 'amount_month', 'amount_ytd', 'stage', 'stage_date', 'progress_text', 'workers', 'problems', 'next_plan',
      'stats_entered', 'stats_code', 'stats_reason', 'negative_reason'],
    required: ['name', 'year', 'month', 'amount_month'],
  },
};

/** The header a template or export writes for a field: label, unit for money, * when required. */
export function templateHeader(field: FieldDef, required = false): string {
  return `${field.label}${field.kind === 'money' ? '（万元）' : ''}${required ? '*' : ''}`;
}
