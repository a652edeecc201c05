import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { composeBulletin } from '../../../core/bulletins/compose.ts';
import type { BulletinFigures } from '../../../core/bulletins/figures.ts';
import { DEFAULT_TEMPLATE } from '../../../core/bulletins/template.ts';
import { computeIndicators, emptySums } from '../../../core/indicators.ts';
import { LINE_PITCH, PAGE, renderBulletinDocx } from './bulletin.docx.ts';

const YI = 100_000_000;

async function render(): Promise<JSZip> {
  const overall = computeIndicators(2026, 5, { ...emptySums(), count: 2, planned_investment: 100 * YI, completed_ytd: 4554 * YI / 100 });
  const figures: BulletinFigures = {
    year: 2026, month: 5, period_label: '1–5月', area: '吴中区', time_curve: null, overall, by_nature: [], by_category: [], by_investment_type: [],
    units: [{ rank: 1, key: '1', name: '甪直镇', count: 2, planned_investment: 100 * YI, completed_ytd: 4554 * YI / 100, completion_rate_text: '45.5', gap_points_text: '3.9', note: '' }],
    fast: [], slow: [], lights: { counts: { red: 0, yellow: 0, green: 2, none: 0 }, list: [] }, computed_at: '2026-06-05T00:00:00Z',
  };
  const { doc } = composeBulletin(DEFAULT_TEMPLATE, figures, { issue_no: 3, date: '2026-06-05', revision: 1, draft: false });
  return JSZip.loadAsync(await renderBulletinDocx(doc));
}

describe('bulletin .docx layout (GB/T 9704)', () => {
  it('sets A4, the 37/35/28/26 mm margins, a 22-line grid and odd/even page numbers "— N —"', async () => {
    const zip = await render();
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain(`<w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"`);
    expect([PAGE.width, PAGE.height, PAGE.top, PAGE.bottom, PAGE.left, PAGE.right]).toEqual([11906, 16838, 2098, 1984, 1587, 1474]);
    expect(xml).toMatch(new RegExp(`<w:pgMar w:top="${PAGE.top}" w:right="${PAGE.right}" w:bottom="${PAGE.bottom}" w:left="${PAGE.left}"`));
    expect(LINE_PITCH * 22).toBeLessThanOrEqual(PAGE.height - PAGE.top - PAGE.bottom);
    expect(LINE_PITCH * 23).toBeGreaterThan(PAGE.height - PAGE.top - PAGE.bottom);
    expect(xml).toContain(`<w:docGrid w:type="lines" w:linePitch="${LINE_PITCH}"/>`);
    expect(xml).toMatch(/<w:footerReference w:type="default"[^>]*\/><w:footerReference w:type="even"/);
    expect(await zip.file('word/settings.xml')!.async('string')).toContain('<w:evenAndOddHeaders/>');
    const footers = await Promise.all(['word/footer1.xml', 'word/footer2.xml'].map((f) => zip.file(f)!.async('string')));
    for (const f of footers) expect(f.replace(/<[^>]+>/g, '')).toMatch(/— .*PAGE.* —/);
    expect(footers.map((f) => /<w:jc w:val="(\w+)"/.exec(f)![1]).sort()).toEqual(['left', 'right']);
  });

  it('names the Latin and East-Asian font of every run, overrides the theme fonts and embeds none', async () => {
    const zip = await render();
    const xml = await zip.file('word/document.xml')!.async('string');
    const runs = xml.match(/<w:r>[\s\S]*?<\/w:r>/g)!;
    const textRuns = runs.filter((r) => /<w:t[ >]/.test(r));
    expect(textRuns.length).toBeGreaterThan(50);
    for (const r of textRuns) expect(r).toMatch(/<w:rFonts w:ascii="[^"]+" w:cs="[^"]+" w:eastAsia="[^"]+" w:hAnsi="[^"]+"\/>/);
    // Title 2号 (22 pt = sz 44) 小标宋, body 3号 (sz 32) 仿宋, headings 黑体 / 楷体.
    expect(xml).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>/);
    expect(xml).toMatch(/w:eastAsia="黑体"[\s\S]{0,200}一、总体进展情况/);
    expect(xml).toMatch(/w:eastAsia="楷体_GB2312"[\s\S]{0,200}（一）按建设性质分/);
    const theme = await zip.file('word/theme/theme1.xml')!.async('string');
    expect(theme).not.toMatch(/Calibri|等线/);
    expect(theme).toContain('<a:ea typeface="仿宋_GB2312"/>');
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toContain('<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="仿宋_GB2312" w:hAnsi="Times New Roman"/>');
    expect(styles).not.toMatch(/Theme="/);
    const fonts = await zip.file('word/fontTable.xml')!.async('string');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>');
    expect(fonts).not.toMatch(/embed/i);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/fonts/'))).toEqual([]);
  });
});
