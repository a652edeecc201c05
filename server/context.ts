import type { Role } from './plugins/permissions.ts';

/** What rows an actor may see: everything, or the union of unit subtrees and region subtrees. */
export interface DataScope {
  all: boolean;
  /** Unit materialized paths ('/1/4/'); a project is in scope when its unit's path starts with one. */
  unitPaths: string[];
  /** Region materialized paths ('/510000/510100/'). */
  regionPaths: string[];
}

/** Who is asking. Every service call takes one, so roles and data scope need no rewrite later. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  scope: DataScope;
  /** Where the request came from (the audit trail's "from where"); absent for the CLI and internal jobs. */
  origin?: Origin;
  /** The API token the request came with: the audit trail records the token acting on behalf of its holder. */
  token?: { id: number; name: string };
}

/** The network origin of a request. */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
}

/** A scope that sees nothing: the 三员 administrators, and reporters without a unit. */
export function emptyScope(): DataScope {
  return { all: false, unitPaths: [], regionPaths: [] };
}

/** An actor that may see everything, for the CLI and internal jobs. */
export function systemActor(): Actor {
  return { userId: 0, username: 'system', displayName: '系统', role: 'office', unitId: null, scope: { all: true, unitPaths: [], regionPaths: [] } };
}
