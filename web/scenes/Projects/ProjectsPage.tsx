import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Flex, Row, Statistic, Table, Tag, Tooltip, Typography, type TableColumnsType, type TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth.tsx';
import { LIGHT_COLORS } from '../Lights/light-labels.ts';
import { NewProjectDialog } from './NewProjectDialog.tsx';
import { ExportButton } from '../../components/ExportButton.tsx';
import { ColumnChooser, SavedViews, useHiddenColumns } from './ListTools.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectApi } from '../../api/endpoints.ts';
import { useRegionNames, useUnits } from '../../api/reference.ts';
import type { DefaultProjectListField, ProjectListOf } from '../../api/types.ts';

type ProjectList = ProjectListOf<DefaultProjectListField>;
type Item = ProjectList['items'][number];
import { formatDateTime, formatWan, formatYi } from '../../format.ts';
import { stageColor, stageKey } from '../../stages.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { ProjectFilters } from './ProjectFilters.tsx';
import { useProjectFilters } from './useProjectFilters.ts';

/** The Excel export's query: the current filter (sorting and paging do not apply to an export). */
function exportQuery(query: object): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [k, v] of Object.entries(query) as [string, string | number | undefined][]) {
    if (['sort', 'order', 'page', 'page_size', 'progress'].includes(k) || v === undefined || v === '') continue;
    filter[k] = String(v);
  }
  return filter;
}

/** 项目库: the filtered, sorted, paged project list with totals over the whole filter. */
export function ProjectsPage() {
  const { t } = useI18n();
  const { query, update, reset, ready } = useProjectFilters();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [hidden, setHidden] = useHiddenColumns();
  const units = useUnits();
  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.short_name ?? u.name])), [units]);
  const [data, setData] = useState<ProjectList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const regionNames = useRegionNames(data?.items.map((p) => p.region_code) ?? []);

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    // Each row's light and 1–N月 completion rate for the period in force, judged for this page only.
    projectApi.list({ ...query, progress: 'current' }, controller.signal).then((r) => {
      setData(r);
      setLoading(false);
    }, (e: unknown) => {
      if (controller.signal.aborted) return;
      setError(e);
      setLoading(false);
    });
    return () => controller.abort();
  }, [query, attempt, ready]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const sortOrder = (key: string) => (query.sort === key ? (query.order === 'desc' ? 'descend' : 'ascend') : null);
  const progress = data?.totals.progress;
  const allColumns: TableColumnsType<Item> = [
    {
      title: t('projects.col.name'), dataIndex: 'name', key: 'name', sorter: true, sortOrder: sortOrder('name'), ellipsis: true, width: 320,
      render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link>,
    },
    { title: t('projects.col.region'), dataIndex: 'region_code', key: 'region_code', sorter: true, sortOrder: sortOrder('region_code'), width: 120, render: (c: string) => regionNames[c] ?? c },
    { title: t('projects.col.unit'), dataIndex: 'unit_id', key: 'unit_id', width: 140, ellipsis: true, render: (id: number) => unitName.get(id) ?? id },
    {
      title: t('projects.col.stage'), dataIndex: 'stage', key: 'stage', sorter: true, sortOrder: sortOrder('stage'), width: 100,
      render: (s: string) => <Tag color={stageColor(s)}>{stageKey(s) ? t(stageKey(s)!) : s}</Tag>,
    },
    {
      title: t('projects.col.totalInvestment'), dataIndex: 'total_investment', key: 'total_investment', sorter: true, sortOrder: sortOrder('total_investment'),
      align: 'right', width: 150, render: (v: number) => formatWan(v),
    },
    {
      title: t('projects.col.annualPlanned', { year: data?.totals.year ?? '' }), dataIndex: 'annual_planned', key: 'annual_planned', sorter: true,
      sortOrder: sortOrder('annual_planned'), align: 'right', width: 150, render: (v: number | null) => formatWan(v),
    },
    {
      title: progress ? t('projects.col.completionRate', { label: progress.label }) : t('dashboard.completionRate'), key: 'completion_rate', align: 'right', width: 120,
      render: (_v, p) => (p.completion_rate ? `${p.completion_rate.text}%` : '—'),
    },
    {
      title: progress ? t('projects.col.light', { label: progress.label }) : t('nav.lights'), key: 'light', width: 110,
      render: (_v, p) => (p.light ? (
        <Tooltip title={p.light_reasons?.join('；') || undefined}>
          <span data-testid="row-light" data-light={p.light} style={{ color: LIGHT_COLORS[p.light], whiteSpace: 'nowrap' }}>● {t(`light.${p.light}`)}</span>
        </Tooltip>
      ) : '—'),
    },
    { title: t('projects.col.code'), dataIndex: 'code', key: 'code', width: 220, render: (c: string | null) => c ?? '—' },
    { title: t('projects.col.updatedAt'), dataIndex: 'updated_at', key: 'updated_at', sorter: true, sortOrder: sortOrder('updated_at'), width: 150, render: formatDateTime },
  ];

  const columns = allColumns.filter((c) => c.key === 'name' || !hidden.includes(String(c.key)));

  const onTableChange: TableProps<Item>['onChange'] = (pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const sort = s?.order ? String(s.columnKey) : undefined;
    const sortChanged = (sort ?? 'id') !== query.sort || (s?.order === 'descend' ? 'desc' : 'asc') !== query.order;
    update({
      sort, order: s?.order === 'descend' ? 'desc' : undefined,
      page: sortChanged ? undefined : pagination.current, page_size: pagination.pageSize,
    }, false);
  };

  const totals = data?.totals;
  return (
    <div>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('nav.projects')}</Typography.Title>
        <Flex wrap gap={8}>
          <SavedViews />
          <ColumnChooser columns={allColumns.map((c) => ({ key: String(c.key), title: typeof c.title === 'string' ? c.title : String(c.key) }))} hidden={hidden} onChange={setHidden} />
          <ExportButton view="projects" query={exportQuery(query)} label={t('projects.export')} testId="export-xlsx" groups />
          {can('project.admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-project">{t('project.new')}</Button>}
        </Flex>
      </Flex>
      <ProjectFilters query={query} units={units} onChange={(p) => update(p)} onReset={reset} />
      {error !== null && <LoadError error={error} onRetry={retry} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} sm={8} lg={6}>
          <Card size="small"><Statistic title={t('projects.headline.count')} value={totals?.count ?? '—'} loading={loading && !data} data-testid="headline-count" /></Card>
        </Col>
        <Col xs={12} sm={8} lg={6}>
          <Card size="small">
            <Statistic title={t('projects.headline.planned', { year: totals?.year ?? '' })} value={totals?.annual_planned !== undefined ? formatYi(totals.annual_planned) : '—'} suffix={t('common.yuanYi')} loading={loading && !data} />
          </Card>
        </Col>
        <Col xs={12} sm={8} lg={6}>
          <Card size="small">
            <Statistic title={t('projects.headline.investment')} value={totals ? formatYi(totals.total_investment) : '—'} suffix={t('common.yuanYi')} loading={loading && !data} data-testid="headline-investment" />
          </Card>
        </Col>
      </Row>
      <NewProjectDialog open={creating} units={units} onClose={() => setCreating(false)} />
      <Table<Item>
        data-testid="project-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 1480 }}
        onChange={onTableChange}
        pagination={{
          current: query.page, pageSize: query.page_size, total: totals?.count ?? 0, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100],
          showTotal: (n) => t('projects.pageTotal', { count: n }), responsive: true,
        }}
        summary={() => totals && totals.count > 0 ? (
          <Table.Summary fixed>
            <Table.Summary.Row data-testid="totals-row">
              <Table.Summary.Cell index={0}><strong>{t('common.total')}</strong>（{t('projects.summary', { count: totals.count })}）</Table.Summary.Cell>
              <Table.Summary.Cell index={1} />
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3} />
              <Table.Summary.Cell index={4} align="right"><strong data-testid="totals-investment">{formatWan(totals.total_investment)}</strong></Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right"><strong data-testid="totals-planned">{formatWan(totals.annual_planned ?? null)}</strong></Table.Summary.Cell>
              {columns.slice(6).map((c, i) => <Table.Summary.Cell key={String(c.key)} index={6 + i} />)}
            </Table.Summary.Row>
          </Table.Summary>
        ) : null}
      />
    </div>
  );
}
