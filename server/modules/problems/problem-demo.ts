import { addDays } from '../../../core/calendar.ts';
import { usccCheckChar } from '../../../core/uscc.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { systemActor } from '../../platform/context.ts';
import type { EnterpriseService } from './enterprise.service.ts';
import type { ProblemService } from './problem.service.ts';

/** Who and what the demo's problems need (server/modules/demo calls this after its units, users and projects). */
export interface ProblemDemoInput {
  asOf: string;
  regionCode: string;
  reporter: { userId: number; unitId: number; name: string };
  office: { userId: number; unitId: number };
  leader: { userId: number; unitId: number };
  /** Departments that own categories (工信局, 生态环境局 …): [land & planning owner, environment owner, utilities owner]. */
  departments: number[];
  /** A project of the reporter's unit to link an enterprise to. */
  projectId: number | null;
}

const ENTERPRISES: Array<[string, string, string, 'large' | 'medium' | 'small']> = [
  ['苏州恒瑞精密机械有限公司', '通用设备制造业', '91320500MA1MQ1AB0', 'medium'],
  ['苏州新锐光电科技有限公司', '计算机、通信和其他电子设备制造业', '91320500MA1NX7CD1', 'large'],
  ['苏州绿源新材料股份有限公司', '化学原料和化学制品制造业', '91320500MA1PY2EF2', 'medium'],
  ['苏州禾丰食品有限公司', '农副食品加工业', '91320500MA1QW3GH3', 'small'],
];

/**
 * A few enterprises linked to the demo reporter as their cadre (one visit overdue), visits, and problems in every
 * state (待受理, 已交办, 办理中, 已答复, 已销号 after a 重办, 不予受理), so the ledger, the enterprise page and the
 * figures show something on first start. Cheap: a dozen service calls. Returns the enterprises' ids, in the order
 * above (the demo's matters link some of them).
 */
export async function seedProblemDemo(deps: Deps, services: { enterprises: EnterpriseService; problems: ProblemService }, input: ProblemDemoInput): Promise<number[]> {
  const as = (who: { userId: number; unitId: number }, role: Actor['role'], name: string): Actor =>
    ({ ...systemActor(), userId: who.userId, unitId: who.unitId, role, username: name, displayName: name });
  const office = as(input.office, 'office', 'office');
  const leader = as(input.leader, 'leader', 'leader');
  const cadre = as(input.reporter, 'reporter', 'reporter');
  const [landOwner, envOwner, utilOwner] = input.departments;
  for (const [code, owner] of [['land', landOwner], ['planning', landOwner], ['environment', envOwner], ['utilities', utilOwner], ['energy', envOwner]] as const) {
    if (owner) await services.problems.putCategory(office, { code, name: { land: '用地', planning: '规划', environment: '环评', utilities: '水电气', energy: '能耗指标' }[code], owner_unit_id: owner, sort: ['land', 'planning', 'environment', 'energy', 'funds', 'labour', 'utilities'].indexOf(code) + 1 });
  }
  const ids: number[] = [];
  for (const [name, industry, first17, size] of ENTERPRISES) {
    const e = await services.enterprises.create(office, {
      name, uscc: `${first17.slice(0, 17)}${usccCheckChar(first17.slice(0, 17))}`, region_code: input.regionCode, unit_id: input.reporter.unitId,
      industry, size, contact_name: '办公室', contact_phone: '0512-6800' + String(ids.length + 1).padStart(4, '0'),
    });
    ids.push(e.id);
  }
  const linkedOn = addDays(input.asOf, -120);
  for (const id of ids.slice(0, 3)) {
    await services.enterprises.addCadre(office, id, { user_id: input.reporter.userId, name: input.reporter.name, post: '包联干部', role: id === ids[0] ? 'chief' : 'cadre', visit_every_months: 1, linked_on: linkedOn });
  }
  await services.enterprises.addCadre(office, ids[0]!, { user_id: input.leader.userId, name: '分管领导', post: '副市长', role: 'leader', visit_every_months: 3, linked_on: linkedOn });
  if (input.projectId) await services.enterprises.setProjects(office, ids[0]!, [input.projectId]);

  // Visits: the first enterprise recently (with a problem raised on site), the second two months ago (overdue).
  const v1 = await services.enterprises.addVisit(cadre, ids[0]!, {
    visited_on: addDays(input.asOf, -6), visitors: `${input.reporter.name}、企业负责人`, content: '了解二期扩产进展，企业反映用地指标和用电增容两个问题',
    problems: [
      { title: '二期扩产用地指标不足', description: '二期厂房需新增工业用地约 30 亩，年度用地计划指标不足', category_code: 'land', level: 'city', is_major: true, co_unit_ids: [], project_id: input.projectId },
      { title: '新厂房用电增容', description: '新增 2000 千伏安用电容量，需供电部门现场勘查', category_code: 'utilities', level: 'county', is_major: false, co_unit_ids: [] },
    ],
  });
  await services.enterprises.addVisit(cadre, ids[1]!, { visited_on: addDays(input.asOf, -65), visitors: input.reporter.name, content: '走访了解订单和用工情况', problems: [] });
  const raise = (title: string, description: string, category_code: string, enterprise: number, daysAgo: number) =>
    services.problems.raise(cadre, { title, description, source: 'enterprise', enterprise_id: enterprise, category_code, level: 'county', is_major: false, co_unit_ids: [], received_on: addDays(input.asOf, -daysAgo) });
  const step = async (id: number, actor: Actor, action: string, body: { reason?: string; reply?: string; result?: 'satisfied' | 'basic' | 'unsatisfied' } = {}) => {
    const p = await services.problems.get(actor, id);
    await services.problems.act(actor, id, action, { version: p.version, ...body });
  };
  const [landP, powerP] = v1.problem_ids as [number, number];
  await step(landP, office, 'assign');
  await step(powerP, office, 'assign');
  await step(powerP, office, 'sign');
  await step(powerP, office, 'start');
  const env = await raise('环评批复办理进度', '新增生产线环评报告书已提交，询问批复时间', 'environment', ids[2]!, 20);
  for (const [a, b] of [['assign', {}], ['sign', {}], ['reply', { reply: '已完成技术评估，预计两周内批复' }]] as const) await step(env, office, a, b);
  const energy = await raise('能耗指标缺口', '新项目年综合能耗 1.2 万吨标煤，需统筹能耗指标', 'energy', ids[2]!, 40);
  for (const [actor, a, b] of [
    [office, 'assign', {}], [office, 'sign', {}], [office, 'reply', { reply: '已申请市级统筹' }], [leader, 'visit', { result: 'unsatisfied', reason: '指标来源未落实' }],
    [office, 'reply', { reply: '已落实市级统筹指标 1.2 万吨标煤' }], [leader, 'visit', { result: 'satisfied' }], [office, 'close', {}],
  ] as const) await step(energy, actor, a, b);
  await raise('员工子女入学', '外地员工子女就近入学', 'other', ids[3] ?? ids[0]!, 2);
  const rejected = await raise('申请减免房租', '希望政府减免厂房租金', 'funds', ids[3] ?? ids[0]!, 10);
  await step(rejected, office, 'reject', { reason: '厂房为企业自租，不属于政府减免范围，已向企业解释' });
  return ids;
}
