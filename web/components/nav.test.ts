import { describe, expect, it } from 'vitest';
import { homeFor, navFor } from './AppLayout.tsx';
import { permissionsOf } from '../../server/platform/access.ts';
import { ROLES, type Role } from '../../server/plugins/permissions.ts';

// What each role saw when the menu was written with role names (before can()): moving the menu onto the server's
// permissions must not change a single item or landing page.
const MENU_BY_ROLE: Record<Role, string[]> = {
  office: ['/dashboard', '/projects', '/reports', '/review', '/lights', '/bulletins', '/import', '/admin/units', '/admin/calendar'],
  reporter: ['/dashboard', '/projects', '/reports', '/lights', '/import'],
  leader: ['/dashboard', '/projects', '/lights', '/bulletins'],
  supervisor: ['/dashboard', '/projects', '/lights', '/bulletins'],
  sysadmin: ['/admin/users', '/setup', '/admin/units'],
  secadmin: ['/admin/security'],
  auditor: ['/audit'],
};
const HOME_BY_ROLE: Record<Role, string> = {
  office: '/dashboard', reporter: '/reports', leader: '/dashboard', supervisor: '/dashboard', sysadmin: '/admin/users', secadmin: '/admin/security', auditor: '/audit',
};

describe('the menu from permissions (can)', () => {
  it.each(ROLES)('shows %s the same items and landing page as before', (role) => {
    const held = permissionsOf(role);
    const can = (p: (typeof held)[number]) => held.includes(p);
    expect(navFor(can).map((n) => n.path)).toEqual(MENU_BY_ROLE[role]);
    expect(homeFor(can)).toBe(HOME_BY_ROLE[role]);
  });

  it('shows nothing to an account holding no permission', () => {
    expect(navFor(() => false)).toEqual([]);
    expect(homeFor(() => false)).toBeUndefined();
  });
});
