import { useState } from 'react';
import { InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectPartsApi } from '../../api/endpoints.ts';
import type { MonthlyReport, Project } from '../../api/types.ts';
import { formatDateTime, formatWan } from '../../format.ts';
import { REPORT_STATUS } from '../../reports.ts';
import { stageKey } from '../../stages.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';

/** A project's monthly reports of one year, with their status and revision. */
export function ReportsTab({ project }: { project: Project }) {
  const { t } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const { data, error, loading, reload } = useLoad(() => projectPartsApi.reports(project.id, year), [project.id, year]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('plan.year')}</Typography.Text>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} aria-label={t('plan.year')} />
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : (
        <Table<MonthlyReport>
          rowKey="id" size="small" pagination={false} loading={loading} dataSource={data?.items ?? []} scroll={{ x: 960 }}
          columns={[
            { title: t('report.month'), dataIndex: 'month', width: 70, render: (m: number) => `${m}月` },
            { title: t('report.amountMonth'), dataIndex: 'amount_month', align: 'right', render: (v: number) => formatWan(v) },
            { title: t('report.amountYtd'), dataIndex: 'amount_ytd', align: 'right', render: (v: number) => formatWan(v) },
            { title: t('report.amountSinceStart'), dataIndex: 'amount_since_start', align: 'right', render: (v: number) => formatWan(v) },
            { title: t('project.field.stage'), dataIndex: 'stage', render: (s: string | null) => (s && stageKey(s) ? t(stageKey(s)!) : '—') },
            { title: t('report.progress'), dataIndex: 'progress_text', ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: t('report.status'), dataIndex: 'status', width: 100, render: (s: MonthlyReport['status']) => <Tag color={REPORT_STATUS[s].color}>{t(REPORT_STATUS[s].key)}</Tag> },
            { title: t('report.revision'), dataIndex: 'revision', width: 70 },
            { title: t('project.field.updatedAt'), dataIndex: 'updated_at', width: 150, render: formatDateTime },
          ]}
          expandable={{
            rowExpandable: (r) => !!r.return_reason,
            expandedRowRender: (r) => <Typography.Text type="danger">{t('report.returnReason')}：{r.return_reason}</Typography.Text>,
          }}
        />
      )}
    </>
  );
}
