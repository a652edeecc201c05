// Node plans (倒排工期) of a project: the plan with its computed dates, its nodes, completion with evidence, review, 转督办.
import { api } from './client.ts';
import type { RequestBody, Schema } from './types.ts';
import { uploadFile } from './upload.ts';

export type NodePlan = Schema<'NodePlan'>;
export type PlanNode = Schema<'PlanNode'>;
export type NodeTimeline = Schema<'NodeTimeline'>;
export type NodeMatter = Schema<'NodeMatter'>;
export type NodeWrite = RequestBody<'/api/v1/plan-nodes/{id}', 'put'>;
export type NodePlanCreate = RequestBody<'/api/v1/projects/{id}/node-plan', 'post'>;
export type NodePlanUpdate = RequestBody<'/api/v1/projects/{id}/node-plan', 'put'>;
export type NodeTemplate = Schema<'NodeTemplate'>;
export type NodeTemplateWrite = RequestBody<'/api/v1/node-plans/template', 'put'>;

export const nodePlanApi = {
  get: (projectId: number, options?: { quiet?: boolean }) => api.get<NodePlan>(`/projects/${projectId}/node-plan`, undefined, options),
  create: (projectId: number, body: NodePlanCreate) => api.post<NodePlan>(`/projects/${projectId}/node-plan`, body),
  update: (projectId: number, body: NodePlanUpdate) => api.put<NodePlan>(`/projects/${projectId}/node-plan`, body),
  addNode: (projectId: number, body: NodeWrite) => api.post<NodePlan>(`/projects/${projectId}/node-plan/nodes`, body),
  updateNode: (id: number, body: NodeWrite) => api.put<NodePlan>(`/plan-nodes/${id}`, body),
  deleteNode: (id: number) => api.del<NodePlan>(`/plan-nodes/${id}`),
  /** One file of evidence (佐证材料) for an open node. */
  addEvidence: (id: number, file: File) => uploadFile<Schema<'NodeAttachment'>>(`/plan-nodes/${id}/evidence`, file, {}),
  complete: (id: number, body: RequestBody<'/api/v1/plan-nodes/{id}/complete', 'post'>) => api.post<NodePlan>(`/plan-nodes/${id}/complete`, body),
  confirm: (id: number) => api.post<NodePlan>(`/plan-nodes/${id}/confirm`, {}),
  sendBack: (id: number, reason: string) => api.post<NodePlan>(`/plan-nodes/${id}/return`, { reason }),
  timeline: (id: number) => api.get<NodeTimeline>(`/plan-nodes/${id}/timeline`),
  /** 转督办 of an overdue node (409 when it already has its matter). */
  toMatter: (id: number, body: RequestBody<'/api/v1/plan-nodes/{id}/matter', 'post'>) => api.post<NodeMatter>(`/plan-nodes/${id}/matter`, body, { quiet: true }),
  /** The office's default template (a plan "from template" starts from it). */
  template: () => api.get<NodeTemplate>('/node-plans/template'),
  /** Saves it on the version read (409 version_conflict with the stored template when another save came first). */
  saveTemplate: (body: NodeTemplateWrite) => api.put<NodeTemplate>('/node-plans/template', body, { quiet: true }),
};
