import { useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorApi } from '../../api/endpoints.ts';
import { ApiError } from '../../api/client.ts';
import type { LightDimension, LightExcuse, Project } from '../../api/types.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../format.ts';

interface ExcuseForm {
  month_from: number;
  month_to: number | null;
  dimension: LightDimension | 'all';
  reason: string;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const DIMENSIONS: LightDimension[] = ['investment', 'start', 'stats', 'problems'];

/**
 * Accepted excuses (正当理由) of a project for a year: the office records one (who accepted it is the signed-in
 * account, kept with the reason) and can revoke it; everyone in scope sees them. An excuse suppresses the light
 * of its dimension (or of every dimension) in its months; the light list then shows what it would have been.
 */
export function ExcusesPanel({ project, year, month, canEdit, onChange }: { project: Project; year: number; month: number; canEdit: boolean; onChange: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad(() => indicatorApi.excuses(year, project.id), [year, project.id]);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<ExcuseForm>();
  const changed = () => {
    reload();
    onChange();
  };

  const save = async (v: ExcuseForm) => {
    setSaving(true);
    try {
      await indicatorApi.acceptExcuse({
        project_id: project.id, year, month_from: v.month_from, month_to: v.month_to ?? null,
        dimension: v.dimension === 'all' ? null : v.dimension, reason: v.reason.trim(),
      });
      void message.success(t('excuse.saved'));
      setOpen(false);
      changed();
    } catch (e) {
      if (e instanceof ApiError) void message.error(e.message);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (id: number) => {
    await indicatorApi.revokeExcuse(id);
    void message.success(t('excuse.revoked'));
    changed();
  };

  const months = (e: LightExcuse) => (e.month_to === null ? t('excuse.fromOn', { from: e.month_from }) : e.month_to === e.month_from ? t('excuse.oneMonth', { month: e.month_from }) : t('excuse.range', { from: e.month_from, to: e.month_to }));
  return (
    <section aria-label={t('lights.excuse')} style={{ marginTop: 24 }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('excuse.title', { year })}</Typography.Title>
        {canEdit && (
          <Button size="small" onClick={() => {
            form.resetFields();
            form.setFieldsValue({ month_from: month, month_to: null, dimension: 'all', reason: '' });
            setOpen(true);
          }}>{t('excuse.add')}</Button>
        )}
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : (
        <Table<LightExcuse>
          size="small" rowKey="id" loading={loading} dataSource={data?.items ?? []} pagination={false}
          locale={{ emptyText: t('excuse.none') }}
          columns={[
            { title: t('excuse.months'), key: 'months', render: (_, e) => months(e) },
            { title: t('lights.dimension'), key: 'dimension', render: (_, e) => (e.dimension ? t(`dimension.${e.dimension as LightDimension}`) : t('excuse.allDimensions')) },
            { title: t('lights.excuse'), dataIndex: 'reason' },
            { title: t('excuse.acceptedBy'), key: 'by', render: (_, e) => `${e.accepted_by_name ?? ''} ${formatDateTime(e.accepted_at).slice(0, 10)}` },
            ...(canEdit ? [{
              title: '', key: 'revoke', render: (_: unknown, e: LightExcuse) => (
                <Popconfirm title={t('excuse.revokeConfirm')} onConfirm={() => void revoke(e.id)}><Button size="small" danger>{t('excuse.revoke')}</Button></Popconfirm>
              ),
            }] : []),
          ]}
        />
      )}
      <Modal open={open} title={t('excuse.add')} okText={t('excuse.accept')} confirmLoading={saving} onOk={() => form.submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Space>
            <Form.Item name="month_from" label={t('excuse.monthFrom')} rules={[{ required: true }]}>
              <Select style={{ width: 110 }} options={MONTHS.map((m) => ({ value: m, label: t('excuse.month', { month: m }) }))} />
            </Form.Item>
            <Form.Item name="month_to" label={t('excuse.monthTo')}
              rules={[{ validator: async (_r, v: number | null) => { if (v != null && v < form.getFieldValue('month_from')) throw new Error(t('excuse.toBeforeFrom')); } }]}>
              <Select style={{ width: 130 }} allowClear placeholder={t('excuse.openEnded')} options={MONTHS.map((m) => ({ value: m, label: t('excuse.month', { month: m }) }))} />
            </Form.Item>
          </Space>
          <Form.Item name="dimension" label={t('lights.dimension')}>
            <Select options={[{ value: 'all', label: t('excuse.allDimensions') }, ...DIMENSIONS.map((d) => ({ value: d, label: t(`dimension.${d}`) }))]} />
          </Form.Item>
          <Form.Item name="reason" label={t('lights.excuse')} rules={[{ required: true, whitespace: true, min: 2, message: t('excuse.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('excuse.reasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
