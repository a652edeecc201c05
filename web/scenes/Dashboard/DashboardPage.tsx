import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Card, Col, DatePicker, Empty, Flex, Row, Skeleton, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorApi } from '../../api/endpoints.ts';
import { ALL_REGIONS, useScopeRegion } from '../../api/jurisdiction.ts';
import type { BreakdownItem, LightItem } from '../../api/types.ts';
import { chartMoneyUnit, formatWan, formatYi } from '../../format.ts';
import { DataAsOf } from '../../components/DataAsOf.tsx';
import { useMonthInForce } from '../../components/usePeriodInForce.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { Chart } from '../../components/charts/Chart.tsx';
import { categoryTooltip, unitTooltip } from './chart-tooltips.ts';
import { LIGHT_COLORS } from '../Lights/light-labels.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useUnits } from '../../api/reference.ts';
import { ProjectLight } from '../Lights/LightsPage.tsx';

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
  // Opens at the period in force (the server's choice: the latest month whose deadline has passed), not today's month.
  const inForce = useMonthInForce();
  const [params, setParams] = useSearchParams();
  // A link may name the month (/dashboard?year=2026&month=12); otherwise the period in force.
  const [picked, setPeriod] = useState<dayjs.Dayjs | undefined>(() => {
    const y = Number(params.get('year'));
    const m = Number(params.get('month'));
    return y && m >= 1 && m <= 12 ? dayjs(`${y}-${String(m).padStart(2, '0')}-01`) : undefined;
  });
  const period = picked ?? (inForce && dayjs(`${inForce.year}-${String(inForce.month).padStart(2, '0')}-01`));
  const year = period?.year() ?? 0;
  const month = (period?.month() ?? 0) + 1;
  // The scope (a region subtree or a unit subtree) lives in the URL, so a scoped dashboard can be linked.
  const units = useUnits();
  // Without a region in the URL, the office's jurisdiction (its default scope); region=all widens to everything.
  const { region, ready: regionReady } = useScopeRegion(params.get('region'));
  const unitParam = Number(params.get('unit'));
  const unit = Number.isInteger(unitParam) && unitParam > 0 ? unitParam : undefined;
  const setScope = (next: { region?: string; unit?: number }) => setParams((prev) => {
    const p = new URLSearchParams(prev);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) p.delete(k);
      else p.set(k, String(v));
    }
    return p;
  }, { replace: true });
  const scope = useMemo(() => ({ region, unit }), [region, unit]);
  const data = useLoad(() => (period && regionReady ? indicatorApi.get(year, month, scope, ['unit', 'category']) : new Promise<never>(() => undefined)), [year, month, scope]);
  const lights = useLoad(() => (period && regionReady ? indicatorApi.lights(year, month, scope, { light: 'red', page_size: 10 }) : new Promise<never>(() => undefined)), [year, month, scope]);
  const ind = data.data?.indicators;
  const s = ind?.sums;
  const label = ind?.period_label ?? `1–${month}月`;
  const scopeQuery: Record<string, string> = { ...(region ? { region } : {}), ...(unit ? { unit: String(unit) } : {}) };
  // Links carry the scope as shown, a widened one as region=all (else the next page would narrow it again).
  const linkScope: Record<string, string> = { ...scopeQuery, region: region ?? ALL_REGIONS };
  const list = (extra: Record<string, string> = {}) => `/projects?${new URLSearchParams({ year: String(year), ...linkScope, ...extra }).toString()}`;
  const lightsLink = (extra = '') => `/lights?${new URLSearchParams({ year: String(year), month: String(month), ...linkScope }).toString()}${extra}`;

  const unitRows = useMemo(() => data.data?.breakdowns.unit ?? [], [data.data]);
  const categories = useMemo(() => data.data?.breakdowns.category ?? [], [data.data]);
  const trend = useMemo(() => data.data?.trend ?? [], [data.data]);

  // Horizontal bars: unit names stay readable however many units there are, on a phone too.
  const money = useMemo(() => chartMoneyUnit(Math.max(0, ...unitRows.map((u) => Math.max(u.indicators.sums.planned_investment, u.indicators.sums.completed_ytd)))), [unitRows]);
  const moneyLabel = money.label === '亿元' ? t('common.yuanYi') : t('common.yuanWan');
  const unitOption = useMemo<EChartsCoreOption>(() => ({
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (items: { dataIndex: number }[]) => unitTooltip(unitRows[items[0]?.dataIndex ?? -1],
        { planned: t('dashboard.planned'), completed: t('dashboard.completed'), rate: t('dashboard.completionRate') }),
    },
    legend: { top: 0 },
    grid: { left: 8, right: 40, bottom: 8, top: 32, containLabel: true },
    yAxis: { type: 'category', inverse: true, data: unitRows.map((u) => u.label), axisLabel: { width: 110, overflow: 'truncate' } },
    xAxis: { type: 'value', name: moneyLabel, axisLabel: { formatter: (v: number) => v.toLocaleString('zh-CN') } },
    series: [
      { name: t('dashboard.plannedIn', { unit: moneyLabel }), type: 'bar', data: unitRows.map((u) => +(u.indicators.sums.planned_investment / money.divisor).toFixed(money.digits)) },
      { name: t('dashboard.completedIn', { unit: moneyLabel }), type: 'bar', data: unitRows.map((u) => (u.indicators.unrecorded ? null : +(u.indicators.sums.completed_ytd / money.divisor).toFixed(money.digits))) },
    ],
  }), [unitRows, money, moneyLabel, t]);

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
  // A period before the year's recorded progress (an imported 1–N月 list): unknown, said so, never 0%.
  const unrecorded = ind?.unrecorded;
  const gapText = unrecorded ? t('dashboard.unrecordedShort') : gap === null || gap === undefined ? t('dashboard.noPlan')
    : ind!.gap_points.text === '0.0' ? t('dashboard.gapEven')
      : gap > 0 ? t('dashboard.gapAhead', { points: ind!.gap_points.text }) : t('dashboard.gapBehind', { points: ind!.gap_points.text.replace(/^-/, '') });

  return (
    <div>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>{t('nav.dashboard')}{period ? ` · ${year}年${label}` : ''}</Typography.Title>
          {period && <DataAsOf year={year} month={month} label={label} />}
        </div>
        <Flex wrap gap={8}>
          <RegionPicker value={region} onChange={(r) => setScope({ region: r ?? ALL_REGIONS })} placeholder={t('scope.region')} testId="scope-region" style={{ minWidth: 150, flex: '1 1 150px' }} />
          <UnitPicker units={units} value={unit} onChange={(u) => setScope({ unit: u })} placeholder={t('scope.unit')} testId="scope-unit" style={{ minWidth: 150, flex: '1 1 150px' }} />
          <DatePicker picker="month" value={period} allowClear={false} onChange={(d) => d && setPeriod(d.startOf('month'))} aria-label={t('dashboard.period')} />
          <ExportButton view="indicators" query={{ year, month, ...scopeQuery, breakdown: 'nature,category,investment_type,unit' }} label={t('export.indicators')} />
        </Flex>
      </Flex>
      {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : null}
      {!ind && data.loading ? <Card><Skeleton active /></Card> : null}
      {ind && s && (
        <>
          {unrecorded && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="unrecorded-note"
              message={t('dashboard.unrecorded', { from: unrecorded.records_from, label })} />
          )}
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-count" title={t('dashboard.count')} value={s.count} suffix="个" to={list()} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-total" title={t('dashboard.totalInvestment')} value={formatYi(s.total_investment)} suffix="亿元" yuan={s.total_investment} to={list({ sort: 'total_investment', order: 'desc' })} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-planned" title={t('dashboard.annualPlan', { year })} value={formatYi(s.planned_investment)} suffix="亿元" yuan={s.planned_investment} to={list({ sort: 'annual_planned', order: 'desc' })} /></Col>
            <Col xs={12} md={8} xl={6}><Kpi testId="kpi-completed" title={t('dashboard.completedYtd', { label })} value={unrecorded ? '—' : formatYi(s.completed_ytd)} suffix={unrecorded ? undefined : '亿元'} yuan={unrecorded ? undefined : s.completed_ytd} to={list()} /></Col>
            <Col xs={12} md={8} xl={6}>
              <Kpi testId="kpi-rate" title={t('dashboard.completionRate')} value={ind.completion_rate.text} suffix={unrecorded ? undefined : '%'} to={lightsLink('&dimension=investment')}
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
              <Link to={lightsLink()} style={{ display: 'block', height: '100%' }} data-testid="kpi-lights">
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
                {unitRows.length ? (
                  <Chart label={t('dashboard.byUnit')} testId="chart-unit" option={unitOption} height={Math.max(240, 60 + unitRows.length * 34)}
                    onClick={(p) => {
                      const u: BreakdownItem | undefined = unitRows[p.dataIndex];
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
              <Card size="small" title={t('dashboard.redList')} extra={<Link to={lightsLink('&light=red')}>{t('dashboard.all')}</Link>}>
                {lights.error ? <LoadError error={lights.error} onRetry={lights.reload} /> : (
                  <Table<LightItem>
                    size="small" rowKey="project_id" pagination={false} loading={lights.loading} dataSource={lights.data?.items ?? []}
                    locale={{ emptyText: <Empty description={t('dashboard.noRed')} /> }}
                    columns={[
                      { title: t('projects.col.name'), dataIndex: 'name', ellipsis: true, render: (n: string, l) => <Link to={`/projects/${l.project_id}?tab=lights`}>{n}</Link> },
                      { title: t('lights.reason'), dataIndex: 'reasons', render: (r: string[], l) => <>{(l.is_paused || l.is_excused) && <ProjectLight item={l} />}<Tag color="red" style={{ whiteSpace: 'normal' }}>{r[0] ?? ''}</Tag></> },
                    ]}
                  />
                )}
              </Card>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            {unrecorded
              ? <span data-testid="dashboard-footnote">{t('dashboard.footnoteUnrecorded', { label, from: unrecorded.records_from, planned: formatWan(s.planned_investment) })}</span>
              : <span data-testid="dashboard-footnote">{t('dashboard.footnote', { label, planned: formatWan(s.planned_investment), completed: formatWan(s.completed_ytd) })}</span>}
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}
