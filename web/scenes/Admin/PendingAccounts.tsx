import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Popconfirm, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { securityApi, type PendingAccount } from '../../api/accounts.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { roleKey } from './roles.ts';
import { formatDateTime } from '../../format.ts';

const REASON_KEYS = {
  created: 'admin.approval.reason.created', password_reset: 'admin.approval.reason.password_reset',
  role_change: 'admin.approval.reason.role_change', reactivated: 'admin.approval.reason.reactivated',
} as const;

/**
 * 待核准账号 (安全保密管理员): business accounts the system administrator created, reset, gave a business role or
 * re-enabled, which cannot sign in until approved here (三员 separation of duties).
 */
export function PendingAccounts() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<PendingAccount[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let alive = true;
    securityApi.pendingAccounts().then((r) => alive && setItems(r.items), (e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const approve = async (a: PendingAccount) => {
    await securityApi.approve(a.id);
    void message.success(t('admin.approval.approved', { username: a.username }));
    reload();
  };

  const columns: TableColumnsType<PendingAccount> = [
    { title: t('admin.users.username'), dataIndex: 'username', key: 'username', render: (_: string, a) => <span>{a.username}<br /><Typography.Text type="secondary">{a.display_name}</Typography.Text></span> },
    { title: t('admin.users.role'), dataIndex: 'role', key: 'role', render: (_: string, a) => <span><Tag>{t(roleKey(a.role))}</Tag>{a.unit_name && <Typography.Text type="secondary"> {a.unit_name}</Typography.Text>}</span> },
    { title: t('admin.approval.reason'), dataIndex: 'approval_reason', key: 'reason', render: (_: string, a) => <span><Tag color="purple">{t(REASON_KEYS[a.approval_reason])}</Tag><br /><Typography.Text type="secondary">{a.approval_requested_by} · {formatDateTime(a.approval_pending_since)}</Typography.Text></span> },
    {
      title: '', key: 'actions', width: 90, render: (_: unknown, a) => (
        <Popconfirm title={t('admin.approval.approveConfirm', { username: a.username })} onConfirm={() => void approve(a)}>
          <Button size="small" type="primary" data-testid={`approve-${a.username}`}>{t('admin.approval.approve')}</Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card title={t('admin.approval.title')} style={{ maxWidth: 640, marginTop: 16 }} data-testid="pending-accounts">
      <Typography.Paragraph type="secondary">{t('admin.approval.intro')}</Typography.Paragraph>
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <Table<PendingAccount> rowKey="id" size="small" columns={columns} dataSource={items ?? []} loading={items === null && error === null}
        pagination={false} locale={{ emptyText: t('admin.approval.none') }} scroll={{ x: 480 }} />
    </Card>
  );
}
