import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { projectPartsApi } from '../../api/endpoints.ts';
import type { MonthlyReport, Project, ReportMatter } from '../../api/types.ts';
import { formatDateTime, formatWan, wanTextToYuan, yuanToWanText } from '../../format.ts';
import { REPORT_STATUS } from '../../reports.ts';
import { stageKey } from '../../stages.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useMonthInForce } from '../../components/usePeriodInForce.ts';
import { ReportProblemButton } from '../Supervision/AssignMatterButton.tsx';
import { amountRule } from '../../components/amount-rule.ts';

interface CorrectForm {
  amount_ytd: string;
  progress_text?: string;
  problems?: string;
  next_plan?: string;
  reason: string;
}

/** An approved report's correction (更正): the changed figures and a reason; the approved version is kept as a revision. */
function CorrectDialog({ report, onClose, onDone }: { report: MonthlyReport; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CorrectForm>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: CorrectForm) => {
    const ytd = wanTextToYuan(v.amount_ytd);
    const body = {
      version: report.version, reason: v.reason.trim(),
      ...(ytd !== undefined && ytd !== report.amount_ytd ? { amount_ytd: ytd } : {}),
      ...((v.progress_text ?? '') !== (report.progress_text ?? '') ? { progress_text: v.progress_text?.trim() || null } : {}),
      ...((v.problems ?? '') !== (report.problems ?? '') ? { problems: v.problems?.trim() || null } : {}),
      ...((v.next_plan ?? '') !== (report.next_plan ?? '') ? { next_plan: v.next_plan?.trim() || null } : {}),
    };
    setBusy(true);
    try {
      const saved = await projectPartsApi.correct(report.id, body);
      void message.success(t('correct.done', { revision: saved.revision }));
      onDone();
    } catch (e) {
      if (e instanceof ApiError) void message.error(e.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('correct.title', { month: report.month })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t('correct.action')}>
      <Typography.Paragraph type="secondary">{t('correct.intro')}</Typography.Paragraph>
      <Form<CorrectForm> form={form} layout="vertical" data-testid="correct-form" onFinish={(v) => void submit(v)} initialValues={{
        amount_ytd: yuanToWanText(report.amount_ytd), progress_text: report.progress_text ?? '', problems: report.problems ?? '', next_plan: report.next_plan ?? '',
      }}>
        <Form.Item name="amount_ytd" label={`${t('report.amountYtd')}`} rules={[{ required: true, whitespace: true, message: t('project.validation.investmentRequired') }, amountRule(t, { allowNegative: true })]}>
          <Input suffix="万元" data-testid="correct-ytd" />
        </Form.Item>
        <Form.Item name="progress_text" label={t('report.progress')}><Input.TextArea autoSize={{ minRows: 2 }} maxLength={4000} /></Form.Item>
        <Form.Item name="problems" label={t('grid.problems')}><Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} /></Form.Item>
        <Form.Item name="next_plan" label={t('grid.nextPlan')}><Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} /></Form.Item>
        <Form.Item name="reason" label={t('correct.reason')} rules={[{ required: true, whitespace: true, message: t('correct.reasonRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} data-testid="correct-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The revisions of a report: the current figures, then each kept version with who corrected it, when and why. */
function RevisionsDialog({ report, onClose }: { report: MonthlyReport; onClose: () => void }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => projectPartsApi.revisions(report.id), [report.id]);
  type Row = { key: string; label: string; r: Partial<MonthlyReport>; reason: string | null; by: string | null; at: string | null };
  const rows: Row[] = data ? [
    { key: 'current', label: t('revisions.current', { revision: data.current.revision }), r: data.current, reason: null, by: null, at: data.current.updated_at },
    ...[...data.revisions].reverse().map((v) => ({ key: String(v.revision), label: t('revisions.kept', { revision: v.revision }), r: v.snapshot, reason: v.reason, by: v.user_name, at: v.created_at })),
  ] : [];
  return (
    <Modal open title={t('revisions.title', { month: report.month })} onCancel={onClose} footer={null} width={860}>
      {error ? <LoadError error={error} onRetry={reload} /> : (
        <Table<Row>
          rowKey="key" size="small" pagination={false} loading={loading} dataSource={rows} scroll={{ x: 760 }} data-testid="revisions-table"
          locale={{ emptyText: t('revisions.empty') }}
          columns={[
            { title: t('report.revision'), dataIndex: 'label', width: 130 },
            { title: t('report.amountMonth'), key: 'm', align: 'right', render: (_v, x) => formatWan(x.r.amount_month ?? null) },
            { title: t('report.amountYtd'), key: 'y', align: 'right', render: (_v, x) => formatWan(x.r.amount_ytd ?? null) },
            { title: t('report.progress'), key: 'p', ellipsis: true, render: (_v, x) => x.r.progress_text ?? '—' },
            { title: t('revisions.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
            { title: t('revisions.by'), key: 'by', width: 150, render: (_v, x) => `${x.by ?? ''} ${formatDateTime(x.at)}` },
          ]}
        />
      )}
      {data && data.revisions.length === 0 && <Typography.Text type="secondary">{t('revisions.empty')}</Typography.Text>}
    </Modal>
  );
}

/** A project's monthly reports of one year, with their status and revision; approved ones can be corrected. */
export function ReportsTab({ project, canCorrect = false }: { project: Project; canCorrect?: boolean }) {
  const { t } = useI18n();
  // Opens at the year of the period in force (last year's in January, while its December is being reported).
  const inForce = useMonthInForce();
  const [picked, setYear] = useState<number | undefined>(undefined);
  const year = picked ?? inForce?.year;
  const [correcting, setCorrecting] = useState<MonthlyReport | null>(null);
  const [history, setHistory] = useState<MonthlyReport | null>(null);
  const { data, error, loading, reload } = useLoad(() => (year === undefined ? Promise.resolve(null) : projectPartsApi.reports(project.id, year)), [project.id, year]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('plan.year')}</Typography.Text>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} aria-label={t('plan.year')} />
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : (
        <Table<MonthlyReport & { matter: ReportMatter | null }>
          rowKey="id" size="small" pagination={false} loading={loading || year === undefined} dataSource={data?.items ?? []} scroll={{ x: 1100 }} data-testid="reports-table"
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
            {
              title: '', key: 'actions', width: 170, fixed: 'right', render: (_v, r) => (
                <Space size={4}>
                  {canCorrect && r.status === 'approved' && <Button size="small" onClick={() => setCorrecting(r)} data-testid={`correct-${r.month}`}>{t('correct.action')}</Button>}
                  {r.revision > 1 && <Button size="small" type="link" onClick={() => setHistory(r)} data-testid={`revisions-${r.month}`}>{t('revisions.action')}</Button>}
                </Space>
              ),
            },
          ]}
          expandable={{
            rowExpandable: (r) => !!r.return_reason || !!r.problems?.trim(),
            expandedRowRender: (r) => (
              <>
                {r.return_reason && <div><Typography.Text type="danger">{t('report.returnReason')}：{r.return_reason}</Typography.Text></div>}
                {r.problems?.trim() && (
                  <div data-testid={`report-problems-${r.month}`}>
                    <strong>{t('grid.problems')}：</strong>{r.problems}{' '}
                    {project.unit_id !== null && <ReportProblemButton report={r} project={{ id: project.id, name: project.name, unit_id: project.unit_id }} matter={r.matter} />}
                  </div>
                )}
              </>
            ),
          }}
        />
      )}
      {correcting && <CorrectDialog report={correcting} onClose={() => setCorrecting(null)} onDone={() => {
        setCorrecting(null);
        reload();
      }} />}
      {history && <RevisionsDialog report={history} onClose={() => setHistory(null)} />}
    </>
  );
}
