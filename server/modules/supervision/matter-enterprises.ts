// The enterprises (关联企业) a matter may be linked to. The problems module owns enterprises and who sees them
// (unit, region and linked cadres: problems/scope.ts), and it already imports this module (转督办), so it plugs its
// reader in here at start-up (registerProblemScopes calls registerMatterEnterprises) instead of this module importing
// it back, as problems/enterprise-leads.ts does for attraction.
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/context.ts';

/** An enterprise as a matter names it: id, name and 统一社会信用代码. */
export interface MatterEnterprise {
  id: number;
  name: string;
  uscc: string | null;
}

/** Those of the given enterprises (live ones) that the actor may see. */
export type MatterEnterpriseReader = (db: Executor, actor: Actor, ids: readonly number[]) => Promise<MatterEnterprise[]>;

let reader: MatterEnterpriseReader | null = null;

/** Plugs in the reader of visible enterprises (the problems module, at start-up). */
export function registerMatterEnterprises(read: MatterEnterpriseReader): void {
  reader = read;
}

/** The visible ones of these enterprises; null when no problems module is wired in (linking is then refused). */
export function visibleEnterprises(db: Executor, actor: Actor, ids: readonly number[]): Promise<MatterEnterprise[]> | null {
  return reader ? reader(db, actor, ids) : null;
}
