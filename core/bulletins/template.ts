// A bulletin template is data: the office edits it (红头, title, 主送, body blocks with placeholders, tables,
// annexes, 落款, 抄送/印发, fonts). compose.ts fills it from the frozen figures; this file holds its shape, the
// default every office starts from and the checks that name a mistake in Chinese.
import { placeholdersOf } from './phrases.ts';

/** The auto tables a template can place in the body or an annex. */
export const TABLE_KINDS = ['nature', 'category', 'investment_type', 'unit_ranking', 'lights', 'fast', 'slow'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export const TABLE_LABELS: Record<TableKind, string> = {
  nature: '按建设性质分', category: '按项目类别分', investment_type: '按投资类型分', unit_ranking: '各单位推进情况排名',
  lights: '红黄灯项目名单', fast: '投资完成率较快项目（十快）', slow: '投资完成率较慢项目（十慢）',
};

/** Groupings whose rows a `group_list` block turns into '一是…二是…'. */
export const GROUP_SOURCES = ['nature', 'category', 'investment_type', 'units'] as const;
export type GroupSource = (typeof GROUP_SOURCES)[number];

/** One block of the body (or of an annex). */
export type TemplateBlock =
  /** A numbered heading: level 1 一、(黑体), 2 （一）(楷体), 3 1., 4 （1）. */
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string }
  /** A paragraph with '{placeholders}'. */
  | { kind: 'paragraph'; text: string }
  /**
   * '一是…；二是…。' from clauses; a clause naming `unless_zero` is dropped when that figure is 0. `lead` is
   * printed before the enumeration in the same paragraph.
   */
  | { kind: 'list'; lead?: string; items: { text: string; unless_zero?: string }[] }
  /** '一是…；二是…。' with one clause per group of a breakdown, each filled with that group's figures. */
  | { kind: 'group_list'; lead?: string; source: GroupSource; item: string }
  /**
   * An auto table, optionally titled. `limit` caps its rows (the red/yellow list of a large portfolio runs to
   * thousands); a note then says how many more there are and where to find them.
   */
  | { kind: 'table'; table: TableKind; title?: string; limit?: number }
  /**
   * Where the sections quoting other modules go (督查督办, 会议, 问题, 招商: core/bulletins/feeds.ts), each a
   * numbered level-1 heading with its paragraphs and tables. A template without one gets them before its
   * 存在问题/下步 heading, else at the end of the body (placeFeeds).
   */
  | { kind: 'feeds' };

/** Font names, referenced (never embedded); readers without them substitute their own (LibreOffice, WPS). */
export interface TemplateFonts {
  title: string;
  body: string;
  heading1: string;
  heading2: string;
  /** The font for Latin letters and digits of every run. */
  latin: string;
  red_head: string;
}

export interface BulletinTemplate {
  /** {地区}: the area's name ('吴中区'); empty: the name of the bulletin's region, else '全区'. */
  area: string;
  /** 红头: the publication's name in red ('重点项目推进情况通报'). */
  red_head: string;
  /** 编发单位 printed under the red head, and the issuing authority. */
  issuer: string;
  /** 机关代字 of a 文号 ('吴重项办' → '吴重项办〔2026〕5号'); empty: the head prints '第N期' only. */
  doc_prefix: string;
  /** '{地区}{年}年重点项目{期间}推进情况'. */
  title: string;
  /** 主送 ('各镇（街道）、开发区，区各有关部门：'). */
  recipients: string;
  body: TemplateBlock[];
  annexes: { title: string; blocks: TemplateBlock[] }[];
  /** 落款. */
  signature: string;
  /** 抄送 (without the label). */
  cc: string;
  /** 印发机关. */
  printed_by: string;
  /** Decimals of time progress as printed (2: '41.67%'); rates and gaps always print one decimal. */
  time_progress_digits: 1 | 2;
  fonts: TemplateFonts;
}

/** Placeholders every block may use, with what they print. */
export const PLACEHOLDERS: Record<string, string> = {
  地区: '地区名称', 年: '年份', 月: '月份', 期间: '1–N月', 项目数: '项目个数', 总投资: '总投资（亿元）', 年度计划: '年度计划投资（亿元）',
  完成投资: '1–N月完成投资（亿元）', 完成率: '投资完成率（%，一位小数）', 序时进度: '序时进度（%）', 序时差: '高于/低于序时进度X个百分点',
  计划开工: '全年计划新开工项目数', 已开工: '其中已开工', 开工率: '开工率（%，按全年计划）', 本期计划开工: '1–N月计划新开工项目数',
  本期已开工: '其中已开工', 本期开工率: '开工率（%，按1–N月计划）', 提前开工: '提前开工项目数', 延期开工: '延期开工项目数',
  逾期未开工: '逾期未开工项目数', 计划竣工: '全年计划竣工项目数', 已竣工: '其中已竣工', 红灯: '红灯项目数', 黄灯: '黄灯项目数',
  绿灯: '绿灯项目数', 红黄灯: '红灯与黄灯项目数之和', 单位数: '参与排名的单位数', 前三单位: '完成率前三位的单位（附完成率）',
  后三单位: '完成率后三位的单位（附完成率）', 十快项目: '完成率最快的项目（至多三个，附完成率）', 十慢项目: '完成率最慢的项目（至多三个，附完成率）',
  分组: 'group_list 中：本组名称',
};

/** The default template: the skeleton of domain.md "Bulletins". Offices edit a copy. */
export const DEFAULT_TEMPLATE: BulletinTemplate = {
  area: '',
  red_head: '重点项目推进情况通报',
  issuer: '{地区}重点项目建设领导小组办公室',
  doc_prefix: '',
  title: '{地区}{年}年重点项目{期间}推进情况',
  recipients: '各镇（街道）、开发区，区各有关部门：',
  body: [
    { kind: 'paragraph', text: '{期间}，全区{项目数}个重点项目总投资{总投资}亿元，年度计划投资{年度计划}亿元。现将推进情况通报如下：' },
    { kind: 'heading', level: 1, text: '总体进展情况' },
    { kind: 'paragraph', text: '{期间}，全区重点项目累计完成投资{完成投资}亿元，占年度计划的{完成率}%，{序时差}（序时进度{序时进度}%）。全年计划新开工项目{计划开工}个，已开工{已开工}个，开工率{开工率}%；其中提前开工{提前开工}个，延期开工{延期开工}个，逾期未开工{逾期未开工}个。全年计划竣工项目{计划竣工}个，已竣工{已竣工}个。' },
    { kind: 'heading', level: 1, text: '分类推进情况' },
    { kind: 'heading', level: 2, text: '按建设性质分' },
    { kind: 'group_list', source: 'nature', item: '{分组}项目{项目数}个，完成投资{完成投资}亿元，完成率{完成率}%，{序时差}' },
    { kind: 'table', table: 'nature', title: '按建设性质分推进情况' },
    { kind: 'heading', level: 2, text: '按项目类别分' },
    { kind: 'group_list', source: 'category', item: '{分组}{项目数}个，完成投资{完成投资}亿元，完成率{完成率}%' },
    { kind: 'table', table: 'category', title: '按项目类别分推进情况' },
    { kind: 'heading', level: 2, text: '按投资类型分' },
    { kind: 'group_list', source: 'investment_type', item: '{分组}项目{项目数}个，完成投资{完成投资}亿元，完成率{完成率}%' },
    { kind: 'table', table: 'investment_type', title: '按投资类型分推进情况' },
    { kind: 'heading', level: 1, text: '各单位推进情况' },
    { kind: 'paragraph', text: '从各单位看，投资完成率居前三位的是{前三单位}；居后三位的是{后三单位}。投资完成率较快的项目有{十快项目}等，较慢的项目有{十慢项目}等，十快十慢项目名单见附件2。' },
    { kind: 'table', table: 'unit_ranking', title: '各单位重点项目推进情况排名' },
    { kind: 'heading', level: 1, text: '亮灯情况' },
    { kind: 'paragraph', text: '按照重点项目亮灯规则，{期间}共有红灯项目{红灯}个、黄灯项目{黄灯}个、绿灯项目{绿灯}个，红黄灯项目名单见附件1。' },
    { kind: 'feeds' },
    { kind: 'heading', level: 1, text: '存在问题' },
    {
      kind: 'list', lead: '从调度情况看，当前重点项目推进中存在以下问题：', items: [
        { text: '部分项目开工滞后，逾期未开工项目{逾期未开工}个', unless_zero: '逾期未开工' },
        { text: '部分项目投资进度偏慢，{红黄灯}个项目亮红黄灯', unless_zero: '红黄灯' },
        { text: '部分单位要素保障和协调推进力度有待加强' },
      ],
    },
    { kind: 'heading', level: 1, text: '下步工作' },
    {
      kind: 'list', items: [
        { text: '对照年度计划倒排工期，逾期未开工项目限期开工' },
        { text: '对红黄灯项目逐一分析原因，落实包保责任，实行挂牌督办' },
        { text: '加强要素保障，及时协调解决项目推进中的问题' },
      ],
    },
  ],
  annexes: [
    { title: '红黄灯项目名单', blocks: [{ kind: 'table', table: 'lights', limit: 300 }] },
    { title: '投资完成率较快和较慢项目名单', blocks: [{ kind: 'table', table: 'fast', title: '较快项目（十快）' }, { kind: 'table', table: 'slow', title: '较慢项目（十慢）' }] },
  ],
  signature: '{地区}重点项目建设领导小组办公室',
  cc: '区委、区人大、区政府、区政协领导',
  printed_by: '{地区}重点项目建设领导小组办公室',
  time_progress_digits: 2,
  fonts: { title: '方正小标宋简体', body: '仿宋_GB2312', heading1: '黑体', heading2: '楷体_GB2312', latin: 'Times New Roman', red_head: '方正小标宋简体' },
};

/**
 * The body with its feeds block: as it is when it has one, else with one inserted before the first level-1 heading
 * on problems or next steps (存在问题, 下步), else at the end (templates saved before the feeds existed).
 */
export function placeFeeds(body: readonly TemplateBlock[]): TemplateBlock[] {
  if (body.some((b) => b.kind === 'feeds')) return [...body];
  const at = body.findIndex((b) => b.kind === 'heading' && b.level === 1 && /存在问题|下步/.test(b.text));
  const i = at < 0 ? body.length : at;
  return [...body.slice(0, i), { kind: 'feeds' }, ...body.slice(i)];
}

/** Every text of a template that may hold placeholders, with where it sits (for error messages). */
function textsOf(t: BulletinTemplate): { where: string; text: string; group: boolean }[] {
  const out: { where: string; text: string; group: boolean }[] = [];
  const blocks = (list: TemplateBlock[], where: string) => list.forEach((b, i) => {
    const at = `${where}第${i + 1}块`;
    if (b.kind === 'heading' || b.kind === 'paragraph') out.push({ where: at, text: b.text, group: false });
    if (b.kind === 'list') {
      if (b.lead) out.push({ where: at, text: b.lead, group: false });
      b.items.forEach((item) => out.push({ where: at, text: item.text, group: false }));
    }
    if (b.kind === 'group_list') {
      if (b.lead) out.push({ where: at, text: b.lead, group: false });
      out.push({ where: at, text: b.item, group: true });
    }
    if (b.kind === 'table' && b.title) out.push({ where: at, text: b.title, group: false });
  });
  for (const [field, label] of [['red_head', '红头'], ['issuer', '编发单位'], ['title', '标题'], ['recipients', '主送'], ['signature', '落款'], ['cc', '抄送'], ['printed_by', '印发机关']] as const) {
    out.push({ where: label, text: t[field], group: false });
  }
  blocks(t.body, '正文');
  t.annexes.forEach((a, i) => {
    out.push({ where: `附件${i + 1}标题`, text: a.title, group: false });
    blocks(a.blocks, `附件${i + 1}`);
  });
  return out;
}

/** Problems of a template, in Chinese (empty when it can be used): unknown placeholders and tables, misplaced {分组}. */
export function checkTemplate(t: BulletinTemplate): string[] {
  const problems: string[] = [];
  for (const { where, text, group } of textsOf(t)) {
    for (const name of placeholdersOf(text)) {
      if (!Object.hasOwn(PLACEHOLDERS, name)) problems.push(`${where}：未知的占位符 {${name}}（可用：${Object.keys(PLACEHOLDERS).join('、')}）`);
      else if (name === '分组' && !group) problems.push(`${where}：{分组} 只能用于按分组列举（group_list）的条目`);
    }
  }
  const blocks = [...t.body, ...t.annexes.flatMap((a) => a.blocks)];
  for (const b of blocks) {
    if (b.kind === 'table' && !(TABLE_KINDS as readonly string[]).includes(b.table)) problems.push(`未知的表格：${String(b.table)}`);
    if (b.kind === 'list') for (const item of b.items) if (item.unless_zero && !Object.hasOwn(PLACEHOLDERS, item.unless_zero)) problems.push(`条目的条件引用了未知的数字：${item.unless_zero}`);
  }
  if (!t.title.trim()) problems.push('标题不能为空');
  return problems;
}
