import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, InputNumber, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { securityApi, type SecuritySettings } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { PendingAccounts } from './PendingAccounts.tsx';
import { DeviceKeyCard } from './DeviceKeyCard.tsx';

const FIELDS: { key: keyof SecuritySettings; min: number; max: number }[] = [
  { key: 'password_min_length', min: 8, max: 64 },
  { key: 'password_min_classes', min: 2, max: 4 },
  { key: 'password_expiry_days', min: 0, max: 365 },
  { key: 'password_history', min: 0, max: 24 },
  { key: 'lockout_threshold', min: 1, max: 20 },
  { key: 'lockout_minutes', min: 1, max: 1440 },
  { key: 'session_idle_minutes', min: 5, max: 480 },
  { key: 'max_sessions', min: 1, max: 20 },
  { key: 'audit_retention_days', min: 180, max: 3650 },
];

/** 安全策略 (安全管理员): password, lockout, session and audit retention settings, stored as data. */
export function SecurityPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SecuritySettings>();
  const [labels, setLabels] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let alive = true;
    securityApi.get().then((r) => {
      if (!alive) return;
      setLabels(r.labels);
      form.setFieldsValue(r.settings);
    }, (e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [form, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const save = async (values: SecuritySettings) => {
    setBusy(true);
    setSaveError(null);
    try {
      const r = await securityApi.update(values);
      form.setFieldsValue(r.settings);
      void message.success(t('common.saved'));
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.security')}</Typography.Title>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <Card style={{ maxWidth: 640 }}>
        <Typography.Paragraph type="secondary">{t('admin.security.intro')}</Typography.Paragraph>
        {saveError && <Alert type="error" showIcon title={saveError} style={{ marginBottom: 12 }} role="alert" />}
        <Form<SecuritySettings> form={form} layout="horizontal" labelCol={{ span: 14 }} wrapperCol={{ span: 10 }} onFinish={(v) => void save(v)} disabled={!labels}>
          {FIELDS.map((f) => (
            <Form.Item key={f.key} name={f.key} label={labels?.[f.key] ?? f.key} rules={[{ required: true, message: t('admin.security.required') }]}>
              <InputNumber min={f.min} max={f.max} precision={0} style={{ width: 140 }} data-testid={`setting-${f.key}`} />
            </Form.Item>
          ))}
          <Form.Item wrapperCol={{ offset: 14 }}>
            <Button type="primary" htmlType="submit" loading={busy}>{t('common.save')}</Button>
          </Form.Item>
        </Form>
      </Card>
      <PendingAccounts />
      <DeviceKeyCard />
    </div>
  );
}
