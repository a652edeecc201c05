import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { referenceApi } from '../../api/endpoints.ts';
import { problemsApi, type CadreCreate, type EnterpriseCreate, type EnterpriseDetail, type EnterpriseRow, type ProblemCategory, type TimeLimitRow } from '../../api/problems.ts';

/**
 * The office's problem settings (问题办理设置, issue 18): the category → department map (分类与承办单位对照), the
 * time limits per category and level (办理时限, 13710 by default), the enterprise register and the cadres linked to
 * each enterprise (包联干部/首席服务官/挂钩领导) with their visit plan.
 */
export function ProblemSettingsPage() {
  const { t } = useI18n();
  return (
    <Card title={t('problemSettings.title')}>
      <Tabs items={[
        { key: 'categories', label: t('problemSettings.categories'), children: <CategoryMap /> },
        { key: 'limits', label: t('problemSettings.limits'), children: <TimeLimits /> },
        { key: 'enterprises', label: t('problemSettings.enterprises'), children: <Enterprises /> },
      ]} />
    </Card>
  );
}

function CategoryMap() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cats = useLoad(() => problemsApi.categories(), []);
  const units = useLoad(() => referenceApi.units(), []);
  // On a phone (375 px) the code column gives way, so the department picker — what the page is for — stays on screen.
  const mobile = !Grid.useBreakpoint().md;
  if (cats.error) return <LoadError error={cats.error} onRetry={cats.reload} />;
  const save = async (c: ProblemCategory, owner: number | undefined) => {
    await problemsApi.putCategory({ code: c.code, name: c.name, parent_code: c.parent_code, owner_unit_id: owner ?? null, sort: c.sort ?? 0 });
    void message.success(t('problemSettings.saved'));
    cats.reload();
  };
  const rows = cats.data ?? [];
  const names = new Map(rows.map((c) => [c.code, c.name]));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('problemSettings.categoriesHint')}</Typography.Text>
      <Table<ProblemCategory> rowKey="code" size="small" loading={cats.loading} dataSource={rows} pagination={false} scroll={mobile ? undefined : { x: 600 }} data-testid="category-map"
        columns={[
          { title: t('problemSettings.category'), key: 'name', render: (_, c) => (c.parent_code ? <span style={{ paddingLeft: mobile ? 8 : 16 }}>{mobile ? c.name : <>{names.get(c.parent_code)} / {c.name}</>}</span> : <b>{c.name}</b>) },
          ...(mobile ? [] : [{ title: t('problemSettings.code'), dataIndex: 'code', width: 120 }]),
          { title: t('problemSettings.owner'), key: 'owner', width: mobile ? 190 : 300, render: (_, c) => (
            <UnitPicker units={units.data?.items ?? []} value={c.owner_unit_id ?? undefined} placeholder={c.parent_code ? t('problemSettings.inherit') : t('problemSettings.pickOwner')}
              testId={`owner-${c.code}`} style={{ width: mobile ? 180 : 280 }} onChange={(v) => void save(c, v)} />
          ) },
        ]} />
    </Space>
  );
}

function TimeLimits() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cats = useLoad(() => problemsApi.categories(), []);
  const limits = useLoad(() => problemsApi.timeLimits(), []);
  const [rows, setRows] = useState<TimeLimitRow[] | null>(null);
  if (limits.error) return <LoadError error={limits.error} onRetry={limits.reload} />;
  const data = rows ?? limits.data ?? [];
  const set = (i: number, patch: Partial<TimeLimitRow>) => setRows(data.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    await problemsApi.putTimeLimits(data.map(({ category_code, level, route_days, feedback_days, ordinary_days, major_days }) => ({ category_code, level, route_days, feedback_days, ordinary_days, major_days })));
    void message.success(t('problemSettings.saved'));
    setRows(null);
    limits.reload();
  };
  const days = (i: number, k: 'route_days' | 'feedback_days' | 'ordinary_days' | 'major_days') => (
    <InputNumber min={1} max={365} value={data[i]![k]} onChange={(v) => set(i, { [k]: v ?? 1 })} aria-label={`${t(`problemSettings.${k}` as MessageKey)} ${i + 1}`} style={{ width: 80 }} />
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('problemSettings.limitsHint')}</Typography.Text>
      <Table<TimeLimitRow> rowKey={(r) => `${r.category_code}|${r.level}`} size="small" loading={limits.loading} dataSource={data} pagination={false} scroll={{ x: 760 }} data-testid="time-limits"
        columns={[
          { title: t('problemSettings.category'), key: 'cat', render: (_, r, i) => (r.category_code === '*' && r.level === '*' ? <Tag>{t('problemSettings.default')}</Tag> : (
            <Select style={{ width: 140 }} value={r.category_code} onChange={(v: string) => set(i, { category_code: v })}
              options={[{ value: '*', label: t('problemSettings.allCategories') }, ...(cats.data ?? []).map((c) => ({ value: c.code, label: c.name }))]} />
          )) },
          { title: t('problemSettings.level'), key: 'level', render: (_, r, i) => (r.category_code === '*' && r.level === '*' ? '—' : (
            <Select style={{ width: 110 }} value={r.level} onChange={(v: string) => set(i, { level: v })}
              options={['*', 'county', 'city', 'province'].map((l) => ({ value: l, label: t(`problemSettings.level.${l === '*' ? 'all' : l}` as MessageKey) }))} />
          )) },
          { title: t('problemSettings.route_days'), key: 'r', render: (_, _r, i) => days(i, 'route_days') },
          { title: t('problemSettings.feedback_days'), key: 'f', render: (_, _r, i) => days(i, 'feedback_days') },
          { title: t('problemSettings.ordinary_days'), key: 'o', render: (_, _r, i) => days(i, 'ordinary_days') },
          { title: t('problemSettings.major_days'), key: 'm', render: (_, _r, i) => days(i, 'major_days') },
          { title: '', key: 'x', render: (_, r, i) => (r.category_code === '*' && r.level === '*' ? null : <Button size="small" onClick={() => setRows(data.filter((_x, j) => j !== i))}>{t('problemSettings.remove')}</Button>) },
        ]} />
      <Space>
        <Button onClick={() => setRows([...data, { category_code: cats.data?.[0]?.code ?? '*', level: '*', route_days: 1, feedback_days: 3, ordinary_days: 7, major_days: 30 }])} data-testid="limit-add">{t('problemSettings.addLimit')}</Button>
        <Button type="primary" disabled={rows === null} onClick={() => void save()} data-testid="limits-save">{t('problemSettings.save')}</Button>
      </Space>
    </Space>
  );
}

type EnterpriseForm = { name: string; uscc?: string; region_code: string; industry?: string; size?: string; contact_name?: string; contact_phone?: string; address?: string };

function Enterprises() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const list = useLoad(() => problemsApi.enterprises({ q: q || undefined, page_size: 200 }), [q]);
  const [editing, setEditing] = useState<EnterpriseRow | 'new' | null>(null);
  const [cadresOf, setCadresOf] = useState<number | null>(null);
  const [form] = Form.useForm<EnterpriseForm>();
  const mobile = !Grid.useBreakpoint().md;
  const open = async (e: EnterpriseRow | 'new') => {
    form.resetFields();
    if (e !== 'new') {
      const d = await problemsApi.enterprise(e.id);
      form.setFieldsValue({ ...d, uscc: d.uscc ?? undefined, industry: d.industry ?? undefined, size: d.size ?? undefined, contact_name: d.contact_name ?? undefined, contact_phone: d.contact_phone ?? undefined, address: d.address ?? undefined, region_code: d.region_code });
    }
    setEditing(e);
  };
  const submit = async () => {
    const v = await form.validateFields();
    const body = { ...v, uscc: v.uscc || null, industry: v.industry || null, size: (v.size || null) as EnterpriseCreate['size'], contact_name: v.contact_name || null, contact_phone: v.contact_phone || null, address: v.address || null };
    if (editing === 'new') await problemsApi.createEnterprise(body);
    else if (editing) await problemsApi.updateEnterprise(editing.id, { ...body, version: (await problemsApi.enterprise(editing.id)).version });
    void message.success(t('problemSettings.saved'));
    setEditing(null);
    list.reload();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder={t('problemSettings.searchEnterprise')} onSearch={setQ} style={{ width: 240 }} />
        <Button type="primary" onClick={() => void open('new')} data-testid="enterprise-add">{t('problemSettings.addEnterprise')}</Button>
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : (
        <Table<EnterpriseRow> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 800 }} pagination={{ pageSize: 20, showSizeChanger: false }} data-testid="enterprise-list"
          columns={[
            { title: t('problemSettings.enterpriseName'), dataIndex: 'name', render: (v: string, e) => <Link to={`/enterprises/${e.id}`}>{v}</Link> },
            { title: t('enterprise.uscc'), dataIndex: 'uscc', width: 200 },
            { title: t('enterprise.industry'), dataIndex: 'industry', width: 140 },
            { title: t('enterprise.contact'), key: 'c', width: 180, render: (_, e) => [e.contact_name, e.contact_phone].filter(Boolean).join(' ') },
            // Pinned right, stacked on a phone: 编辑 and 包联干部 stay on screen while the other columns scroll.
            { title: '', key: 'a', width: mobile ? 96 : 170, fixed: 'right', render: (_, e) => (
              <Space direction={mobile ? 'vertical' : 'horizontal'} size={4}>
                <Button size="small" onClick={() => void open(e)}>{t('problemSettings.edit')}</Button>
                <Button size="small" onClick={() => setCadresOf(e.id)} data-testid={`cadres-${e.id}`}>{t('problemSettings.cadres')}</Button>
              </Space>
            ) },
          ]} />
      )}
      <Modal open={editing !== null} title={t(editing === 'new' ? 'problemSettings.addEnterprise' : 'problemSettings.editEnterprise')} onCancel={() => setEditing(null)} onOk={() => void submit()} okText={t('problemSettings.save')} okButtonProps={{ 'data-testid': 'enterprise-save' }} destroyOnHidden forceRender>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('problemSettings.enterpriseName')} rules={[{ required: true, message: t('problemSettings.nameRequired') }]}><Input /></Form.Item>
          <Form.Item name="uscc" label={t('enterprise.uscc')}><Input maxLength={18} /></Form.Item>
          <Form.Item name="region_code" label={t('problemSettings.region')} rules={[{ required: true, message: t('problemSettings.regionRequired') }]}>
            <RegionPicker testId="enterprise-region" placeholder={t('problemSettings.region')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="industry" label={t('enterprise.industry')}><Input /></Form.Item>
          <Form.Item name="size" label={t('enterprise.size')}>
            <Select allowClear options={['large', 'medium', 'small', 'micro'].map((s) => ({ value: s, label: t(`enterprise.size.${s}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="contact_name" label={t('enterprise.contact')}><Input /></Form.Item>
          <Form.Item name="contact_phone" label={t('problemSettings.phone')}><Input /></Form.Item>
          <Form.Item name="address" label={t('enterprise.address')}><Input /></Form.Item>
        </Form>
      </Modal>
      <Modal open={cadresOf !== null} title={t('enterprise.cadres')} footer={null} onCancel={() => setCadresOf(null)} destroyOnHidden width={Math.min(720, window.innerWidth)}>
        {cadresOf !== null && <CadreLinks enterpriseId={cadresOf} />}
      </Modal>
    </Space>
  );
}

type CadreForm = { name: string; post?: string; role: CadreCreate['role']; phone?: string; visit_every_months?: number; user_id?: number };

function CadreLinks({ enterpriseId }: { enterpriseId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const d = useLoad(() => problemsApi.enterprise(enterpriseId), [enterpriseId]);
  const [form] = Form.useForm<CadreForm>();
  if (d.error) return <LoadError error={d.error} onRetry={d.reload} />;
  const add = async () => {
    const v = await form.validateFields();
    await problemsApi.addCadre(enterpriseId, { ...v, post: v.post || null, phone: v.phone || null, visit_every_months: v.visit_every_months ?? null });
    void message.success(t('problemSettings.saved'));
    form.resetFields();
    d.reload();
  };
  const unlink = async (id: number) => {
    await problemsApi.updateCadre(id, { unlink: true });
    d.reload();
  };
  const cadres: EnterpriseDetail['cadres'] = (d.data?.cadres ?? []).filter((c) => !c.unlinked_on);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>{d.data?.name}</Typography.Text>
      <Table rowKey="id" size="small" dataSource={cadres} pagination={false} scroll={{ x: 560 }} data-testid="cadre-list"
        columns={[
          { title: t('enterprise.cadreName'), dataIndex: 'name' },
          { title: t('enterprise.cadreRole'), dataIndex: 'role', render: (r: string) => t(`enterprise.role.${r}` as MessageKey) },
          { title: t('enterprise.post'), dataIndex: 'post' },
          { title: t('enterprise.plan'), key: 'plan', render: (_, c) => (c.visit_every_months ? <span>{t('enterprise.everyMonths', { n: c.visit_every_months })}{c.plan.overdue ? <Tag color="red" style={{ marginLeft: 4 }}>{t('enterprise.visitOverdue', { n: c.plan.days_overdue })}</Tag> : null}</span> : '—') },
          { title: '', key: 'x', render: (_, c) => <Button size="small" onClick={() => void unlink(c.id)}>{t('problemSettings.unlink')}</Button> },
        ]} />
      <Form form={form} layout="inline" initialValues={{ role: 'cadre', visit_every_months: 1 }} style={{ rowGap: 8 }}>
        <Form.Item name="name" rules={[{ required: true, message: t('problemSettings.nameRequired') }]}><Input placeholder={t('enterprise.cadreName')} aria-label={t('enterprise.cadreName')} style={{ width: 110 }} /></Form.Item>
        <Form.Item name="post"><Input placeholder={t('enterprise.post')} aria-label={t('enterprise.post')} style={{ width: 150 }} /></Form.Item>
        <Form.Item name="role"><Select style={{ width: 120 }} options={['cadre', 'chief', 'leader'].map((r) => ({ value: r, label: t(`enterprise.role.${r}` as MessageKey) }))} /></Form.Item>
        <Form.Item name="visit_every_months"><InputNumber min={1} max={24} addonAfter={t('problemSettings.months')} style={{ width: 130 }} aria-label={t('enterprise.plan')} /></Form.Item>
        <Form.Item><Button type="primary" onClick={() => void add()} data-testid="cadre-add">{t('problemSettings.link')}</Button></Form.Item>
      </Form>
    </Space>
  );
}
