import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { App, Badge, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { LEAD_STAGES } from '../../../core/attraction/lead.ts';
import { attractionApi } from '../../api/endpoints.ts';
import type { AttractionRate as Rate, AttractionSettings, Lead, LeadStage } from '../../api/types.ts';
import { useUnits } from '../../api/reference.ts';
import { useCan } from '../../auth.tsx';
import { Chart } from '../../components/charts/Chart.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatWan, formatYi } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

export const STAGE_COLOR: Record<LeadStage, string> = {
  lead: 'default', negotiating: 'blue', signed: 'geekblue', approved: 'purple', landed: 'cyan', started: 'green', producing: 'gold',
};

/** A rate printed as a percentage with one decimal, '—' without a denominator. */
export function percent(r: Rate | null | undefined): string {
  return r?.rate === null || r?.rate === undefined ? '—' : `${(r.rate * 100).toFixed(1)}%`;
}

/** 招商引资: the kanban board by stage, and the figures (funnel, signed, 履约率, lists). */
export function AttractionPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'figures' ? 'figures' : 'board';
  return (
    <div>
      <Typography.Title level={3}>{t('attraction.title')}</Typography.Title>
      <Tabs activeKey={tab} onChange={(k) => setParams(k === 'board' ? {} : { tab: k })} items={[
        { key: 'board', label: t('attraction.tab.board'), children: <Board /> },
        { key: 'figures', label: t('attraction.tab.figures'), children: <FiguresPanel /> },
      ]} />
    </div>
  );
}

function Board() {
  const { t } = useI18n();
  const can = useCan();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [terminated, setTerminated] = useState(false);
  const [creating, setCreating] = useState(false);
  const loaded = useLoad(() => attractionApi.list({ q: search || undefined, terminated: terminated ? 'true' : undefined }), [search, terminated]);
  const byStage = useMemo(() => {
    const m = new Map<LeadStage, Lead[]>(LEAD_STAGES.map((s) => [s, []]));
    for (const l of loaded.data ?? []) m.get(l.stage)?.push(l);
    return m;
  }, [loaded.data]);
  const canWrite = can('attraction.write');
  return (
    <div>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('attraction.search')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={setSearch} style={{ maxWidth: 320 }} />
        <Checkbox checked={terminated} onChange={(e) => setTerminated(e.target.checked)}>{t('attraction.showTerminated')}</Checkbox>
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="lead-new">{t('attraction.new')}</Button>}
        {can('attraction.review') && <Link to="/import?kind=leads"><Button icon={<UploadOutlined />} data-testid="lead-import">{t('attraction.import')}</Button></Link>}
      </Flex>
      {loaded.error ? <LoadError error={loaded.error} onRetry={loaded.reload} /> : (
        <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8 }} data-testid="lead-board">
          {LEAD_STAGES.map((s) => (
            <Card key={s} size="small" loading={loaded.loading} style={{ minWidth: 220, flex: '1 0 220px', background: '#fafafa' }} data-testid={`stage-${s}`}
              title={<Space><Tag color={STAGE_COLOR[s]}>{t(`attraction.stage.${s}` as MessageKey)}</Tag><span>{t('attraction.count', { n: byStage.get(s)?.length ?? 0 })}</span></Space>}>
              <Flex vertical gap={8}>
                {byStage.get(s)?.map((l) => <LeadCard key={l.id} lead={l} />)}
              </Flex>
            </Card>
          ))}
        </div>
      )}
      {creating && <NewLeadModal onClose={() => setCreating(false)} />}
    </div>
  );
}

function LeadCard({ lead }: { lead: Lead }) {
  const { t } = useI18n();
  const amount = lead.signed_amount ?? lead.intended_amount;
  return (
    <Card size="small" data-testid="lead-card" styles={{ body: { padding: 8 } }}>
      <Link to={`/attraction/${lead.id}`} style={{ fontWeight: 500 }}>{lead.name}</Link>
      <div style={{ fontSize: 12, color: '#666' }}>{lead.team_name} · {lead.industry ?? '—'}</div>
      <div style={{ fontSize: 12 }}>{amount !== null ? `${formatWan(amount)} 万元` : '—'}</div>
      <Space size={4} wrap style={{ marginTop: 4 }}>
        {lead.terminated_on && <Tag color="red">{t('attraction.terminatedBadge')}</Tag>}
        {lead.review_status === 'submitted' && lead.pending_to && (
          <Badge status="processing" text={<span style={{ fontSize: 12 }}>{t('attraction.pendingTo', { stage: t(`attraction.stage.${lead.pending_to}` as MessageKey) })}</span>} />
        )}
        {lead.review_status === 'returned' && <Tag color="orange">{t('attraction.review.returned')}</Tag>}
      </Space>
    </Card>
  );
}

function NewLeadModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const units = useUnits();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ name: string; team_id: number; region_code: string; investor?: string; industry?: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const lead = await attractionApi.create({ ...v, investor: v.investor || null, industry: v.industry || null });
      void message.success(t('attraction.saved'));
      void navigate(`/attraction/${lead.id}`);
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('attraction.new')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('attraction.f.name')} rules={[{ required: true, whitespace: true }]}><Input data-testid="lead-name" /></Form.Item>
        <Form.Item name="team_id" label={t('attraction.f.team')} rules={[{ required: true }]}><UnitPicker units={units} testId="lead-team" /></Form.Item>
        <Form.Item name="region_code" label={t('attraction.f.region')} rules={[{ required: true }]}><RegionPicker testId="lead-region" /></Form.Item>
        <Form.Item name="investor" label={t('attraction.f.investor')}><Input /></Form.Item>
        <Form.Item name="industry" label={t('attraction.f.industry')}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function FiguresPanel() {
  // The year and quarter the figures open at come from the server's clock (GET /attraction/settings).
  const settings = useLoad(() => attractionApi.settings(), []);
  if (settings.error) return <LoadError error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Card loading />;
  return <Figures today={settings.data.today} settings={settings.data} onSettings={settings.setData} />;
}

function Figures({ today, settings, onSettings }: { today: string; settings: AttractionSettings; onSettings: (s: AttractionSettings) => void }) {
  const { t } = useI18n();
  const thisYear = Number(today.slice(0, 4));
  const thisQuarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState<number | undefined>(undefined);
  const [groupBy, setGroupBy] = useState('team');
  const loaded = useLoad(() => attractionApi.figures({ year, quarter, group_by: groupBy }), [year, quarter, groupBy, settings]);
  const f = loaded.data;
  const funnel = useMemo(() => f && {
    tooltip: { trigger: 'item' },
    series: [{
      type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '8%', gap: 2,
      label: { formatter: '{b}: {c}' },
      data: f.funnel.map((s) => ({ name: `${t(`attraction.stage.${s.stage}` as MessageKey)}${s.conversion ? `（${percent(s.conversion)}）` : ''}`, value: s.reached })),
    }],
  }, [f, t]);
  const yi = (n: number) => formatYi(n);
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('attraction.figures.year')} value={year} onChange={setYear} style={{ width: 100 }} options={[0, 1, 2, 3].map((d) => ({ value: thisYear - d, label: String(thisYear - d) }))} />
        <Select aria-label={t('attraction.figures.quarter')} value={quarter ?? 0} onChange={(v) => setQuarter(v || undefined)} style={{ width: 110 }}
          options={[{ value: 0, label: t('attraction.figures.allYear') }, ...[1, 2, 3, 4].map((n) => ({ value: n, label: `Q${n}` }))]} />
        <Select aria-label={t('attraction.figures.groupBy')} value={groupBy} onChange={setGroupBy} style={{ width: 120 }}
          options={['team', 'region', 'industry', 'month'].map((g) => ({ value: g, label: t(`attraction.group.${g}` as MessageKey) }))} />
        <Button icon={<DownloadOutlined />} download data-testid="lead-export"
          href={`/api/v1/attraction/export.xlsx?year=${year}&quarter=${quarter ?? (year === thisYear ? thisQuarter : 4)}`}>{t('attraction.export')}</Button>
      </Space>
      {loaded.error ? <LoadError error={loaded.error} onRetry={loaded.reload} /> : f && funnel && (
        <Flex vertical gap={16}>
          <Card size="small" title={t('attraction.figures.funnel')}>
            <Chart option={funnel} height={300} label={t('attraction.figures.funnel')} testId="lead-funnel" />
          </Card>
          <Table size="small" rowKey="key" pagination={false} scroll={{ x: 900 }} dataSource={[...f.groups, f.total]} data-testid="lead-figures"
            columns={[
              { title: t('attraction.figures.group'), dataIndex: 'label', fixed: 'left' },
              { title: t('attraction.figures.signed'), dataIndex: 'signed_count', align: 'right' },
              { title: t('attraction.figures.signedAmount'), dataIndex: 'signed_amount', align: 'right', render: yi },
              { title: t('attraction.figures.big'), dataIndex: 'signed_big_count', align: 'right' },
              { title: t('attraction.figures.bigAmount'), dataIndex: 'signed_big_amount', align: 'right', render: yi },
              { title: t('attraction.figures.started'), dataIndex: 'started_count', align: 'right' },
              { title: t('attraction.figures.producing'), dataIndex: 'producing_count', align: 'right' },
              { title: t('attraction.figures.signToStart'), dataIndex: 'sign_to_start_months', align: 'right', render: (m: number | null) => (m === null ? '—' : m.toFixed(1)) },
              { title: t('attraction.figures.performance'), dataIndex: 'performance', align: 'right', render: (r: Rate) => percent(r) },
            ]} />
          <Card size="small" title={t('attraction.figures.overdue', { months: f.start_limit_months })}>
            <Table size="small" rowKey="id" pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={f.overdue_start} columns={[
              { title: t('attraction.f.name'), dataIndex: 'name', render: (n: string, r) => <Link to={`/attraction/${r.id}`}>{n}</Link> },
              { title: t('attraction.f.team'), dataIndex: 'team_name' },
              { title: t('attraction.stage.signed'), dataIndex: 'signed_on' },
              { title: t('attraction.figures.dueOn'), dataIndex: 'due_on' },
              { title: t('attraction.figures.overdueDays'), dataIndex: 'overdue_days', align: 'right' },
            ]} />
          </Card>
          <Card size="small" title={t('attraction.figures.stale', { days: f.stale_days })}>
            <Table size="small" rowKey="id" pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={f.stale} columns={[
              { title: t('attraction.f.name'), dataIndex: 'name', render: (n: string, r) => <Link to={`/attraction/${r.id}`}>{n}</Link> },
              { title: t('attraction.f.team'), dataIndex: 'team_name' },
              { title: t('attraction.f.last_followup'), dataIndex: 'last_followup_on', render: (d: string | null) => d ?? '—' },
              { title: t('attraction.figures.idleDays'), dataIndex: 'idle_days', align: 'right' },
            ]} />
          </Card>
          <SettingsCard settings={settings} onSaved={onSettings} />
          <Card size="small" title={t('attraction.figures.definitions')}>
            <ul style={{ margin: 0, paddingLeft: 20 }}>{Object.entries(f.definitions).map(([k, v]) => <li key={k}>{v}</li>)}</ul>
          </Card>
        </Flex>
      )}
    </div>
  );
}

/** The office's settings (attraction.review edits them; others read them): 跟进超期 days and 开工期限 months. */
function SettingsCard({ settings, onSaved }: { settings: AttractionSettings; onSaved: (s: AttractionSettings) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const [form] = Form.useForm<{ stale_days: number; start_limit_months: number }>();
  const [busy, setBusy] = useState(false);
  const editable = can('attraction.review');
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onSaved(await attractionApi.putSettings(v));
      void message.success(t('attraction.settings.saved'));
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('attraction.settings')} data-testid="lead-settings">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('attraction.settings.hint')}</Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={{ stale_days: settings.stale_days, start_limit_months: settings.start_limit_months }} disabled={!editable}>
        <Form.Item name="stale_days" label={t('attraction.settings.staleDays')} rules={[{ required: true }]}>
          <InputNumber min={1} max={365} precision={0} data-testid="lead-settings-stale" />
        </Form.Item>
        <Form.Item name="start_limit_months" label={t('attraction.settings.startLimit')} rules={[{ required: true }]}>
          <InputNumber min={1} max={60} precision={0} data-testid="lead-settings-limit" />
        </Form.Item>
        {editable && <Form.Item><Button type="primary" loading={busy} onClick={() => void save()} data-testid="lead-settings-save">{t('common.save')}</Button></Form.Item>}
      </Form>
    </Card>
  );
}
