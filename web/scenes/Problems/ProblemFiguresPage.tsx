import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Row, Segmented, Select, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { FIGURE_GROUPS, problemsApi, type FigureGroupBy, type ProblemFigureSet, type ProblemFigures, type ProblemRate } from '../../api/problems.ts';

/** The rates the page prints, in the order a published report lists them. */
const RATES = ['closed_rate', 'on_time_rate', 'satisfied_rate', 'first_time_rate', 'redo_rate'] as const;
type RateKey = (typeof RATES)[number];

/** A row of the breakdown table: a group, or the year's 合计 (computed over all problems, not from the rows). */
interface FigureRow { key: string; name: string; code: string | null; isTotal: boolean; figures: ProblemFigureSet }

/** A rate as printed ('66.7%', '—' without a denominator), with its numerator over its labelled denominator under it. */
function RateCell({ rate }: { rate: ProblemRate }) {
  return (
    <Space direction="vertical" size={0} style={{ lineHeight: 1.2 }}>
      <span>{rate.text === '—' ? '—' : `${rate.text}%`}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{rate.numerator}/{rate.denominator}</Typography.Text>
    </Space>
  );
}

/**
 * 问题办理统计 (issue 18): the year's 办结率, 按期办结率, 满意率, 一次性解决率, 重办率, average handling days and overdue
 * count over the problems the reader sees, broken down by owning department, category, raising unit, source, level or
 * month, with the written definitions and their labelled denominators, and the same table as a workbook.
 */
export function ProblemFiguresPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const groupParam = params.get('by') as FigureGroupBy | null;
  const groupBy: FigureGroupBy = groupParam && FIGURE_GROUPS.includes(groupParam) ? groupParam : 'department';
  const yearParam = params.get('year') ? Number(params.get('year')) : undefined;
  // Without a year in the URL the server answers for China's current year by its clock; the picker then offers the
  // years before it.
  const [thisYear, setThisYear] = useState<number | null>(null);
  const loaded = useLoad(async () => {
    const f = await problemsApi.figures({ year: yearParam, group_by: groupBy });
    if (yearParam === undefined) setThisYear(f.year);
    return f;
  }, [yearParam, groupBy]);
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v); else next.delete(k);
    setParams(next);
  };
  const f: ProblemFigures | undefined = loaded.data;
  // While another breakdown loads, the table keeps the one it shows (named by the breakdown it came with).
  const shownBy: FigureGroupBy = f?.group_by ?? groupBy;
  const year = f?.year ?? yearParam;
  const latest = thisYear ?? Math.max(year ?? 0, f ? Number(f.today.slice(0, 4)) : 0);
  const groupName = (g: ProblemFigures['groups'][number]): string => {
    if (g.key === null) return t('problemFigures.unassigned');
    if (shownBy === 'source' || shownBy === 'level') return t(`problemFigures.${shownBy}.${g.key}` as MessageKey);
    if (shownBy === 'month') return t('problemFigures.monthOf', { m: Number(g.key.slice(5, 7)) });
    return g.name;
  };
  const rows: FigureRow[] = f ? [
    ...f.groups.map((g) => ({ key: g.key ?? '-', name: groupName(g), code: g.key, isTotal: false, figures: g.figures })),
    { key: '__total', name: t('problemFigures.total'), code: null, isTotal: true, figures: f.total },
  ] : [];
  const nameCell = (r: FigureRow) => {
    if (r.isTotal) return <Typography.Text strong>{r.name}</Typography.Text>;
    // A group opens the ledger filtered by it and by the year received (the problems it counts).
    const param = ({ department: 'owner', category: 'category', unit: 'raised', source: 'source', level: 'level', month: null } as const)[shownBy];
    if (!r.code || !f) return r.name;
    const from = shownBy === 'month' ? `${r.code}-01` : `${f.year}-01-01`;
    const to = shownBy === 'month' ? `${r.code}-${String(new Date(Date.UTC(Number(r.code.slice(0, 4)), Number(r.code.slice(5, 7)), 0)).getUTCDate())}` : `${f.year}-12-31`;
    const filter = new URLSearchParams({ ...(param ? { [param]: r.code } : {}), from, to });
    return <Link to={`/problems?${filter.toString()}`}>{r.name}</Link>;
  };

  return (
    <Card title={t('problemFigures.title')} data-testid="problem-figures"
      extra={year ? <Button icon={<DownloadOutlined />} href={problemsApi.figuresExportUrl({ year, group_by: groupBy })} data-testid="problem-figures-export">{t('problemFigures.export')}</Button> : null}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('problemFigures.year')} style={{ width: 110 }} value={year} data-testid="problem-figures-year"
          onChange={(v: number) => set({ year: String(v) })}
          options={latest ? [0, 1, 2, 3].map((d) => ({ value: latest - d, label: t('problemFigures.yearOption', { year: latest - d }) })) : []} />
        <Segmented<FigureGroupBy> value={groupBy} onChange={(v) => set({ by: v === 'department' ? undefined : v })} data-testid="problem-figures-group"
          options={FIGURE_GROUPS.map((g) => ({ value: g, label: t(`problemFigures.by.${g}` as MessageKey) }))} />
      </Space>
      {loaded.error ? <LoadError error={loaded.error} onRetry={loaded.reload} /> : !f ? <Card loading variant="borderless" /> : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Alert type="info" showIcon data-testid="problem-figures-solved"
            message={t('problemFigures.solved', { year: f.year, n: f.solved_in_year })}
            description={t('problemFigures.scope', { year: f.year, today: f.today, total: f.total.total, accepted: f.total.accepted })} />
          <Row gutter={[12, 12]}>
            {RATES.map((k: RateKey) => (
              <Col key={k} xs={12} sm={8} lg={4}>
                <Card size="small" data-testid={`figure-${k}`}>
                  <Statistic title={t(`problemFigures.${k}` as MessageKey)} value={f.total[k].text === '—' ? '—' : f.total[k].text} suffix={f.total[k].text === '—' ? undefined : '%'} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('problemFigures.ofDenominator', { n: f.total[k].numerator, d: f.total[k].denominator, label: t(`problemFigures.denominator.${k}` as MessageKey) })}
                  </Typography.Text>
                </Card>
              </Col>
            ))}
            <Col xs={12} sm={8} lg={4}>
              <Card size="small" data-testid="figure-average_days">
                <Statistic title={t('problemFigures.average_days')} value={f.total.average_days.text} suffix={f.total.average_days.value === null ? undefined : <span style={{ fontSize: 14 }}>{t('problemFigures.workingDays')}</span>} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('problemFigures.overdueCount', { n: f.total.overdue })}</Typography.Text>
              </Card>
            </Col>
          </Row>
          <Table<FigureRow> rowKey="key" size="small" pagination={false} scroll={{ x: 1100 }} dataSource={rows} data-testid="problem-figures-table"
            rowClassName={(r) => (r.isTotal ? 'figures-total-row' : '')}
            columns={[
              { title: t(`problemFigures.by.${shownBy}` as MessageKey), key: 'name', fixed: 'left', width: 180, render: (_, r) => nameCell(r) },
              { title: t('problemFigures.count'), key: 'total', align: 'right', render: (_, r) => r.figures.total },
              { title: t('problemFigures.accepted'), key: 'accepted', align: 'right', render: (_, r) => r.figures.accepted },
              { title: t('problemFigures.closed'), key: 'closed', align: 'right', render: (_, r) => r.figures.closed },
              ...RATES.map((k) => ({ title: t(`problemFigures.${k}` as MessageKey), key: k, align: 'right' as const, render: (_: unknown, r: FigureRow) => <RateCell rate={r.figures[k]} /> })),
              { title: t('problemFigures.average_days'), key: 'avg', align: 'right', render: (_, r) => r.figures.average_days.text },
              { title: t('problemFigures.overdue'), key: 'overdue', align: 'right', render: (_, r) => (r.figures.overdue > 0 ? <Typography.Text type="danger">{r.figures.overdue}</Typography.Text> : 0) },
            ]} />
          <Card size="small" title={t('problemFigures.definitions')} data-testid="problem-figures-definitions">
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {/* The Chinese keys restate core/problems/figures.ts FIGURE_DEFINITIONS word for word (figures-i18n.test.ts). */}
              {Object.keys(f.definitions).map((k) => <li key={k}>{t(`problemFigures.def.${k}` as MessageKey)}</li>)}
            </ul>
          </Card>
        </Space>
      )}
    </Card>
  );
}
