import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { Card, Col, DatePicker, Empty, Flex, Row, Skeleton, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorApi } from '../../api/endpoints.ts';
import type { BreakdownItem, LightItem } from '../../api/types.ts';
import { formatWan, formatYi } from '../../format.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { Chart } from '../../components/charts/Chart.tsx';
import { categoryTooltip, unitTooltip } from './chart-tooltips.ts';
import { LIGHT_COLORS } from '../Lights/light-labels.ts';

const WAN = 10_000;

/** One headline figure; the whole card is a link to the projects behind it. */
function Kpi({ title, value, suffix, extra, to, testId, yuan }: {
  title: string; value: ReactNode; suffix?: string; extra?: ReactNode; to: string; testId: string; yuan?: number;
}) {
  return (
    <Link to={to} data-testid={testId} data-yuan={yuan} style={{ display: 'block', height: '100%' }} aria-label={`${title} ${typeof value === 'string' || typeof value === 'number' ? value : ''}${suffix ?? ''}`}>
      <Card size="small" hoverable style={{ height: '100%' }}>
        <Typography.Text type="secondary">{title}</Typography.Text>
        <div style={{ fontSize: 24, fontWeight: 600, color: 'rgba(0,0,0,0.88)', lineHeight: 1.4 }}>
          {value}<span style={{ fontSize: 14, fontWeight: 400, marginLeft: 4 }}>{suffix}</span>
        </div>
        {extra && <div style={{ fontSize: 12, color: '#666' }}>{extra}</div>}
      </Card>
    </Link>
  );
}

/** 工作台: the scope's figures for 1–N月, lights, breakdowns and the month trend; every figure opens its projects. */
export function DashboardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [period, setPeriod] = useState(() => dayjs().startOf('month'));
  const year = period.year();
  const month = period.month() + 1;
  const data = useLoad(() => indicatorApi.get(year, month, {}, ['unit', 'category']), [year, month]);
  const lights = useLoad(() => indicatorApi.lights(year, month, {}, { light: 'red', page_size: 10 }), [year, month]);
  const ind = data.data?.indicators;
  const s = ind?.sums;
  const label = ind?.period_label ?? `1–${month}月`;
  const list = (extra: Record<string, string> = {}) => `/projects?${new URLSearchParams({ year: String(year), ...extra }).toString()}`;

  const units = useMemo(() => data.data?.breakdowns.unit ?? [], [data.data]);
  const categories = useMemo(() => data.data?.breakdowns.category ?? [], [data.data]);
  const trend = useMemo(() => data.data?.trend ?? [], [data.data]);

  // Horizontal bars: unit names stay readable however many units there are, on a phone too.
  const unitOption = useMemo<EChartsCoreOption>(() => ({
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (items: { dataIndex: number }[]) => unitTooltip(units[items[0]?.dataIndex ?? -1],
        { planned: t('dashboard.planned'), completed: t('dashboard.completed'), rate: t('dashboard.completionRate') }),
    },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    yAxis: { type: 'category', inverse: true, data: units.map((u) => u.label), axisLabel: { width: 110, overflow: 'truncate' } },
    xAxis: { type: 'value', name: '万元' },
    series: [
      { name: t('dashboard.planned'), type: 'bar', data: units.map((u) => Math.round(u.indicators.sums.planned_investment / WAN)) },
      { name: t('dashboard.completed'), type: 'bar', data: units.map((u) => Math.round(u.indicators.sums.completed_ytd / WAN)) },
    ],
  }), [units, t]);

  const categoryOption = useMemo<EChartsCoreOption>(() => ({
    tooltip: { trigger: 'item', formatter: (p: { name?: string; value?: number; percent?: number }) => categoryTooltip(p, t('dashboard.projectsUnit')) },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: categories.map((c) => ({ name: c.label, value: c.indicators.sums.count })) }],
  }), [categories, t]);

  const trendOption = useMemo<EChartsCoreOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: 'category', data: trend.map((p) => p.period_label) },
    yAxis: { type: 'value', name: '%' },
    series: [
      { name: t('dashboard.completionRate'), type: 'line', data: trend.map((p) => (p.completion_rate === null ? null : +(p.completion_rate * 100).toFixed(1))) },
      { name: t('dashboard.timeProgress'), type: 'line', lineStyle: { type: 'dashed' }, data: trend.map((p) => +(p.time_progress * 100).toFixed(1)) },
    ],
  }), [trend, t]);

  const gap = ind?.gap_points.value;
  const gapText = gap === null || gap === undefined ? t('dashboard.noPlan')
    : ind!.gap_points.text === '0.0' ? t('dashboard.gapEven')
      : gap > 0 ? t('dashboard.gapAhead', { points: ind!.gap_points.text }) : t('dashboard.gapBehind', { points: ind!.gap_points.text.replace(/^-/, '') });

  return (
    <div>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('nav.dashboard')} · {year}年{label}</Typography.Title>
        <Flex wrap gap={8}>
          <DatePicker picker="month" value={period} allowClear={false} onChange={(d) => d && setPeriod(d.startOf('month'))} aria-label={t('dashboard.period')} />
          <ExportButton view="indicators" query={{ year, month, breakdown: 'nature,category,investment_type,unit' }} label={t('export.indicators')} />
        </Flex>
      </Flex>
      {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : null}
      {!ind && data.loading ? <Card><Skeleton active /></Card> : null}
      {ind && s && (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-count" title={t('dashboard.count')} value={s.count} suffix="个" to={list()} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-total" title={t('dashboard.totalInvestment')} value={formatYi(s.total_investment)} suffix="亿元" yuan={s.total_investment} to={list({ sort: 'total_investment', order: 'desc' })} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-planned" title={t('dashboard.annualPlan', { year })} value={formatYi(s.planned_investment)} suffix="亿元" yuan={s.planned_investment} to={list({ sort: 'annual_planned', order: 'desc' })} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-completed" title={t('dashboard.completedYtd', { label })} value={formatYi(s.completed_ytd)} suffix="亿元" yuan={s.completed_ytd} to={list()} /></Col>
            <Col xs={12} md={8} xl={6}>
              <Kpi testId="kpi-rate" title={t('dashboard.completionRate')} value={ind.completion_rate.text} suffix="%" to={`/lights?year=${year}&month=${month}&dimension=investment`}
                extra={<>{t('dashboard.timeProgress')} {ind.time_progress.text}%，{gapText}{s.monthly_planned > 0 && <span data-testid="kpi-plan-to-date">；{t('dashboard.planToDate', { label, rate: ind.plan_to_date_rate.text })}</span>}</>} />
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Kpi testId="kpi-start" title={t('dashboard.startRate')} value={ind.start_rate.whole_year.text} suffix="%" to={list({ stage: 'started,completed,producing' })}
                extra={<>{s.started}/{s.planned_starts}（{t('dashboard.wholeYear')}）；{t('dashboard.toDate', { label })} {ind.start_rate.to_date.text}%</>} />
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Kpi testId="kpi-completions" title={t('dashboard.completions')} value={s.completed} suffix={`/ ${s.planned_completions}`} to={list({ stage: 'completed,producing' })}
                extra={<>{t('dashboard.completionPlanRate')} {ind.completion_plan_rate.whole_year.text}%</>} />
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Link to={`/lights?year=${year}&month=${month}`} style={{ display: 'block', height: '100%' }} data-testid="kpi-lights">
                <Card size="small" hoverable style={{ height: '100%' }}>
                  <Typography.Text type="secondary">{t('nav.lights')}</Typography.Text>
                  <Flex gap={12} style={{ marginTop: 4 }}>
                    {(['red', 'yellow', 'green'] as const).map((c) => (
                      <span key={c} style={{ fontSize: 22, fontWeight: 600, color: LIGHT_COLORS[c] }} data-testid={`lights-${c}`}>
                        {lights.data ? lights.data.counts[c] : '—'}
                      </span>
                    ))}
                  </Flex>
                  <div style={{ fontSize: 12, color: '#666' }}>{t('dashboard.lightsLegend')}</div>
                </Card>
              </Link>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('dashboard.byUnit')}>
                {units.length ? (
                  <Chart label={t('dashboard.byUnit')} testId="chart-unit" option={unitOption} height={Math.max(240, 60 + units.length * 34)}
                    onClick={(p) => {
                      const u: BreakdownItem | undefined = units[p.dataIndex];
                      if (u?.key) void navigate(list({ unit: u.key }));
                    }} />
                ) : <Empty description={t('common.empty')} />}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('dashboard.byCategory')}>
                {categories.length ? (
                  <Chart label={t('dashboard.byCategory')} testId="chart-category" option={categoryOption} height={320}
                    onClick={(p) => {
                      const c = categories[p.dataIndex];
                      if (c?.key) void navigate(list({ category: c.key }));
                    }} />
                ) : <Empty description={t('common.empty')} />}
              </Card>
            </Col>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('dashboard.trend')}>
                <Chart label={t('dashboard.trend')} testId="chart-trend" option={trendOption} height={280} />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('dashboard.redList')} extra={<Link to={`/lights?year=${year}&month=${month}&light=red`}>{t('dashboard.all')}</Link>}>
                {lights.error ? <LoadError error={lights.error} onRetry={lights.reload} /> : (
                  <Table<LightItem>
                    size="small" rowKey="project_id" pagination={false} loading={lights.loading} dataSource={lights.data?.items ?? []}
                    locale={{ emptyText: <Empty description={t('dashboard.noRed')} /> }}
                    columns={[
                      { title: t('projects.col.name'), dataIndex: 'name', ellipsis: true, render: (n: string, l) => <Link to={`/projects/${l.project_id}?tab=lights`}>{n}</Link> },
                      { title: t('lights.reason'), dataIndex: 'reasons', render: (r: string[]) => <Tag color="red" style={{ whiteSpace: 'normal' }}>{r[0] ?? ''}</Tag> },
                    ]}
                  />
                )}
              </Card>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            {t('dashboard.footnote', { label, planned: formatWan(s.planned_investment), completed: formatWan(s.completed_ytd) })}
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}
