import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Popconfirm, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { securityApi } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';

/**
 * 已记住的登录设备 (安全保密管理员): voids every known-device cookie at once by replacing its signing key (issue 14).
 * A remembered device signs in ahead of a flood of sign-ins; after a suspected theft of a browser's cookies, or
 * when the key may have leaked, the security administrator makes every device new again. Audited on the server.
 */
export function DeviceKeyCard() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      await securityApi.rotateDeviceKey();
      void message.success(t('admin.deviceKey.done'));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('admin.deviceKey.title')} style={{ maxWidth: 640, marginTop: 16 }} data-testid="device-key">
      <Typography.Paragraph type="secondary">{t('admin.deviceKey.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Popconfirm
        title={t('admin.deviceKey.confirmTitle')}
        description={<div style={{ maxWidth: 360 }}>{t('admin.deviceKey.confirm')}</div>}
        okText={t('admin.deviceKey.ok')}
        okButtonProps={{ danger: true }}
        onConfirm={() => void rotate()}
      >
        <Button danger loading={busy} data-testid="device-key-rotate">{t('admin.deviceKey.rotate')}</Button>
      </Popconfirm>
    </Card>
  );
}
