// The wording of the escalation letters (督办函件) as office templates: a title and a body per kind, with
// placeholders such as {单位}{事项}{期限} filled from the matter. Pure: the server renders the .docx from it and the
// settings page previews and validates with the same code.

/** The template slots: one per letter kind, the 提醒函 split into "due soon" and "feedback missed". */
export const LETTER_TEMPLATE_KINDS = ['assign', 'remind', 'remind_missed', 'press', 'interview'] as const;
export type LetterTemplateKind = (typeof LETTER_TEMPLATE_KINDS)[number];
export const LETTER_TEMPLATE_LABELS: Record<LetterTemplateKind, string> = {
  assign: '交办函', remind: '提醒函（即将到期）', remind_missed: '提醒函（反馈逾期）', press: '督办函', interview: '约谈通知',
};

export interface LetterTemplate { title: string; body: string }
export type LetterTemplates = Record<LetterTemplateKind, LetterTemplate>;

/** Every placeholder a template may use, with what it becomes (shown on the settings page). */
export const LETTER_PLACEHOLDERS = {
  单位: '牵头单位名称',
  协办: '“，某某协办”（无协办单位时为空）',
  协办单位: '协办单位名称（无协办单位时整段不出现）',
  事项: '“事项标题”（督办编号）',
  标题: '事项标题',
  编号: '督办编号',
  内容: '事项内容（为空时整段不出现）',
  项目: '涉及项目名称（无关联项目时整段不出现）',
  期限: '办结时限（如 2026年12月31日）',
  状态: '事项当前状态',
  反馈要求: '“，办理期间每N个工作日报送一次进展”（不要求定期反馈时为空）',
  反馈日期: '应报送进展的日期',
  今天: '发函日期',
  答复工作日: '答复期限的工作日数（督办设置）',
  答复期限: '答复截止日期（发函日起按工作日计算）',
  发文机关: '发文机关（督办设置）',
} as const;
export type LetterPlaceholder = keyof typeof LETTER_PLACEHOLDERS;

/** Placeholders whose empty value leaves their whole paragraph out. */
const DROP_WHEN_EMPTY: ReadonlySet<string> = new Set<LetterPlaceholder>(['协办单位', '内容', '项目']);

/** The wording the office starts from (the letters' fixed wording before it became a setting). */
export const DEFAULT_LETTER_TEMPLATES: LetterTemplates = {
  assign: {
    title: '关于交办{事项}的函',
    body: [
      '经研究，现将{事项}交由你单位牵头办理{协办}。',
      '事项内容：{内容}',
      '涉及项目：{项目}。',
      '请于{期限}前办结{反馈要求}。确需延期的，请在时限届满前提出申请。',
      '联系单位：{发文机关}。',
    ].join('\n'),
  },
  remind: {
    title: '关于{事项}办理情况的提醒函',
    body: [
      '你单位牵头办理的{事项}，办结时限为{期限}，即将到期，目前状态为“{状态}”。',
      '请抓紧办理，按时报送办理进展和佐证材料。',
      '联系单位：{发文机关}。',
    ].join('\n'),
  },
  remind_missed: {
    title: '关于{事项}办理情况的提醒函',
    body: [
      '你单位牵头办理的{事项}，应于{反馈日期}前报送办理进展，截至{今天}尚未报送。',
      '请抓紧办理，按时报送办理进展和佐证材料。',
      '联系单位：{发文机关}。',
    ].join('\n'),
  },
  press: {
    title: '关于督促办理{事项}的督办函',
    body: [
      '你单位牵头办理的{事项}，办结时限为{期限}，截至{今天}仍未办结，已逾期。',
      '请高度重视，于收函后{答复工作日}个工作日内（{答复期限}前）书面报送未按期办结的原因、下一步措施和完成时限。逾期仍未办结的，将按规定约谈并通报。',
      '联系单位：{发文机关}。',
    ].join('\n'),
  },
  interview: {
    title: '关于{事项}逾期未办结的约谈通知',
    body: [
      '你单位牵头办理的{事项}，办结时限为{期限}，经督办仍未办结。',
      '经研究，定于近期约谈你单位主要负责同志，具体时间地点另行通知。请提前准备书面说明材料。',
      '联系单位：{发文机关}。',
    ].join('\n'),
  },
};

const PLACEHOLDER = /\{([^{}]*)\}/gu;

/** The unknown placeholders of a text, in order of appearance, each once. */
export function unknownPlaceholders(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(name in LETTER_PLACEHOLDERS) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Chinese problems of one template (empty when it is usable): missing title or body, unknown placeholders, stray braces. */
export function checkLetterTemplate(kind: LetterTemplateKind, t: LetterTemplate): string[] {
  const label = LETTER_TEMPLATE_LABELS[kind];
  const problems: string[] = [];
  if (!t.title.trim()) problems.push(`${label}的标题不能为空`);
  if (!t.body.trim()) problems.push(`${label}的正文不能为空`);
  for (const [part, text] of [['标题', t.title], ['正文', t.body]] as const) {
    const unknown = unknownPlaceholders(text);
    if (unknown.length) problems.push(`${label}的${part}含未知占位符 ${unknown.map((u) => `{${u}}`).join('、')}，可用的占位符：${Object.keys(LETTER_PLACEHOLDERS).map((p) => `{${p}}`).join('')}`);
    if (/[{}]/u.test(text.replace(PLACEHOLDER, ''))) problems.push(`${label}的${part}有不成对的花括号`);
  }
  return problems;
}

/** Fills a template: the title, and the body's paragraphs (one per non-empty line; see DROP_WHEN_EMPTY). */
export function fillLetterTemplate(t: LetterTemplate, values: Readonly<Record<LetterPlaceholder, string>>): { title: string; paragraphs: string[] } {
  const fillText = (text: string) => text.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as LetterPlaceholder] : whole));
  const paragraphs: string[] = [];
  for (const line of t.body.split(/\r?\n/u)) {
    if (!line.trim()) continue;
    const used = [...line.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    if (used.some((u) => DROP_WHEN_EMPTY.has(u) && !values[u as LetterPlaceholder]?.trim())) continue;
    paragraphs.push(fillText(line.trim()));
  }
  return { title: fillText(t.title.trim()), paragraphs };
}

/** Sample values for the settings page's preview. */
export const SAMPLE_PLACEHOLDER_VALUES: Record<LetterPlaceholder, string> = {
  单位: '区交通运输局', 协办: '，区自然资源局协办', 协办单位: '区自然资源局', 事项: '“城北快速路征迁扫尾”（督办〔2026〕12号）', 标题: '城北快速路征迁扫尾',
  编号: '督办〔2026〕12号', 内容: '完成剩余18户征迁，12月底前交地', 项目: '城北快速路一期工程', 期限: '2026年12月31日', 状态: '办理中',
  反馈要求: '，办理期间每5个工作日报送一次进展', 反馈日期: '2026年12月15日', 今天: '2026年12月7日', 答复工作日: '3', 答复期限: '2026年12月10日', 发文机关: '重点项目督查室',
};
