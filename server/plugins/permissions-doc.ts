import { PERMISSION_LABELS, PERMISSIONS, ROLE_LABELS, ROLES, roleHas, type Permission } from './permissions.ts';

/** docs/permissions.md, generated from permissions.ts (`npm run docs:permissions`; a test fails when stale). */
export function renderPermissionsDoc(): string {
  const perms = Object.keys(PERMISSIONS) as Permission[];
  const lines = [
    '# Permission matrix',
    '',
    '<!-- Generated from server/plugins/permissions.ts by `npm run docs:permissions`. Do not edit by hand. -->',
    '',
    'Every `/api` route declares one permission (`config: { permission }`); the server refuses to start otherwise.',
    'One role per account. The 三员 (sysadmin, secadmin, auditor) are separate accounts and none of them reads or',
    'writes project data. Project data is further limited by the account\'s data scope (unit and/or region subtrees):',
    'out-of-scope records are not found (404). API tokens act as their account, limited to the permissions chosen',
    'when the token was issued.',
    '',
    '## Roles',
    '',
    '| role | 名称 |',
    '| --- | --- |',
    ...ROLES.map((r) => `| \`${r}\` | ${ROLE_LABELS[r]} |`),
    '',
    '## Matrix',
    '',
    `| permission | ${ROLES.join(' | ')} | 说明 |`,
    `| --- | ${ROLES.map(() => ':---:').join(' | ')} | --- |`,
    ...perms.map((p) => `| \`${p}\` | ${ROLES.map((r) => (p === 'public' || roleHas(r, p) ? '✓' : '')).join(' | ')} | ${PERMISSION_LABELS[p] ?? ''} |`),
    '',
  ];
  return lines.join('\n');
}
