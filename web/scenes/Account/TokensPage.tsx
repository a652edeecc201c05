import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, List, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { tokensApi, type ApiToken } from '../../api/tokens.ts';
import { ApiError } from '../../api/client.ts';
import type { Permission } from '../../api/types.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { formatDateTime } from '../../format.ts';
import { PERMISSION_LABELS } from '../../../server/plugins/permissions.ts';

interface IssueForm {
  name: string;
  permissions: Permission[];
  expires_in_days: number;
}

/** Permissions a token can never carry usefully: what every session has anyway. */
const NOT_FOR_TOKENS: readonly string[] = ['public', 'session.self'];

/**
 * 我的 API 令牌: every account creates tokens for itself (a name, some of its own permissions, a lifetime), sees
 * them and revokes them. The secret is shown once. The server keeps only its hash and audits each use.
 */
export function TokensPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<IssueForm>();
  const [items, setItems] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [issueError, setIssueError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  useEffect(() => {
    let alive = true;
    tokensApi.list().then((r) => alive && setItems(r.items), (e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const own = (user?.permissions ?? []).filter((p) => !NOT_FOR_TOKENS.includes(p));
  const label = (p: Permission) => (locale === 'zh-CN' && PERMISSION_LABELS[p] ? `${PERMISSION_LABELS[p]}（${p}）` : p);

  const issue = async (values: IssueForm) => {
    setBusy(true);
    setIssueError(null);
    try {
      const r = await tokensApi.issue(values);
      setSecret({ name: r.name, token: r.token });
      form.resetFields();
      reload();
    } catch (e) {
      setIssueError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (tk: ApiToken) => {
    await tokensApi.revoke(tk.id);
    void message.success(t('tokens.revoked', { name: tk.name }));
    reload();
  };
  const status = (tk: ApiToken) => {
    if (tk.revoked_at) return <Tag>{t('tokens.status.revoked')}</Tag>;
    // Expiry by the server: a token the server no longer accepts is listed until revoked, marked by its date.
    return <Tag color="green">{t('tokens.status.active')}</Tag>;
  };

  return (
    <div style={{ maxWidth: 760 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.tokens')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Card title={t('tokens.new')} size="small" style={{ marginBottom: 16 }}>
        {issueError && <Alert type="error" showIcon title={issueError} style={{ marginBottom: 12 }} role="alert" />}
        <Form<IssueForm> form={form} layout="vertical" initialValues={{ expires_in_days: 90, permissions: [] }} onFinish={(v) => void issue(v)}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}>
            <Input maxLength={100} placeholder={t('tokens.namePlaceholder')} data-testid="token-name" />
          </Form.Item>
          <Form.Item name="permissions" label={t('tokens.permissions')} rules={[{ required: true, type: 'array', min: 1, message: t('tokens.permissionsRequired') }]}
            extra={t('tokens.permissionsHint')}>
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="token-permissions">
              {own.map((p) => <Checkbox key={p} value={p} data-testid={`perm-${p}`}>{label(p)}</Checkbox>)}
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="expires_in_days" label={t('tokens.expiresIn')}>
            <Select style={{ width: 160 }} data-testid="token-expiry"
              options={[30, 90, 180, 365].map((d) => ({ value: d, label: t('tokens.days', { n: d }) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="token-create">{t('tokens.create')}</Button>
        </Form>
      </Card>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <Card title={t('tokens.mine')} size="small">
        <List<ApiToken> dataSource={items ?? []} loading={items === null && error === null} locale={{ emptyText: t('tokens.none') }} data-testid="token-list"
          renderItem={(tk) => (
            <List.Item data-testid={`token-${tk.name}`}
              actions={tk.revoked_at ? [] : [
                <Popconfirm key="revoke" title={t('tokens.revokeConfirm', { name: tk.name })} onConfirm={() => void revoke(tk)}>
                  <Button size="small" danger data-testid={`revoke-${tk.name}`}>{t('tokens.revoke')}</Button>
                </Popconfirm>,
              ]}>
              <List.Item.Meta
                title={<Space wrap>{tk.name}{status(tk)}</Space>}
                description={(
                  <div>
                    <div>{tk.permissions.map((p) => <Tag key={p} style={{ marginBottom: 4 }}>{p}</Tag>)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('tokens.expires', { at: formatDateTime(tk.expires_at) })} · {tk.last_used_at ? t('tokens.lastUsed', { at: formatDateTime(tk.last_used_at) }) : t('tokens.neverUsed')}
                      {tk.revoked_at && ` · ${t('tokens.revokedAt', { at: formatDateTime(tk.revoked_at) })}`}
                    </Typography.Text>
                  </div>
                )}
              />
            </List.Item>
          )} />
      </Card>
      <Modal open={secret !== null} title={t('tokens.secretTitle', { name: secret?.name ?? '' })} onOk={() => setSecret(null)} onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }} okText={t('tokens.secretDone')}>
        <Typography.Paragraph>{t('tokens.secretHint')}</Typography.Paragraph>
        <Typography.Paragraph code copyable style={{ wordBreak: 'break-all' }} data-testid="token-secret">{secret?.token}</Typography.Paragraph>
      </Modal>
    </div>
  );
}
