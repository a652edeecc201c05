import type { Executor } from '../db/database.ts';
import type { DataScope } from './context.ts';
import { PERMISSIONS, type Permission, type Role } from '../plugins/permissions.ts';

/**
 * What an account may do, as the server decides it: the role's permissions in the one matrix
 * (server/plugins/permissions.ts), narrowed to an API token's chosen permissions when the request came with one.
 * `/auth/me` and sign-in return it, and the web asks `can(permission)` of it instead of reasoning from role names.
 * 'public' is left out (everyone holds it).
 */
export function permissionsOf(role: Role, granted?: readonly Permission[]): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => p !== 'public'
    && (PERMISSIONS[p] as readonly Role[]).includes(role) && (granted === undefined || granted.includes(p)));
}

/** True when the record exists and lies within the scope. Deleted records may count: the route decides. */
export type ScopeResolver = (db: Executor, id: number, scope: DataScope) => Promise<boolean>;

/** What a route keyed by a record's id declares: `config: { scope: { entity: 'project', param: 'id' } }`. */
export interface RouteScope {
  entity: string;
  param: string;
}

interface EntityScope {
  resolve: ScopeResolver;
  /** The 404's Chinese message ('项目不存在或无权访问'). */
  notFound: string;
}

// Static wiring, the same in every process (each module registers its entities when the app is built): no state
// another server would need.
const entities = new Map<string, EntityScope>();

/**
 * Declares how to tell whether a record of this entity type lies within a data scope. A module registers its
 * entities from its index.ts; a route declaring `config.scope = { entity, param }` then answers 404 for an id
 * outside the actor's scope before its handler runs (server/plugins/auth.ts). Registering again replaces.
 */
export function registerEntityScope(entity: string, resolve: ScopeResolver, notFound: string): void {
  entities.set(entity, { resolve, notFound });
}

/** True when an entity type has a registered resolver (routes naming another fail at start-up). */
export function isEntityRegistered(entity: string): boolean {
  return entities.has(entity);
}

/** Whether the record is visible, and the message to answer when it is not. */
export async function checkEntityScope(db: Executor, entity: string, id: number, scope: DataScope): Promise<{ visible: boolean; notFound: string }> {
  const e = entities.get(entity);
  if (!e) throw new Error(`no data scope registered for entity ${entity}`);
  return { visible: await e.resolve(db, id, scope), notFound: e.notFound };
}

/**
 * The scope a route implies when it declares none: a path with `/projects/:id` (or `:projectId`/`:project_id`) is
 * keyed by a project. Explicit `config.scope` wins.
 */
export function impliedRouteScope(url: string): RouteScope | undefined {
  const m = /\/projects\/:(\w+)/.exec(url);
  const param = m ? m[1] : /:(projectId|project_id)\b/.exec(url)?.[1];
  return param ? { entity: 'project', param } : undefined;
}
