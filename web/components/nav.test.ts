import { describe, expect, it } from 'vitest';
import { homeFor, navFor } from './AppLayout.tsx';
import { permissionsOf } from '../../server/platform/access.ts';
import { ROLES, type Role } from '../../server/plugins/permissions.ts';

// Each role's menu, pinned: moving the menu onto the server's permissions (can()) changed no item or landing page;
// a capability that adds a page adds it here on purpose (考评 for the business roles, #20; 招商引资, #21; 问题台账, 问题办理统计, 走访录入 and the office's 问题办理设置, #18; 督查督办 and 我的待办, #17;
// the office's 节点计划模板, #17; 会议 for the office, supervisors and leaders and 周交办 for the office and supervisors, #17; the import page for the
// system administrator's unit and account lists).
const MENU_BY_ROLE: Record<Role, string[]> = {
  office: ['/dashboard', '/projects', '/reports', '/review', '/lights', '/matters', '/meetings', '/batches', '/supervision-settings', '/todos', '/bulletins', '/evaluation', '/attraction', '/problems', '/problem-figures', '/visit', '/problem-settings', '/import', '/admin/units', '/admin/calendar', '/node-template', '/account/tokens'],
  reporter: ['/dashboard', '/projects', '/reports', '/lights', '/matters', '/todos', '/evaluation', '/attraction', '/problems', '/problem-figures', '/visit', '/import', '/account/tokens'],
  leader: ['/dashboard', '/projects', '/lights', '/matters', '/meetings', '/todos', '/bulletins', '/evaluation', '/attraction', '/problems', '/problem-figures', '/account/tokens'],
  supervisor: ['/dashboard', '/projects', '/lights', '/matters', '/meetings', '/batches', '/supervision-settings', '/todos', '/bulletins', '/evaluation', '/attraction', '/problems', '/problem-figures', '/account/tokens'],
  sysadmin: ['/admin/users', '/setup', '/import', '/admin/units', '/account/tokens'],
  secadmin: ['/admin/security', '/account/tokens'],
  auditor: ['/audit', '/account/tokens'],
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
