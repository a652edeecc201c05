import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { accountApi } from '../../api/accounts.ts';
import { authApi } from '../../api/endpoints.ts';
import { ApiError } from '../../api/client.ts';
import { useLoad } from '../../components/useLoad.ts';

interface Values {
  current: string;
  next: string;
  confirm: string;
}

/** Where to go afterwards: only a local path, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/**
 * 修改密码: forced at first sign-in and when the password expired (the server allows nothing else until then),
 * and reachable from the account menu at any time. The rules are the server's; its Chinese message says which failed.
 */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const { mustChange, setMustChange, setUser, logout } = useAuth();
  const { message } = AntApp.useApp();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = params.get('expired') === '1';
  // The hint states the policy in force (the security administrator may have raised the minimum length).
  const policy = useLoad(() => accountApi.passwordPolicy(), []);
  const hint = policy.data ? t('password.hint', { min: policy.data.min_length, classes: policy.data.min_classes }) : t('password.hintLoading');

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await accountApi.changePassword(v.current, v.next);
      setMustChange(false);
      setUser((await authApi.me()).user);
      void message.success(t('password.changed'));
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Typography.Title level={4} style={{ textAlign: 'center' }}>{t('password.title')}</Typography.Title>
        {mustChange && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={expired ? t('password.expired') : t('password.firstLogin')} data-testid="must-change" />
        )}
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
        <Form<Values> layout="vertical" requiredMark={false} onFinish={(v) => void onFinish(v)}>
          <Form.Item name="current" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="current-password" />
          </Form.Item>
          <Form.Item name="next" label={t('password.new')} extra={<span data-testid="password-hint">{hint}</span>} rules={[{ required: true, message: t('password.newRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" id="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm" label={t('password.confirm')} dependencies={['next']}
            rules={[{ required: true, message: t('password.confirmRequired') }, ({ getFieldValue }) => ({
              validator: (_r, value) => (!value || getFieldValue('next') === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            })]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" id="confirm-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('password.submit')}</Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button type="link" size="small" onClick={() => void logout().then(() => navigate('/login'))}>{t('user.logout')}</Button>
        </div>
      </Card>
    </div>
  );
}
