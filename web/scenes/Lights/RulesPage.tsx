import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Flex, Input, InputNumber, Select, Skeleton, Switch, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { indicatorApi, reportApi } from '../../api/endpoints.ts';
import type { LightRule } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { formatDateTime } from '../../format.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useServerToday } from '../../components/usePeriodInForce.ts';

type NumberField = { key: string; label: MessageKey; min: number; max: number; step: number; percent?: boolean };

/** The thresholds each rule kind carries, in the units the office thinks in. */
const FIELDS: Record<LightRule['kind'], NumberField[]> = {
  points_gap: [{ key: 'yellow_points', label: 'rules.f.yellowPoints', min: 0, max: 100, step: 1 }, { key: 'red_points', label: 'rules.f.redPoints', min: 0, max: 100, step: 1 }],
  ratio: [{ key: 'yellow_below', label: 'rules.f.yellowBelow', min: 0, max: 200, step: 5, percent: true }, { key: 'red_below', label: 'rules.f.redBelow', min: 0, max: 200, step: 5, percent: true }],
  shortfall: [{ key: 'yellow_above', label: 'rules.f.yellowAbove', min: 0, max: 100, step: 5, percent: true }, { key: 'red_above', label: 'rules.f.redAbove', min: 0, max: 100, step: 5, percent: true }],
  start_overdue: [{ key: 'yellow_months_late', label: 'rules.f.yellowMonthsLate', min: 0, max: 24, step: 1 }, { key: 'red_months_late', label: 'rules.f.redMonthsLate', min: 0, max: 24, step: 1 }],
  stats_entry: [{ key: 'yellow_months', label: 'rules.f.yellowMonths', min: 0, max: 24, step: 1 }, { key: 'red_months', label: 'rules.f.redMonths', min: 0, max: 24, step: 1 }],
  problem_overdue: [{ key: 'yellow_days', label: 'rules.f.yellowDays', min: 0, max: 365, step: 1 }, { key: 'red_days', label: 'rules.f.redDays', min: 0, max: 365, step: 1 }],
  consecutive: [{ key: 'periods', label: 'rules.f.periods', min: 2, max: 12, step: 1 }],
};

/** The office's light rules for a year: the set in force, its versions, and a new version from a chosen month. */
export function RulesPage() {
  // "This year" and "this month" are the server's (China time), as the server applies the same default.
  const today = useServerToday();
  return today ? <RulesOfYear today={today} /> : <Card><Skeleton active /></Card>;
}

function RulesOfYear({ today }: { today: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || Number(today.slice(0, 4));
  const data = useLoad(() => indicatorApi.rules(year), [year]);
  const [rules, setRules] = useState<LightRule[]>([]);
  // The month the new version rules from, shown as it will be stored: this month (or the first one after it not
  // closed); a closed month can be chosen only with an explicit confirmation that its lights are judged again.
  const periods = useLoad(() => reportApi.periods(year), [year]);
  const closed = useMemo(() => (periods.data?.items ?? []).filter((p) => p.status === 'closed').map((p) => p.month), [periods.data]);
  const thisYear = Number(today.slice(0, 4));
  const defaultMonth = useMemo(() => {
    const from = year === thisYear ? Number(today.slice(5, 7)) : 1;
    return year < thisYear ? null : (Array.from({ length: 13 - from }, (_x, i) => from + i).find((m) => !closed.includes(m)) ?? null);
  }, [year, thisYear, today, closed]);
  const [picked, setEffective] = useState<number | null>(null);
  const effective = picked ?? defaultMonth;
  const rejudged = effective === null ? [] : closed.filter((m) => m >= effective);
  const [rejudgeConfirmed, setRejudgeConfirmed] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!data.data) return;
    const latest = data.data.versions.at(-1);
    setRules(structuredClone(latest ? latest.rules : data.data.default.rules));
  }, [data.data]);

  const patch = (i: number, p: Partial<LightRule>) => setRules((rs) => rs.map((r, j) => (j === i ? ({ ...r, ...p } as LightRule) : r)));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await indicatorApi.saveRules(year, { rules, effective_month: effective ?? undefined, note: note.trim() || undefined, ...(rejudged.length ? { rejudge_closed: rejudgeConfirmed } : {}) });
      void message.success(t('project.saved'));
      setNote('');
      data.reload();
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setSaving(false);
    }
  };

  if (data.error) return <LoadError error={data.error} onRetry={data.reload} />;
  return (
    <div>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0, marginRight: 'auto' }}>{t('rules.title')}</Typography.Title>
        <InputNumber min={2000} max={2100} value={year} suffix="年" aria-label={t('plan.year')} onChange={(v) => v && setParams({ year: String(v) })} />
        <Link to={`/lights?year=${year}`}>{t('common.back')}</Link>
      </Flex>
      <Typography.Paragraph type="secondary">{t('rules.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<LightRule>
        rowKey="id" size="small" pagination={false} loading={data.loading} dataSource={rules} scroll={{ x: 760 }} data-testid="rules-table"
        columns={[
          { title: t('rules.enabled'), key: 'enabled', width: 80, render: (_v, r, i) => <Switch checked={r.enabled} onChange={(v) => patch(i, { enabled: v })} aria-label={`${t(`rules.kind.${r.kind}` as MessageKey)} ${t('rules.enabled')}`} /> },
          { title: t('rules.rule'), key: 'kind', width: 220, render: (_v, r) => <strong>{t(`rules.kind.${r.kind}` as MessageKey)}</strong> },
          {
            title: t('rules.thresholds'), key: 'thresholds',
            render: (_v, r, i) => (
              <Flex wrap gap={12}>
                {r.kind === 'consecutive' && (
                  <Select
                    size="small" style={{ width: 130 }} value={r.dimension} aria-label={t('lights.dimension')}
                    options={(['investment', 'start', 'stats', 'problems'] as const).map((d) => ({ value: d, label: t(`dimension.${d}`) }))}
                    onChange={(v) => patch(i, { dimension: v })}
                  />
                )}
                {FIELDS[r.kind].map((f) => {
                  const raw = (r as unknown as Record<string, number>)[f.key] ?? 0;
                  return (
                    <label key={f.key} style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
                      {t(f.label)}
                      <InputNumber
                        size="small" min={f.min} max={f.max} step={f.step} style={{ width: 96 }} suffix={f.percent ? '%' : undefined}
                        value={f.percent ? Math.round(raw * 10_000) / 100 : raw}
                        onChange={(v) => v !== null && patch(i, { [f.key]: f.percent ? Math.round(v * 100) / 10_000 : v })}
                      />
                    </label>
                  );
                })}
              </Flex>
            ),
          },
        ]}
      />
      <Card size="small" style={{ marginTop: 12 }}>
        <Flex wrap gap={8} align="center">
          <span>{t('rules.effective')}</span>
          <Select
            style={{ width: 180 }} placeholder={t('rules.effectivePick')} value={effective ?? undefined} data-testid="rules-effective"
            onChange={(v: number) => { setEffective(v); setRejudgeConfirmed(false); }}
            options={Array.from({ length: 12 }, (_x, i) => ({ value: i + 1, label: closed.includes(i + 1) ? t('rules.fromMonthClosed', { month: i + 1 }) : t('rules.fromMonth', { month: i + 1 }) }))}
            aria-label={t('rules.effective')}
          />
          <Input style={{ flex: '1 1 240px' }} placeholder={t('rules.note')} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} aria-label={t('rules.note')} />
          <Button type="primary" loading={saving} disabled={effective === null || (rejudged.length > 0 && !rejudgeConfirmed)} onClick={() => void save()} data-testid="save-rules">{t('rules.save')}</Button>
        </Flex>
        {rejudged.length > 0 && (
          <Alert
            type="warning" showIcon style={{ marginTop: 12 }} data-testid="rules-rejudge"
            title={t('rules.rejudgeWarning', { months: rejudged.map((m) => `${m}月`).join('、') })}
            description={<Checkbox checked={rejudgeConfirmed} onChange={(e) => setRejudgeConfirmed(e.target.checked)}>{t('rules.rejudgeConfirm')}</Checkbox>}
          />
        )}
      </Card>
      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('rules.versions')}</Typography.Title>
      <Table
        rowKey="version" size="small" pagination={false} dataSource={data.data?.versions ?? []} locale={{ emptyText: t('rules.noVersions') }}
        columns={[
          { title: t('rules.version'), dataIndex: 'version', width: 80 },
          { title: t('rules.effective'), dataIndex: 'effective_month', width: 110, render: (m: number) => t('rules.fromMonth', { month: m }) },
          { title: t('rules.note'), dataIndex: 'note', render: (n: string | null) => n ?? '—' },
          { title: t('project.field.updatedAt'), dataIndex: 'created_at', width: 160, render: formatDateTime },
          {
            title: t('rules.inForce'), key: 'months',
            render: (_v, v: { version: number }) => (data.data?.in_force ?? []).filter((m) => m.version === v.version).map((m) => <Tag key={m.month}>{m.month}月</Tag>),
          },
        ]}
      />
    </div>
  );
}
