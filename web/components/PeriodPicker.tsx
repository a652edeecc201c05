import { useEffect } from 'react';
import { InputNumber, Select } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';
import { reportApi } from '../api/endpoints.ts';
import { defaultPeriod } from '../reports.ts';
import { useLoad } from './useLoad.ts';
import { browserToday, usePeriodInForce } from './usePeriodInForce.ts';

/**
 * Year and reporting period pickers. With none chosen: the period being reported, else the period in force (both
 * the server's choice), else the latest open period of the year.
 */
export function PeriodPicker({ year, month, onChange }: { year: number; month: number | undefined; onChange: (year: number, month: number | undefined) => void }) {
  const { t } = useI18n();
  const current = usePeriodInForce();
  const periods = useLoad(() => reportApi.periods(year), [year]);
  useEffect(() => {
    const items = periods.data?.items;
    if (!items || !items.length || (month !== undefined && items.some((p) => p.month === month))) return;
    const preferred = [current?.reporting, current?.in_force].find((p) => p && p.year === year && items.some((i) => i.month === p.month));
    onChange(year, preferred ? preferred.month : defaultPeriod(items, current?.today ?? browserToday()));
  }, [periods.data, month, year, onChange, current]);
  return (
    <>
      <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && onChange(v, undefined)} aria-label={t('plan.year')} suffix="年" style={{ width: 110 }} />
      <Select
        style={{ width: 150 }} value={month} aria-label={t('grid.period')} placeholder={t('grid.period')} loading={periods.loading}
        options={(periods.data?.items ?? []).map((p) => ({ value: p.month, label: `${p.label}（${t(`period.${p.status}`)}）` }))}
        onChange={(v: number) => onChange(year, v)} notFoundContent={t('grid.noCalendar', { year })}
      />
    </>
  );
}
