import { chineseDate } from '../../../core/bulletins/phrases.ts';
import { addDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import type { AgendaService } from './agenda.service.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { MatterRepository } from './matter.repository.ts';
import type { MatterService } from './matter.service.ts';

/**
 * A handful of supervised matters in various states for the demo (so the office sees 督查督办 on first start):
 * to sign, in progress with feedback, closing (awaiting review), extension requested, written off, and one with a
 * leader's 批示 marked 需要关注. With the agenda service, two meetings come first (a 调度会 two weeks before the demo's
 * day and a 周例会 three days before), and two of the 调度会's decisions are the sources of the written-off and the
 * extension-requested matters (the matter count stays six). Given the demo's enterprises (the problems module's,
 * in their order), three matters name the ones they concern (关联企业): the first enterprise (the one linked to a
 * project, with a power problem) on the land and the power matters, the third (environment problems) on the 环评
 * matter. About 25 small transactions.
 */
export async function seedDemoMatters(deps: Deps, service: MatterService, ids: { officeUserId: number; leaderUserId: number; reporterUserId: number; reporterUnitId: number; coUnitId: number; enterpriseIds?: readonly number[] }, agenda?: AgendaService): Promise<number> {
  const all = { all: true, unitPaths: [], regionPaths: [] };
  const office: Actor = { userId: ids.officeUserId, username: 'office', displayName: '市发改委重点项目办（演示）', role: 'office', unitId: null, scope: all };
  const leader: Actor = { userId: ids.leaderUserId, username: 'leader', displayName: '分管领导（演示）', role: 'leader', unitId: null, scope: all };
  const unit: Actor = { userId: ids.reporterUserId, username: 'reporter', displayName: '填报员（演示）', role: 'reporter', unitId: ids.reporterUnitId, scope: all };
  const projects = await new MatterRepository(deps.db).projectsOfUnit(ids.reporterUnitId, 3);
  const p = (i: number) => projects[i % Math.max(1, projects.length)];
  // Meetings (会议): a 调度会 whose first two decisions become matters below, and a 周例会 not yet assigned.
  const today = chinaToday(deps.clock.now());
  const decisions: { id: number; ref: string }[] = [];
  if (agenda) {
    const held = addDays(today, -14);
    const title = '全市重点项目建设调度会';
    const { id } = await agenda.createMeeting(office, {
      kind: 'coordination', title, heldOn: held, chair: '分管副市长', attendees: '市发改委、市自然资源和规划局、市住房和城乡建设局、市财政局、各县（市、区）政府', location: '市政府第一会议室',
      decisions: ['项目用地报批限期完成，由属地牵头、自然资源部门配合', '开工手续实行并联审批，相关部门压缩办理时限', '研究解决园区配套基础设施资金缺口，财政部门提出方案'],
    });
    const detail = await agenda.meeting(id);
    for (const d of detail.decisions.slice(0, 2)) decisions.push({ id: d.id, ref: `${chineseDate(held)}${title}议定事项第${d.seq}项` });
    await agenda.createMeeting(office, {
      kind: 'weekly', title: '重点项目周例会', heldOn: addDays(today, -3), chair: '市发改委主任', attendees: '市发改委重点项目办、各县（市、区）发改局', location: '市发改委302会议室',
      decisions: ['梳理下季度计划开工项目清单，逐项明确责任单位和时间节点', '对进度滞后的项目开展现场督查，结果纳入月度讲评'],
    });
  }
  const enterprise = (...which: number[]) => which.flatMap((i) => (ids.enterpriseIds?.[i] !== undefined ? [ids.enterpriseIds[i]] : []));
  const make = async (title: string, extra: { source?: 'meeting' | 'instruction' | 'project' | 'weekly'; days?: number; co?: boolean; project?: number; decision?: number; enterprises?: number[] } = {}) => {
    const proj = extra.project !== undefined ? p(extra.project) : undefined;
    const decision = extra.decision !== undefined ? decisions[extra.decision] : undefined;
    const source = decision ? 'meeting' : extra.source ?? 'project';
    const r = await service.create(extra.source === 'instruction' ? leader : office, {
      title: proj ? `${proj.name}${title}` : title, content: `请牵头单位${title}，每周报送进展。`, source,
      sourceId: decision?.id ?? (source === 'project' ? proj?.id ?? null : null), sourceRef: decision?.ref ?? proj?.name ?? null,
      type: '项目推进', urgency: extra.days && extra.days < 8 ? 'urgent' : 'normal', leadUnitId: ids.reporterUnitId, coUnitIds: extra.co ? [ids.coUnitId] : [], projectIds: proj ? [proj.id] : [],
      dueWorkingDays: extra.days ?? 15, feedbackDays: 5, enterpriseIds: extra.enterprises ?? [],
    });
    return r.id;
  };
  const act = async (actor: Actor, id: number, action: Parameters<MatterService['act']>[2]['action'], more: { reason?: string; dueOn?: string } = {}) => {
    const m = await service.detail(actor, id);
    await service.act(actor, id, { action, version: m.matter.version, ...more });
  };
  await make('征地拆迁协调', { project: 0, days: 10, enterprises: enterprise(0) });
  const doing = await make('施工用电接入', { project: 1, co: true, enterprises: enterprise(0, 1) });
  await act(unit, doing, 'sign');
  await service.feedback(unit, doing, { text: '已与供电公司对接，临时用电方案已报审。', nextSteps: '下周完成方案评审并开始施工。' });
  const closing = await make('环评批复办理', { source: 'weekly', days: 20, enterprises: enterprise(2) });
  await act(unit, closing, 'sign');
  await service.feedback(unit, closing, { text: '环评报告已通过专家评审。' });
  await act(unit, closing, 'apply_close', { reason: '环评批复已取得（附批复文件）。' });
  const ext = await make('开工手续并联审批', { project: 2, decision: 1 });
  await act(unit, ext, 'sign');
  const m = await service.detail(unit, ext);
  await act(unit, ext, 'request_extension', { reason: '施工许可需等待消防设计审查意见。', dueOn: addDays(m.matter.dueOn, 10) });
  const done = await make('项目用地报批', { source: 'meeting', days: 12, decision: 0 });
  await act(unit, done, 'sign');
  await act(unit, done, 'apply_close', { reason: '用地批复已下达。' });
  await act(office, done, 'approve_close');
  await act(office, done, 'write_off');
  const instructed = await make('产业园配套道路建设', { source: 'instruction', days: 25, co: true });
  await service.instruct(leader, instructed, '请加快推进，月底前完成主体工程招标。');
  await service.setAttention(leader, instructed, true);
  return 6;
}
