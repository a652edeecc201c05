/** Roles. The first three are the separated 三员 administrators; none of them touches project data. */
export const ROLES = ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Every permission a route can declare. 'public' needs no session. */
export const PERMISSIONS = {
  public: [],
  'session.self': ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'],
  'project.read': ['office', 'reporter', 'leader', 'supervisor'],
  'project.write': ['office', 'reporter'],
  'project.admin': ['office'], // create, delete, restore, tier changes
  'project.stage': ['office', 'reporter'], // stage changes (开工、竣工、停工…) of projects in scope
  'reference.admin': ['office'], // custom areas (开发区/园区) in the region tree
  'unit.admin': ['office'], // the unit tree
  'plan.write': ['office'],
  'report.read': ['office', 'reporter', 'leader', 'supervisor'],
  'report.write': ['office', 'reporter'], // fill, submit, upload photos, correct after approval (with a reason)
  'report.review': ['office'], // approve, return, review queue
  'period.admin': ['office'], // reporting calendar and its settings
  'indicator.read': ['office', 'reporter', 'leader', 'supervisor'], // indicators and lights, within the data scope
  'rules.write': ['office'], // light rule sets, accepted excuses, indicator settings
  'reference.read': ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'],
  'user.admin': ['sysadmin'],
  'import.write': ['office'], // workbook imports (project list, annual plan, monthly progress)
  'export.read': ['office', 'reporter', 'leader', 'supervisor'], // exports and import templates
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** True when the role holds the permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
