import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Alert, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../api/client.ts';
import { projectApi } from '../../api/endpoints.ts';
import type { ProjectCreate, Unit } from '../../api/types.ts';
import { wanTextToYuan } from '../../format.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { amountRule } from '../../components/amount-rule.ts';
import { NATURES } from '../../stages.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { browserToday, useServerToday } from '../../components/usePeriodInForce.ts';

const CATEGORIES = ['产业', '基础设施', '社会民生', '生态环保', '城市更新', '农业农村'];
const LEVELS = ['national', 'province', 'city', 'county'] as const;
const CODE_SHAPE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;

interface Values {
  name: string;
  code?: string;
  tier: 'idea' | 'reserve' | 'implementation';
  region_code?: string;
  unit_id?: number;
  total_investment: string;
  nature?: ProjectCreate['nature'];
  category?: string;
  levels?: ProjectCreate['levels'];
  is_key_of_key?: boolean;
  list_year?: number | null;
  batch?: string;
  leader_name?: string;
  leader_post?: string;
  builder_name?: string;
}

/** 新建项目 (office): the identity fields the server requires plus the usual list columns; the rest on the project page. */
export function NewProjectDialog({ open, units, onClose }: { open: boolean; units: Unit[]; onClose: () => void }) {
  // A new project joins this year's list by default: the server's year (China time), not the browser's.
  const thisYear = Number((useServerToday() ?? browserToday()).slice(0, 4));
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  // The form may open before the server has answered (the browser's year meanwhile): its year follows the answer
  // unless one was chosen.
  useEffect(() => {
    if (open && !form.isFieldTouched('list_year')) form.setFieldValue('list_year', thisYear);
  }, [open, thisYear, form]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    const body: ProjectCreate = {
      name: v.name.trim(), code: v.code?.trim() || null, tier: v.tier, region_code: v.region_code!, unit_id: v.unit_id!,
      total_investment: wanTextToYuan(v.total_investment)!, nature: v.nature ?? null, category: v.category ?? null,
      levels: v.levels ?? [], is_key_of_key: v.is_key_of_key ? 1 : 0, list_year: v.list_year ?? null, batch: v.batch?.trim() || null,
      leader_name: v.leader_name?.trim() || null, leader_post: v.leader_post?.trim() || null, builder_name: v.builder_name?.trim() || null,
    };
    try {
      const p = await projectApi.create(body);
      void message.success(t('project.new.created', { name: p.name }));
      form.resetFields();
      onClose();
      void navigate(`/projects/${p.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed' && Array.isArray(e.details)) {
        const fields = (e.details as { path?: string }[]).map((d) => (d.path ?? '').replace(/^body\./, '')).filter(Boolean);
        form.setFields(fields.map((name) => ({ name: name as keyof Values, errors: [e.message] })));
      }
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open} title={t('project.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')}
      width={720} destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ tier: 'implementation', list_year: thisYear }} onFinish={(v) => void submit(v)} data-testid="new-project-form" scrollToFirstError>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="new-project-error" />}
        <Form.Item name="name" label={t('project.field.name')} rules={[{ required: true, whitespace: true, message: t('project.validation.nameRequired') }, { max: 200, message: t('project.validation.nameTooLong') }]}>
          <Input maxLength={220} data-testid="new-name" />
        </Form.Item>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="tier" label={t('project.new.tier')} style={{ minWidth: 160 }}>
            <Select style={{ width: 160 }} options={(['idea', 'reserve', 'implementation'] as const).map((x) => ({ value: x, label: t(`tier.${x}`) }))} />
          </Form.Item>
          <Form.Item name="code" label={t('project.field.code')} rules={[{ pattern: CODE_SHAPE, message: t('project.validation.codeShape') }]}>
            <Input placeholder="2020-320506-00-00-000000" style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="region_code" label={t('project.field.region')} rules={[{ required: true, message: t('project.validation.regionRequired') }]}>
            <RegionPicker placeholder={t('project.field.region')} style={{ width: 240 }} testId="new-region" />
          </Form.Item>
          <Form.Item name="unit_id" label={t('project.field.unit')} rules={[{ required: true, message: t('project.validation.unitRequired') }]}>
            <UnitPicker units={units} placeholder={t('project.field.unit')} style={{ width: 240 }} testId="new-unit" />
          </Form.Item>
        </Space>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="total_investment" label={t('project.field.totalInvestment')} rules={[{ required: true, whitespace: true, message: t('project.validation.investmentRequired') }, amountRule(t)]}>
            <Input style={{ width: 200 }} suffix="万元" data-testid="new-total" placeholder="1,234.5 / 1.2亿元" />
          </Form.Item>
          <Form.Item name="nature" label={t('project.field.nature')}>
            <Select allowClear style={{ width: 140 }} options={NATURES.map((n) => ({ value: n, label: t(`nature.${n}`) }))} />
          </Form.Item>
          <Form.Item name="category" label={t('project.field.category')}>
            <Select allowClear style={{ width: 140 }} options={CATEGORIES.map((n) => ({ value: n, label: n }))} />
          </Form.Item>
        </Space>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="levels" label={t('project.field.levels')}>
            <Select mode="multiple" allowClear style={{ width: 260 }} options={LEVELS.map((l) => ({ value: l, label: t(`level.${l}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="is_key_of_key" label={t('project.field.keyOfKey')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="list_year" label={t('change.field.list_year')}>
            <InputNumber min={2000} max={2100} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="batch" label={t('change.field.batch')}>
            <Input style={{ width: 120 }} maxLength={64} />
          </Form.Item>
        </Space>
        <Space wrap size={16} style={{ display: 'flex' }}>
          <Form.Item name="leader_name" label={t('project.field.leader')}><Input style={{ width: 140 }} maxLength={64} /></Form.Item>
          <Form.Item name="leader_post" label={t('change.field.leader_post')}><Input style={{ width: 200 }} maxLength={128} /></Form.Item>
          <Form.Item name="builder_name" label={t('change.field.builder_name')}><Input style={{ width: 260 }} maxLength={200} /></Form.Item>
        </Space>
        <div style={{ color: '#888', fontSize: 12 }}>{t('project.new.more')}</div>
      </Form>
    </Modal>
  );
}
