import type { Insertable } from 'kysely';
import { LEAD_STAGES, STAGE_DATE_FIELD, LEAD_STAGE_LABELS, type LeadStage } from '../../../core/attraction/lead.ts';
import { usccCheckChar } from '../../../core/uscc.ts';
import type { Executor } from '../../db/database.ts';
import type { AttractionLeadTable } from '../../db/schema.ts';
import { AttractionRepository } from './attraction.repository.ts';
import { LEAD_ENTITY } from './attraction.service.ts';

// The demo's attraction pipeline: a few dozen records across the stages, deterministic from the as-of date, written
// in a handful of statements (the demo runs in many tests). Started and producing records are the demo portfolio's
// own attraction projects (is_attraction), so the record and the library agree.

const INVESTORS = ['恒晟新能源集团', '华瑞生物医药', '芯联半导体', '远航智能装备', '中材新材料', '云智数字科技', '顺达供应链', '锦程文旅', '博远汽车零部件', '星海光电'];
const INDUSTRIES = ['新能源', '生物医药', '集成电路', '高端装备', '新材料', '数字经济', '现代物流', '文化旅游', '汽车零部件', '光电信息'];
const PRODUCTS = ['动力电池模组', '创新药研发生产基地', '12英寸晶圆封测', '智能机器人整机', '高性能复合材料', '区域算力中心', '智慧物流园', '文旅综合体', '新能源汽车电驱', 'Mini LED 显示模组'];
const AMOUNTS_WAN = [8_000, 12_000, 30_000, 52_000, 100_000, 150_000, 260_000, 4_800, 65_000, 18_000];
const REVIEW_BODIES = ['区招商引资项目评审委员会', '市重大项目准入联审会', '园区产业准入评审会'];
const FOLLOWUPS = ['电话沟通项目推进情况', '赴企业总部对接投资计划', '陪同客商实地考察选址', '协调用地指标和规划条件', '对接设备采购和人员招聘进度'];

/** The stages of the demo's records, in order (40 records, two of them ended). */
const PLAN: LeadStage[] = [
  ...Array<LeadStage>(6).fill('lead'), ...Array<LeadStage>(10).fill('negotiating'), ...Array<LeadStage>(8).fill('signed'),
  ...Array<LeadStage>(4).fill('approved'), ...Array<LeadStage>(3).fill('landed'), ...Array<LeadStage>(6).fill('started'), ...Array<LeadStage>(3).fill('producing'),
];

function minusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

function demoUscc(region: string, i: number): string {
  const first17 = `91${region.slice(0, 6)}MA${String(1000000 + i).slice(1)}A`;
  return first17 + (usccCheckChar(first17) ?? '0');
}

/**
 * Seeds the demo pipeline once (nothing when records exist). `reporterTeam` (the demo reporter's unit) gets a few
 * records so the reporter's board is not empty; the others go to the county offices and parks.
 */
export async function seedAttractionDemo(db: Executor, opts: { asOf: string; now?: string; reporterTeam?: { id: number; region_code: string }; actorId?: number | null }): Promise<number> {
  const repo = new AttractionRepository(db);
  if ((await repo.countLeads()) > 0) return 0;
  const teams = await repo.listDemoTeams();
  if (teams.length === 0) return 0;
  const started = await repo.listDemoAttractionProjects(6, false);
  const producing = await repo.listDemoAttractionProjects(3, true);
  // Never after the clock: the demo passes its own instant when loaded in the small hours of its day.
  const now = opts.now ?? `${opts.asOf}T00:00:00.000Z`;
  const rows: Insertable<AttractionLeadTable>[] = [];
  const stagesOf: LeadStage[] = [];
  let startedAt = 0;
  let producingAt = 0;
  for (const [i, planned] of PLAN.entries()) {
    let stage = planned;
    const team = i % 8 === 3 && opts.reporterTeam ? { id: opts.reporterTeam.id, region_code: opts.reporterTeam.region_code } : teams[i % teams.length]!;
    const k = i % INVESTORS.length;
    const intended = AMOUNTS_WAN[(i * 3) % AMOUNTS_WAN.length]! * 10_000;
    const row: Insertable<AttractionLeadTable> = {
      name: `${INVESTORS[k]}${PRODUCTS[(i * 7) % PRODUCTS.length]}项目`, team_id: team.id, region_code: team.region_code!, lead_on: opts.asOf,
      stage, review_status: 'settled', version: 1, created_at: now, updated_at: now, created_by: opts.actorId ?? null, updated_by: opts.actorId ?? null,
    };
    // Started and producing records are library projects; without enough of them the record stays at 落地.
    const project = stage === 'started' ? started[startedAt++] : stage === 'producing' ? producing[producingAt++] : undefined;
    if ((stage === 'started' || stage === 'producing') && !project?.actual_start_date) stage = 'landed';
    if (stage === 'producing' && !project?.actual_production_date) stage = 'started';
    row.stage = stage;
    const idx = LEAD_STAGES.indexOf(stage);
    // A record waiting for review (or sent back) already carries what its next stage needs.
    const fill = [10, 19, 21, 25].includes(i) ? idx + 1 : idx;
    // Stage dates backwards from the latest one: started/producing from the project, the others within recent months.
    let date = project?.actual_start_date && idx >= 5 ? (idx === 6 && project.actual_production_date ? project.actual_production_date : project.actual_start_date) : minusDays(opts.asOf, 3 + ((i * 17) % 70));
    if (date > opts.asOf) date = opts.asOf;
    for (let s = idx; s >= 0; s--) {
      const field = STAGE_DATE_FIELD[LEAD_STAGES[s]!];
      // One signed record skipped 在谈 (a returning investor), as offices record it.
      if (!(i === 17 && LEAD_STAGES[s] === 'negotiating')) row[field] = date;
      if (s === 6 && project?.actual_start_date) date = project.actual_start_date;
      else date = minusDays(date, 20 + ((i * 13 + s * 7) % 45));
    }
    if (fill >= 1) Object.assign(row, { investor: INVESTORS[k], industry: INDUSTRIES[k], intended_amount: intended, site: ['经开区', '高新区', '产业园'][i % 3], land_need: `${40 + (i % 6) * 20} 亩`, contacts: `${['王', '李', '张', '陈'][i % 4]}经理`, negotiator: `招商${['一', '二', '三'][i % 3]}组` });
    if (fill >= 2) {
      const signed = project ? Math.round(project.total_investment * 0.8) : Math.round(intended * 0.9);
      Object.assign(row, { signed_amount: signed, planned_total: project?.total_investment ?? intended, foreign_usd: i % 4 === 0 ? 20_000_000 : null, funds_in_place: idx >= 5 ? Math.round(signed * (idx === 6 ? 0.8 : 0.35)) : idx >= 4 ? Math.round(signed * 0.1) : 0 });
    }
    if (fill >= 3) row.review_body = REVIEW_BODIES[i % REVIEW_BODIES.length]!;
    if (fill >= 4) Object.assign(row, { company_name: project?.builder_name ?? `苏州${INVESTORS[k]}有限公司`, company_uscc: project?.builder_uscc ?? demoUscc(team.region_code!, i), land_info: '挂牌出让，已签订土地出让合同' });
    if (project && idx >= 5) Object.assign(row, { name: project.name, team_id: project.unit_id, region_code: project.region_code, project_id: project.id });
    // Two 在谈 records ended; three wait for review, one was sent back.
    if (i === 8 || i === 13) Object.assign(row, { terminated_on: minusDays(opts.asOf, 10 + i), termination_kind: i === 8 ? 'elsewhere' : 'failed', termination_reason: i === 8 ? '客商最终选择落户外省' : '投资方资金链紧张，暂停对外投资' });
    else if (i === 10 || i === 19 || i === 25) Object.assign(row, { review_status: 'submitted', pending_to: LEAD_STAGES[idx + 1], pending_on: minusDays(opts.asOf, 2), submitted_by: opts.actorId ?? null, submitted_at: now });
    else if (i === 21) Object.assign(row, { review_status: 'returned', pending_to: LEAD_STAGES[idx + 1], pending_on: minusDays(opts.asOf, 5), return_reason: '请上传签字盖章的合同扫描件' });
    // Follow-ups: most records recently, every seventh one left stale.
    row.last_followup_on = i % 7 === 5 && idx < 5 ? null : minusDays(opts.asOf, (i * 5) % 25);
    if (row.last_followup_on && row.last_followup_on < row.lead_on) row.last_followup_on = row.lead_on!;
    rows.push(row);
    stagesOf.push(stage);
  }
  const ids = await repo.insertMany(rows);
  const moves = ids.flatMap((id, n) => {
    const r = rows[n]!;
    const reached = LEAD_STAGES.slice(1, LEAD_STAGES.indexOf(stagesOf[n]!) + 1).filter((s) => r[STAGE_DATE_FIELD[s]]);
    return [
      { entity_type: LEAD_ENTITY, entity_id: id, from_status: null, to_status: 'settled', action: 'create', reason: `登记线索（${r.lead_on}）`, actor_id: opts.actorId ?? null, at: now },
      ...reached.map((s) => ({ entity_type: LEAD_ENTITY, entity_id: id, from_status: 'submitted', to_status: 'settled', action: 'approve', reason: `进入“${LEAD_STAGE_LABELS[s]}”（${r[STAGE_DATE_FIELD[s]]}）`, actor_id: opts.actorId ?? null, at: now })),
    ];
  });
  await repo.insertMoves(moves);
  await repo.insertFollowups(ids.flatMap((id, n) => {
    const d = rows[n]!.last_followup_on;
    return d ? [{ lead_id: id, on_date: d, content: FOLLOWUPS[n % FOLLOWUPS.length]!, user_id: opts.actorId ?? null, created_at: now }] : [];
  }));
  return ids.length;
}
