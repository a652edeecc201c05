import type ExcelJS from 'exceljs';
import { loadExcel } from '../../excel.ts';
import { columnLetter } from './cell.ts';
import { CAMPAIGN_GROUPS, LEVEL_CODES, LEVEL_LABELS, TEMPLATE_COLUMNS, templateHeader, type FieldDef } from './columns.ts';
import type { ImportRepository } from './import.repository.ts';

export type TemplateKind = keyof typeof TEMPLATE_COLUMNS;

const TITLES: Record<TemplateKind, string> = { projects: '重点项目清单', plans: '重点项目年度投资计划表', monthly: '重点项目月度进度填报表' };
const FILE_NAMES: Record<TemplateKind, string> = { projects: '项目清单导入模板.xlsx', plans: '年度计划导入模板.xlsx', monthly: '月度进度导入模板.xlsx' };
/** Rows of the data sheet that carry drop-down validation. */
const VALIDATED_ROWS = 5000;
const HEADER_ROW = 3;

/** Builds the downloadable import templates (project list, annual plan, monthly progress). */
export class TemplateService {
  private readonly repo: ImportRepository;
  constructor(repo: ImportRepository) {
    this.repo = repo;
  }

  fileName(kind: TemplateKind): string {
    return FILE_NAMES[kind];
  }

  /**
   * A workbook with a title, a unit note (单位：万元), the header, drop-downs for coded columns (lists of units and
   * regions on a hidden 代码表 sheet) and an instructions sheet explaining every column.
   */
  async build(kind: TemplateKind, year: number): Promise<Buffer> {
    const spec = TEMPLATE_COLUMNS[kind];
    const fields = (spec.templateKeys ?? spec.keys).map((k) => spec.fields.find((f) => f.key === k)).filter((f): f is FieldDef => !!f);
    const [units, regions] = await Promise.all([this.repo.listUnits(), this.repo.listRegions()]);
    const unitRegions = new Set(units.map((u) => u.region_code).filter(Boolean));
    const regionNames = regions.filter((r) => unitRegions.has(r.code) || (r.path && [...unitRegions].some((c) => r.path.includes(`/${c}/`)))).map((r) => r.name).slice(0, 3000);

    const wb = new (await loadExcel()).Workbook();
    wb.creator = 'Docket';
    const ws = wb.addWorksheet(TITLES[kind], { views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }] });
    const width = fields.length + 1;
    ws.mergeCells(1, 1, 1, width);
    ws.getCell(1, 1).value = `${year}年${TITLES[kind]}`;
    ws.getCell(1, 1).font = { bold: true, size: 16 };
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    ws.getCell(2, 1).value = '填报单位：';
    ws.getCell(2, width).value = '单位：万元';
    ws.getCell(2, width).alignment = { horizontal: 'right' };
    const header = ws.getRow(HEADER_ROW);
    header.getCell(1).value = '序号';
    fields.forEach((f, i) => { header.getCell(i + 2).value = templateHeader(f, spec.required.includes(f.key)); });
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    });
    ws.getColumn(1).width = 6;
    fields.forEach((f, i) => {
      ws.getColumn(i + 2).width = f.key === 'name' || f.key === 'scope_content' || f.key === 'progress_text' ? 36 : f.kind === 'money' ? 14 : 16;
      if (f.kind === 'money') ws.getColumn(i + 2).numFmt = '#,##0.00';
    });

    // Code lists on a hidden sheet, referenced by the drop-downs (an inline list is capped at 255 characters).
    const codes = wb.addWorksheet('代码表', { state: 'hidden' });
    const unitNames = units.map((u) => u.name);
    const lists: Record<string, string[]> = { unit: unitNames, lead_unit: unitNames, region: regionNames, campaign_group: CAMPAIGN_GROUPS, levels: LEVEL_CHOICES };
    let listCol = 0;
    const listRef = (key: string, values: string[]): string | undefined => {
      if (!values.length) return undefined;
      listCol++;
      codes.getCell(1, listCol).value = key;
      values.forEach((v, i) => { codes.getCell(i + 2, listCol).value = v; });
      const letter = columnLetter(listCol);
      return `代码表!$${letter}$2:$${letter}$${values.length + 1}`;
    };
    // exceljs supports data validation but its type declarations omit it.
    const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
    fields.forEach((f, i) => {
      const letter = columnLetter(i + 2);
      const range = `${letter}${HEADER_ROW + 1}:${letter}${HEADER_ROW + VALIDATED_ROWS}`;
      let formula: string | undefined;
      if (f.kind === 'coded') formula = listRef(f.key, firstLabels(f.codes ?? {}));
      else if (f.kind === 'bool') formula = '"是,否"';
      else if (lists[f.key]) formula = listRef(f.key, lists[f.key]!);
      if (formula) {
        validations.add(range, {
          // Groups and level combinations may be typed freely; the list only offers the common ones.
          type: 'list', allowBlank: true, formulae: [formula], showErrorMessage: f.key !== 'campaign_group' && f.key !== 'levels',
          errorStyle: 'stop', errorTitle: '输入不在列表中', error: `请从下拉列表中选择${f.label}`,
        });
      }
      if (f.kind === 'month') validations.add(range, { type: 'whole', operator: 'between', allowBlank: true, formulae: [1, 12], showErrorMessage: true, error: '月份应为 1–12' });
    });

    const help = wb.addWorksheet('填表说明');
    help.columns = [{ header: '列', width: 8 }, { header: '表头', width: 28 }, { header: '是否必填', width: 10 }, { header: '填写说明', width: 90 }];
    help.getRow(1).font = { bold: true };
    fields.forEach((f, i) => {
      help.addRow([columnLetter(i + 2), templateHeader(f), spec.required.includes(f.key) ? '必填' : '', describe(f)]);
    });
    help.addRow([]);
    for (const line of [
      '1. 请勿修改表头文字；可以删除不用的列，也可以使用本单位的原有表格（系统按表头文字识别列，支持多行合并表头）。',
      '2. 金额单位为万元（表头或表格上方“单位：亿元”可改为亿元）；单元格中写明单位（如“12.3亿”）时以单元格为准。',
      '3. “合计”“小计”行和“一、投产达产”之类的分组标题行会被自动跳过；分组标题中的“四个一批”分组会记入项目。',
      '4. 导入前系统先做检查，列出每一处问题（工作表、行号、列号和原因）；没有错误时才能确认导入，导入是“全部成功或全部不导入”。',
      '5. 有项目代码时按项目代码匹配已有项目，否则按“项目名称 + 所属地区”匹配；空白单元格不会清除系统中已有的内容。',
      '6. 同一文件重复导入不会产生重复项目。',
      '7. 项目级别：填在“项目级别”列，可多选，用顿号分隔，如“省重点、市重点”，也可写“省市重点”“省级”“国家级”；市级“重中之重”写“市重中之重”。',
      '   也可以每个级别单独一列（表头如“省重点”“市重点”，或“项目级别”下分“国家”“省级”“市级”“县级”小列），在该项目的级别下打“√”或填“是”。',
      '   填写了级别的行以文件为准替换项目原有级别；级别列全部空白的行不改变原有级别。',
      '8. 牵头单位：填在“牵头单位”列，须与系统中的单位名称（或简称）一致；表中没有“责任单位”列时，牵头单位同时作为责任单位。',
      '9. 打包项目及其子项目，三种写法任选其一：',
      '   ① 序号：打包项目行的序号填“1”，其子项目紧随其后，序号填“1.1”“1.2”（或“（1）”“（2）”、“①”“②”），下一个项目的序号填“2”；',
      '   ② 名称前加“其中：”：打包项目行之后，子项目名称写成“其中：道路工程”，其后序号空白的行也属于该打包项目，直到下一个有序号的项目；',
      '   ③ “所属打包项目”列：子项目在该列填写打包项目的名称（或项目代码），打包项目可在本文件中，也可以是系统中已有的项目。',
      '   子项目的所属地区、责任单位空白时沿用打包项目的；子项目在同一打包项目内按名称匹配，重复导入不会重复建立。',
      '   汇总行数时打包项目和每个子项目各算一行，不重复计算；打包项目的金额请填写其总数，系统不会把子项目金额再加到打包项目上。',
    ]) help.addRow(['', line]).getCell(2).alignment = { wrapText: false };
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

/** The 项目级别 drop-down: single levels and the usual combinations (other combinations may be typed). */
const LEVEL_CHOICES = [
  ...LEVEL_CODES.map((l) => LEVEL_LABELS[l]), '省重点、市重点', '市重点、县重点', '省重点、市重点、县重点', '国家重点、省重点', '市重中之重',
];

/** One label per code, the first listed: the template's wording. */
function firstLabels(codes: Record<string, string>): string[] {
  const seen = new Set<string>();
  return Object.entries(codes).filter(([, v]) => !seen.has(v) && seen.add(v)).map(([label]) => label);
}

function describe(f: FieldDef): string {
  if (f.hint) return f.hint;
  switch (f.kind) {
    case 'money': return '金额，默认万元；可写“1,234.5”“12.3亿”“一千二百万”';
    case 'date': return '日期，可写 2026-03-05、2026年3月、2026.3';
    case 'years': return '如 2025-2027';
    case 'year': return '四位年份，如 2026';
    case 'month': return '1–12';
    case 'bool': return '是 / 否';
    case 'levels': return '国家重点、省重点、市重点、县重点，可多选，用顿号分隔';
    case 'tick': return '打“√”或填“是”';
    case 'int': return '整数';
    case 'coded': return `从下拉列表选择：${firstLabels(f.codes ?? {}).join('、')}`;
    case 'text': return f.maxLength ? `文字，最多 ${f.maxLength} 字` : '文字';
  }
}
