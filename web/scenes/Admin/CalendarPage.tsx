import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Select, Skeleton, Space, Table, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { calendarApi, type CalendarDay } from '../../api/calendar.ts';
import { ApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../../auth.tsx';
import { useServerToday } from '../../components/usePeriodInForce.ts';
import { ReportingSettingsCard } from './ReportingSettingsCard.tsx';

/** The weekday of a 'YYYY-MM-DD' date in the UI's language (周六, Sat); '' when it is not one. */
function weekdayOf(day: string, locale: string): string {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return Number.isNaN(t) ? '' : new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(t);
}

type Row = CalendarDay & { key: number };

/** 工作日历 (office): the year's holidays and 调休 working weekends, which deadlines in working days count with. */
export function CalendarPage() {
  // The year it opens at is the server's (China time), not the browser's.
  const today = useServerToday();
  return today ? <CalendarOfYear thisYear={Number(today.slice(0, 4))} /> : <Card><Skeleton active /></Card>;
}

function CalendarOfYear({ thisYear }: { thisYear: number }) {
  const { t, locale } = useI18n();
  const can = useCan();
  const { message } = AntApp.useApp();
  const [year, setYear] = useState(thisYear);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [years, setYears] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const editable = can('period.admin');

  useEffect(() => {
    let alive = true;
    setRows(null);
    calendarApi.get(year).then((r) => {
      if (!alive) return;
      setRows(r.days.map((d, i) => ({ ...d, key: i })));
      setYears(r.years);
    }, (e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [year, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const change = (key: number, patch: Partial<CalendarDay>) => setRows((rs) => rs && rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => setRows((rs) => [...(rs ?? []), { key: Math.max(-1, ...(rs ?? []).map((r) => r.key)) + 1, day: `${year}-`, kind: 'holiday', name: '' }]);
  const save = async () => {
    if (!rows) return;
    setBusy(true);
    setSaveError(null);
    try {
      const r = await calendarApi.put(year, rows.map(({ day, kind, name }) => ({ day: day.trim(), kind, name })));
      setRows(r.days.map((d, i) => ({ ...d, key: i })));
      setYears(r.years);
      void message.success(t('common.saved'));
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const yearChoices = [...new Set([...years, thisYear, thisYear + 1, year])].sort();
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.calendar')}</Typography.Title>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <ReportingSettingsCard editable={editable} />
      <Card title={t('calendar.daysTitle')}>
        <Typography.Paragraph type="secondary">{t('calendar.intro')}</Typography.Paragraph>
        <Space style={{ marginBottom: 12 }}>
          <span>{t('calendar.year')}</span>
          <Select value={year} onChange={setYear} style={{ width: 120 }} options={yearChoices.map((y) => ({ value: y, label: `${y}` }))} data-testid="calendar-year" />
        </Space>
        {rows && !years.includes(year) && <Alert type="warning" showIcon title={t('calendar.missing')} style={{ marginBottom: 12 }} />}
        {saveError && <Alert type="error" showIcon title={saveError} style={{ marginBottom: 12 }} role="alert" />}
        <Table<Row>
          size="small" rowKey="key" loading={!rows} dataSource={rows ?? []} pagination={false}
          columns={[
            { title: t('calendar.col.day'), dataIndex: 'day', width: 160, render: (v: string, r) => (editable
              ? <Input value={v} onChange={(e) => change(r.key, { day: e.target.value })} placeholder="YYYY-MM-DD" aria-label={t('calendar.col.day')} />
              : v) },
            { title: t('calendar.col.weekday'), dataIndex: 'day', width: 80, render: (v: string) => weekdayOf(v, locale) },
            { title: t('calendar.col.kind'), dataIndex: 'kind', width: 160, render: (v: CalendarDay['kind'], r) => (editable
              ? <Select value={v} onChange={(kind) => change(r.key, { kind })} style={{ width: 140 }}
                  options={[{ value: 'holiday', label: t('calendar.kind.holiday') }, { value: 'workday', label: t('calendar.kind.workday') }]} />
              : t(`calendar.kind.${v}`)) },
            { title: t('calendar.col.name'), dataIndex: 'name', render: (v: string, r) => (editable
              ? <Input value={v} onChange={(e) => change(r.key, { name: e.target.value })} aria-label={t('calendar.col.name')} />
              : v) },
            ...(editable ? [{ title: '', key: 'remove', width: 80, render: (_: unknown, r: Row) => (
              <Button type="link" danger onClick={() => setRows((rs) => rs && rs.filter((x) => x.key !== r.key))}>{t('calendar.remove')}</Button>) }] : []),
          ]}
        />
        {editable && (
          <Space style={{ marginTop: 12 }}>
            <Button onClick={add} disabled={!rows}>{t('calendar.add')}</Button>
            <Button type="primary" onClick={() => void save()} loading={busy} disabled={!rows}>{t('common.save')}</Button>
          </Space>
        )}
      </Card>
    </div>
  );
}
