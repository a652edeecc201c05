import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectParamOf, registeredRoutes, type RouteInfo } from '../server/plugins/auth.ts';
import { ROLES, roleHas, type Role } from '../server/plugins/permissions.ts';
import { createTestApp, type LoginHeaders } from './app.ts';
import { DIALECTS } from './db.ts';
import { buildProject, buildRegions, buildUnit, buildUser } from './factories.ts';

// A generated walk over EVERY registered route × role: no session → 401, a role without the route's permission
// → 403, and for routes keyed by a project id, an account holding the permission but scoped elsewhere → 404.
// Routes are discovered from the app itself, so routes added later are covered without touching this file.

/** The route's URL with every parameter filled in. */
function fill(url: string, id: number): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => (projectParamOf(url) === name ? String(id) : '1')).replace(/\*$/, 'x');
}

describe.each(DIALECTS)('route × role walk on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let routes: RouteInfo[];
  const headers = new Map<Role, LoginHeaders>();
  const scoped = new Map<Role, LoginHeaders>();
  let foreignProject: number;
  const unitIds = { a: 0, b: 0 };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '区发改局', kind: 'office', regionCode: '320506' });
    const unitA = await buildUnit(t.db, { name: '甪直镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    const unitB = await buildUnit(t.db, { name: '临湖镇', parentId: root.id, regionCode: '320506', kind: 'township' });
    unitIds.a = unitA.id;
    unitIds.b = unitB.id;
    foreignProject = await buildProject(t.db, { name: '临湖镇项目', unit_id: unitB.id, region_code: '320505' });
    for (const role of ROLES) {
      await buildUser(t.db, { username: `all_${role}`, role, unitId: root.id });
      headers.set(role, await t.login(`all_${role}`));
      // Scoped to unit A only (a reporter through its own unit, everyone else through an explicit scope row).
      const id = await buildUser(t.db, { username: `a_${role}`, role, unitId: unitA.id });
      if (role !== 'reporter') await t.db.insertInto('user_scopes').values({ user_id: id, unit_id: unitA.id, region_code: null }).execute();
      scoped.set(role, await t.login(`a_${role}`));
    }
    routes = registeredRoutes(t.app).filter((r) => r.url.startsWith('/api/') && r.permission && r.permission !== 'public');
  });
  afterAll(async () => t?.close());

  it('discovers the routes of every module', () => {
    const urls = routes.map((r) => r.url);
    for (const u of ['/api/v1/projects/:id', '/api/v1/admin/users', '/api/v1/audit', '/api/v1/security/settings', '/api/v1/auth/me']) expect(urls).toContain(u);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('answers 401 on every protected route without a session', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, foreignProject), payload: r.method === 'GET' ? undefined : {} });
      if (res.statusCode !== 401 || res.json().error.code !== 'unauthenticated') failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 on every route to every role without its permission', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes) {
      for (const role of ROLES) {
        if (roleHas(role, r.permission!)) continue;
        checked += 1;
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, foreignProject), headers: headers.get(role), payload: r.method === 'GET' ? undefined : {} });
        if (res.statusCode !== 403 || res.json().error.code !== 'forbidden') failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('answers 404 on every project route to every permitted role scoped elsewhere', async () => {
    const projectRoutes = routes.filter((r) => projectParamOf(r.url));
    expect(projectRoutes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const r of projectRoutes) {
      for (const role of ROLES) {
        if (!roleHas(role, r.permission!)) continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url, foreignProject), headers: scoped.get(role), payload: r.method === 'GET' ? undefined : {} });
        if (res.statusCode !== 404) failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // The same project is found by an unscoped account: the 404 above is the scope, not a missing row.
    expect((await t.app.inject({ url: `/api/v1/projects/${foreignProject}`, headers: headers.get('office') })).statusCode).toBe(200);
  });

  // Supervision (issue 17): every route keyed by a matter answers 404 to a permitted role scoped elsewhere, for a
  // matter whose lead unit and co-units all lie outside that scope.
  it('answers 404 on every matter route to every permitted role scoped elsewhere', async () => {
    const matterRoutes = routes.filter((r) => r.scope?.entity === 'matter');
    expect(matterRoutes.length).toBeGreaterThan(8);
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/matters', headers: headers.get('supervisor'),
      payload: { title: '临湖镇督办事项', source: 'other', lead_unit_id: unitIds.b },
    });
    expect(res.statusCode).toBe(200);
    const matter = res.json().id as number;
    const failures: string[] = [];
    for (const r of matterRoutes) {
      const url = r.url.replace(`:${r.scope!.param}`, String(matter)).replace(/:(\w+)/g, '1');
      for (const role of ROLES) {
        if (!roleHas(role, r.permission!)) continue;
        const out = await t.app.inject({ method: r.method as 'GET', url, headers: scoped.get(role), payload: r.method === 'GET' ? undefined : {} });
        if (out.statusCode !== 404) failures.push(`${role} ${r.method} ${r.url} → ${out.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    expect((await t.app.inject({ url: `/api/v1/matters/${matter}`, headers: headers.get('office') })).statusCode).toBe(200);
  });
});
