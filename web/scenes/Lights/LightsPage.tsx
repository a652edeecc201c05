import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Col, DatePicker, Descriptions, Flex, Row, Select, Statistic, Table, Tag, TreeSelect, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { DataAsOf } from '../../components/DataAsOf.tsx';
import { useMonthInForce } from '../../components/usePeriodInForce.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCan } from '../../auth.tsx';
import { indicatorApi } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import type { DimensionLight, LightColor, LightItem } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { LIGHT_COLORS, LIGHT_TAGS } from './light-labels.ts';
import { formatWan } from '../../format.ts';

const COLORS: LightColor[] = ['red', 'yellow', 'green', 'none'];

/** A light as a coloured tag with its name, so colour is never the only signal. */
export function LightTag({ light }: { light: LightColor }) {
  const { t } = useI18n();
  return <Tag color={LIGHT_TAGS[light]}>{t(`light.${light}` as MessageKey)}</Tag>;
}

/** A project's light with what qualifies it: paused (停工) or excused (正当理由), wherever a light list shows it. */
export function ProjectLight({ item }: { item: Pick<LightItem, 'overall' | 'is_paused' | 'is_excused'> }) {
  const { t } = useI18n();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <LightTag light={item.overall} />
      {item.is_paused && <Tag color="default" data-testid="light-paused">{t('stage.paused')}</Tag>}
      {item.is_excused && <Tag color="blue" data-testid="light-excused">{t('lights.excused')}</Tag>}
    </span>
  );
}

/** How each figure a rule looked at is shown: its label and, for amounts and rates, the unit. */
const FIGURES: Record<string, { label: MessageKey; as: 'wan' | 'percent' | 'points' | 'plain' }> = {
  planned_investment: { label: 'figure.planned_investment', as: 'wan' },
  completed_ytd: { label: 'figure.completed_ytd', as: 'wan' },
  expected_to_date: { label: 'figure.expected_to_date', as: 'wan' },
  completion_rate: { label: 'figure.completion_rate', as: 'percent' },
  time_progress: { label: 'figure.time_progress', as: 'percent' },
  points_below: { label: 'figure.points_below', as: 'points' },
  ratio: { label: 'figure.ratio', as: 'percent' },
  shortfall: { label: 'figure.shortfall', as: 'percent' },
  plan_start_month: { label: 'figure.plan_start_month', as: 'plain' },
  months_late: { label: 'figure.months_late', as: 'plain' },
  actual_start_date: { label: 'figure.actual_start_date', as: 'plain' },
  months_since_start: { label: 'figure.months_since_start', as: 'plain' },
  consecutive_periods: { label: 'figure.consecutive_periods', as: 'plain' },
};

/** The figures of a light as label → display text: rates from their one-decimal text, amounts in 万元. */
function figureItems(figures: DimensionLight['figures'], t: (k: MessageKey) => string) {
  return Object.entries(figures)
    .filter(([k]) => !k.endsWith('_text'))
    .map(([k, v]) => {
      const f = FIGURES[k];
      const text = figures[`${k}_text`];
      let shown = v === null ? '—' : String(v);
      if (v !== null && f?.as === 'wan') shown = `${formatWan(Number(v))} ${t('unit.wan')}`;
      else if (v !== null && f?.as === 'percent') shown = `${text ?? String(v)}%`;
      else if (v !== null && f?.as === 'points') shown = `${text ?? String(v)} ${t('unit.points')}`;
      return { key: k, label: f ? t(f.label) : k, children: shown };
    });
}

/** The figures and rule behind one dimension's light. */
export function DimensionDetails({ dims }: { dims: DimensionLight[] }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={8}>
      {dims.map((d) => (
        <Descriptions
          key={d.dimension} size="small" bordered column={{ xs: 1, md: 3 }}
          title={<>{t(`dimension.${d.dimension}` as MessageKey)} <LightTag light={d.light} />{d.escalated && !d.excuse && <Tag color="volcano">{t('lights.escalated')}</Tag>}</>}
          items={[
            { key: 'reason', label: t('lights.reason'), children: d.reason, span: 3 },
            { key: 'rule', label: t('lights.rule'), children: d.rule_kind ? t(`rules.kind.${d.rule_kind}` as MessageKey) : '—' },
            ...figureItems(d.figures, t),
            ...(d.excuse ? [{ key: 'excuse', label: t('lights.excuse'), children: `${d.excuse.reason}（${t('lights.computed')}：${t(`light.${d.computed_light}` as MessageKey)}）`, span: 3 }] : []),
          ]}
        />
      ))}
    </Flex>
  );
}

/** 红黄绿灯: the lights of the scope for a month, each with the rule and figures behind it. */
export function LightsPage() {
  const { t } = useI18n();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const units = useUnits();
  const tree = useMemo(() => unitTree(units), [units]);
  // Without a month in the URL, the period in force (the server's choice), not today's month.
  const inForce = useMonthInForce();
  const year = Number(params.get('year')) || inForce?.year || 0;
  const month = Number(params.get('month')) || inForce?.month || 0;
  const light = params.get('light') ?? 'red,yellow';
  const dimension = params.get('dimension') ?? undefined;
  const unit = Number(params.get('unit')) || undefined;
  const page = Number(params.get('page')) || 1;
  const set = (patch: Record<string, string | number | undefined>) => setParams((prev) => {
    const next = new URLSearchParams(prev);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    return next;
  });
  const data = useLoad(() => (year ? indicatorApi.lights(year, month, { unit }, { light, dimension, page, page_size: 20 }) : new Promise<never>(() => undefined)), [year, month, light, dimension, unit, page]);
  const counts = data.data?.counts;

  return (
    <div>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>{t('nav.lights')}</Typography.Title>
          {year > 0 && <DataAsOf year={year} month={month} label={`1–${month}月`} />}
        </div>
        <Flex wrap gap={8}>
          <ExportButton view="lights" query={{ year, month, light, dimension, unit }} label={t('export.lights')} />
          {can('rules.write') && <Link to={`/lights/rules?year=${year}`}><Button icon={<SettingOutlined />}>{t('rules.title')}</Button></Link>}
        </Flex>
      </Flex>
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <DatePicker picker="month" allowClear={false} value={year ? dayjs(`${year}-${String(month).padStart(2, '0')}-01`) : undefined} onChange={(d) => d && set({ year: d.year(), month: d.month() + 1 })} aria-label={t('dashboard.period')} />
        <Select
          mode="multiple" style={{ minWidth: 220 }} value={light.split(',').filter(Boolean)} aria-label={t('lights.filter')} data-testid="light-filter"
          options={COLORS.map((c) => ({ value: c, label: t(`light.${c}` as MessageKey) }))} onChange={(v: string[]) => set({ light: v.join(',') || 'red,yellow' })}
        />
        <Select
          allowClear style={{ minWidth: 140 }} value={dimension} placeholder={t('lights.allDimensions')} aria-label={t('lights.dimension')}
          options={(['investment', 'start', 'stats', 'problems'] as const).map((d) => ({ value: d, label: t(`dimension.${d}`) }))} onChange={(v: string | undefined) => set({ dimension: v })}
        />
        <TreeSelect
          style={{ minWidth: 200, flex: '1 1 200px' }} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={tree}
          value={unit} onChange={(v: number | undefined) => set({ unit: v })} placeholder={t('grid.allUnits')} aria-label={t('projects.filter.unit')}
        />
      </Flex>
      {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : null}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(['red', 'yellow', 'green'] as const).map((c) => (
          <Col xs={8} md={6} key={c}>
            <Card size="small" hoverable onClick={() => set({ light: c })} role="button" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && set({ light: c })}>
              <Statistic title={t(`light.${c}`)} value={counts ? counts[c] : '—'} styles={{ content: { color: LIGHT_COLORS[c] } }} data-testid={`count-${c}`} />
            </Card>
          </Col>
        ))}
        <Col xs={24} md={6}>
          <Typography.Text type="secondary">
            {data.data ? t('lights.ruleVersion', { version: data.data.rule_version ?? t('lights.defaultRules'), excused: data.data.excused }) : ''}
          </Typography.Text>
        </Col>
      </Row>
      <Table<LightItem>
        rowKey="project_id" size="small" loading={data.loading} dataSource={data.data?.items ?? []} scroll={{ x: 900 }} data-testid="lights-table"
        pagination={{ current: page, pageSize: 20, total: data.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set({ page: p }) }}
        expandable={{ expandedRowRender: (l) => <DimensionDetails dims={l.dimensions} /> }}
        columns={[
          { title: t('lights.light'), key: 'overall', width: 150, render: (_v, l) => <ProjectLight item={l} /> },
          { title: t('projects.col.name'), dataIndex: 'name', render: (n: string, l) => <Link to={`/projects/${l.project_id}?tab=lights`}>{n}</Link> },
          { title: t('projects.col.unit'), dataIndex: 'unit_name', width: 180, ellipsis: true },
          { title: t('lights.reason'), dataIndex: 'reasons', render: (r: string[]) => r.map((x) => <div key={x}>{x}</div>) },
        ]}
      />
    </div>
  );
}
