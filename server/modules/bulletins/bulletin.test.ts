import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { buildPlan, buildReport } from '../../../test/indicator-factories.ts';
import { chinaToday } from '../../../core/clock.ts';
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import { clock } from '../../clock.ts';
import { loadExcel } from '../../excel.ts';
import { listMoves } from '../../platform/status-log.ts';
import { findSoffice } from './bulletin.pdf.ts';

const run = promisify(execFile);
const YI = 100_000_000;

/** The text of a .docx's body, runs joined (what a reader sees, without layout). */
async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
}

/**
 * A fixture portfolio in 吴中区 for 2026, 1–5月: plans add up to 100亿 and completions to 45.54亿 (domain.md's worked
 * example: 45.5%, 3.9 points above 41.67%). 甪直镇 and 临湖镇 both complete exactly 50% (a tie), 横泾街道 has no plan.
 */
async function buildPortfolio(t: Awaited<ReturnType<typeof createTestApp>>) {
  await buildRegions(t.db);
  const root = await buildUnit(t.db, { name: '吴中区发改局', kind: 'office', regionCode: '320506' });
  const unit = async (name: string) => (await buildUnit(t.db, { name, parentId: root.id, regionCode: '320506', kind: 'township' })).id;
  const [a, b, c, d, e] = [await unit('甪直镇'), await unit('临湖镇'), await unit('木渎镇'), await unit('胥口镇'), await unit('横泾街道')];
  const project = async (name: string, unitId: number, plan: number, ytd: number, attrs: { nature: string; category: string; investment_type: string }) => {
    const id = await buildProject(t.db, { name, unit_id: unitId, stage: 'started', actual_start_date: '2025-06-01', stats_entered: 1, stats_entered_date: '2025-07-01', ...attrs });
    await buildPlan(t.db, { project_id: id, year: 2026, planned_investment: plan });
    if (ytd) await buildReport(t.db, { project_id: id, year: 2026, month: 5, amount_ytd: ytd });
    return id;
  };
  const industry = { nature: 'new', category: '产业项目', investment_type: 'social' };
  const infra = { nature: 'continued', category: '基础设施', investment_type: 'government' };
  await project('甪直智能装备产业园', a, 30 * YI, 15 * YI, industry);
  await project('临湖生态湿地公园', b, 20 * YI, 10 * YI, infra);
  await project('木渎新能源电池基地', c, 30 * YI, 1654 * YI / 100, industry);
  const slow = await project('木渎综合管廊', c, 10 * YI, 0, infra);
  await project('胥口物流园', d, 10 * YI, 4 * YI, industry);
  await project('横泾文旅综合体', e, 0, 0, infra);
  await buildUser(t.db, { username: 'office1', role: 'office', unitId: root.id });
  await buildUser(t.db, { username: 'leader1', role: 'leader', unitId: root.id });
  await buildUser(t.db, { username: 'reporter1', role: 'reporter', unitId: a });
  return { slow, office: await t.login('office1'), leader: await t.login('leader1'), reporter: await t.login('reporter1') };
}

describe.each(DIALECTS)('bulletins on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let leader: LoginHeaders;
  let reporter: LoginHeaders;
  let slowProject: number;
  let bulletinId: number;
  let issuedSha: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ office, leader, reporter, slow: slowProject } = await buildPortfolio(t));
  });
  afterAll(async () => t?.close());

  const create = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/bulletins', headers: office, payload: { year: 2026, month: 5, region: '320506' } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: number; version: number; status: string; title: string; issue_no: number | null; revision: number }>();
  };
  const act = async (id: number, action: string, headers: LoginHeaders, payload: Record<string, unknown> = {}) => {
    const current = (await t.app.inject({ url: `/api/v1/bulletins/${id}`, headers: office })).json<{ version: number }>();
    return t.app.inject({ method: 'POST', url: `/api/v1/bulletins/${id}/${action}`, headers, payload: { version: current.version, ...payload } });
  };

  it('prints exactly the figures the indicator API returns, rounded per domain.md', async () => {
    const api = (await t.app.inject({ url: '/api/v1/indicators?year=2026&month=5&region=320506&breakdown=nature,unit', headers: office })).json();
    expect(api.indicators.completion_rate.text).toBe('45.5');
    expect(api.indicators.gap_points.text).toBe('3.9');
    const created = await create();
    bulletinId = created.id;
    expect(created).toMatchObject({ status: 'draft', title: '吴中区2026年重点项目1–5月推进情况', issue_no: null });

    const { figures, frozen } = (await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/figures`, headers: office })).json();
    expect(frozen).toBe(false);
    expect(figures.overall).toEqual(api.indicators);
    const byKey = (list: { key: string }[]) => [...list].sort((x, y) => x.key.localeCompare(y.key));
    expect(byKey(figures.by_nature)).toEqual(byKey(api.breakdowns.nature));

    const docx = await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/document.docx`, headers: office });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const text = await docxText(docx.rawPayload);
    expect(text).toContain('草稿（未签发）');
    expect(text).toContain('吴中区2026年重点项目1–5月推进情况');
    expect(text).toContain('全区6个重点项目');
    expect(text).toContain(`累计完成投资45.54亿元，占年度计划的${api.indicators.completion_rate.text}%，高于序时进度${api.indicators.gap_points.text}个百分点（序时进度41.67%）`);
    // Per unit: 甪直镇 and 临湖镇 tie at exactly 50%; 横泾街道 has no plan and is not ranked; with four ranked
    // units the bottom list takes only the one not already among the top three.
    expect(text).toContain('居前三位的是甪直镇（50.0%）、临湖镇（50.0%）、木渎镇（41.4%）；居后三位的是胥口镇（40.0%）。');
    expect(text).toContain('甪直镇：与临湖镇并列（完成率相同）');
    expect(text).toContain('横泾街道：无年度计划投资，不参与排名');
    // 一是…二是… by nature (新建 before 续建, as offices list them), from the same breakdown.
    expect(text).toContain('一是新建项目3个，完成投资35.54亿元，完成率50.8%，高于序时进度9.1个百分点；二是续建项目3个，完成投资10.00亿元，完成率33.3%，低于序时进度8.3个百分点。');
    // The red light (0 of 10亿 after May) is listed in the annex with the rule that lit it.
    const lights = (await t.app.inject({ url: '/api/v1/lights?year=2026&month=5&region=320506', headers: office })).json();
    expect(figures.lights.counts).toEqual(lights.counts);
    expect(figures.lights.list.map((l: { project_id: number }) => l.project_id)).toContain(slowProject);
    expect(text).toContain(`共有红灯项目${lights.counts.red}个、黄灯项目${lights.counts.yellow}个`);
    expect(text).toContain('木渎综合管廊');
  });

  it('moves draft → review → 签发, records the signer, numbers the issue and freezes figures and document', async () => {
    expect((await act(bulletinId, 'sign', leader)).json().error.message).toContain('不能签发');
    expect((await act(bulletinId, 'submit', leader)).statusCode).toBe(403);
    expect((await act(bulletinId, 'submit', office)).json().status).toBe('reviewing');
    const returned = await act(bulletinId, 'return', leader, { reason: '请补充问题分析' });
    expect(returned.json()).toMatchObject({ status: 'draft', return_reason: '请补充问题分析' });
    expect((await act(bulletinId, 'submit', office)).statusCode).toBe(200);
    const stale = await t.app.inject({ method: 'POST', url: `/api/v1/bulletins/${bulletinId}/sign`, headers: leader, payload: { version: 1 } });
    expect(stale.statusCode).toBe(409);
    const signed = (await act(bulletinId, 'sign', leader)).json();
    expect(signed).toMatchObject({ status: 'issued', issue_no: 1, revision: 1 });
    expect(signed.versions).toHaveLength(1);
    expect(signed.versions[0]).toMatchObject({ revision: 1, issue_no: 1, signer_name: 'leader1' });
    issuedSha = signed.versions[0].docx_sha256;
    const moves = await listMoves(t.db, 'bulletin', bulletinId);
    expect(moves.map((m) => [m.action, m.from, m.to, m.reason])).toEqual([
      ['submit', 'draft', 'reviewing', null], ['return', 'reviewing', 'draft', '请补充问题分析'], ['submit', 'draft', 'reviewing', null], ['sign', 'reviewing', 'issued', null],
    ]);
    // Dated in China time by the application's clock (DOCKET_NOW moves it).
    const today = chinaToday(clock.now());
    expect(signed.versions[0].issued_on).toBe(today);
    const issued = await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/document.docx`, headers: office });
    const text = await docxText(issued.rawPayload);
    expect(text).toContain('2026年第1期');
    expect(text).toContain(chineseDate(today));
    expect(text).not.toContain('草稿');

    // New data after the signature: the issued document and its figures do not move.
    await buildReport(t.db, { project_id: slowProject, year: 2026, month: 5, amount_ytd: 5 * YI });
    const again = await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/document.docx`, headers: office });
    expect(again.rawPayload.equals(issued.rawPayload)).toBe(true);
    const frozen = (await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/figures`, headers: office })).json();
    expect(frozen).toMatchObject({ frozen: true, revision: 1 });
    expect(frozen.figures.overall.completion_rate.text).toBe('45.5');
  });

  it('re-issues a correction as a new version with the same issue number and keeps the old one', async () => {
    expect((await act(bulletinId, 'reissue', office, { reason: '补录木渎综合管廊5月完成投资' })).json()).toMatchObject({ status: 'draft', revision: 2 });
    await act(bulletinId, 'submit', office);
    const signed = (await act(bulletinId, 'sign', office)).json();
    expect(signed).toMatchObject({ status: 'issued', issue_no: 1, revision: 2 });
    expect(signed.versions.map((v: { revision: number }) => v.revision)).toEqual([1, 2]);
    expect(signed.versions[0].docx_sha256).toBe(issuedSha);
    const v1 = await docxText((await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/versions/1/document.docx`, headers: office })).rawPayload);
    const v2 = await docxText((await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/versions/2/document.docx`, headers: office })).rawPayload);
    expect(v1).toContain('累计完成投资45.54亿元，占年度计划的45.5%');
    expect(v2).toContain('累计完成投资50.54亿元，占年度计划的50.5%');
    expect(v2).toContain('更正版（第2版）');
    // The next bulletin of the year takes the next number.
    const second = await create();
    await act(second.id, 'submit', office);
    expect((await act(second.id, 'sign', leader)).json().issue_no).toBe(2);
  });

  it('lets the office edit the template as data and refuses unknown placeholders in Chinese', async () => {
    const current = (await t.app.inject({ url: '/api/v1/bulletins/template', headers: office })).json();
    expect(current).toMatchObject({ version: 0, is_builtin: true });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/bulletins/template', headers: office, payload: { version: 0, template: { ...current.template, title: '{地区}{年份}通报' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('未知的占位符 {年份}');
    const template = { ...current.template, doc_prefix: '吴重项办', red_head: '重点项目建设快报' };
    const saved = await t.app.inject({ method: 'PUT', url: '/api/v1/bulletins/template', headers: office, payload: { version: 0, template } });
    expect(saved.json()).toMatchObject({ version: 1, is_builtin: false });
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/bulletins/template', headers: office, payload: { version: 0, template } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/bulletins/template', headers: leader, payload: { version: 1, template } })).statusCode).toBe(403);
    const b = await create();
    await act(b.id, 'submit', office);
    const signed = (await act(b.id, 'sign', leader)).json();
    expect(signed.versions[0].doc_number).toBe('吴重项办〔2026〕3号');
    const text = await docxText((await t.app.inject({ url: `/api/v1/bulletins/${b.id}/document.docx`, headers: office })).rawPayload);
    expect(text).toContain('重点项目建设快报');
    expect(text).toContain('吴重项办〔2026〕3号');
  });

  it('ranks units on screen and in xlsx exactly as the bulletin does (月讲评)', async () => {
    const res = await t.app.inject({ url: '/api/v1/bulletins/ranking?year=2026&month=4&region=320506', headers: reporter });
    expect(res.statusCode).toBe(200);
    // After the correction of the test above, 木渎镇 completed 21.54亿 of 40亿 (53.9%) and leads.
    const may = (await t.app.inject({ url: '/api/v1/bulletins/ranking?year=2026&month=5&region=320506', headers: office })).json();
    expect(may.units.map((u: { name: string; rank: number | null }) => [u.name, u.rank])).toEqual([
      ['木渎镇', 1], ['甪直镇', 2], ['临湖镇', 2], ['胥口镇', 4], ['横泾街道', null],
    ]);
    const xlsx = await t.app.inject({ url: '/api/v1/bulletins/ranking.xlsx?year=2026&month=5&region=320506', headers: office });
    expect(xlsx.statusCode).toBe(200);
    const Excel = await loadExcel();
    const wb = new Excel.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('单位排名')!;
    const rows = [4, 5, 6, 7, 8].map((r) => [ws.getRow(r).getCell(1).value, ws.getRow(r).getCell(2).value, ws.getRow(r).getCell(6).value]);
    expect(rows).toEqual([['1', '木渎镇', 53.9], ['2', '甪直镇', 50], ['2', '临湖镇', 50], ['4', '胥口镇', 40], ['—', '横泾街道', null]]);
    expect(wb.getWorksheet('十慢项目')!.getRow(4).getCell(2).value).toBe('胥口物流园');
  });

  it('renders the issued bulletin to PDF through LibreOffice with the exact figures in its text layer', async () => {
    if (!(await findSoffice())) throw new Error('LibreOffice is not installed: run scripts/install-system.sh');
    const res = await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/versions/1/document.pdf`, headers: office });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bulletin-pdf-'));
    try {
      const pdf = path.join(dir, 'b.pdf');
      fs.writeFileSync(pdf, res.rawPayload);
      const info = (await run('pdfinfo', [pdf])).stdout;
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(pages).toBeLessThanOrEqual(10);
      expect((await run('pdfinfo', [pdf])).stdout).toMatch(/Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)/);
      const text = (await run('pdftotext', [pdf, '-'])).stdout.replace(/\s+/g, '');
      expect(text).toContain('2026年第1期');
      expect(text).toContain('累计完成投资45.54亿元，占年度计划的45.5%，高于序时进度3.9个百分点（序时进度41.67%）');
      expect(text).toContain('—1—');
      await run('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', pdf, path.join(dir, 'page')]);
      const png = fs.readdirSync(dir).find((f) => f.endsWith('.png'))!;
      fs.mkdirSync('screenshots', { recursive: true });
      fs.copyFileSync(path.join(dir, png), `screenshots/bulletin-page1-${dialect}.png`);
      // The red head is red: pixels where red dominates exist in the top quarter of page 1.
      const { data, info: img } = await sharp(path.join(dir, png)).raw().toBuffer({ resolveWithObject: true });
      let red = 0;
      for (let y = 0; y < img.height / 4; y++) {
        for (let x = 0; x < img.width; x++) {
          const i = (y * img.width + x) * img.channels;
          if (data[i]! > 200 && data[i + 1]! < 80 && data[i + 2]! < 80) red++;
        }
      }
      expect(red).toBeGreaterThan(100);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('answers PDF requests in Chinese when LibreOffice is not installed', async () => {
    const saved = process.env.DOCKET_SOFFICE;
    process.env.DOCKET_SOFFICE = '/nonexistent/soffice';
    try {
      const res = await t.app.inject({ url: `/api/v1/bulletins/${bulletinId}/document.pdf`, headers: office });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toContain('服务器未安装 LibreOffice');
    } finally {
      if (saved === undefined) delete process.env.DOCKET_SOFFICE;
      else process.env.DOCKET_SOFFICE = saved;
    }
  });

  it('deletes only drafts that were never issued', async () => {
    const draft = await create();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/bulletins/${bulletinId}`, headers: office })).statusCode).toBe(422);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/bulletins/${draft.id}`, headers: office })).statusCode).toBe(204);
  });
});
