/** Roles. The first three are the separated 三员 administrators; none of them touches project data. */
export const ROLES = ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** The 三员 roles: separated duties, no project data. */
export const ADMIN_ROLES: readonly Role[] = ['sysadmin', 'secadmin', 'auditor'];

/** Chinese role names, for the UI and docs/permissions.md. */
export const ROLE_LABELS: Record<Role, string> = {
  sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '安全审计员', office: '发改局（重点项目办）',
  reporter: '责任单位填报员', leader: '领导', supervisor: '督查室',
};

/** Every permission a route can declare. 'public' needs no session. */
export const PERMISSIONS = {
  public: [],
  'session.self': ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'],
  'project.read': ['office', 'reporter', 'leader', 'supervisor'],
  'project.write': ['office', 'reporter'],
  'project.admin': ['office'], // create, delete, restore, tier changes
  'project.stage': ['office', 'reporter'], // stage changes (开工、竣工、停工…) of projects in scope
  'node.confirm': ['office'], // node plans (倒排工期): confirm a node its unit completed, or send it back (issue 17)
  'nodeplan.admin': ['office'], // the office's default node template (倒排工期模板) new plans start from (issue 17)
  'reference.admin': ['office'], // custom areas (开发区/园区) in the region tree
  'unit.admin': ['office', 'sysadmin'], // the unit tree (reference data, not project data)
  'plan.write': ['office'],
  'report.read': ['office', 'reporter', 'leader', 'supervisor'],
  'report.write': ['office', 'reporter'], // fill, submit, upload photos, correct after approval (with a reason)
  'report.review': ['office'], // approve, return, review queue
  'period.admin': ['office'], // reporting calendar and its settings
  'indicator.read': ['office', 'reporter', 'leader', 'supervisor'], // indicators and lights, within the data scope
  'rules.write': ['office'], // light rule sets, accepted excuses, indicator settings
  'reference.read': ['sysadmin', 'secadmin', 'auditor', 'office', 'reporter', 'leader', 'supervisor'],
  'bulletin.read': ['office', 'leader', 'supervisor'], // bulletins (通报) and their issued versions
  'bulletin.write': ['office'], // the bulletin template, drafts, submitting for review, corrected re-issues
  'bulletin.sign': ['office', 'leader'], // 签发 (the signer is recorded) or send a submitted draft back
  // Unit evaluation (考评, #20)
  'evaluation.read': ['office', 'reporter', 'leader', 'supervisor'], // schemes, monthly 讲评, ledger, upper levels' ranks
  'evaluation.write': ['office'], // schemes, computing a month, objection window and review, hand entries, ledger, outcomes
  'evaluation.publish': ['office', 'leader'], // publish (freeze) a month's 讲评, or correct a published one
  'evaluation.object': ['reporter', 'office'], // raise an objection (异议) to a unit's score in the window
  // issue 17 (supervision): to-dos, notifications, attachments
  'inbox.read': ['office', 'reporter', 'leader', 'supervisor'], // own to-do inbox, notifications, attachments in scope
  'matter.read': ['office', 'reporter', 'leader', 'supervisor'], // supervised matters in scope (moves are checked per action)
  'matter.assign': ['office', 'supervisor', 'leader'], // create a matter (交办)
  'matter.handle': ['reporter'], // the lead unit: sign, send back, ask for extension/suspension, apply to close
  'matter.review': ['supervisor', 'office'], // approve/refuse requests, close, 销号, reopen, reassign
  'matter.instruct': ['leader'], // 批示
  'matter.attention': ['leader', 'supervisor', 'office'], // mark 需要关注
  'supervision.admin': ['supervisor', 'office'], // supervision rules (settings), meetings, weekly batches, letters
  'meeting.read': ['office', 'supervisor', 'leader'], // meetings and their decisions (议定事项), issue 17
  // enterprises and problems (issue 18)
  'enterprise.read': ['office', 'reporter', 'leader', 'supervisor'], // enterprises, linked cadres, visits
  'enterprise.write': ['office', 'reporter'], // enterprises, cadre links and visit plans, visit records and photos
  'problem.read': ['office', 'reporter', 'leader', 'supervisor'], // the problem ledger and its figures
  'problem.raise': ['office', 'reporter', 'leader', 'supervisor'], // raise a problem (a cadre on site)
  'problem.route': ['office'], // receive, route (交办), refuse (不予受理), close (销号)
  'problem.handle': ['office', 'reporter'], // the owning department signs, transfers (转办), answers
  'problem.visit': ['office', 'leader', 'supervisor'], // the return visit (回访), by someone other than the handler
  'problem.admin': ['office'], // the category map and the time limits; ledger imports
  // investment attraction (招商引资)
  'attraction.read': ['office', 'reporter', 'leader', 'supervisor'], // attraction records and figures, within the data scope
  'attraction.write': ['office', 'reporter'], // create and edit records, submit stage moves, follow-ups, evidence
  'attraction.review': ['office'], // approve or return stage moves (过审), import
  'import.write': ['office'], // workbook imports (project list, annual plan, monthly progress)
  'export.read': ['office', 'reporter', 'leader', 'supervisor'], // exports and import templates
  'user.admin': ['sysadmin'], // accounts, roles, data scope
  'system.admin': ['sysadmin'], // the office's name and jurisdiction (first-run setup)
  'token.admin': ['sysadmin'], // list and revoke every API token (each account issues its own)
  'security.admin': ['secadmin'], // security settings
  'audit.read': ['auditor'], // search and verify the audit trail
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** What each permission allows, for docs/permissions.md (keep one line each). */
export const PERMISSION_LABELS: Partial<Record<Permission, string>> = {
  public: '无需登录（登录、健康检查）',
  'session.self': '本人会话：当前账号、修改密码、退出、签发本人的接口令牌',
  'project.read': '查看数据范围内的项目',
  'project.write': '修改数据范围内的项目',
  'project.admin': '新建、删除、恢复项目，调整库别',
  'project.stage': '数据范围内项目的阶段变更（开工、竣工、停工等）',
  'node.confirm': '确认或退回责任单位已完成的节点计划节点',
  'nodeplan.admin': '维护默认节点计划模板（节点、前置关系、工期、默认责任单位、佐证要求）',
  'reference.admin': '在行政区划中维护开发区、园区等自定义区域',
  'plan.write': '编制年度计划',
  'report.read': '查看数据范围内的月度填报',
  'report.write': '填报、提交、上传照片、审核后更正（须说明原因）',
  'report.review': '审核、退回月度填报',
  'period.admin': '填报期和填报设置',
  'indicator.read': '查看数据范围内的指标和红黄绿灯',
  'rules.write': '亮灯规则、正当理由和指标设置',
  'reference.read': '查看行政区划和单位',
  'bulletin.read': '查看通报及其已签发版本（.docx/.pdf）',
  'bulletin.write': '编辑通报模板、起草通报、提交审核、更正重发',
  'bulletin.sign': '签发通报（记录签发人）或退回待审核的通报',
  'evaluation.read': '查看考评方案、月度讲评、加扣分台账和上级排名',
  'evaluation.write': '编制考评方案、生成讲评、开放异议期与复核、手工录入、加扣分、奖惩结果',
  'evaluation.publish': '发布（冻结）月度讲评或更正重发',
  'evaluation.object': '在异议期内对本单位考评结果提出异议',
  'inbox.read': '本人待办、消息提醒，下载数据范围内的附件',
  'matter.read': '查看数据范围内的督办事项（各项操作另按权限判断）',
  'matter.assign': '交办督办事项',
  'matter.handle': '牵头单位签收、退回、申请延期/挂起/办结',
  'matter.review': '审核延期、挂起、办结申请，销号、重新打开、重新交办',
  'matter.instruct': '领导批示',
  'matter.attention': '标记“需要关注”',
  'supervision.admin': '督办规则设置、会议、周交办、督办函件',
  'meeting.read': '查看会议及议定事项',
  'enterprise.read': '查看数据范围内的企业、包联干部和走访记录',
  'enterprise.write': '维护企业、包联干部和走访计划，记录走访（含照片）',
  'problem.read': '查看数据范围内的问题台账及其统计',
  'problem.raise': '提出问题（干部走访现场录入）',
  'problem.route': '受理、交办、不予受理、销号',
  'problem.handle': '责任部门签收、转办、办理、答复',
  'problem.visit': '回访（不能由办理人本人回访）',
  'problem.admin': '问题分类与责任部门对照、办理时限、台账导入',
  'attraction.read': '查看数据范围内的招商项目及其统计',
  'attraction.write': '登记、编辑招商项目，提交阶段变更，填写跟进记录，上传佐证材料',
  'attraction.review': '审核（通过/退回）招商项目的阶段变更，导入招商台账',
  'user.admin': '账号、角色和数据范围管理',
  'system.admin': '设置本单位名称和辖区（首次运行）',
  'unit.admin': '单位树管理',
  'token.admin': '查看和吊销全部接口令牌（令牌只能由持有人本人签发）',
  'security.admin': '安全策略设置（密码、锁定、会话、审计保留）',
  'audit.read': '查询和校验审计日志',
};

/** True when the role holds the permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** True when the name is a declared permission. */
export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}
