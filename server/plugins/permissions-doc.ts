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
    '## Reaching a record outside the data scope',
    '',
    'One exception, for node plans (倒排工期): a unit responsible for a node of a project outside its scope (e.g. the',
    'land bureau, 自然资源局, on 用地预审) reaches that project\'s node plan through the node. Its accounts open',
    '`GET /projects/:id/node-plan` (and its .xlsx, the entity `node_plan`: the project in scope, or a node of its plan led',
    'by a unit of the account\'s unit subtrees) with the project\'s basic facts needed to act (name, code, responsible unit,',
    'place, builder and contact, planned dates), read every node and its timeline and evidence (`plan_node`), and upload',
    'evidence for and complete the nodes led by their own unit (`project.write`). Everything else stays as before: the',
    'project itself and its other tabs answer 404, the plan\'s dates and other nodes cannot be changed (403, or 404 on',
    'routes under `/projects/:id`), confirming and 转督办 need the project in scope, and other projects answer 404.',
    'The 待确认 to-do of a completed node goes to each active account holding `node.confirm` whose data scope covers',
    'the project (the accounts that can open and confirm it), not to every such account.',
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
