import { useState } from 'react';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/reference.ts';
import { supervisionApi, type MatterCreate } from '../../api/supervision.ts';
import { EnterprisePicker } from '../../components/EnterprisePicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

export const SOURCES = ['meeting', 'instruction', 'bulletin', 'weekly', 'problem', 'node', 'project', 'unit', 'report', 'other'] as const;
export const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;

/** What a caller may fill in ahead (a red project: its name, unit and id). */
export interface MatterPreset {
  title?: string;
  content?: string;
  source?: (typeof SOURCES)[number];
  sourceId?: number;
  sourceRef?: string;
  /** The in-app path back to where the matter is assigned from (a ranking, the 催报 list). */
  sourceLink?: string;
  leadUnitId?: number;
  projectIds?: number[];
  /** 关联企业 picked ahead (the enterprise page), with their names. */
  enterprises?: { value: number; label: string }[];
}

/**
 * 交办督办事项: one form; the due date defaults to the office's rule (N working days) when left empty. `create`
 * replaces the plain POST /matters when the matter is made by its source's own route (a report's 需协调问题, which
 * remembers its matter).
 */
export function CreateMatterModal({ open, onClose, preset, create }: { open: boolean; onClose: () => void; preset?: MatterPreset; create?: (body: MatterCreate) => Promise<{ id: number; number: string }> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const units = useUnits();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = (await form.validateFields()) as { title: string; content?: string; source: MatterCreate['source']; urgency: MatterCreate['urgency']; type?: string; lead_unit_id: number; co_unit_ids?: number[]; enterprise_ids?: number[]; due_on?: Dayjs; feedback_days?: number };
    setSaving(true);
    try {
      const r = await (create ?? supervisionApi.create)({
        title: v.title, content: v.content ?? '', source: v.source, urgency: v.urgency, type: v.type || '项目推进', lead_unit_id: v.lead_unit_id, co_unit_ids: v.co_unit_ids ?? [],
        due_on: v.due_on ? v.due_on.format('YYYY-MM-DD') : null, feedback_days: v.feedback_days ?? null,
        source_id: preset?.sourceId ?? null, source_ref: preset?.sourceRef ?? null, source_link: preset?.sourceLink ?? null, project_ids: preset?.projectIds ?? [], enterprise_ids: v.enterprise_ids ?? [],
      });
      void message.success(t('matters.created', { number: r.number }));
      onClose();
      void navigate(`/matters/${r.id}`);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t('matters.new')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'matter-create-ok' }}>
      <Form form={form} layout="vertical" preserve={false} initialValues={{
        title: preset?.title, content: preset?.content, source: preset?.source ?? 'other', urgency: 'normal', lead_unit_id: preset?.leadUnitId, type: '项目推进', enterprise_ids: preset?.enterprises?.map((e) => e.value),
      }}>
        <Form.Item name="title" label={t('matters.matter')} rules={[{ required: true, message: t('matters.matter') }]}><Input maxLength={200} data-testid="matter-title" /></Form.Item>
        <Form.Item name="content" label={t('matters.content')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        <Form.Item name="lead_unit_id" label={t('matters.leadUnit')} rules={[{ required: true, message: t('matters.leadUnit') }]}><UnitPicker units={units} testId="matter-lead-unit" /></Form.Item>
        <Form.Item name="co_unit_ids" label={t('matters.coUnits')}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="enterprise_ids" label={t('matters.enterprises')}><EnterprisePicker known={preset?.enterprises} testId="matter-enterprises" /></Form.Item>
        <Form.Item name="source" label={t('matters.source')}><Select disabled={create !== undefined} options={SOURCES.map((s) => ({ value: s, label: t(`matters.source.${s}` as MessageKey) }))} /></Form.Item>
        <Form.Item name="urgency" label={t('matters.urgency')}><Select options={URGENCIES.map((s) => ({ value: s, label: t(`matters.urgency.${s}` as MessageKey) }))} /></Form.Item>
        <Form.Item name="type" label={t('matters.type')}><Input maxLength={40} /></Form.Item>
        <Form.Item name="due_on" label={t('matters.dueOn')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="feedback_days" label={t('matters.feedbackDays')}><InputNumber min={0} max={60} style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}
