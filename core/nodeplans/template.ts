// The default node plan (倒排工期模板): the common road of an investment project from 立项 to 投产, serial where
// one approval needs the other and parallel where they run side by side (用地预审, 环评 and 节能审查 all follow
// 立项). Durations are working days, typical values offices start from and then edit per project. Offices keep their
// own template as a setting (server/modules/nodeplans/nodeplan.settings.ts); this constant is its default.
import { orderNodes, ScheduleError } from './schedule.ts';

/** One node of a template; predecessors are indexes into the template. */
export interface TemplateNode {
  name: string;
  durationDays: number;
  predecessors: number[];
  evidence: string;
  /** The default responsible unit; absent or null: the project's unit. */
  unitId?: number | null;
}

/** The default template (14 nodes). */
export const DEFAULT_NODE_TEMPLATE: readonly TemplateNode[] = [
  { name: '立项（可研批复/核准/备案）', durationDays: 20, predecessors: [], evidence: '可研批复、核准或备案文件' },
  { name: '用地预审与选址', durationDays: 15, predecessors: [0], evidence: '用地预审与选址意见书' },
  { name: '环评批复', durationDays: 20, predecessors: [0], evidence: '环境影响评价批复' },
  { name: '节能审查', durationDays: 15, predecessors: [0], evidence: '节能审查意见' },
  { name: '建设用地规划许可', durationDays: 15, predecessors: [1], evidence: '建设用地规划许可证' },
  { name: '土地供应（出让/划拨）', durationDays: 20, predecessors: [4], evidence: '土地出让合同或划拨决定书、不动产权证' },
  { name: '建设工程规划许可', durationDays: 15, predecessors: [5], evidence: '建设工程规划许可证' },
  { name: '施工图审查', durationDays: 20, predecessors: [6], evidence: '施工图审查合格书' },
  { name: '施工招标', durationDays: 25, predecessors: [7], evidence: '中标通知书、施工合同' },
  { name: '施工许可', durationDays: 10, predecessors: [8, 2, 3], evidence: '建筑工程施工许可证' },
  { name: '开工', durationDays: 1, predecessors: [9], evidence: '开工报告、现场照片' },
  { name: '主体完工', durationDays: 120, predecessors: [10], evidence: '主体结构验收记录、现场照片' },
  { name: '竣工验收', durationDays: 20, predecessors: [11], evidence: '竣工验收报告（备案表）' },
  { name: '投产', durationDays: 10, predecessors: [12], evidence: '投产证明、现场照片' },
];

/**
 * What is wrong with a template, in Chinese (empty when nothing): at least one node, every name given and unique,
 * durations whole working days of at least 1, predecessors among the other nodes, no cycle.
 */
export function templateProblems(nodes: readonly TemplateNode[]): string[] {
  const problems: string[] = [];
  if (nodes.length === 0) return ['模板至少要有 1 个节点'];
  const seen = new Map<string, number>();
  nodes.forEach((n, i) => {
    const name = n.name.trim();
    const at = `第 ${i + 1} 个节点${name ? `“${name}”` : ''}`;
    if (!name) problems.push(`${at}未填写名称`);
    else if (seen.has(name)) problems.push(`节点名称“${name}”重复（第 ${seen.get(name)! + 1} 个和第 ${i + 1} 个），节点名称不能重复`);
    else seen.set(name, i);
    if (!Number.isInteger(n.durationDays) || n.durationDays < 1) problems.push(`${at}的工期应为至少 1 个工作日的整数`);
    for (const p of n.predecessors) {
      if (p === i) problems.push(`${at}不能以自身为前置节点`);
      else if (!Number.isInteger(p) || p < 0 || p >= nodes.length) problems.push(`${at}的前置节点不存在`);
    }
  });
  if (problems.length > 0) return problems;
  try {
    orderNodes(nodes.map((n, i) => ({ id: i, name: n.name.trim(), durationDays: n.durationDays, predecessors: n.predecessors })));
  } catch (err) {
    if (err instanceof ScheduleError) return [err.message];
    throw err;
  }
  return [];
}
