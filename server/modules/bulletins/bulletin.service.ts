import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import { composeBulletin, type BulletinDoc } from '../../../core/bulletins/compose.ts';
import type { BulletinFigures, FigureGroup, LightListRow } from '../../../core/bulletins/figures.ts';
import { rankProjects, rankUnits, type UnitRank } from '../../../core/bulletins/ranking.ts';
import { checkTemplate, DEFAULT_TEMPLATE, PLACEHOLDERS, TABLE_LABELS, type BulletinTemplate } from '../../../core/bulletins/template.ts';
import { BULLETIN_WORKFLOW, type BulletinAction, type BulletinStatus } from '../../../core/bulletins/workflow.ts';
import { WorkflowRefusal } from '../../../core/workflow.ts';
import { formatDocNumber } from '../../../core/numbering.ts';
import { fill } from '../../../core/bulletins/phrases.ts';
import { periodLabel } from '../../../core/indicators.ts';
import { chinaToday } from '../../../core/clock.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import { next as nextNumber } from '../../platform/numbering/numbering.ts';
import { recordMove } from '../../platform/status-log.ts';
import { inTransaction } from '../../platform/tx.ts';
import type { IndicatorService } from '../indicators/index.ts';
import type { LightService } from '../lights/index.ts';
import { BulletinRepository, type BulletinRow, type VersionSummary } from './bulletin.repository.ts';
import { renderBulletinDocx } from './bulletin.docx.ts';
import { readFeeds } from './bulletin.feeds.ts';
import { FEED_KEYS, parseOmitted, type FeedKey } from '../../../core/bulletins/feeds.ts';
import { templateSchema, type BulletinCreate, type RankingQuery } from './bulletin.schema.ts';

/** The numbering series of bulletin issues (第N期 per year). */
export const ISSUE_SERIES = 'bulletin';

/**
 * The platform's deps (the clock gives the issue date, China's date; audit records in the writer's transaction)
 * and what the bulletin service reads besides its own tables.
 */
export interface BulletinDeps extends Deps {
  indicators: () => IndicatorService;
  lights: () => LightService;
}

/** The user id to store for an actor: null for the CLI's system actor (no users row). */
const userRef = (actor: Actor): number | null => (actor.userId > 0 ? actor.userId : null);

/** The order offices list natures and investment types in (others, and categories, keep the API's key order). */
const GROUP_ORDER: Record<string, readonly string[]> = {
  nature: ['new', 'continued', 'expansion', 'reconstruction', 'tech_upgrade'],
  investment_type: ['government', 'social'],
};

/** A bulletin as listed and shown: the row, its issued versions (without bytes) and what may be done next. */
export interface BulletinView extends Omit<BulletinRow, 'status'> {
  /** The stored status, one of the workflow's (the column is text). */
  status: BulletinStatus;
  versions: VersionSummary[];
}

const viewOf = (row: BulletinRow, versions: VersionSummary[]): BulletinView => ({ ...row, status: row.status as BulletinStatus, versions });

/**
 * Bulletins (通报): the office's template, drafts computed live from the indicator engine, review and signature
 * (签发) that freeze the figures and the .docx, corrected re-issues as new versions, and the unit ranking (月讲评).
 */
export class BulletinService {
  private readonly deps: BulletinDeps;
  private readonly repo: BulletinRepository;
  constructor(deps: BulletinDeps) {
    this.deps = deps;
    this.repo = new BulletinRepository(deps.db);
  }

  /** The office's template (or the built-in default when it saved none), its version and what it may use. */
  async getTemplate() {
    const row = await this.repo.findDefaultTemplate();
    return {
      template: row ? parseTemplate(row.body) : DEFAULT_TEMPLATE,
      version: row?.version ?? 0,
      is_builtin: !row,
      updated_at: row?.updated_at ?? null,
      default_template: DEFAULT_TEMPLATE,
      placeholders: PLACEHOLDERS,
      tables: TABLE_LABELS,
    };
  }

  /** Saves the office's template; version 0 means "the built-in one was being edited". */
  async putTemplate(actor: Actor, template: BulletinTemplate, version: number) {
    const problems = checkTemplate(template);
    if (problems.length) throw new AppError('validation_failed', `模板有误：${problems[0]}`, problems.map((message) => ({ message })));
    const body = JSON.stringify(template);
    const at = this.deps.clock.now().toISOString();
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new BulletinRepository(trx);
      const row = await repo.findDefaultTemplate();
      if ((row?.version ?? 0) !== version) throw new AppError('version_conflict', '模板已被他人修改，请刷新后重试', { current: row ? parseTemplate(row.body) : DEFAULT_TEMPLATE, version: row?.version ?? 0 });
      if (row) await repo.updateTemplateIfVersion(row.id, version, body, userRef(actor), at);
      else await repo.insertTemplate(body, userRef(actor), at);
      await this.deps.audit.record(trx, actor, { action: 'bulletin.template_update', entityType: 'bulletin_template', before: row ? parseTemplate(row.body) : null, after: template });
    });
    return this.getTemplate();
  }

  private async templateOf(b: { template_id: number | null }): Promise<{ id: number | null; template: BulletinTemplate }> {
    if (b.template_id !== null) {
      const row = await this.repo.findTemplate(b.template_id);
      if (row) return { id: row.id, template: parseTemplate(row.body) };
    }
    const row = await this.repo.findDefaultTemplate();
    return row ? { id: row.id, template: parseTemplate(row.body) } : { id: null, template: DEFAULT_TEMPLATE };
  }

  /** {地区}: the template's area, else the region's name, else 全区. */
  private async areaOf(template: BulletinTemplate, region: string | null): Promise<string> {
    if (template.area.trim()) return template.area.trim();
    return (region && (await this.repo.findRegionName(region))) || '全区';
  }

  /**
   * Every figure the bulletin prints, read from the indicator and light engines for the region (or the whole
   * portfolio) and period: the same answers their APIs give. A bulletin is the office's publication for its whole
   * region, so the figures are not narrowed to the reader's own data scope.
   */
  async computeFigures(period: { year: number; month: number; region: string | null }, area: string): Promise<BulletinFigures> {
    const whole: Actor = { userId: 0, username: 'system', displayName: '系统', role: 'office', unitId: null, scope: { all: true, unitPaths: [], regionPaths: [] } };
    return this.figuresFor(whole, period, area);
  }

  private async figuresFor(actor: Actor, { year, month, region }: { year: number; month: number; region: string | null }, area: string): Promise<BulletinFigures> {
    const indicators = this.deps.indicators();
    const filter = region ? { region } : {};
    const result = await indicators.getIndicators(actor, { ...filter, year, month, breakdown: ['nature', 'category', 'investment_type', 'unit'] });
    const curve = await indicators.timeCurve(year);
    const groups = (kind: 'nature' | 'category' | 'investment_type' | 'unit'): FigureGroup[] => {
      const order = GROUP_ORDER[kind] ?? [];
      const rank = (key: string | null) => (key !== null && order.includes(key) ? order.indexOf(key) : order.length);
      return (result.breakdowns[kind] ?? []).map((g) => ({ key: g.key, label: g.label, indicators: g.indicators }))
        .sort((a, b) => rank(a.key) - rank(b.key));
    };
    // The ranking reads the indicators' answer per unit, so a period before the year's recorded progress (an imported
    // 1–N月 list) ranks nobody and says why, as the dashboard does, rather than printing 0% per unit (issue 12).
    const units = rankUnits(groups('unit').map((g) => ({
      key: g.key, label: g.label, count: g.indicators.sums.count, planned_investment: g.indicators.sums.planned_investment, completed_ytd: g.indicators.sums.completed_ytd,
      ...(g.indicators.unrecorded ? { unrecorded: g.indicators.unrecorded.text } : {}),
    })), month, curve);
    const judged = await this.deps.lights().judgeScope(actor, filter, year, month);
    // 十快/十慢 likewise: no project's completion is known for such a period.
    const projects = rankProjects(result.indicators.unrecorded ? [] : judged.map(({ row }) => ({
      project_id: row.project_id, name: row.name, unit_name: row.unit_name ?? '', planned_investment: row.planned_investment, completed_ytd: row.months[month - 1] ?? 0,
    })), month, curve);
    const counts = { red: 0, yellow: 0, green: 0, none: 0 };
    const list: LightListRow[] = [];
    for (const { row, lights } of judged) {
      counts[lights.overall]++;
      if (lights.overall === 'red' || lights.overall === 'yellow') {
        list.push({
          project_id: row.project_id, name: row.name, unit_name: row.unit_name ?? '', light: lights.overall,
          reason: lights.dimensions.filter((d) => d.light === 'red' || d.light === 'yellow').map((d) => d.reason).join('；'),
        });
      }
    }
    list.sort((a, b) => (a.light === b.light ? 0 : a.light === 'red' ? -1 : 1) || a.unit_name.localeCompare(b.unit_name, 'zh-CN') || a.project_id - b.project_id);
    return {
      year, month, period_label: result.indicators.period_label, area, time_curve: curve ? [...curve] : null,
      overall: result.indicators, by_nature: groups('nature'), by_category: groups('category'), by_investment_type: groups('investment_type'),
      units, fast: projects.fast, slow: projects.slow, lights: { counts, list }, computed_at: this.deps.clock.now().toISOString(),
    };
  }

  /** The unit ranking of a period within the caller's scope (月讲评): the bulletin's table, on screen and in xlsx. */
  async getRanking(actor: Actor, query: RankingQuery): Promise<{ year: number; month: number; period_label: string; time_progress_text: string; units: UnitRank[]; fast: BulletinFigures['fast']; slow: BulletinFigures['slow'] }> {
    const f = await this.figuresFor(actor, { year: query.year, month: query.month, region: query.region ?? null }, '');
    return { year: f.year, month: f.month, period_label: f.period_label, time_progress_text: f.overall.time_progress.text, units: f.units, fast: f.fast, slow: f.slow };
  }

  async list(year?: number): Promise<BulletinView[]> {
    const rows = await this.repo.listBulletins(year);
    const versions = await this.repo.listVersions(rows.map((r) => r.id));
    return rows.map((r) => viewOf(r, versions.filter((v) => v.bulletin_id === r.id)));
  }

  async get(id: number): Promise<BulletinView> {
    const row = await this.repo.findBulletin(id);
    if (!row) throw notFound('通报');
    return viewOf(row, await this.repo.listVersions([id]));
  }

  /** A new draft for a period; the title comes from the template. */
  async create(actor: Actor, input: BulletinCreate): Promise<BulletinView> {
    if (input.region && !(await this.repo.findRegionName(input.region))) throw new AppError('validation_failed', `地区代码不存在：${input.region}`, [{ path: 'region' }]);
    const { id: templateId, template } = await this.templateOf({ template_id: null });
    const area = await this.areaOf(template, input.region ?? null);
    const title = fill(template.title, { 地区: area, 年: String(input.year), 月: String(input.month), 期间: periodLabel(input.month) });
    const at = this.deps.clock.now().toISOString();
    const id = await inTransaction(this.deps.db, async (trx) => {
      const repo = new BulletinRepository(trx);
      const id = await repo.insertBulletin({
        year: input.year, month: input.month, region_code: input.region ?? null, template_id: templateId, title, status: 'draft', omitted_feeds: '',
        created_by: userRef(actor), created_at: at, updated_at: at,
      });
      await this.deps.audit.record(trx, actor, { action: 'bulletin.create', entityType: 'bulletin', entityId: id, after: { year: input.year, month: input.month, region: input.region ?? null, title } });
      return id;
    });
    return this.get(id);
  }

  /** Deletes a draft that was never issued. */
  async remove(actor: Actor, id: number): Promise<void> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new BulletinRepository(trx);
      const b = await repo.findBulletin(id);
      if (!b) throw notFound('通报');
      if (b.status !== 'draft' || b.issue_no !== null) throw new AppError('unprocessable', '只能删除从未签发的草稿；已签发的通报须更正重发');
      await repo.deleteBulletin(id);
      await this.deps.audit.record(trx, actor, { action: 'bulletin.delete', entityType: 'bulletin', entityId: id, before: b });
    });
  }

  /** The document of a bulletin as it stands: the draft composed from live figures. */
  async draftDocument(id: number): Promise<{ doc: BulletinDoc; figures: BulletinFigures; bulletin: BulletinRow }> {
    const b = await this.repo.findBulletin(id);
    if (!b) throw notFound('通报');
    const { template } = await this.templateOf(b);
    const figures = await this.computeFigures({ year: b.year, month: b.month, region: b.region_code }, await this.areaOf(template, b.region_code));
    figures.feeds = await this.feedsOf(b);
    const { doc } = composeBulletin(template, figures, { issue_no: b.issue_no, date: chinaToday(this.deps.clock.now()), revision: b.revision, draft: b.status !== 'issued' });
    return { doc, figures, bulletin: b };
  }

  /**
   * The .docx to download: the latest issued version's stored bytes when the bulletin is issued (never
   * recomputed), else the draft composed now.
   */
  async document(id: number): Promise<{ docx: Buffer; fileName: string }> {
    const b = await this.repo.findBulletin(id);
    if (!b) throw notFound('通报');
    if (b.status === 'issued') return this.versionDocument(id, b.revision);
    const { doc } = await this.draftDocument(id);
    return { docx: await renderBulletinDocx(doc), fileName: `${b.title}（草稿）.docx` };
  }

  /** The stored .docx of one issued version. */
  async versionDocument(id: number, revision: number): Promise<{ docx: Buffer; fileName: string }> {
    const v = await this.repo.findVersion(id, revision);
    if (!v) throw notFound('该版本的通报');
    return { docx: Buffer.from(v.docx), fileName: `${v.title}（第${v.issue_no}期${revision > 1 ? `更正版${revision}` : ''}）.docx` };
  }

  /** The figures: frozen ones of the latest issued version, else computed now for the draft. */
  async figures(id: number): Promise<{ frozen: boolean; revision: number | null; figures: BulletinFigures }> {
    const b = await this.repo.findBulletin(id);
    if (!b) throw notFound('通报');
    if (b.status === 'issued') {
      const v = await this.repo.findVersion(id, b.revision);
      if (v) return { frozen: true, revision: v.revision, figures: JSON.parse(v.figures) as BulletinFigures };
    }
    return { frozen: false, revision: null, figures: (await this.draftDocument(id)).figures };
  }

  /** The feed sections' figures of a bulletin (a regional one reads attraction within its region's subtree). */
  private async feedsOf(b: BulletinRow) {
    const path = b.region_code ? (await this.repo.findRegionPath(b.region_code)) ?? null : null;
    return readFeeds(this.deps, b, path, parseOmitted(b.omitted_feeds));
  }

  /**
   * Which feed sections (督查督办, 会议, 问题, 招商: core/bulletins/feeds.ts) this bulletin leaves out: a per-bulletin
   * choice while it is a draft (a bulletin under review or issued keeps what was reviewed or signed).
   */
  async setOmittedFeeds(actor: Actor, id: number, version: number, omitted: readonly FeedKey[]): Promise<BulletinView> {
    const value = FEED_KEYS.filter((k) => omitted.includes(k)).join(',');
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new BulletinRepository(trx);
      const b = await repo.findBulletin(id);
      if (!b) throw notFound('通报');
      if (b.version !== version) throw new AppError('version_conflict', '通报已被他人修改，请刷新后重试', { current: b });
      if (b.status !== 'draft') throw new AppError('unprocessable', '只有草稿可以调整通报内容；送审或签发后须退回或更正重发');
      if (!(await repo.updateBulletinIfVersion(id, version, { omitted_feeds: value, updated_at: this.deps.clock.now().toISOString() }))) {
        throw new AppError('version_conflict', '通报已被他人修改，请刷新后重试');
      }
      await this.deps.audit.record(trx, actor, { action: 'bulletin.feeds', entityType: 'bulletin', entityId: id, before: { omitted_feeds: b.omitted_feeds }, after: { omitted_feeds: value } });
    });
    return this.get(id);
  }

  /** Runs a workflow action on a bulletin read at `version` (409 when it moved on). */
  private async act(actor: Actor, id: number, version: number, action: BulletinAction, write: (repo: BulletinRepository, b: BulletinRow, trx: Transaction<DB>) => Promise<Partial<BulletinRow>>, reason?: string): Promise<BulletinView> {
    await inTransaction(this.deps.db, async (trx) => {
      const repo = new BulletinRepository(trx);
      const b = await repo.findBulletin(id);
      if (!b) throw notFound('通报');
      if (b.version !== version) throw new AppError('version_conflict', '通报已被他人修改，请刷新后重试', { current: b });
      const from = b.status as BulletinStatus;
      let to: BulletinStatus;
      try {
        to = BULLETIN_WORKFLOW.next(from, action, { reason });
      } catch (err) {
        if (err instanceof WorkflowRefusal) throw new AppError('unprocessable', err.message);
        throw err;
      }
      const set = await write(repo, b, trx);
      const at = this.deps.clock.now().toISOString();
      if (!(await repo.updateBulletinIfVersion(id, version, { ...set, status: to, updated_at: at }))) {
        throw new AppError('version_conflict', '通报已被他人修改，请刷新后重试');
      }
      await recordMove(trx, { entityType: 'bulletin', entityId: id, from, to, action, reason: reason ?? null, actorId: userRef(actor), at });
      await this.deps.audit.record(trx, actor, { action: `bulletin.${action}`, entityType: 'bulletin', entityId: id, before: { status: b.status, revision: b.revision }, after: { status: to, ...set } });
    });
    return this.get(id);
  }

  submit(actor: Actor, id: number, version: number) {
    return this.act(actor, id, version, 'submit', async () => ({ submitted_by: userRef(actor), return_reason: null }));
  }

  return(actor: Actor, id: number, version: number, reason: string) {
    return this.act(actor, id, version, 'return', async () => ({ return_reason: reason }), reason);
  }

  reissue(actor: Actor, id: number, version: number, reason: string) {
    return this.act(actor, id, version, 'reissue', async (_repo, b) => ({ revision: b.revision + 1, correction_note: reason, return_reason: null }), reason);
  }

  /**
   * 签发: computes the figures once more, composes and renders the document, and in one transaction takes the issue
   * number (第N期, the year's next unless this is a corrected re-issue, which keeps its number), stores the figures
   * JSON, the template as signed and the .docx as a new version, and records the signer.
   */
  async sign(actor: Actor, id: number, version: number): Promise<BulletinView> {
    const b = await this.repo.findBulletin(id);
    if (!b) throw notFound('通报');
    const { template } = await this.templateOf(b);
    const figures = await this.computeFigures({ year: b.year, month: b.month, region: b.region_code }, await this.areaOf(template, b.region_code));
    figures.feeds = await this.feedsOf(b);
    const issuedOn = chinaToday(this.deps.clock.now());
    const signer = (await this.repo.findUserName(actor.userId)) ?? actor.displayName;
    return this.act(actor, id, version, 'sign', async (repo, current, trx) => {
      const issueNo = current.issue_no ?? (await nextNumber(trx, ISSUE_SERIES, current.year));
      const { doc } = composeBulletin(template, figures, { issue_no: issueNo, date: issuedOn, revision: current.revision, draft: false });
      const docx = await renderBulletinDocx(doc);
      await repo.insertVersion({
        bulletin_id: id, revision: current.revision, issue_no: issueNo,
        doc_number: template.doc_prefix.trim() ? formatDocNumber({ prefix: fill(template.doc_prefix, { 地区: figures.area }), year: current.year, seq: issueNo }) : null,
        title: doc.title, issued_on: issuedOn, figures: JSON.stringify(figures), template: JSON.stringify(template), docx,
        docx_sha256: crypto.createHash('sha256').update(docx).digest('hex'), correction_note: current.correction_note, submitted_by: current.submitted_by,
        signed_by: actor.userId, signer_name: signer, signed_at: this.deps.clock.now().toISOString(),
      });
      return { issue_no: issueNo, title: doc.title };
    });
  }
}

/** A stored template, checked against the current schema (older saved templates gain new fields' defaults). */
function parseTemplate(body: string): BulletinTemplate {
  const raw = JSON.parse(body) as Partial<BulletinTemplate>;
  return templateSchema.parse({ ...DEFAULT_TEMPLATE, ...raw, fonts: { ...DEFAULT_TEMPLATE.fonts, ...raw.fonts } });
}
