import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPermissionsDoc } from './permissions-doc.ts';
import { ADMIN_ROLES, PERMISSIONS, roleHas, type Permission } from './permissions.ts';

describe('permission matrix', () => {
  it('docs/permissions.md is generated from permissions.ts (run `npm run docs:permissions`)', () => {
    const file = path.resolve(import.meta.dirname, '..', '..', 'docs', 'permissions.md');
    expect(fs.readFileSync(file, 'utf8')).toBe(renderPermissionsDoc());
  });

  it('gives the 三员 no project data and keeps their duties apart', () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) {
      if (p.startsWith('project.') || p.startsWith('plan.')) for (const r of ADMIN_ROLES) expect(roleHas(r, p), `${r} ${p}`).toBe(false);
    }
    const duties: Permission[] = ['user.admin', 'security.admin', 'audit.read'];
    for (const r of ADMIN_ROLES) expect(duties.filter((d) => roleHas(r, d)), r).toHaveLength(1);
  });
});
