// Pre-construction procedures (前期手续) a project goes through, in the usual order.

export const PROCEDURE_KINDS = [
  'approval', // 立项审批
  'ratification', // 立项核准
  'filing', // 立项备案
  'feasibility', // 可研批复
  'preliminary_design', // 初步设计及概算批复
  'land_preexam', // 用地预审与选址意见
  'land_supply', // 供地
  'planning_land', // 建设用地规划许可
  'planning_works', // 建设工程规划许可
  'eia', // 环境影响评价
  'energy_review', // 节能审查
  'drawing_review', // 施工图审查
  'tendering', // 招标
  'construction_permit', // 施工许可
] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export const PROCEDURE_LABELS: Record<ProcedureKind, string> = {
  approval: '立项（审批）',
  ratification: '立项（核准）',
  filing: '立项（备案）',
  feasibility: '可行性研究报告批复',
  preliminary_design: '初步设计及概算批复',
  land_preexam: '用地预审与选址意见',
  land_supply: '供地',
  planning_land: '建设用地规划许可',
  planning_works: '建设工程规划许可',
  eia: '环境影响评价',
  energy_review: '节能审查',
  drawing_review: '施工图审查',
  tendering: '招标',
  construction_permit: '施工许可',
};

export const PROCEDURE_STATUSES = ['pending', 'in_progress', 'done', 'not_required'] as const;
export type ProcedureStatus = (typeof PROCEDURE_STATUSES)[number];
