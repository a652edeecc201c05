import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { accountApi } from '../../api/accounts.ts';
import { ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';

/** Where to go after signing in: only a local path, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in with username and password. */
export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const { user, setUser, setMustChange } = useAuth();
  const { message } = AntApp.useApp();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (user) return <Navigate to={next} replace />;

  const onFinish = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await accountApi.login(values.username, values.password);
      if (r.last_login) void message.info(t('login.lastLogin', { at: formatDateTime(r.last_login.at), ip: r.last_login.ip ?? '—' }), 6);
      if (r.password_reset) void message.warning(t('login.passwordReset', { at: formatDateTime(r.password_reset.at), by: r.password_reset.by ?? '—' }), 12);
      if (r.must_change_password) {
        // Until the password is changed the server allows nothing else: go straight to the change form.
        setMustChange(true);
        void navigate(`/change-password?next=${encodeURIComponent(next)}${r.password_expired ? '&expired=1' : ''}`, { replace: true });
        return;
      }
      setUser(r.user);
      void navigate(next, { replace: true });
    } catch (e) {
      // The server answers a locked account as it answers a wrong password (its lock must not tell that it exists).
      setError(e instanceof ApiError ? e.message : t('common.networkError'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={4} style={{ textAlign: 'center' }}>{t('app.title')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>{t('login.title')}</Typography.Paragraph>
        {error && (
          <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" data-testid="login-error" />
        )}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void onFinish(v)} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button type="link" size="small" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('lang.switch')}</Button>
        </div>
      </Card>
    </div>
  );
}
