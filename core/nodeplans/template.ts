// The default node plan (倒排工期模板): the common road of an investment project from 立项 to 投产, serial where
// one approval needs the other and parallel where they run side by side (用地预审, 环评 and 节能审查 all follow
// 立项). Durations are working days, typical values offices start from and then edit per project.

/** One node of a template; predecessors are indexes into the template. */
export interface TemplateNode {
  name: string;
  durationDays: number;
  predecessors: number[];
  evidence: string;
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
