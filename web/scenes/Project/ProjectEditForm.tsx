import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { projectApi } from '../../api/endpoints.ts';
import type { Project, ProjectPatch, Unit } from '../../api/types.ts';
import { wanTextToYuan, yuanToWanText } from '../../format.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { amountRule } from '../../components/amount-rule.ts';
import { NATURES } from '../../stages.ts';
import { EDITABLE, changedFields, describeConflict, printValue, type Conflict } from './project-fields.ts';

const CATEGORIES = ['产业', '基础设施', '社会民生', '生态环保', '城市更新', '农业农村'];
const CODE_SHAPE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;

interface FormValues {
  name: string;
  code?: string;
  region_code?: string;
  unit_id?: number;
  nature?: string;
  category?: string;
  total_investment: string;
  scope_content?: string;
}

const toForm = (p: Project): FormValues => ({
  name: p.name, code: p.code ?? undefined, region_code: p.region_code, unit_id: p.unit_id, nature: p.nature ?? undefined,
  category: p.category ?? undefined, total_investment: yuanToWanText(p.total_investment), scope_content: p.scope_content ?? undefined,
});

const toPatch = (v: FormValues): ProjectPatch => ({
  name: v.name.trim(), code: v.code?.trim() || null, region_code: v.region_code, unit_id: v.unit_id, nature: v.nature || null,
  category: v.category || null, total_investment: wanTextToYuan(v.total_investment), scope_content: v.scope_content?.trim() || null,
});

/** Edits a project's basic fields; a stale version opens the conflict dialog. */
export function ProjectEditForm({ project, units, onSaved, onCancel }: {
  project: Project;
  units: Unit[];
  onSaved: (p: Project) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [opened, setOpened] = useState(project);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const send = async (base: Project, patch: ProjectPatch) => {
    setSaving(true);
    try {
      const saved = await projectApi.update(base.id, base.version, patch);
      void message.success(t('project.saved'));
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        const current = (e.details as { current?: Project } | null)?.current ?? await projectApi.get(base.id);
        setConflict(describeConflict(base, current, patch));
      } else if (e instanceof ApiError && e.code === 'validation_failed' && Array.isArray(e.details)) {
        const fields = (e.details as { path?: string }[]).map((d) => (d.path ?? '').replace(/^body\./, '')).filter((p) => p in toForm(base));
        if (fields.length) form.setFields(fields.map((name) => ({ name: name as keyof FormValues, errors: [e.message] })));
        else void message.error(e.message);
      } else if (e instanceof ApiError) {
        void message.error(e.message);
      }
    } finally {
      setSaving(false);
    }
  };

  const onFinish = (values: FormValues) => {
    const patch = changedFields(opened, toPatch(values));
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    void send(opened, patch);
  };

  const reapply = () => {
    if (!conflict) return;
    const { current, mine } = conflict;
    setConflict(null);
    setOpened(current);
    form.setFieldsValue(toForm({ ...current, ...mine }));
    void send(current, changedFields(current, mine));
  };

  const discard = () => {
    if (!conflict) return;
    setOpened(conflict.current);
    form.setFieldsValue(toForm(conflict.current));
    setConflict(null);
  };

  return (
    <>
      <Form<FormValues> form={form} layout="vertical" initialValues={toForm(project)} onFinish={onFinish} style={{ maxWidth: 760 }} data-testid="project-edit-form" scrollToFirstError>
        <Form.Item name="name" label={t('project.field.name')} rules={[
          { required: true, whitespace: true, message: t('project.validation.nameRequired') },
          { max: 200, message: t('project.validation.nameTooLong') },
        ]}>
          <Input maxLength={220} />
        </Form.Item>
        <Form.Item name="code" label={t('project.field.code')} rules={[{ pattern: CODE_SHAPE, message: t('project.validation.codeShape') }]}>
          <Input placeholder="2020-320506-00-00-000000" />
        </Form.Item>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="region_code" label={t('project.field.region')} rules={[{ required: true, message: t('project.validation.regionRequired') }]} style={{ minWidth: 240 }}>
            <RegionPicker placeholder={t('project.field.region')} style={{ width: 240 }} testId="edit-region" />
          </Form.Item>
          <Form.Item name="unit_id" label={t('project.field.unit')} rules={[{ required: true, message: t('project.validation.unitRequired') }]} style={{ minWidth: 240 }}>
            <UnitPicker units={units} allowClear={false} style={{ width: 240 }} testId="edit-unit" />
          </Form.Item>
        </Space>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="nature" label={t('project.field.nature')} style={{ minWidth: 160 }}>
            <Select allowClear options={NATURES.map((n) => ({ value: n, label: t(`nature.${n}`) }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="category" label={t('project.field.category')} style={{ minWidth: 160 }}>
            <Select allowClear options={CATEGORIES.map((n) => ({ value: n, label: n }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="total_investment" label={t('project.field.totalInvestment')} style={{ minWidth: 200 }} rules={[
            { required: true, whitespace: true, message: t('project.validation.investmentRequired') },
            amountRule(t),
          ]}>
            <Input style={{ width: 200 }} suffix="万元" />
          </Form.Item>
        </Space>
        <Form.Item name="scope_content" label={t('project.field.scope')} rules={[{ max: 4000, message: t('project.validation.scopeTooLong') }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>{t('common.save')}</Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        </Space>
      </Form>
      <Modal
        open={conflict !== null}
        title={t('project.conflict.title')}
        onCancel={() => setConflict(null)}
        width={720}
        footer={[
          <Button key="discard" onClick={discard}>{t('project.conflict.discard')}</Button>,
          <Button key="reapply" type="primary" onClick={reapply}>{t('project.conflict.reapply')}</Button>,
        ]}
      >
        <Typography.Paragraph>{t('project.conflict.intro')}</Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="key"
          data-testid="conflict-table"
          scroll={{ x: 560 }}
          dataSource={conflict?.theirs ?? []}
          columns={[
            { title: t('project.conflict.field'), dataIndex: 'label', render: (l: Conflict['theirs'][number]['label'], f) => <>{t(l)} {f.overlaps && <Tag color="red">冲突</Tag>}</> },
            { title: t('project.conflict.theirs'), render: (_v, f) => <><del style={{ color: '#999' }}>{printValue(f.key, f.before)}</del><br />{printValue(f.key, f.after)}</> },
            { title: t('project.conflict.mine'), render: (_v, f) => (f.overlaps ? printValue(f.key, f.mine) : '—') },
          ]}
        />
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="conflict-mine">
          {t('project.conflict.myChanges')}
          {EDITABLE.filter(({ key }) => conflict && key in conflict.mine).map(({ key, label }) => (
            <Tag key={key} style={{ marginTop: 4 }}>{t(label)}：{printValue(key, conflict?.mine[key])}</Tag>
          ))}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
