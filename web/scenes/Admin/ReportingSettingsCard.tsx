import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, InputNumber, Select, Skeleton } from 'antd';
import { reportingSettingsApi, type ReportingSettings } from '../../api/endpoints.ts';
import { ApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * 月度填报设置 (office, period.admin): the day (and month) reports are due and how many working days before it the
 * units still owing are reminded (remind_working_days, 0–10, checked here as the server checks it). The lead counts
 * on the working-day calendar this card sits with.
 */
export function ReportingSettingsCard({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useLoad(() => reportingSettingsApi.get(), []);
  const [form] = Form.useForm<ReportingSettings>();
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Card title={t('repSettings.title')}><Skeleton active /></Card>;
  // Called by the form once every field passes its rule (a value out of range never reaches the server).
  const save = async (v: ReportingSettings) => {
    setBusy(true);
    setSaveError(null);
    try {
      const saved = await reportingSettingsApi.put({ deadline_day: v.deadline_day, deadline_month_offset: v.deadline_month_offset, remind_working_days: v.remind_working_days });
      form.setFieldsValue(saved);
      void message.success(t('repSettings.saved'));
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const range = (min: number, max: number, text: string) => ({
    validator: (_: unknown, v: number | null | undefined) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? Promise.resolve() : Promise.reject(new Error(text))),
  });
  return (
    <Card title={t('repSettings.title')} data-testid="reporting-settings" style={{ marginBottom: 16 }}>
      <Form form={form} layout="inline" disabled={!editable} onFinish={(v) => void save(v)} initialValues={{ ...data, remind_working_days: data.remind_working_days ?? 2 }}>
        <Form.Item name="deadline_day" label={t('repSettings.deadlineDay')} tooltip={t('repSettings.deadlineDayHint')} rules={[range(1, 31, t('repSettings.deadlineDayRange'))]}>
          <InputNumber min={1} max={31} precision={0} style={{ width: 90 }} data-testid="rep-deadline-day" />
        </Form.Item>
        <Form.Item name="deadline_month_offset" label={t('repSettings.monthOffset')}>
          <Select style={{ width: 100 }} options={[{ value: 0, label: t('repSettings.sameMonth') }, { value: 1, label: t('repSettings.nextMonth') }]} />
        </Form.Item>
        <Form.Item name="remind_working_days" label={t('repSettings.remind')} tooltip={t('repSettings.remindHint')} rules={[range(0, 10, t('repSettings.remindRange'))]}>
          <InputNumber style={{ width: 90 }} data-testid="rep-remind-days" />
        </Form.Item>
        {editable && <Button type="primary" htmlType="submit" loading={busy} data-testid="rep-settings-save">{t('repSettings.save')}</Button>}
      </Form>
      {saveError && <Alert type="error" showIcon title={saveError} style={{ marginTop: 12 }} role="alert" />}
    </Card>
  );
}
