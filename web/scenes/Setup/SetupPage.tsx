import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError, api } from '../../api/client.ts';
import { systemApi, type SystemProfile } from '../../api/system.ts';

/** 首次运行 (system administrator): the office says once who it is — its name and its jurisdiction's code. */
export function SetupPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ office_name: string; region_code: string }>();
  const [profile, setProfile] = useState<SystemProfile | null>(null);
  const [regionName, setRegionName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void systemApi.profile().then((p) => {
      setProfile(p);
      if (p.configured) form.setFieldsValue({ office_name: p.office_name ?? '', region_code: p.region_code ?? '' });
    });
  }, [form]);

  // Shows the name of the code as it is typed (浙江省 › 杭州市 › 西湖区).
  const lookup = (code: string) => {
    setRegionName(null);
    if (!/^\d{6}$/.test(code)) return;
    void api.get<{ name: string; ancestors: { name: string }[] }>(`/regions/${code}`, undefined, { quiet: true })
      .then((r) => setRegionName(r.ancestors.map((a) => a.name).join(' › ')), () => setRegionName(t('setup.regionUnknown')));
  };

  const save = async (values: { office_name: string; region_code: string }) => {
    setBusy(true);
    setError(null);
    try {
      setProfile(await systemApi.configure(values));
      void message.success(t('setup.saved'));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="setup-page" style={{ maxWidth: 640 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('setup.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
      {profile?.configured && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="setup-done"
          message={t('setup.configured', { office: profile.office_name ?? '', region: `${profile.region_name ?? ''}（${profile.region_code ?? ''}）` })} />
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="setup-error" />}
      <Card size="small">
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} requiredMark>
          <Form.Item name="office_name" label={t('setup.officeName')} rules={[{ required: true, message: t('setup.officeNameRequired') }]}>
            <Input placeholder="西湖区发展和改革局" maxLength={100} data-testid="setup-office" />
          </Form.Item>
          <Form.Item name="region_code" label={t('setup.regionCode')} extra={regionName ?? t('setup.regionHint')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('setup.regionCodeInvalid') }]}>
            <Input placeholder="330106" maxLength={6} onChange={(e) => lookup(e.target.value.trim())} data-testid="setup-region" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="setup-save">{t('setup.save')}</Button>
        </Form>
      </Card>
    </div>
  );
}
