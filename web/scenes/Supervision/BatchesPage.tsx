import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { App, Breadcrumb, Button, Card, Checkbox, Flex, Grid, Input, List, Modal, Select, Skeleton, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FileWordOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client.ts';
import { agendaApi, type BatchDetail, type BatchFilter, type BatchListItem } from '../../api/supervision.ts';
import { useCan } from '../../auth.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

const BATCH_STATUSES = ['unsigned', 'open', 'done'] as const;
const STATUS_COLORS: Record<BatchListItem['status'], string> = { unsigned: 'orange', open: 'blue', done: 'green' };

/** The list's filters as the URL keeps them (?year=2026&status=open&q=第3期): a link or a reload shows the same list. */
function useBatchFilter(): [BatchFilter, (patch: BatchFilter) => void] {
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year'));
  const status = params.get('status');
  const filter: BatchFilter = {
    year: Number.isInteger(year) && year > 0 ? year : undefined,
    status: (BATCH_STATUSES as readonly string[]).includes(status ?? '') ? status as BatchFilter['status'] : undefined,
    q: params.get('q') || undefined,
  };
  const set = (patch: BatchFilter) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v !== undefined && v !== '') next.set(k, String(v)); else next.delete(k);
    setParams(next, { replace: true });
  };
  return [filter, set];
}

/** 周交办: the weekly batches (期号), filtered and exported, and issuing this week's from the matters not yet in any batch. */
export function BatchesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = useCan();
  const mobile = !Grid.useBreakpoint().md;
  const [filter, setFilter] = useBatchFilter();
  const [search, setSearch] = useState(filter.q ?? '');
  const thisYear = new Date().getFullYear();
  const { data, error, loading, reload } = useLoad(() => agendaApi.batches(filter), [filter.year, filter.status, filter.q]);
  const [issuing, setIssuing] = useState(false);
  const [candidates, setCandidates] = useState<{ id: number; number: string; title: string; leadUnitName: string; dueOn: string }[] | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [title, setTitle] = useState('');
  const [saving, setSaving] = useState(false);
  if (error) return <LoadError error={error} onRetry={reload} />;
  const open = async () => {
    setIssuing(true);
    setCandidates(null);
    try {
      const r = await agendaApi.candidates();
      setCandidates(r.items);
      setChosen(r.items.map((m) => m.id));
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  const submit = async () => {
    setSaving(true);
    try {
      const r = await agendaApi.createBatch({ matter_ids: chosen, title: title.trim() || null, carry_overdue: true });
      setIssuing(false);
      void navigate(`/batches/${r.id}`);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  const columns = [
    { title: t('batches.issue'), dataIndex: 'issue', width: 140, render: (_: unknown, b: BatchListItem) => <Link to={`/batches/${b.id}`} data-testid={`batch-link-${b.id}`}>{b.issue}</Link> },
    { title: t('batches.name'), dataIndex: 'title' },
    { title: t('batches.weekOf'), dataIndex: 'weekOf', width: 120 },
    { title: t('batches.new'), dataIndex: 'newCount', width: 100, align: 'right' as const },
    { title: t('batches.carried'), dataIndex: 'carriedCount', width: 120, align: 'right' as const },
    { title: t('batches.status'), dataIndex: 'status', width: 100, render: (_: unknown, b: BatchListItem) => <Tag color={STATUS_COLORS[b.status]}>{t(`batches.status.${b.status}` as MessageKey)}</Tag> },
  ];
  return (
    <Card title={t('batches.title')} extra={can('supervision.admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => void open()} data-testid="batch-new">{t('batches.newBatch')}</Button>}>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="batches-filters">
        <Select allowClear placeholder={t('meetings.filter.allYears')} style={{ width: 120 }} value={filter.year} onChange={(v?: number) => setFilter({ year: v })} data-testid="batches-filter-year"
          options={[...new Set([thisYear, thisYear - 1, thisYear - 2, ...(filter.year ? [filter.year] : [])])].sort((x, y) => y - x).map((y) => ({ value: y, label: `${y}年` }))} />
        <Select allowClear placeholder={t('batches.filter.allStatuses')} style={{ width: 130 }} value={filter.status} onChange={(v?: BatchFilter['status']) => setFilter({ status: v })} data-testid="batches-filter-status"
          options={BATCH_STATUSES.map((k) => ({ value: k, label: t(`batches.status.${k}` as MessageKey) }))} />
        <Input.Search allowClear placeholder={t('batches.filter.search')} style={{ width: mobile ? '100%' : 260 }} value={search} onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })} data-testid="batches-filter-q" />
        <Button icon={<DownloadOutlined />} href={agendaApi.batchesXlsx(filter)} download data-testid="batches-export">{t('export.xlsx')}</Button>
      </Flex>
      <Table rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} columns={columns} pagination={{ pageSize: 50 }} scroll={{ x: 600 }} />
      <Modal open={issuing} title={t('batches.newBatch')} onCancel={() => setIssuing(false)} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden width={720} okButtonProps={{ 'data-testid': 'batch-create-ok' }} okText={t('batches.issueIt')}>
        <Input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('batches.titlePlaceholder')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph type="secondary">{t('batches.hint')}</Typography.Paragraph>
        {candidates === null ? <Skeleton active /> : (
          <List size="small" bordered dataSource={candidates} locale={{ emptyText: t('batches.noCandidates') }} style={{ maxHeight: 360, overflow: 'auto' }} renderItem={(m) => (
            <List.Item>
              <Checkbox checked={chosen.includes(m.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, m.id] : chosen.filter((x) => x !== m.id))} data-testid={`batch-pick-${m.id}`}>
                {m.number} {m.title}（{m.leadUnitName}，{m.dueOn}）
              </Checkbox>
            </List.Item>
          )} />
        )}
      </Modal>
    </Card>
  );
}

type Row = BatchDetail['matters'][number];

/** One batch's 交办单: new matters and the overdue ones carried, exported as .docx (GB/T 9704) and .xlsx. */
export function BatchPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const can = useCan();
  const mobile = !Grid.useBreakpoint().md;
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad(() => agendaApi.batch(id), [id]);
  const [resending, setResending] = useState(false);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  // 重新下发: the units that have not signed get their to-do back on top and a fresh notification.
  const reissue = async () => {
    setResending(true);
    try {
      const r = await agendaApi.reissueBatch(id);
      void message.success(t('batches.reissued', { units: r.units.map((u) => u.name).join('、') }));
      reload();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setResending(false);
    }
  };
  const columns = [
    { title: t('batches.kind'), key: 'k', width: 100, render: (_: unknown, m: Row) => (m.carried ? <Tag color="red">{t('batches.carriedTag')}</Tag> : <Tag color="blue">{t('batches.newTag')}</Tag>) },
    { title: t('matters.number'), dataIndex: 'number', width: 150 },
    { title: t('matters.matter'), dataIndex: 'title', render: (_: unknown, m: Row) => <Link to={`/matters/${m.id}`}>{m.title}</Link> },
    { title: t('matters.leadUnit'), dataIndex: 'leadUnitName', width: 140 },
    { title: t('matters.coUnits'), key: 'co', width: 160, render: (_: unknown, m: Row) => m.coUnits.join('、') || '—' },
    { title: t('matters.dueOn'), dataIndex: 'dueOn', width: 110, render: (_: unknown, m: Row) => <span style={{ color: m.overdue ? '#cf1322' : undefined }}>{m.dueOn}</span> },
    { title: t('matters.status'), key: 's', width: 110, render: (_: unknown, m: Row) => t(`matters.state.${m.status}` as MessageKey) },
  ];
  const fresh = data.matters.filter((m) => !m.carried).length;
  return (
    <div data-testid="batch-page">
      {can('supervision.admin') && <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/batches">{t('nav.batches')}</Link> }, { title: data.batch.issue }]} />}
      <Card
        title={<Flex vertical style={{ whiteSpace: 'normal', padding: '8px 0' }}><Typography.Title level={4} style={{ margin: 0 }} data-testid="batch-title">{data.batch.title}</Typography.Title><Typography.Text type="secondary">{t('batches.summary', { week: data.batch.weekOf, n: fresh, c: data.matters.length - fresh })}</Typography.Text></Flex>}
        extra={<Flex gap={8} wrap>
          <Button icon={<FileWordOutlined />} href={`/api/v1/batches/${id}/sheet.docx`} download data-testid="batch-docx">{t('batches.docx')}</Button>
          <Button icon={<DownloadOutlined />} href={`/api/v1/batches/${id}/sheet.xlsx`} download data-testid="batch-xlsx">{t('batches.xlsx')}</Button>
        </Flex>}
        styles={{ header: { flexWrap: 'wrap' } }}
      >
        {can('supervision.admin') && (
          <Flex vertical gap={6} style={{ marginBottom: 12 }} data-testid="batch-unsigned">
            <Typography.Text strong>{t('batches.signStatus')}</Typography.Text>
            {data.unsigned.length === 0
              ? <Typography.Text type="success">{t('batches.allSigned')}</Typography.Text>
              : (
                <Flex gap={6} wrap align="center">
                  {data.unsigned.map((u) => <Tag key={u.unitId} color="orange">{t('batches.unitPending', { unit: u.name, n: u.pending })}</Tag>)}
                </Flex>
              )}
            {data.unsigned.length > 0 && (
              <div>
                <Button icon={<SendOutlined />} loading={resending} onClick={() => void reissue()} data-testid="batch-reissue">{t('batches.reissue', { n: data.unsigned.length })}</Button>
              </div>
            )}
          </Flex>
        )}
        {mobile ? (
          <List dataSource={data.matters} renderItem={(m) => (
            <List.Item><List.Item.Meta title={<Link to={`/matters/${m.id}`}>{m.title}</Link>} description={`${m.carried ? t('batches.carriedTag') : t('batches.newTag')} · ${m.leadUnitName} · ${m.dueOn}`} /></List.Item>
          )} />
        ) : <Table rowKey="id" size="small" dataSource={data.matters} columns={columns} pagination={false} data-testid="batch-table" />}
      </Card>
    </div>
  );
}
