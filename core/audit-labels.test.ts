import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, describeAction, describeEntity, describeStatus } from './audit-labels.ts';

describe('audit entries in words', () => {
  it('names actions and requests instead of printing codes', () => {
    expect(describeAction({ action: 'auth.login', method: null, route: null })).toBe('登录');
    expect(describeAction({ action: 'user.create', method: 'POST', route: '/api/v1/admin/users' })).toBe('新建账号');
    expect(describeAction({ action: 'request', method: 'GET', route: '/api/v1/projects' })).toBe('查看项目');
    expect(describeAction({ action: 'request', method: 'PATCH', route: '/api/v1/admin/users/:id' })).toBe('修改账号');
    expect(describeAction({ action: 'request', method: 'GET', route: '/api/v1/exports/lights.xlsx' })).toBe('导出Excel');
    expect(describeAction({ action: 'request', method: 'OPTIONS', route: '/x' })).toBe('OPTIONS /x');
    expect(describeAction({ action: 'request', method: 'POST', route: '/api/v1/auth/login' })).toBe('登录');
    expect(describeAction({ action: 'request', method: 'PUT', route: '/api/v1/reporting/periods/:year/:month/batch' })).toBe('批量保存月报');
    expect(describeAction({ action: 'request', method: 'PUT', route: '/api/v1/projects/:projectId/reports/:year/:month' })).toBe('保存月报');
    expect(describeEntity({ entity_type: 'login', entity_id: null })).toBe('登录');
    expect(describeStatus(403)).toBe('无权限');
    for (const label of Object.values(ACTION_LABELS)) expect(label).not.toMatch(/[a-z]/i);
  });

  it('names the object as the entry recorded it', () => {
    expect(describeEntity({ entity_type: 'user', entity_id: '7', after: { username: 'lijianguo', display_name: '李建国', role: 'reporter' } })).toBe('账号 李建国（lijianguo）');
    expect(describeEntity({ entity_type: 'project', entity_id: '3', before: { name: '吴中大道快速化改造工程' }, after: null })).toBe('项目 吴中大道快速化改造工程');
    expect(describeEntity({ entity_type: 'report', entity_id: '12', after: { id: 12 } })).toBe('月报 #12');
    expect(describeEntity({ entity_type: 'report', entity_id: '12', after: { id: 12 }, entity_name: '吴中大道快速化改造工程 2026年11月' })).toBe('月报 · 吴中大道快速化改造工程 2026年11月');
    expect(describeEntity({ entity_type: 'light_rule_set', entity_id: '2026' })).toBe('2026年亮灯规则');
    expect(describeEntity({ entity_type: null, entity_id: null })).toBeUndefined();
  });
});
