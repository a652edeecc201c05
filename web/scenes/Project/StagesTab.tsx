import { useMemo, useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { checkStageMove, type Stage } from '../../../core/stages.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectPartsApi } from '../../api/endpoints.ts';
import type { Procedure, Project } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';
import { STAGES, stageColor, stageKey } from '../../stages.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { browserToday, useServerToday } from '../../components/usePeriodInForce.ts';

const STATUS_COLORS: Record<Procedure['status'], string> = { pending: 'default', in_progress: 'processing', done: 'success', not_required: 'default' };
const PROCEDURE_STATUSES: Procedure['status'][] = ['pending', 'in_progress', 'done', 'not_required'];

interface StageForm {
  to: Stage;
  event_date: Dayjs;
  reason?: string;
}

interface ProcedureForm {
  status: Procedure['status'];
  doc_number?: string;
  approved_date?: Dayjs | null;
  note?: string;
}

/** Stage history with the stage change, and the pre-construction procedures (前期手续). */
export function StagesTab({ project, canEdit, onChanged }: { project: Project; canEdit: boolean; onChanged: (p: Project) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const history = useLoad(() => projectPartsApi.stageHistory(project.id), [project.id, project.version]);
  const procedures = useLoad(() => projectPartsApi.procedures(project.id), [project.id]);
  const [stageOpen, setStageOpen] = useState(false);
  const [procedure, setProcedure] = useState<Procedure | null>(null);
  const [busy, setBusy] = useState(false);
  const [stageForm] = Form.useForm<StageForm>();
  const [procForm] = Form.useForm<ProcedureForm>();
  // The event date defaults to the server's today (China time), not the browser's.
  const today = useServerToday() ?? browserToday();
  const label = (s: string | null) => (s ? (stageKey(s) ? t(stageKey(s)!) : s) : '—');

  // The moves the stage machine allows from here (a reason is asked for in the form where one is needed).
  const nextStages = useMemo(() => STAGES.filter((to) => !('error' in checkStageMove({
    from: project.stage, to, stageBeforePause: project.stage_before_pause, reason: 'x',
  }))), [project.stage, project.stage_before_pause]);

  const changeStage = async (v: StageForm) => {
    setBusy(true);
    try {
      const p = await projectPartsApi.changeStage(project.id, { to: v.to, event_date: v.event_date.format('YYYY-MM-DD'), reason: v.reason?.trim() || null, version: project.version });
      void message.success(t('project.saved'));
      setStageOpen(false);
      onChanged(p);
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };

  const saveProcedure = async (v: ProcedureForm) => {
    if (!procedure) return;
    setBusy(true);
    try {
      await projectPartsApi.saveProcedure(project.id, procedure.kind, {
        status: v.status, doc_number: v.doc_number?.trim() || null, approved_date: v.approved_date ? v.approved_date.format('YYYY-MM-DD') : null, note: v.note?.trim() || null,
      });
      void message.success(t('project.saved'));
      setProcedure(null);
      procedures.reload();
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={24} style={{ width: '100%' }}>
      <div>
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text strong>{t('project.field.stage')}：</Typography.Text>
          <Tag color={stageColor(project.stage)} data-testid="current-stage">{label(project.stage)}</Tag>
          {canEdit && nextStages.length > 0 && (
            <Button size="small" onClick={() => {
              stageForm.resetFields();
              stageForm.setFieldsValue({ to: nextStages[0], event_date: dayjs(today) });
              setStageOpen(true);
            }} data-testid="change-stage">{t('stages.change')}</Button>
          )}
        </Space>
        {history.error ? <LoadError error={history.error} onRetry={history.reload} /> : (
          <Timeline
            items={(history.data?.items ?? []).map((h) => ({
              key: h.id,
              color: stageColor(h.to_stage) === 'default' ? 'gray' : stageColor(h.to_stage),
              content: (
                <div>
                  <strong>{h.event_date}</strong> {label(h.from_stage)} → {label(h.to_stage)}
                  <div style={{ color: '#888' }}>{h.reason ?? ''} {h.user_name ? `· ${h.user_name}` : ''} · {formatDateTime(h.created_at)}</div>
                </div>
              ),
            }))}
          />
        )}
      </div>
      <div>
        <Typography.Title level={5}>{t('procedures.title')}</Typography.Title>
        {procedures.error ? <LoadError error={procedures.error} onRetry={procedures.reload} /> : (
          <Table<Procedure>
            rowKey="kind" size="small" pagination={false} loading={procedures.loading} dataSource={procedures.data?.items ?? []} scroll={{ x: 720 }}
            columns={[
              { title: t('procedures.kind'), dataIndex: 'label', width: 200 },
              { title: t('procedures.status'), dataIndex: 'status', width: 100, render: (s: Procedure['status']) => <Tag color={STATUS_COLORS[s]}>{t(`procedures.status.${s}`)}</Tag> },
              { title: t('procedures.docNumber'), dataIndex: 'doc_number', render: (v: string | null) => v ?? '—' },
              { title: t('procedures.date'), dataIndex: 'approved_date', width: 110, render: (v: string | null) => v ?? '—' },
              { title: t('procedures.note'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' },
              ...(canEdit ? [{
                title: '', key: 'edit', width: 80, render: (_v: unknown, p: Procedure) => (
                  <Button size="small" onClick={() => {
                    procForm.resetFields();
                    procForm.setFieldsValue({ status: p.status, doc_number: p.doc_number ?? '', approved_date: p.approved_date ? dayjs(p.approved_date) : null, note: p.note ?? '' });
                    setProcedure(p);
                  }}>{t('common.edit')}</Button>
                ),
              }] : []),
            ]}
          />
        )}
      </div>
      <Modal open={stageOpen} title={t('stages.change')} onCancel={() => setStageOpen(false)} onOk={() => stageForm.submit()} confirmLoading={busy} okText={t('common.save')}>
        <Form<StageForm> form={stageForm} layout="vertical" onFinish={(v) => void changeStage(v)}>
          <Form.Item name="to" label={t('stages.to')} rules={[{ required: true, message: t('stages.toRequired') }]}>
            <Select options={nextStages.map((s) => ({ value: s, label: label(s) }))} />
          </Form.Item>
          <Form.Item name="event_date" label={t('stages.date')} rules={[{ required: true, message: t('stages.dateRequired') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => {
              const needsReason = getFieldValue('to') === 'paused' || project.stage === 'paused';
              return (
                <Form.Item name="reason" label={t('stages.reason')} rules={[{ required: needsReason, whitespace: true, message: t('stages.reasonRequired') }]}>
                  <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
                </Form.Item>
              );
            }}
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={procedure !== null} title={procedure?.label} onCancel={() => setProcedure(null)} onOk={() => procForm.submit()} confirmLoading={busy} okText={t('common.save')}>
        <Form<ProcedureForm> form={procForm} layout="vertical" onFinish={(v) => void saveProcedure(v)}>
          <Form.Item name="status" label={t('procedures.status')}>
            <Select options={PROCEDURE_STATUSES.map((s) => ({ value: s, label: t(`procedures.status.${s}`) }))} />
          </Form.Item>
          <Form.Item name="doc_number" label={t('procedures.docNumber')}><Input maxLength={200} /></Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.status !== b.status}>
            {({ getFieldValue }) => (
              <Form.Item name="approved_date" label={t('procedures.date')} rules={[{ required: getFieldValue('status') === 'done', message: t('procedures.dateRequired') }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            )}
          </Form.Item>
          <Form.Item name="note" label={t('procedures.note')}><Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
