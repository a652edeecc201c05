import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Role } from '../plugins/permissions.ts';

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

/** One audit-trail event (server/modules/audit writes it, hash-chained). */
export interface AuditEvent {
  /** Dotted name: 'auth.login', 'project.update', 'user.role_change'; or 'request' for the automatic HTTP record. */
  action: string;
  outcome?: 'success' | 'failure';
  entityType?: string | null;
  entityId?: string | number | null;
  /** The object's name as a reader should see it (月报: '<project> 2026年11月'), kept in details (hashed) at write time. */
  entityName?: string;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  method?: string;
  route?: string;
  status?: number;
  /** Who, when there is no actor (a failed sign-in names the username tried). */
  userId?: number | null;
  username?: string | null;
  origin?: Origin;
}

/** Records audit events in the writer's transaction: `record(trx, actor, event)`, the transaction first. */
export interface AuditRecorder {
  record(trx: Executor, actor: Actor | null, event: AuditEvent): Promise<void>;
  /**
   * Chains every event committed so far that is not chained yet (issue 16: on PostgreSQL events are chained just
   * after their transaction commits). A reader of the trail calls it first, so it never misses a committed event.
   */
  chainPending(): Promise<number>;
}

/**
 * What every service factory takes (`create<X>Service(deps)`): the database, the clock and the audit recorder.
 * app.ts, the CLI and tests build one with createDeps() (server/deps.ts); a test passes a fixed clock.
 */
export interface Deps {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditRecorder;
}
