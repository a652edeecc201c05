import { useState } from 'react';
import { DatePicker, Empty, Flex, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorApi } from '../../api/endpoints.ts';
import type { Project } from '../../api/types.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { DimensionDetails, ProjectLight } from '../Lights/LightsPage.tsx';
import { useCan } from '../../auth.tsx';
import { DataAsOf } from '../../components/DataAsOf.tsx';
import { useMonthInForce } from '../../components/usePeriodInForce.ts';
import { ExcusesPanel } from './ExcusesPanel.tsx';

/** This project's lights for a month, with the rule and figures behind each. */
export function LightsTab({ project }: { project: Project }) {
  const { t } = useI18n();
  const can = useCan();
  const inForce = useMonthInForce();
  const [picked, setPeriod] = useState<dayjs.Dayjs | undefined>(undefined);
  const period = picked ?? (inForce ? dayjs(`${inForce.year}-${String(inForce.month).padStart(2, '0')}-01`) : undefined);
  // The lights API filters like the project list: narrow to the project's unit and name, then pick it by id.
  const { data, error, loading, reload } = useLoad(async () => {
    if (!period) return new Promise<never>(() => undefined);
    const r = await indicatorApi.lights(period.year(), period.month() + 1, { unit: project.unit_id, q: project.name }, { light: 'red,yellow,green,none', page_size: 500 });
    return r.items.find((i) => i.project_id === project.id) ?? null;
  }, [project.id, project.unit_id, project.name, period?.year(), period?.month()]);
  return (
    <>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <DatePicker picker="month" allowClear={false} value={period} onChange={(d) => d && setPeriod(d.startOf('month'))} aria-label={t('dashboard.period')} />
        {data && <><Typography.Text>{t('lights.light')}：</Typography.Text><ProjectLight item={data} /></>}
        {period && <DataAsOf year={period.year()} month={period.month() + 1} label={`1–${period.month() + 1}月`} />}
      </Flex>
      {error ? <LoadError error={error} onRetry={reload} /> : loading ? <Spin /> : data ? <DimensionDetails dims={data.dimensions} /> : <Empty description={t('common.empty')} />}
      {period && <ExcusesPanel project={project} year={period.year()} month={period.month() + 1} canEdit={can('rules.write')} onChange={reload} />}
    </>
  );
}
