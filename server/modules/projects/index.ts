// The projects module's public face: other modules, app.ts, the CLI and tests import from here only.
import type { Deps } from '../../platform/context.ts';
import { registerEntityScope } from '../../platform/access.ts';
import { ProjectRepository } from './project.repository.ts';
import { ProjectService } from './project.service.ts';

export { ProjectService } from './project.service.ts';
export { projectRoutes } from './project.routes.ts';
export { PLAN_MONTH_COLUMNS, type PlanMonthColumn } from './project.repository.ts';
// TODO(platform): the light service reads projects through this repository; it should ask the project service.
export { ProjectRepository } from './project.repository.ts';
// The project list's query (the filter plus sort, paging and fields): the bench drives the service with it.
export { projectListQuerySchema } from './project.schema.ts';

/** The project service over `deps.db`: its writes open inTransaction (joining the caller's when `deps.db` is one). */
export function createProjectService(deps: Deps): ProjectService {
  return new ProjectService(deps);
}

/**
 * Registers the 'project' entity with the data-scope registry: routes under /projects/:id (and any route declaring
 * `config.scope = { entity: 'project', param }`) answer 404 for a project outside the actor's scope. Deleted
 * projects count too (restore routes); whether a route accepts them is the route's business.
 */
export function registerProjectScope(): void {
  registerEntityScope('project', (db, id, scope) => new ProjectRepository(db).isWithinScope(id, scope), '项目不存在或无权访问');
}
