// How an audit entry reads for an auditor (安全审计员): words instead of codes. Presentation only — the stored
// entry (action code, entity type and id, method and route) is what the hash chain covers and never changes.

/** Chinese names of the actions services record. */
export const ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录', 'auth.logout': '退出登录', 'auth.logout_all': '退出全部会话', 'auth.lockout': '账号锁定',
  'auth.password_change': '修改密码',
  'user.create': '新建账号', 'user.update': '修改账号', 'user.password_reset': '重置密码', 'user.unlock': '解锁账号',
  'user.sessions_end': '结束会话',
  'token.issue': '签发接口令牌', 'token.revoke': '吊销接口令牌',
  'security.settings_update': '修改安全策略', 'security.device_key_rotate': '更换已知设备密钥',
  'audit.archive': '归档审计日志',
  'project.create': '新建项目', 'project.update': '修改项目', 'project.delete': '删除项目（退库）', 'project.stage_change': '变更建设阶段',
  'project.tier_change': '调整库别', 'project.import_update': '导入更新项目',
  'import.apply': '导入数据',
  'report.save': '保存月报', 'report.submit': '提交月报', 'report.approve': '审核通过月报', 'report.return': '退回月报',
  'report.correct': '更正月报', 'report.photo_upload': '上传现场照片', 'report.photo_delete': '删除现场照片',
  'period.create_year': '建立年度填报日历', 'period.open': '开放填报期', 'period.close': '关闭填报期', 'period.update': '修改填报期',
  'reporting.settings_update': '修改填报设置',
  'indicator.settings_update': '修改指标设置',
  'lights.rules_update': '修改亮灯规则', 'lights.excuse_accept': '认可正当理由', 'lights.excuse_revoke': '撤销正当理由',
};

/** Chinese names of the objects entries are about. */
export const ENTITY_LABELS: Record<string, string> = {
  user: '账号', project: '项目', report: '月报', api_token: '接口令牌', audit_archive: '审计归档', import: '导入',
  indicator_settings: '指标设置', light_excuse: '正当理由', light_rule_set: '亮灯规则', reporting_period: '填报期',
  reporting_settings: '填报设置', reporting_year: '年度填报日历', security_settings: '安全策略',
  // Objects the request hook names after the route.
  audit: '审计日志', login: '登录', logout: '退出登录', period: '填报期', periods: '填报期', projects: '项目', reports: '月报',
  lights: '红黄绿灯', exports: '导出', imports: '导入', indicators: '指标', units: '单位', regions: '行政区划', users: '账号',
};

// The resource an API route is about, by its path after /api/v1/ (longest prefix first).
// Routes whose action is a phrase of its own, whatever the method.
const ROUTE_PHRASES: Array<[RegExp, string]> = [
  [/^auth\/login$/, '登录'], [/^auth\/logout$/, '退出登录'], [/^auth\/logout-all$/, '退出全部会话'], [/^auth\/password$/, '修改密码'],
  [/^projects\/[^/]+\/reports\//, '保存月报'], [/^reporting\/periods\/[^/]+\/[^/]+\/batch$/, '批量保存月报'],
  [/^reporting\/periods\/[^/]+\/[^/]+\/submit-all$/, '全部提交月报'], [/^reports\/[^/]+\/submit$/, '提交月报'],
  [/^reports\/[^/]+\/approve$/, '审核通过月报'], [/^reports\/[^/]+\/return$/, '退回月报'], [/^reports\/[^/]+\/photos$/, '上传现场照片'],
];

const ROUTE_NOUNS: Array<[string, string]> = [
  ['admin/users', '账号'], ['admin/units', '单位'], ['admin/tokens', '接口令牌'], ['auth/password', '密码'], ['auth/login', '登录'],
  ['auth/logout', '退出登录'], ['auth', '会话'], ['security', '安全策略'], ['audit', '审计日志'],
  ['reporting/periods', '填报期'], ['reporting', '填报日历'], ['reports', '月报'], ['report-photos', '现场照片'],
  ['projects', '项目'], ['plans', '年度计划'], ['indicators', '指标'], ['lights/rules', '亮灯规则'], ['lights/excuses', '正当理由'],
  ['lights', '红黄绿灯'], ['exports', '导出'], ['imports', '导入'], ['templates', '导入模板'], ['regions', '行政区划'], ['units', '单位'],
];

const METHOD_VERBS: Record<string, string> = { GET: '查看', POST: '提交', PUT: '保存', PATCH: '修改', DELETE: '删除' };

/** What a request did, in words: "查看项目", "修改账号"; the route itself when nothing names it. */
export function describeRequest(method: string | null, route: string | null): string {
  const path = (route ?? '').replace(/^\/api\/v1\//, '');
  const upper = (method ?? '').toUpperCase();
  const phrase = upper !== 'GET' ? ROUTE_PHRASES.find(([re]) => re.test(path))?.[1] : undefined;
  if (phrase) return phrase;
  const noun = ROUTE_NOUNS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1];
  const verb = METHOD_VERBS[(method ?? '').toUpperCase()];
  if (noun === '导出' && verb === '查看') return '导出Excel';
  if (!noun || !verb) return `${method ?? ''} ${route ?? ''}`.trim();
  return `${verb}${noun}`;
}

/** Why a request failed, in words. */
export function describeStatus(status: number | null): string | undefined {
  if (status === null) return undefined;
  if (status === 401) return '未登录';
  if (status === 403) return '无权限';
  if (status === 404) return '不存在或无权访问';
  if (status === 409) return '冲突';
  if (status === 429) return '请求过于频繁';
  if (status >= 500) return '服务器错误';
  if (status >= 400) return '请求有误';
  return undefined;
}

/** The action of an entry in words: a service's action by name, a request by what it did. */
export function describeAction(entry: { action: string; method: string | null; route: string | null }): string {
  if (entry.action === 'request') return describeRequest(entry.method, entry.route);
  return ACTION_LABELS[entry.action] ?? entry.action;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * The object's name as the entry itself recorded it (a project's name, an account's display name and username),
 * else the name the entry or the server gives it (entity_name), else its kind and number: "账号 李建国（lijianguo）",
 * "项目 吴中大道快速化改造工程", "月报 · 吴中大道快速化改造工程 2026年11月", "月报 #12".
 */
export function describeEntity(entry: { entity_type: string | null; entity_id: string | null; before?: unknown; after?: unknown; entity_name?: string | null }): string | undefined {
  if (!entry.entity_type) return undefined;
  const kind = ENTITY_LABELS[entry.entity_type] ?? entry.entity_type;
  const state = asRecord(entry.after) ?? asRecord(entry.before);
  const text = (k: string) => (typeof state?.[k] === 'string' && state[k] ? (state[k]) : undefined);
  if (entry.entity_type === 'user') {
    const name = text('display_name');
    const username = text('username');
    if (name) return `${kind} ${name}${username && username !== name ? `（${username}）` : ''}`;
    if (username) return `${kind} ${username}`;
  }
  const name = text('name');
  if (name) return `${kind} ${name}`;
  // Recorded with the entry, or looked up by the server for older entries: "月报 · 吴中大道快速化改造工程 2026年11月".
  if (entry.entity_name) return `${kind} · ${entry.entity_name}`;
  if (entry.entity_type === 'reporting_year' || entry.entity_type === 'light_rule_set') return `${entry.entity_id ?? ''}年${kind}`;
  return entry.entity_id ? `${kind} #${entry.entity_id}` : kind;
}
