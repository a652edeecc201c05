import { addDays } from '../../../core/calendar.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { MatterRepository } from './matter.repository.ts';
import type { MatterService } from './matter.service.ts';

/**
 * A handful of supervised matters in various states for the demo (so the office sees 督查督办 on first start):
 * to sign, in progress with feedback, closing (awaiting review), extension requested, written off, and one with a
 * leader's 批示 marked 需要关注. About 20 small transactions.
 */
export async function seedDemoMatters(deps: Deps, service: MatterService, ids: { officeUserId: number; leaderUserId: number; reporterUserId: number; reporterUnitId: number; coUnitId: number }): Promise<number> {
  const all = { all: true, unitPaths: [], regionPaths: [] };
  const office: Actor = { userId: ids.officeUserId, username: 'office', displayName: '市发改委重点项目办（演示）', role: 'office', unitId: null, scope: all };
  const leader: Actor = { userId: ids.leaderUserId, username: 'leader', displayName: '分管领导（演示）', role: 'leader', unitId: null, scope: all };
  const unit: Actor = { userId: ids.reporterUserId, username: 'reporter', displayName: '填报员（演示）', role: 'reporter', unitId: ids.reporterUnitId, scope: all };
  const projects = await new MatterRepository(deps.db).projectsOfUnit(ids.reporterUnitId, 3);
  const p = (i: number) => projects[i % Math.max(1, projects.length)];
  const make = async (title: string, extra: { source?: 'meeting' | 'instruction' | 'project' | 'weekly'; days?: number; co?: boolean; project?: number } = {}) => {
    const proj = extra.project !== undefined ? p(extra.project) : undefined;
    const r = await service.create(extra.source === 'instruction' ? leader : office, {
      title: proj ? `${proj.name}${title}` : title, content: `请牵头单位${title}，每周报送进展。`, source: extra.source ?? 'project', sourceId: proj?.id ?? null, sourceRef: proj?.name ?? null,
      type: '项目推进', urgency: extra.days && extra.days < 8 ? 'urgent' : 'normal', leadUnitId: ids.reporterUnitId, coUnitIds: extra.co ? [ids.coUnitId] : [], projectIds: proj ? [proj.id] : [],
      dueWorkingDays: extra.days ?? 15, feedbackDays: 5,
    });
    return r.id;
  };
  const act = async (actor: Actor, id: number, action: Parameters<MatterService['act']>[2]['action'], more: { reason?: string; dueOn?: string } = {}) => {
    const m = await service.detail(actor, id);
    await service.act(actor, id, { action, version: m.matter.version, ...more });
  };
  await make('征地拆迁协调', { project: 0, days: 10 });
  const doing = await make('施工用电接入', { project: 1, co: true });
  await act(unit, doing, 'sign');
  await service.feedback(unit, doing, { text: '已与供电公司对接，临时用电方案已报审。', nextSteps: '下周完成方案评审并开始施工。' });
  const closing = await make('环评批复办理', { source: 'weekly', days: 20 });
  await act(unit, closing, 'sign');
  await service.feedback(unit, closing, { text: '环评报告已通过专家评审。' });
  await act(unit, closing, 'apply_close', { reason: '环评批复已取得（附批复文件）。' });
  const ext = await make('开工手续并联审批', { project: 2 });
  await act(unit, ext, 'sign');
  const m = await service.detail(unit, ext);
  await act(unit, ext, 'request_extension', { reason: '施工许可需等待消防设计审查意见。', dueOn: addDays(m.matter.dueOn, 10) });
  const done = await make('项目用地报批', { source: 'meeting', days: 12 });
  await act(unit, done, 'sign');
  await act(unit, done, 'apply_close', { reason: '用地批复已下达。' });
  await act(office, done, 'approve_close');
  await act(office, done, 'write_off');
  const instructed = await make('产业园配套道路建设', { source: 'instruction', days: 25, co: true });
  await service.instruct(leader, instructed, '请加快推进，月底前完成主体工程招标。');
  await service.setAttention(leader, instructed, true);
  return 6;
}
