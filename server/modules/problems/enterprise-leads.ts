// The attraction leads (招商线索) linked to an enterprise, as the enterprise page lists them. The attraction module
// owns the leads and already imports this module (to match a lead's company to the register), so it plugs its reader
// in here at start-up (registerEnterpriseLeads, called by its registerAttractionScope) instead of this module
// importing it back: the same wiring, identical in every server process, as onDeadlineStep.
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/context.ts';

/** One linked lead: its stage, team and amounts in integer yuan. */
export interface EnterpriseLead {
  id: number;
  name: string;
  stage: string;
  team_name: string | null;
  intended_amount: number | null;
  signed_amount: number | null;
  signed_on: string | null;
  terminated_on: string | null;
  project_id: number | null;
}

/** The leads of an enterprise the actor may see, and how many more are linked outside the actor's scope. */
export type EnterpriseLeadReader = (db: Executor, actor: Actor, enterpriseId: number) => Promise<{ leads: EnterpriseLead[]; hidden: number }>;

let reader: EnterpriseLeadReader | null = null;

/** Plugs in the reader of an enterprise's linked leads (the attraction module, at start-up). */
export function registerEnterpriseLeads(read: EnterpriseLeadReader): void {
  reader = read;
}

/** The linked leads; none when no attraction module is wired in (a CLI command that never registered it). */
export function leadsOfEnterprise(db: Executor, actor: Actor, enterpriseId: number): Promise<{ leads: EnterpriseLead[]; hidden: number }> {
  return reader ? reader(db, actor, enterpriseId) : Promise.resolve({ leads: [], hidden: 0 });
}
