import { useState, type ReactNode } from 'react';
import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { projectApi } from '../../api/endpoints.ts';
import type { Project, ProjectPatch, Unit } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { wanTextToYuan, yuanToWanText } from '../../format.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { amountRule } from '../../components/amount-rule.ts';
import { NATURES } from '../../stages.ts';
import { checkUscc, normalizeUscc } from '../../../core/uscc.ts';
import { EDITABLE, SECTIONS, changedFields, describeConflict, printValue, type Conflict, type FieldSpec } from './project-fields.ts';

const CATEGORIES = ['产业', '基础设施', '社会民生', '生态环保', '城市更新', '农业农村'];
const LEVELS = ['national', 'province', 'city', 'county'] as const;
const INVESTMENT_TYPES = [{ value: 'government', label: '政府投资' }, { value: 'social', label: '社会投资' }];
const CODE_SHAPE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;
const PHONE_SHAPE = /^[\d\-+() ]{5,30}$/;
const INDUSTRY_SHAPE = /^[A-T](\d{2,4})?$/;

/** The form's values: amounts as typed in 万元, flags as booleans, the rest as the API spells them. */
type FormValues = Record<string, unknown>;

const toForm = (p: { [K in keyof ProjectPatch]?: unknown }): FormValues => Object.fromEntries(EDITABLE.map(({ key, kind }) => {
  const v = p[key];
  if (kind === 'amount') return [key, typeof v === 'number' ? yuanToWanText(v) : ''];
  if (kind === 'flag') return [key, v === 1 || v === true];
  if (kind === 'levels') return [key, Array.isArray(v) ? v : []];
  return [key, v === null || v === '' ? undefined : v];
}));

const toPatch = (v: FormValues): ProjectPatch => Object.fromEntries(EDITABLE.map(({ key, kind, required }) => {
  const x = v[key];
  const empty = required ? undefined : null;
  if (kind === 'amount') return [key, (typeof x === 'string' && x.trim() ? wanTextToYuan(x) : undefined) ?? empty];
  if (kind === 'flag') return [key, x ? 1 : 0];
  if (kind === 'levels') return [key, Array.isArray(x) ? x : []];
  if (kind === 'year') return [key, typeof x === 'number' ? x : null];
  if (kind === 'unit' || kind === 'project') return [key, typeof x === 'number' ? x : empty];
  return [key, typeof x === 'string' && x.trim() ? x.trim() : empty];
}).filter(([, value]) => value !== undefined)) as ProjectPatch;

/** Picks the package (打包项目) a sub-item belongs to, searching projects by name. */
function PackagePicker({ value, onChange, selfId, label, disabled }: { value?: number; onChange?: (v: number | undefined) => void; selfId: number; label: string; disabled?: boolean }) {
  const [options, setOptions] = useState<{ value: number; label: string }[]>(value ? [{ value, label: `#${value}` }] : []);
  const search = (q: string) => {
    if (!q.trim()) return;
    void projectApi.list({ q, page_size: 20 }).then((r) => setOptions(r.items.filter((p) => p.id !== selfId).map((p) => ({ value: p.id, label: p.name }))));
  };
  return (
    <Select
      aria-label={label} disabled={disabled} showSearch={{ filterOption: false, onSearch: search }} allowClear value={value} onChange={onChange} options={options}
      onFocus={() => value && options.length === 1 && options[0]!.label.startsWith('#') && void projectApi.get(value).then((p) => setOptions([{ value: p.id, label: p.name }]))}
      style={{ width: '100%' }}
    />
  );
}

/**
 * Edits the whole 五定 record but stage and tier, grouped as the page shows it; a stale version opens the conflict
 * dialog. Fields only the office may change are shown but locked for a reporter (the server refuses them too).
 */
export function ProjectEditForm({ project, units, isOffice, onSaved, onCancel }: {
  project: Project;
  units: Unit[];
  isOffice: boolean;
  onSaved: (p: Project) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [opened, setOpened] = useState(project);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const level = (l: string) => t(`level.${l}` as MessageKey);

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
        // Each refused field gets its own message under it; a refusal of no form field is shown on top.
        const fields = (e.details as { path?: string; message?: string }[])
          .map((d) => ({ name: (d.path ?? '').replace(/^body\./, '').split('.')[0]!, message: d.message ?? e.message }))
          .filter((d) => EDITABLE.some((f) => f.key === d.name));
        if (fields.length) {
          form.setFields(fields.map((f) => ({ name: f.name, errors: [f.message] })));
          form.scrollToField(fields[0]!.name);
        } else void message.error(e.message);
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

  /**
   * A shape check on typed text. A value left as it was stored passes: the patch sends changed fields only, and
   * an older import may have stored a shape the form now refuses (行业代码 4813), which must not block other edits.
   */
  const shapeRule = (key: keyof ProjectPatch, problemOf: (v: string) => string | undefined) => ({
    validator: async (_r: unknown, v: string | undefined) => {
      if (!v?.trim() || v === opened[key]) return;
      const problem = problemOf(v.trim());
      if (problem) throw new Error(problem);
    },
  });

  /** The input for one field, and the Chinese rules the browser checks before sending. */
  const input = (f: FieldSpec, label: string, locked: boolean): { control: ReactNode; rules: object[]; valuePropName?: string } => {
    const rules: object[] = [];
    // A rule with keys besides required/message is checked as a string too (async-validator): whitespace only on text.
    if (f.required) rules.push(f.kind === 'text' || f.kind === 'amount' ? { required: true, whitespace: true, message: t('project.validation.required', { label }) } : { required: true, message: t('project.validation.required', { label }) });
    if (f.max) rules.push({ max: f.max, message: t('project.validation.tooLong', { label, max: f.max }) });
    if (f.key === 'name') rules.splice(0, rules.length, { required: true, whitespace: true, message: t('project.validation.nameRequired') }, { max: 200, message: t('project.validation.nameTooLong') });
    switch (f.kind) {
      case 'amount':
        if (f.key === 'total_investment') rules.splice(0, rules.length, { required: true, whitespace: true, message: t('project.validation.investmentRequired') });
        rules.push(amountRule(t));
        return { control: <Input suffix="万元" disabled={locked} />, rules };
      case 'date':
        return { control: <Input type="date" disabled={locked} />, rules };
      case 'year':
        rules.push({ type: 'number', min: 1949, max: 2100, message: t('project.validation.year', { label }) });
        return { control: <InputNumber controls={false} disabled={locked} style={{ width: '100%' }} placeholder="2026" />, rules };
      case 'flag':
        return { control: <Switch disabled={locked} checkedChildren="是" unCheckedChildren="否" />, rules, valuePropName: 'checked' };
      case 'levels':
        return { control: <Checkbox.Group disabled={locked} options={LEVELS.map((l) => ({ value: l, label: level(l) }))} />, rules };
      case 'unit':
        return { control: <UnitPicker units={units} allowClear={!f.required} disabled={locked} placeholder={label} style={{ width: '100%' }} testId={`edit-${f.key}`} />, rules };
      case 'region':
        return { control: <RegionPicker placeholder={label} style={{ width: '100%' }} testId="edit-region" />, rules };
      case 'project':
        return { control: <PackagePicker selfId={project.id} label={label} disabled={locked} />, rules };
      case 'nature':
        return { control: <Select allowClear disabled={locked} options={NATURES.map((n) => ({ value: n, label: t(`nature.${n}`) }))} />, rules };
      case 'category':
        return { control: <Select allowClear disabled={locked} options={CATEGORIES.map((n) => ({ value: n, label: n }))} />, rules };
      case 'investment_type':
        return { control: <Select allowClear disabled={locked} options={INVESTMENT_TYPES} />, rules };
      case 'textarea':
        return { control: <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} disabled={locked} />, rules };
      case 'text':
        if (f.key === 'code') rules.push(shapeRule(f.key, (v) => (CODE_SHAPE.test(v) ? undefined : t('project.validation.codeShape'))));
        if (f.key === 'builder_phone') rules.push(shapeRule(f.key, (v) => (PHONE_SHAPE.test(v) ? undefined : t('project.validation.phoneShape'))));
        if (f.key === 'industry_code') rules.push(shapeRule(f.key, (v) => (INDUSTRY_SHAPE.test(v) ? undefined : t('project.validation.industryShape'))));
        if (f.key === 'builder_uscc') rules.push(shapeRule(f.key, (v) => checkUscc(normalizeUscc(v))));
        return { control: <Input disabled={locked} placeholder={f.key === 'code' ? '2020-320506-00-00-000000' : undefined} />, rules };
    }
  };

  return (
    <>
      <Form<FormValues> form={form} layout="vertical" initialValues={toForm(project)} onFinish={onFinish} style={{ maxWidth: 960 }} data-testid="project-edit-form" scrollToFirstError>
        {SECTIONS.map(({ key: section, title }) => (
          <fieldset key={section} data-testid={`edit-section-${section}`} style={{ border: 0, padding: 0, margin: '0 0 8px', minWidth: 0 }}>
            <Typography.Title level={5} style={{ margin: '8px 0 12px' }}>{t(title)}</Typography.Title>
            {/* A grid of at least 220 px columns: one column on a 375 px phone, three or four on a desktop. */}
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', columnGap: 16 }}>
              {EDITABLE.filter((f) => f.section === section).map((f) => {
                const label = t(f.label);
                const locked = Boolean(f.officeOnly) && !isOffice;
                const { control, rules, valuePropName } = input(f, label, locked);
                return (
                  <Form.Item
                    key={f.key} name={f.key} label={label} rules={locked ? [] : rules} valuePropName={valuePropName}
                    tooltip={locked ? t('project.edit.officeOnly') : undefined}
                    style={f.wide || f.kind === 'levels' ? { gridColumn: '1 / -1' } : undefined}
                  >
                    {control}
                  </Form.Item>
                );
              })}
            </div>
          </fieldset>
        ))}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('project.edit.stageNote')}</Typography.Paragraph>
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
            { title: t('project.conflict.theirs'), render: (_v, f) => <><del style={{ color: '#999' }}>{printValue(f.key, f.before, level)}</del><br />{printValue(f.key, f.after, level)}</> },
            { title: t('project.conflict.mine'), render: (_v, f) => (f.overlaps ? printValue(f.key, f.mine, level) : '—') },
          ]}
        />
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="conflict-mine">
          {t('project.conflict.myChanges')}
          {EDITABLE.filter(({ key }) => conflict && key in conflict.mine).map(({ key, label }) => (
            <Tag key={key} style={{ marginTop: 4 }}>{t(label)}：{printValue(key, conflict?.mine[key], level)}</Tag>
          ))}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}

