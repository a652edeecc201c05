// The office's node-plan settings: the default node template (倒排工期模板) a plan "from template" starts from. The
// code constant (core/nodeplans/template.ts) is the default until the office saves its own (platform/settings.ts:
// versioned, audited).
import { z } from 'zod';
import { DEFAULT_NODE_TEMPLATE, type TemplateNode } from '../../../core/nodeplans/template.ts';
import { defineSettings } from '../../platform/settings.ts';

const templateNode = z.object({
  name: z.string(),
  durationDays: z.number().int(),
  predecessors: z.array(z.number().int()),
  evidence: z.string(),
  unitId: z.number().int().positive().nullable().optional(),
}) satisfies z.ZodType<TemplateNode>;

/** The node-plan settings over `nodeplan_settings`. */
export const nodeplanSettings = defineSettings('nodeplan', 'nodeplan_settings', z.object({ node_template: z.array(templateNode) }), {
  node_template: DEFAULT_NODE_TEMPLATE.map((n) => ({ ...n, predecessors: [...n.predecessors] })),
});
