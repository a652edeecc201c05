import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, InputNumber, Modal, Select, Space, Table, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { referenceApi } from '../../api/endpoints.ts';
import { unitAdminApi, type UnitWrite } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import type { Unit } from '../../api/types.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { LoadError } from '../../components/LoadError.tsx';

const KINDS = ['office', 'township', 'park', 'department', 'company', 'other'] as const;

interface Row extends Unit {
  children?: Row[];
}

/** Units as nested table rows. */
function rowsOf(units: Unit[]): Row[] {
  const byId = new Map<number, Row>(units.map((u) => [u.id, { ...u }]));
  const roots: Row[] = [];
  for (const u of units) {
    const row = byId.get(u.id)!;
    const parent = u.parent_id !== null ? byId.get(u.parent_id) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  return roots;
}

/** 单位管理: the unit tree that data scopes and responsible units refer to. */
export function UnitsPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [form] = Form.useForm<UnitWrite>();
  const tree = useMemo(() => unitTree(units ?? []), [units]);
  const rows = useMemo(() => rowsOf(units ?? []), [units]);

  useEffect(() => {
    let alive = true;
    referenceApi.units().then((r) => alive && setUnits(r.items), (e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const open = (u: Unit | 'new') => {
    setFormError(null);
    setEditing(u);
    form.resetFields();
    if (u !== 'new') form.setFieldsValue({ name: u.name, short_name: u.short_name, parent_id: u.parent_id, region_code: u.region_code, kind: u.kind, sort: u.sort });
  };

  const save = async () => {
    const v = await form.validateFields();
    const body: UnitWrite = { ...v, short_name: v.short_name || null, region_code: v.region_code || null, parent_id: v.parent_id ?? null };
    try {
      if (editing === 'new') await unitAdminApi.create(body);
      else if (editing) await unitAdminApi.update(editing.id, body);
      void message.success(t('common.saved'));
      setEditing(null);
      reload();
    } catch (e) {
      setFormError(e instanceof ApiError ? e.message : String(e));
    }
  };

  const columns: TableColumnsType<Row> = [
    { title: t('admin.units.name'), dataIndex: 'name', key: 'name' },
    { title: t('admin.units.shortName'), dataIndex: 'short_name', key: 'short_name', width: 140, render: (s: string | null) => s ?? '—' },
    { title: t('admin.units.kind'), dataIndex: 'kind', key: 'kind', width: 120, render: (k: string) => ((KINDS as readonly string[]).includes(k) ? t(`unitKind.${k as (typeof KINDS)[number]}`) : k) },
    { title: t('admin.units.region'), dataIndex: 'region_code', key: 'region_code', width: 120, render: (c: string | null) => c ?? '—' },
    { title: t('admin.actions'), key: 'actions', width: 100, render: (_v, u) => <Button type="link" size="small" onClick={() => open(u)}>{t('common.edit')}</Button> },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.units')}</Typography.Title>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('admin.units.new')}</Button>
      </Space>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      {units && <Table<Row> rowKey="id" size="middle" columns={columns} dataSource={rows} pagination={false} expandable={{ defaultExpandAllRows: true }} data-testid="unit-table" />}
      <Modal open={editing !== null} title={editing === 'new' ? t('admin.units.new') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()} destroyOnHidden>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} role="alert" />}
        <Form<UnitWrite> form={form} layout="vertical" preserve={false} initialValues={{ kind: 'department', sort: 0 }}>
          <Form.Item name="name" label={t('admin.units.name')} rules={[{ required: true, message: t('admin.units.nameRequired') }]}><Input /></Form.Item>
          <Form.Item name="short_name" label={t('admin.units.shortName')}><Input /></Form.Item>
          <Form.Item name="parent_id" label={t('admin.units.parent')}>
            <TreeSelect treeData={tree} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="kind" label={t('admin.units.kind')}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="region_code" label={t('admin.units.region')}><Input placeholder="320506" /></Form.Item>
          <Form.Item name="sort" label={t('admin.units.sort')}><InputNumber min={0} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
