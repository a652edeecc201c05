// The node of a node plan (倒排工期节点) as a tracked item: its responsible unit completes it with evidence
// (佐证材料) and the key-project office confirms it or sends it back. The moves go through the tracked-item engine
// (server/modules/supervision/case-engine.ts) like matters'.
import { defineWorkflow } from '../workflow.ts';

export const NODE_STATES = ['pending', 'completed', 'confirmed'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export const NODE_STATE_LABELS: Record<NodeState, string> = { pending: '未完成', completed: '已完成（待确认）', confirmed: '已确认' };

export const NODE_ACTIONS = ['complete', 'confirm', 'return'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** The node workflow: complete (with evidence) → confirm, or back to 未完成 with a reason. */
export const NODE_WORKFLOW = defineWorkflow<NodeState, NodeAction>({
  noun: '节点',
  states: NODE_STATES,
  stateLabels: NODE_STATE_LABELS,
  actions: {
    complete: { from: ['pending'], to: 'completed', permission: 'project.write', needs: 'evidence', label: '完成', hint: '，只有未完成的节点可以报完成' },
    confirm: { from: ['completed'], to: 'confirmed', permission: 'node.confirm', label: '确认', hint: '，只有已完成待确认的节点可以确认' },
    return: { from: ['completed'], to: 'pending', permission: 'node.confirm', needs: 'reason', label: '退回', hint: '，只有已完成待确认的节点可以退回' },
  },
});

/** True when the node no longer counts as open (its responsible unit has completed it). */
export function isNodeDone(state: string): boolean {
  return state === 'completed' || state === 'confirmed';
}
