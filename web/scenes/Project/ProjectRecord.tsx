import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Descriptions, Flex, Grid, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectApi } from '../../api/endpoints.ts';
import type { Project, Unit } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { formatDateTime, formatWan } from '../../format.ts';
import { stageColor, stageKey } from '../../stages.ts';
import { useLoad } from '../../components/useLoad.ts';

const FUNDS = ['fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond'] as const;
const INVESTMENT_TYPES: Record<string, string> = { government: '政府投资', social: '社会投资' };

const str = (v: unknown): string | null => (typeof v === 'number' ? String(v) : typeof v === 'string' && v !== '' ? v : null);
const text = (v: unknown) => str(v) ?? '—';
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

type Item = { key: string; label: ReactNode; children: ReactNode; span?: number | 'filled' };

/** One titled group of the record; every group reads as a single column on a phone. */
function Section({ title, items, testId }: { title: string; items: Item[]; testId: string }) {
  // A phone reads each field as its label over its value: a label column would leave the value a third of 375 px.
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <Descriptions
      title={<Typography.Text strong>{title}</Typography.Text>} bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} items={items}
      layout={wide ? 'horizontal' : 'vertical'} data-testid={testId} style={{ marginBottom: 16 }}
      styles={wide ? { label: { width: 150, whiteSpace: 'nowrap' } } : { label: { paddingBottom: 2 } }}
    />
  );
}

/**
 * The whole 五定 record of a project (content, goals, responsible unit, responsible person, time), grouped as an office
 * reads a list template: identity and levels; unit, leader and builder; scope and the schedule planned against actual;
 * investment and fund sources; statistics entry (纳统); and the package with its sub-items.
 */
export function ProjectRecord({ project: p, units, regionName }: { project: Project; units: Unit[]; regionName: string }) {
  const { t } = useI18n();
  const unitName = (id: unknown) => (typeof id === 'number' ? units.find((u) => u.id === id)?.name ?? String(id) : '—');
  const parentId = num(p.parent_id);
  const parent = useLoad(() => (parentId ? projectApi.get(parentId) : Promise.resolve(null)), [parentId]);
  const isPackage = p.is_package === 1;
  const subItems = useLoad(() => (isPackage ? projectApi.list({ parent: p.id, page_size: 100, sort: 'id' }) : Promise.resolve(null)), [p.id, isPackage]);
  const rollup = p.rollup;
  const levels = ['national', 'province', 'city', 'county'].filter((l) => p.levels.includes(l));
  const flag = (key: 'is_attraction' | 'is_central_budget' | 'is_special_bond' | 'is_key_of_key') => (p[key] === 1);
  const flags = [
    flag('is_attraction') && t('change.field.is_attraction'), flag('is_central_budget') && t('change.field.is_central_budget'), flag('is_special_bond') && t('change.field.is_special_bond'),
  ].filter((x): x is string => typeof x === 'string');
  const dates = (event: 'start' | 'completion' | 'production') => (
    <span>{t('project.planned')} {text(p[`planned_${event}_date` as const])} · {t('project.actual')} <strong>{text(p[`actual_${event}_date` as const])}</strong></span>
  );

  const identity: Item[] = [
    { key: 'name', label: t('project.field.name'), children: p.name, span: 'filled' },
    { key: 'code', label: t('project.field.code'), children: text(p.code) },
    {
      key: 'tier', label: t('change.field.tier'), children: (
        <Space size={4} wrap>
          <Tag data-testid="record-tier">{t(`tier.${p.tier}` as MessageKey)}</Tag>
          {p.tier === 'reserve' && <Tag color={p.reserve_review === 'final' ? 'green' : 'default'}>{t(`review.${str(p.reserve_review) ?? 'none'}` as MessageKey)}</Tag>}
        </Space>
      ),
    },
    { key: 'stage', label: t('project.field.stage'), children: <Tag color={stageColor(p.stage)}>{stageKey(p.stage) ? t(stageKey(p.stage)!) : p.stage}</Tag> },
    {
      key: 'levels', label: t('project.field.levels'), children: levels.length || flag('is_key_of_key') ? (
        <Space size={4} wrap data-testid="record-levels">
          {levels.map((l) => <Tag key={l} color="blue">{t(`level.${l}` as MessageKey)}</Tag>)}
          {flag('is_key_of_key') && <Tag color="red">{t('project.field.keyOfKey')}</Tag>}
        </Space>
      ) : '—',
    },
    { key: 'list', label: `${t('change.field.list_year')} / ${t('change.field.batch')}`, children: `${text(p.list_year)} / ${text(p.batch)}` },
    { key: 'campaign', label: t('projects.filter.campaign_group'), children: text(p.campaign_group) },
    { key: 'nature', label: t('project.field.nature'), children: p.nature ? t(`nature.${p.nature}` as MessageKey) : '—' },
    { key: 'category', label: t('project.field.category'), children: text(p.category) },
    { key: 'industry', label: t('change.field.industry_code'), children: text(p.industry_code) },
    { key: 'investment_type', label: t('change.field.investment_type'), children: INVESTMENT_TYPES[String(p.investment_type)] ?? text(p.investment_type) },
    { key: 'flags', label: t('project.field.flags'), children: flags.length ? <Space size={4} wrap>{flags.map((f) => <Tag key={f}>{f}</Tag>)}</Space> : '—' },
  ];
  const people: Item[] = [
    { key: 'unit', label: t('project.field.unit'), children: unitName(p.unit_id) },
    { key: 'lead_unit', label: t('change.field.lead_unit_id'), children: p.lead_unit_id ? unitName(p.lead_unit_id) : '—' },
    { key: 'leader', label: t('project.field.leader'), children: <span data-testid="record-leader">{[str(p.leader_name), str(p.leader_post)].filter(Boolean).join('，') || '—'}</span> },
    { key: 'region', label: t('project.field.region'), children: regionName },
    { key: 'address', label: t('change.field.address'), children: text(p.address), span: 'filled' },
    { key: 'builder', label: t('change.field.builder_name'), children: <span data-testid="record-builder">{text(p.builder_name)}</span>, span: 'filled' },
    { key: 'uscc', label: t('change.field.builder_uscc'), children: <span style={{ fontFamily: 'monospace' }}>{text(p.builder_uscc)}</span> },
    { key: 'legal', label: t('change.field.builder_legal_person'), children: text(p.builder_legal_person) },
    { key: 'contact', label: t('change.field.builder_contact'), children: text(p.builder_contact) },
    { key: 'phone', label: t('change.field.builder_phone'), children: str(p.builder_phone) ? <a href={`tel:${String(p.builder_phone)}`}>{String(p.builder_phone)}</a> : '—' },
  ];
  const time: Item[] = [
    { key: 'scope', label: t('project.field.scope'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{text(p.scope_content)}</span>, span: 'filled' },
    { key: 'years', label: t('project.field.years'), children: str(p.start_year) ? `${text(p.start_year)}–${text(p.end_year)}` : '—' },
    { key: 'start', label: t('project.start'), children: <span data-testid="record-start">{dates('start')}</span> },
    { key: 'completion', label: t('project.completion'), children: dates('completion') },
    { key: 'production', label: t('project.production'), children: dates('production') },
  ];
  const funds: Item[] = [
    { key: 'total', label: t('project.field.totalInvestment'), children: <strong>{formatWan(p.total_investment)}</strong> },
    ...FUNDS.filter((f) => num(p[f])).map((f) => ({ key: f, label: t(`change.field.${f}` as MessageKey), children: formatWan(num(p[f])) })),
  ];
  if (funds.length === 1) funds.push({ key: 'funds', label: t('project.field.funds'), children: '—' });
  const entered = p.stats_entered === 1;
  const stats: Item[] = [
    { key: 'entered', label: t('change.field.stats_entered'), children: <Tag color={entered ? 'green' : 'default'} data-testid="record-stats">{entered ? t('project.field.statsEntered') : t('project.field.statsNotEntered')}</Tag> },
    ...(entered ? [
      { key: 'category', label: t('change.field.stats_category'), children: text(p.stats_category) },
      { key: 'code', label: t('change.field.stats_code'), children: text(p.stats_code) },
      { key: 'date', label: t('change.field.stats_entered_date'), children: text(p.stats_entered_date) },
    ] : [{ key: 'reason', label: t('change.field.stats_reason'), children: text(p.stats_reason) }]),
  ];
  const pkg: Item[] = [];
  if (parentId) {
    pkg.push({ key: 'parent', label: t('project.field.package'), children: <Link to={`/projects/${parentId}`} data-testid="record-parent">{parent.data?.name ?? `#${parentId}`}</Link>, span: 'filled' });
  }
  if (isPackage) {
    pkg.push({
      key: 'subs', label: t('project.field.subItems'), span: 'filled', children: (
        <Flex vertical gap={4} data-testid="record-sub-items">
          {rollup && <Typography.Text type="secondary">{t('project.field.subItemsCount', { count: rollup.sub_items, total: formatWan(rollup.total_investment) })}；{t('project.field.rollupPlan', { year: rollup.annual_plan.year, planned: formatWan(rollup.annual_plan.planned_investment) })}</Typography.Text>}
          {(subItems.data?.items ?? []).map((s) => <Link key={s.id} to={`/projects/${s.id}`}>{s.name}（{formatWan(s.total_investment)} 万元）</Link>)}
        </Flex>
      ),
    });
  }

  return (
    <div data-testid="project-basic">
      {p.tier === 'withdrawn' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('tierMove.withdrawnAlert', { reason: text(p.withdraw_reason) })} />}
      <Section title={t('project.section.identity')} items={identity} testId="record-identity" />
      <Section title={t('project.section.people')} items={people} testId="record-people" />
      <Section title={t('project.section.time')} items={time} testId="record-time" />
      <Section title={t('project.section.money')} items={funds} testId="record-money" />
      <Section title={t('project.section.stats')} items={stats} testId="record-stats-section" />
      {pkg.length > 0 && <Section title={t('project.section.package')} items={pkg} testId="record-package" />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('project.field.updatedAt')} {formatDateTime(p.updated_at)}（{t('project.field.version')} {p.version}）
      </Typography.Text>
    </div>
  );
}
