import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, TreeSelect, Typography, type TableColumnsType,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { userAdminApi, type AdminUser, type AdminUserList, type AdminUserWrite } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/reference.ts';
import type { Role } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { ROLE_OPTIONS, roleKey } from './roles.ts';

interface FormValues {
  username: string;
  display_name: string;
  role: Role;
  unit_id?: number | null;
  scope_units?: number[];
  scope_regions?: string;
  password?: string;
  is_active?: boolean;
}

/** 账号管理 (系统管理员): accounts, one role each, data scope; reset password, unlock, end sessions. */
export function UsersPage() {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const units = useUnits();
  const tree = useMemo(() => unitTree(units), [units]);
  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.short_name ?? u.name])), [units]);
  const [query, setQuery] = useState<{ q?: string; role?: string; page: number; page_size: number }>({ page: 1, page_size: 20 });
  const [data, setData] = useState<AdminUserList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    let alive = true;
    setLoading(true);
    userAdminApi.list(query).then((r) => {
      if (!alive) return;
      setData(r);
      setError(null);
      setLoading(false);
    }, (e: unknown) => {
      if (!alive) return;
      setError(e);
      setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [query, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const showTemporary = (username: string, password: string | null) => {
    if (!password) return;
    modal.info({
      title: t('admin.users.temporaryTitle', { username }),
      content: <div><Typography.Paragraph>{t('admin.users.temporaryHint')}</Typography.Paragraph><Typography.Paragraph type="secondary">{t('admin.users.approvalHint')}</Typography.Paragraph><Typography.Text code copyable data-testid="temporary-password">{password}</Typography.Text></div>,
    });
  };

  const open = (u: AdminUser | 'new') => {
    setFormError(null);
    setEditing(u);
    form.resetFields();
    if (u !== 'new') {
      form.setFieldsValue({
        username: u.username, display_name: u.display_name, role: u.role, unit_id: u.unit_id, is_active: u.is_active === 1,
        scope_units: u.scopes.unit_ids, scope_regions: u.scopes.region_codes.join(' '),
      });
    }
  };

  const save = async () => {
    const v = await form.validateFields();
    const scopes = { unit_ids: v.scope_units ?? [], region_codes: (v.scope_regions ?? '').split(/[\s,，]+/).filter(Boolean) };
    const body: AdminUserWrite = { display_name: v.display_name, role: v.role, unit_id: v.unit_id ?? null, scopes };
    try {
      if (editing === 'new') {
        const created = await userAdminApi.create({ ...body, username: v.username, ...(v.password ? { password: v.password } : {}) });
        showTemporary(created.username, created.temporary_password);
      } else if (editing) {
        await userAdminApi.update(editing.id, { ...body, is_active: v.is_active });
        void message.success(t('common.saved'));
      }
      setEditing(null);
      reload();
    } catch (e) {
      setFormError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const act = (label: string, run: () => Promise<unknown>): void => {
    void modal.confirm({
      title: label, onOk: async () => {
        await run();
        reload();
      },
    });
  };

  const columns: TableColumnsType<AdminUser> = [
    { title: t('admin.users.username'), dataIndex: 'username', key: 'username', width: 140 },
    { title: t('admin.users.displayName'), dataIndex: 'display_name', key: 'display_name', width: 140 },
    { title: t('admin.users.role'), dataIndex: 'role', key: 'role', width: 130, render: (r: Role) => <Tag>{t(roleKey(r))}</Tag> },
    { title: t('admin.users.unit'), dataIndex: 'unit_id', key: 'unit_id', width: 150, ellipsis: true, render: (id: number | null) => (id ? unitName.get(id) ?? id : '—') },
    {
      title: t('admin.users.scope'), key: 'scope', width: 200, ellipsis: true,
      render: (_v, u) => [...u.scopes.unit_ids.map((id) => unitName.get(id) ?? String(id)), ...u.scopes.region_codes].join('、') || t('admin.users.scopeDefault'),
    },
    {
      title: t('admin.users.status'), key: 'status', width: 150,
      render: (_v, u) => (
        <Space size={4} wrap>
          {u.is_active ? <Tag color="green">{t('admin.users.active')}</Tag> : <Tag>{t('admin.users.disabled')}</Tag>}
          {u.is_locked && <Tag color="red">{t('admin.users.locked')}</Tag>}
          {u.must_change_password === 1 && <Tag color="orange">{t('admin.users.mustChange')}</Tag>}
          {u.approval_pending_since && <Tag color="purple" data-testid="awaiting-approval">{t('admin.users.awaitingApproval')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.users.lastLogin'), key: 'last', width: 190, render: (_v, u) => (u.last_login_at ? `${formatDateTime(u.last_login_at)} ${u.last_login_ip ?? ''}` : '—') },
    {
      title: t('admin.actions'), key: 'actions', fixed: 'right', width: 260,
      render: (_v, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => open(u)}>{t('common.edit')}</Button>
          <Button type="link" size="small" onClick={() => act(t('admin.users.resetConfirm', { username: u.username }), async () => {
            const r = await userAdminApi.resetPassword(u.id);
            showTemporary(u.username, r.temporary_password);
          })}>{t('admin.users.reset')}</Button>
          {u.locked_until && <Button type="link" size="small" onClick={() => act(t('admin.users.unlockConfirm', { username: u.username }), () => userAdminApi.unlock(u.id))}>{t('admin.users.unlock')}</Button>}
          <Button type="link" size="small" onClick={() => act(t('admin.users.endSessionsConfirm', { username: u.username }), () => userAdminApi.endSessions(u.id))}>{t('admin.users.endSessions')}</Button>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.users')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('admin.users.search')} style={{ width: 220 }} onSearch={(q) => setQuery((x) => ({ ...x, q: q || undefined, page: 1 }))} />
        <Select allowClear placeholder={t('admin.users.role')} style={{ width: 180 }} options={ROLE_OPTIONS.map((r) => ({ value: r, label: t(roleKey(r)) }))}
          onChange={(role?: string) => setQuery((x) => ({ ...x, role, page: 1 }))} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="user-new">{t('admin.users.new')}</Button>
      </Space>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <Table<AdminUser>
        rowKey="id" size="middle" columns={columns} dataSource={data?.items ?? []} loading={loading} scroll={{ x: 1400 }} data-testid="user-table"
        pagination={{ current: query.page, pageSize: query.page_size, total: data?.total ?? 0, onChange: (page, page_size) => setQuery((x) => ({ ...x, page, page_size })) }}
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('admin.users.new') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()} destroyOnHidden width={560}>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} role="alert" />}
        <Form<FormValues> form={form} layout="vertical" preserve={false}>
          <Form.Item name="username" label={t('admin.users.username')} rules={[{ required: true, message: t('admin.users.usernameRequired') }]}>
            <Input disabled={editing !== 'new'} autoComplete="off" />
          </Form.Item>
          <Form.Item name="display_name" label={t('admin.users.displayName')} rules={[{ required: true, message: t('admin.users.displayNameRequired') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('admin.users.role')} extra={t('admin.users.roleHint')} rules={[{ required: true, message: t('admin.users.roleRequired') }]}>
            <Select options={ROLE_OPTIONS.map((r) => ({ value: r, label: t(roleKey(r)) }))} />
          </Form.Item>
          <Form.Item
            name="unit_id" label={t('admin.users.unit')} dependencies={['role']}
            rules={[({ getFieldValue }) => ({ required: getFieldValue('role') === 'reporter', message: t('admin.users.unitRequired') })]}
          >
            <TreeSelect treeData={tree} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="scope_units" label={t('admin.users.scopeUnits')} extra={t('admin.users.scopeHint')}>
            <TreeSelect treeData={tree} multiple allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="scope_regions" label={t('admin.users.scopeRegions')}>
            <Input placeholder="320506 320505" />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="password" label={t('admin.users.initialPassword')} extra={t('admin.users.initialPasswordHint')}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          {editing !== 'new' && (
            <Form.Item name="is_active" label={t('admin.users.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
