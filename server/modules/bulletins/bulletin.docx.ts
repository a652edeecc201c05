// Lays out a composed bulletin (core/bulletins/compose.ts) as a .docx per GB/T 9704-2012 (党政机关公文格式): A4,
// margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a grid of 22 lines × 28 characters; title 2号小标宋,
// body 3号仿宋, headings 黑体 (一、) and 楷体 (（一）); page numbers "— N —" in 4号 宋体, right on odd pages and
// left on even ones. Every run names its Latin and East-Asian fonts and the document defaults do too, so no theme
// font is left for WPS or Word to miss. Fonts are referenced by name, never embedded.
import {
  AlignmentType, BorderStyle, Document, DocumentGridType, Footer, LineRuleType, Packer, PageBreak, PageNumber, Paragraph, Tab, TabStopType,
  Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType, type ParagraphChild,
} from 'docx';
import JSZip from 'jszip';
import type { BulletinDoc, DocBlock } from '../../../core/bulletins/compose.ts';
import type { TemplateFonts } from '../../../core/bulletins/template.ts';

const MM = 1440 / 25.4; // twips per millimetre
const twips = (mm: number) => Math.round(mm * MM);

/** GB/T 9704 page geometry in twips. */
export const PAGE = {
  width: twips(210), height: twips(297),
  top: twips(37), bottom: twips(35), left: twips(28), right: twips(26),
} as const;
/** The text block: 156 mm wide, 225 mm high. */
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
const TEXT_HEIGHT = PAGE.height - PAGE.top - PAGE.bottom;
/** 22 lines per page: each line's pitch, used as an exact line height for body text. */
export const LINE_PITCH = Math.floor(TEXT_HEIGHT / 22);
/** Font sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小4 12 pt. */
const SIZE = { hao2: 44, hao3: 32, hao4: 28, xiao4: 24, redHead: 72 } as const;
/**
 * 28 characters per line: 156 mm / 28 = 15.79 pt per character, 0.21 pt less than a 3号 glyph. Word's own way is a
 * "lines and characters" grid with a negative charSpace, but LibreOffice (which makes our PDFs) then gives each
 * glyph wider than its cell two cells (17 characters a line, measured). So the grid snaps lines only, and 3号 runs
 * are tightened by 0.25 pt (w:spacing −5 twentieths), which both Word and LibreOffice honour: 28 per line.
 */
export const CHAR_TIGHTEN = -5;
/** Two characters of 3号 (first-line indent of body paragraphs). */
const INDENT_2 = 2 * SIZE.hao3 * 10;
const RED = 'FF0000';
/** Table lines: exact 15 pt. Paragraphs with this spacing are taken off the line grid (see unsnapTables). */
const TABLE_LINE = 300;

type RunOpts = { bold?: boolean; size?: number; color?: string; grid?: boolean };

/** A run naming both its Latin and its East-Asian font. */
function run(text: string, font: string, latin: string, opts: RunOpts = {}): TextRun {
  const size = opts.size ?? SIZE.hao3;
  return new TextRun({
    text, font: { ascii: latin, hAnsi: latin, cs: latin, eastAsia: font }, size, bold: opts.bold, color: opts.color,
    characterSpacing: size === SIZE.hao3 ? CHAR_TIGHTEN : undefined, snapToGrid: opts.grid,
  });
}

/** A tab (w:tab) in a run that names its fonts like every other run. */
function tab(font: string, latin: string, size: number = SIZE.hao3): TextRun {
  return new TextRun({ children: [new Tab()], font: { ascii: latin, hAnsi: latin, cs: latin, eastAsia: font }, size });
}

const exactLines = (pitch = LINE_PITCH) => ({ line: pitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 });

/** Builds the paragraphs of the document model. */
class Layout {
  private readonly f: TemplateFonts;
  constructor(fonts: TemplateFonts) {
    this.f = fonts;
  }

  body(text: string, opts: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
    return new Paragraph({
      children: [run(text, this.f.body, this.f.latin)], spacing: exactLines(), alignment: opts.align ?? AlignmentType.JUSTIFIED,
      indent: opts.indent === false ? undefined : { firstLine: INDENT_2 },
    });
  }

  blank(): Paragraph {
    return new Paragraph({ children: [run('', this.f.body, this.f.latin)], spacing: exactLines() });
  }

  title(text: string): Paragraph[] {
    // A long title breaks onto a second line by itself; the exact spacing keeps 2号 lines evenly apart.
    return [new Paragraph({ children: [run(text, this.f.title, this.f.latin, { size: SIZE.hao2 })], alignment: AlignmentType.CENTER, spacing: exactLines(Math.round(LINE_PITCH * 1.2)) })];
  }

  heading(b: Extract<DocBlock, { kind: 'heading' }>): Paragraph {
    const font = b.level === 1 ? this.f.heading1 : b.level === 2 ? this.f.heading2 : this.f.body;
    return new Paragraph({
      children: [run(`${b.number}${b.text}`, font, this.f.latin, { bold: b.level === 3 })], spacing: exactLines(), indent: { firstLine: INDENT_2 },
      keepNext: true,
    });
  }

  table(b: Extract<DocBlock, { kind: 'table' }>): (Paragraph | Table)[] {
    const total = b.columns.reduce((acc, c) => acc + c.width, 0);
    const widths = b.columns.map((c) => Math.floor((c.width / total) * TEXT_WIDTH));
    // Table text is 小4 on single lines: exact spacing and no grid snapping, or every table line would take a
    // full body line of the 22-line grid (measured: tables twice as tall in LibreOffice).
    const cellPara = (text: string, align: 'left' | 'center' | 'right', header: boolean) => new Paragraph({
      children: [run(text, header ? this.f.heading1 : this.f.body, this.f.latin, { size: SIZE.xiao4, grid: false })],
      alignment: header ? AlignmentType.CENTER : align === 'right' ? AlignmentType.RIGHT : align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
      spacing: { line: TABLE_LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    });
    const cell = (text: string, i: number, header: boolean) => new TableCell({
      children: [cellPara(text, b.columns[i]!.align, header)], width: { size: widths[i]!, type: WidthType.DXA }, verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 60, right: 60, top: 30, bottom: 30 },
    });
    const rows = [
      new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c, i) => cell(c.header, i, true)) }),
      ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i, false)) })),
    ];
    const out: (Paragraph | Table)[] = [];
    if (b.title) out.push(new Paragraph({ children: [run(b.title, this.f.heading1, this.f.latin, { size: SIZE.hao4 })], alignment: AlignmentType.CENTER, spacing: exactLines(), keepNext: true }));
    out.push(new Table({ rows, width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED }));
    if (b.note) out.push(new Paragraph({ children: [run(b.note, this.f.body, this.f.latin, { size: SIZE.xiao4 })], spacing: { line: 300, lineRule: LineRuleType.AT_LEAST, before: 60, after: 0 } }));
    out.push(this.blank());
    return out;
  }

  blocks(list: DocBlock[]): (Paragraph | Table)[] {
    return list.flatMap((b) => (b.kind === 'heading' ? [this.heading(b)] : b.kind === 'paragraph' ? [this.body(b.text)] : this.table(b)));
  }

  /** The red head: publication name in red, the issue line, issuer and date over a red rule. */
  head(d: BulletinDoc): Paragraph[] {
    const out: Paragraph[] = [];
    if (d.head.marker) out.push(new Paragraph({ children: [run(d.head.marker, this.f.heading1, this.f.latin, { size: SIZE.hao4, color: '808080' })], alignment: AlignmentType.RIGHT }));
    out.push(new Paragraph({ children: [run(d.head.red_head, this.f.red_head, this.f.latin, { size: SIZE.redHead, color: RED })], alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } }));
    out.push(new Paragraph({ children: [run(d.head.issue, this.f.body, this.f.latin)], alignment: AlignmentType.CENTER, spacing: exactLines() }));
    if (d.head.doc_number) out.push(new Paragraph({ children: [run(d.head.doc_number, this.f.body, this.f.latin)], alignment: AlignmentType.CENTER, spacing: exactLines() }));
    out.push(new Paragraph({
      children: [run(d.head.issuer, this.f.body, this.f.latin), tab(this.f.body, this.f.latin), run(d.head.date, this.f.body, this.f.latin)],
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 } },
      spacing: { ...exactLines(), after: 240 },
    }));
    return out;
  }

  /** 版记: 抄送 and 印发 between rules (thick outside, thin between), 4号仿宋, indented one character. */
  colophon(d: BulletinDoc): Paragraph[] {
    const indent = { left: SIZE.hao4 * 10, right: SIZE.hao4 * 10 };
    const out: Paragraph[] = [this.blank()];
    if (d.cc) {
      out.push(new Paragraph({
        children: [run(`抄送：${d.cc}。`, this.f.body, this.f.latin, { size: SIZE.hao4 })], indent,
        border: { top: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 }, bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 4 } },
        spacing: exactLines(),
      }));
    }
    out.push(new Paragraph({
      children: [run(d.printed_by, this.f.body, this.f.latin, { size: SIZE.hao4 }), tab(this.f.body, this.f.latin, SIZE.hao4), run(d.printed_date, this.f.body, this.f.latin, { size: SIZE.hao4 })],
      indent, tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 2 * SIZE.hao4 * 10 }],
      border: { ...(d.cc ? {} : { top: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } }), bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } },
      spacing: exactLines(),
    }));
    return out;
  }

  pageNumber(side: 'odd' | 'even'): Footer {
    const children: ParagraphChild[] = [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体', cs: '宋体' }, size: SIZE.hao4 })];
    return new Footer({
      children: [new Paragraph({
        children, alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: SIZE.hao4 * 10 } : { left: SIZE.hao4 * 10 },
      })],
    });
  }
}

/** The .docx bytes of a composed bulletin. */
export async function renderBulletinDocx(d: BulletinDoc): Promise<Buffer> {
  const l = new Layout(d.fonts);
  const f = d.fonts;
  const children: (Paragraph | Table)[] = [
    ...l.head(d),
    ...l.title(d.title),
    l.blank(),
    l.body(d.recipients, { indent: false }),
    ...l.blocks(d.body),
  ];
  if (d.annex_list.length) {
    children.push(l.blank());
    d.annex_list.forEach((a, i) => children.push(new Paragraph({
      children: [run(i === 0 ? `附件：${a}` : a, f.body, f.latin)], spacing: exactLines(),
      indent: i === 0 ? { firstLine: INDENT_2 } : { left: INDENT_2 + 3 * SIZE.hao3 * 10 },
    })));
  }
  children.push(l.blank(), l.blank());
  // 落款 and date: right-aligned, four characters in from the right edge, the date under the signature.
  const signIndent = { right: 4 * SIZE.hao3 * 10 };
  children.push(new Paragraph({ children: [run(d.signature, f.body, f.latin)], alignment: AlignmentType.RIGHT, indent: signIndent, spacing: exactLines() }));
  children.push(new Paragraph({ children: [run(d.date, f.body, f.latin)], alignment: AlignmentType.RIGHT, indent: signIndent, spacing: exactLines() }));
  for (const a of d.annexes) {
    children.push(new Paragraph({ children: [new PageBreak(), run(a.label, f.heading1, f.latin)], spacing: exactLines() }));
    children.push(l.blank(), ...l.title(a.title), l.blank(), ...l.blocks(a.blocks));
  }
  children.push(...l.colophon(d));

  const doc = new Document({
    creator: 'Docket', title: d.title, description: d.head.issue,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: { ascii: f.latin, hAnsi: f.latin, cs: f.latin, eastAsia: f.body }, size: SIZE.hao3 },
          paragraph: { spacing: exactLines() },
        },
      },
    },
    sections: [{
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: twips(15), footer: twips(23) },
        },
        grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
      },
      footers: { default: l.pageNumber('odd'), even: l.pageNumber('even') },
      children,
    }],
  });
  return overrideThemeFonts(await Packer.toBuffer(doc), f);
}

/**
 * Takes table paragraphs off the 22-line grid: the docx library has no paragraph-level w:snapToGrid, and without
 * it every 小4 table line snapped to a full 3号 body line (tables twice as tall, a 400-project bulletin 46 pages).
 * The element goes right before w:spacing, its place in CT_PPrBase.
 */
export function unsnapTables(xml: string): string {
  const spacing = `<w:spacing w:after="0" w:before="0" w:line="${TABLE_LINE}" w:lineRule="exact"/>`;
  return xml.replaceAll(`<w:pPr>${spacing}`, `<w:pPr><w:snapToGrid w:val="0"/>${spacing}`);
}

/** Common names of the 公文 fonts and what a reader without them should take instead (w:altName). */
const FALLBACKS: Record<string, string> = {
  仿宋_GB2312: '仿宋', 楷体_GB2312: '楷体', 方正小标宋简体: '宋体', 方正小标宋_GBK: '宋体', 黑体: 'SimHei', 宋体: 'SimSun', 仿宋: 'FangSong', 楷体: 'KaiTi',
};

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Two fixes the docx library leaves to us. Its theme names Calibri and 等线 as the major/minor fonts: anything
 * that falls back to the theme (WPS does for some runs) then asks for fonts an intranet machine lacks, so the
 * theme is rewritten to the template's fonts. Its font table is empty: each font used is listed by name with the
 * GB2312 charset and a fallback (w:altName), never embedded.
 */
async function overrideThemeFonts(buf: Buffer, fonts: TemplateFonts): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buf);
  const theme = zip.file('word/theme/theme1.xml');
  if (theme) {
    const latin = escapeXml(fonts.latin);
    const themed = (block: string, ea: string) => block
      .replace(/<a:latin typeface="[^"]*"[^>]*\/>/, `<a:latin typeface="${latin}"/>`)
      .replace(/<a:ea typeface="[^"]*"\/>/, `<a:ea typeface="${escapeXml(ea)}"/>`)
      .replace(/<a:font script="Hans" typeface="[^"]*"\/>/, `<a:font script="Hans" typeface="${escapeXml(ea)}"/>`);
    let xml = await theme.async('string');
    xml = xml.replace(/<a:majorFont>[\s\S]*?<\/a:majorFont>/, (m) => themed(m, fonts.heading1))
      .replace(/<a:minorFont>[\s\S]*?<\/a:minorFont>/, (m) => themed(m, fonts.body));
    zip.file('word/theme/theme1.xml', xml);
  }
  const body = zip.file('word/document.xml');
  if (body) zip.file('word/document.xml', unsnapTables(await body.async('string')));
  const table = zip.file('word/fontTable.xml');
  if (table) {
    const names = [...new Set([fonts.title, fonts.body, fonts.heading1, fonts.heading2, fonts.red_head, fonts.latin, '宋体'])];
    const entries = names.map((name) => {
      const cjk = /[^\x00-\x7f]/.test(name);
      const alt = FALLBACKS[name];
      return `<w:font w:name="${escapeXml(name)}">${alt ? `<w:altName w:val="${escapeXml(alt)}"/>` : ''}<w:charset w:val="${cjk ? '86' : '00'}"/>`
        + `<w:family w:val="${cjk ? 'modern' : 'roman'}"/><w:pitch w:val="variable"/></w:font>`;
    }).join('');
    const xml = (await table.async('string')).replace(/<w:fonts([^>]*)\/>$/, '<w:fonts$1></w:fonts>').replace('</w:fonts>', `${entries}</w:fonts>`);
    zip.file('word/fontTable.xml', xml);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
