import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { describeAction, describeEntity, describeStatus } from '../../../core/audit-labels.ts';
import { ROLE_OPTIONS, roleKey } from '../Admin/roles.ts';
import type { Role } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { auditApi, type AuditQuery, type AuditRow, type AuditVerify } from '../../api/accounts.ts';
import { formatDateTime } from '../../format.ts';
import { LoadError } from '../../components/LoadError.tsx';

interface Filters {
  username?: string;
  action?: string;
  outcome?: 'success' | 'failure';
  entity_type?: string;
  entity_id?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const pretty = (v: unknown) => (v === null || v === undefined ? '—' : <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 320, overflow: 'auto' }}>{JSON.stringify(v, null, 2)}</pre>);

/** 审计日志 (安全审计员): search the append-only trail and check its hash chain. */
export function AuditPage() {
  const { t } = useI18n();
  const [query, setQuery] = useState<AuditQuery>({ page: 1, page_size: 50 });
  const [data, setData] = useState<{ items: AuditRow[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [detail, setDetail] = useState<AuditRow | null>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    auditApi.search(query).then((r) => {
      if (!alive) return;
      setData(r);
      setError(null);
      setLoading(false);
    }, (e: unknown) => {
      if (!alive) return;
      setError(e);
      setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [query, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const onSearch = (f: Filters) => {
    const [from, to] = f.range ?? [null, null];
    setQuery({
      page: 1, page_size: query.page_size, username: f.username || undefined, action: f.action || undefined, outcome: f.outcome,
      entity_type: f.entity_type || undefined, entity_id: f.entity_id || undefined,
      from: from ? from.startOf('day').toISOString() : undefined, to: to ? to.add(1, 'day').startOf('day').toISOString() : undefined,
    });
  };

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await auditApi.verify());
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditRow> = [
    { title: '#', dataIndex: 'seq', key: 'seq', width: 80 },
    { title: t('audit.col.at'), dataIndex: 'at', key: 'at', width: 160, render: formatDateTime },
    { title: t('audit.col.user'), dataIndex: 'username', key: 'username', width: 120, render: (u: string | null) => u ?? '—' },
    // Words, not codes (core/audit-labels.ts); the code stays in the detail dialog and in the action filter.
    { title: t('audit.col.action'), dataIndex: 'action', key: 'action', width: 200, render: (_a: string, r) => <span title={r.action === 'request' ? `${r.method ?? ''} ${r.route ?? ''}` : r.action}>{describeAction(r)}</span> },
    {
      title: t('audit.col.outcome'), dataIndex: 'outcome', key: 'outcome', width: 140,
      render: (o: string, r) => <Tag color={o === 'success' ? 'green' : 'red'}>{t(o === 'success' ? 'audit.success' : 'audit.failure')}{o !== 'success' && describeStatus(r.status) ? ` ${describeStatus(r.status)}` : ''}{r.status && o !== 'success' ? `（${r.status}）` : ''}</Tag>,
    },
    { title: t('audit.col.entity'), key: 'entity', width: 200, render: (_v, r) => describeEntity(r) ?? '—' },
    { title: t('audit.col.ip'), dataIndex: 'ip', key: 'ip', width: 130, render: (ip: string | null) => ip ?? '—' },
    { title: '', key: 'detail', width: 80, render: (_v, r) => <Button type="link" size="small" onClick={() => setDetail(r)}>{t('audit.detail')}</Button> },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.audit')}</Typography.Title>
      <Form<Filters> layout="inline" onFinish={onSearch} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="username"><Input placeholder={t('audit.filter.user')} allowClear style={{ width: 140 }} /></Form.Item>
        <Form.Item name="action"><Input placeholder={t('audit.filter.action')} allowClear style={{ width: 180 }} /></Form.Item>
        <Form.Item name="outcome">
          <Select placeholder={t('audit.filter.outcome')} allowClear style={{ width: 110 }} options={[{ value: 'success', label: t('audit.success') }, { value: 'failure', label: t('audit.failure') }]} />
        </Form.Item>
        <Form.Item name="entity_type"><Input placeholder={t('audit.filter.entityType')} allowClear style={{ width: 120 }} /></Form.Item>
        <Form.Item name="entity_id"><Input placeholder={t('audit.filter.entityId')} allowClear style={{ width: 100 }} /></Form.Item>
        <Form.Item name="range"><DatePicker.RangePicker /></Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="audit-search">{t('common.search')}</Button>
          <Button onClick={() => void runVerify()} loading={verifying} data-testid="audit-verify">{t('audit.verify')}</Button>
        </Space>
      </Form>
      {verify && (
        <Alert
          showIcon style={{ marginBottom: 12 }} type={verify.ok ? 'success' : 'error'} data-testid="audit-verify-result"
          title={verify.ok ? t('audit.verifyOk', { rows: verify.rows + verify.archivedRows, seq: verify.headSeq }) : t('audit.verifyBroken', { count: verify.problems.length })}
          description={verify.ok ? <Typography.Text code>{verify.headHash}</Typography.Text> : <ul style={{ margin: 0 }}>{verify.problems.slice(0, 20).map((p) => <li key={`${p.kind}-${p.seq}`}>{p.message}</li>)}</ul>}
        />
      )}
      {error !== null && <LoadError error={error} onRetry={reload} />}
      <Table<AuditRow>
        rowKey="seq" size="small" columns={columns} dataSource={data?.items ?? []} loading={loading} scroll={{ x: 1000 }} data-testid="audit-table"
        pagination={{
          current: query.page, pageSize: query.page_size, total: data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('projects.pageTotal', { count: n }), onChange: (page, page_size) => setQuery((q) => ({ ...q, page, page_size })),
        }}
      />
      <Modal open={detail !== null} title={detail ? `#${detail.seq} ${describeAction(detail)}${describeEntity(detail) ? ` · ${describeEntity(detail)}` : ''}` : ''} footer={null} onCancel={() => setDetail(null)} width={760}>
        {detail && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('audit.col.at')}>{formatDateTime(detail.at)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.col.user')}>{detail.username ?? '—'} {detail.role && (ROLE_OPTIONS as readonly string[]).includes(detail.role) ? `（${t(roleKey(detail.role as Role))}）` : (detail.role ?? '')}</Descriptions.Item>
            <Descriptions.Item label={t('audit.col.ip')}>{detail.ip ?? '—'} {detail.user_agent ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('audit.col.route')}>{detail.method ? `${detail.method} ${detail.route ?? ''} → ${detail.status ?? ''}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('audit.before')}>{pretty(detail.before)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.after')}>{pretty(detail.after)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.details')}>{pretty(detail.details)}</Descriptions.Item>
            <Descriptions.Item label="hash"><Typography.Text code style={{ wordBreak: 'break-all' }}>{detail.hash}</Typography.Text></Descriptions.Item>
          </Descriptions>
        )}
      </Modal>
    </div>
  );
}
