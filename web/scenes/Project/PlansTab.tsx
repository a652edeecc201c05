import { useState } from 'react';
import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectPartsApi } from '../../api/endpoints.ts';
import { ApiError } from '../../api/client.ts';
import type { AnnualPlan, Project } from '../../api/types.ts';
import { formatWan, wanTextToYuan, yuanToWanText } from '../../format.ts';
import { amountRule } from '../../components/amount-rule.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { browserToday, useServerToday } from '../../components/usePeriodInForce.ts';

interface PlanForm {
  year: number;
  planned_investment: string;
  completed_before_year: string;
  plan_new_start: boolean;
  plan_start_month?: number | null;
  plan_completion: boolean;
  plan_completion_month?: number | null;
  plan_production: boolean;
  plan_production_month?: number | null;
  progress_target?: string;
  list_kind: 'initial' | 'supplementary';
  has_monthly: boolean;
  /** 12 amounts in 万元 as typed. */
  monthly: string[];
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

const monthText = (flag: number, month: number | null) => (flag ? `${month ?? '?'}月` : '—');

/** The project's annual plans; the office adds and edits them. */
export function PlansTab({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useLoad(() => projectPartsApi.plans(project.id), [project.id]);
  const [editing, setEditing] = useState<AnnualPlan | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<PlanForm>();
  // A new plan is for the server's current year.
  const serverToday = useServerToday();
  const today = serverToday ?? browserToday();

  const open = (plan: AnnualPlan | 'new') => {
    setEditing(plan);
    form.resetFields();
    form.setFieldsValue(plan === 'new'
      ? { year: Number(today.slice(0, 4)), planned_investment: '', completed_before_year: '0', plan_new_start: false, plan_completion: false, plan_production: false, list_kind: 'initial', has_monthly: false, monthly: MONTHS.map(() => '') }
      : {
        has_monthly: plan.monthly_plan !== null, monthly: MONTHS.map((m) => (plan.monthly_plan ? yuanToWanText(plan.monthly_plan[m - 1]!) : '')),
        year: plan.year, planned_investment: yuanToWanText(plan.planned_investment), completed_before_year: yuanToWanText(plan.completed_before_year),
        plan_new_start: !!plan.plan_new_start, plan_start_month: plan.plan_start_month, plan_completion: !!plan.plan_completion,
        plan_completion_month: plan.plan_completion_month, plan_production: !!plan.plan_production, plan_production_month: plan.plan_production_month,
        progress_target: plan.progress_target ?? '', list_kind: plan.list_kind === 'supplementary' ? 'supplementary' : 'initial',
      });
  };

  const save = async (v: PlanForm) => {
    setSaving(true);
    try {
      await projectPartsApi.savePlan(project.id, v.year, {
        planned_investment: wanTextToYuan(v.planned_investment) ?? 0, completed_before_year: wanTextToYuan(v.completed_before_year) ?? 0,
        plan_new_start: v.plan_new_start ? 1 : 0, plan_start_month: v.plan_new_start ? (v.plan_start_month ?? null) : null,
        plan_completion: v.plan_completion ? 1 : 0, plan_completion_month: v.plan_completion ? (v.plan_completion_month ?? null) : null,
        plan_production: v.plan_production ? 1 : 0, plan_production_month: v.plan_production ? (v.plan_production_month ?? null) : null,
        progress_target: v.progress_target?.trim() || null, list_kind: v.list_kind,
        monthly_plan: v.has_monthly ? v.monthly.map((x) => wanTextToYuan(x || '0') ?? 0) : null,
        version: editing !== 'new' && editing ? editing.version : undefined,
      });
      void message.success(t('project.saved'));
      setEditing(null);
      reload();
    } catch (e) {
      if (e instanceof ApiError) void message.error(e.message);
    } finally {
      setSaving(false);
    }
  };

  const amountRules = [
    { required: true, whitespace: true, message: t('plan.validation.amountRequired') },
    amountRule(t),
  ];
  const month = (flag: keyof PlanForm, name: keyof PlanForm, label: string) => (
    <Form.Item noStyle shouldUpdate={(a, b) => a[flag] !== b[flag]}>
      {({ getFieldValue }) => (
        <Space align="baseline" wrap>
          <Form.Item name={flag} valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox>{label}</Checkbox></Form.Item>
          {getFieldValue(flag) ? (
            <Form.Item name={name} style={{ marginBottom: 8 }} rules={[{ required: true, message: t('plan.validation.monthRequired') }]}>
              <InputNumber min={1} max={12} suffix="月" style={{ width: 110 }} aria-label={`${label}${t('plan.month')}`} />
            </Form.Item>
          ) : null}
        </Space>
      )}
    </Form.Item>
  );

  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <>
      {/* Enabled once the server has said which year it is: a plan opened before would default to the browser's year. */}
      {canEdit && <Button icon={<PlusOutlined />} onClick={() => open('new')} disabled={serverToday === undefined} style={{ marginBottom: 12 }} data-testid="add-plan">{t('plan.add')}</Button>}
      <Table<AnnualPlan>
        rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} pagination={false} scroll={{ x: 900 }}
        columns={[
          { title: t('plan.year'), dataIndex: 'year', width: 80 },
          { title: t('plan.planned'), dataIndex: 'planned_investment', align: 'right', render: (v: number) => formatWan(v) },
          { title: t('plan.completedBefore'), dataIndex: 'completed_before_year', align: 'right', render: (v: number) => formatWan(v) },
          { title: t('plan.newStart'), render: (_v, p) => monthText(p.plan_new_start, p.plan_start_month) },
          { title: t('plan.completion'), render: (_v, p) => monthText(p.plan_completion, p.plan_completion_month) },
          { title: t('plan.production'), render: (_v, p) => monthText(p.plan_production, p.plan_production_month) },
          { title: t('plan.monthlyShort'), key: 'monthly', render: (_v, p) => (p.monthly_plan ? <Tag color="blue">{t('plan.monthlyYes')}</Tag> : '—') },
          { title: t('plan.target'), dataIndex: 'progress_target', ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('plan.kind'), dataIndex: 'list_kind', render: (v: string) => (v === 'supplementary' ? <Tag color="orange">{t('plan.supplementary')}</Tag> : <Tag>{t('plan.initial')}</Tag>) },
          ...(canEdit ? [{ title: '', key: 'edit', width: 80, render: (_v: unknown, p: AnnualPlan) => <Button size="small" onClick={() => open(p)}>{t('common.edit')}</Button> }] : []),
        ]}
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('plan.add') : t('plan.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} destroyOnHidden>
        <Form<PlanForm> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="plan-form">
          <Form.Item name="year" label={t('plan.year')} rules={[{ required: true, message: t('plan.validation.yearRequired') }]}>
            <InputNumber min={2000} max={2100} disabled={editing !== 'new'} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="planned_investment" label={`${t('plan.planned')}`} rules={amountRules}><Input inputMode="decimal" suffix="万元" /></Form.Item>
          <Form.Item name="completed_before_year" label={`${t('plan.completedBefore')}`} rules={amountRules}><Input inputMode="decimal" suffix="万元" /></Form.Item>
          {month('plan_new_start', 'plan_start_month', t('plan.newStart'))}
          {month('plan_completion', 'plan_completion_month', t('plan.completion'))}
          {month('plan_production', 'plan_production_month', t('plan.production'))}
          <Form.Item name="has_monthly" valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox>{t('plan.monthly')}</Checkbox></Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => {
              if (!getFieldValue('has_monthly')) return null;
              const monthly = (getFieldValue('monthly') as string[] | undefined) ?? [];
              const sum = monthly.reduce((acc, x) => acc + (wanTextToYuan(x || '0') ?? 0), 0);
              const planned = wanTextToYuan(getFieldValue('planned_investment') || '0') ?? 0;
              return (
                <div data-testid="plan-monthly" style={{ marginBottom: 12 }}>
                  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))', gap: 8 }}>
                    {MONTHS.map((m) => (
                      <Form.Item key={m} name={['monthly', m - 1]} label={t('plan.monthN', { month: m })} style={{ marginBottom: 0 }}
                        rules={[amountRule(t)]}>
                        <Input inputMode="decimal" suffix="万元" />
                      </Form.Item>
                    ))}
                  </div>
                  <div style={{ marginTop: 6, color: sum === planned ? undefined : '#cf1322' }} data-testid="plan-monthly-sum">
                    {t('plan.monthlySum', { sum: formatWan(sum), planned: formatWan(planned) })}
                  </div>
                </div>
              );
            }}
          </Form.Item>
          <Form.Item name="progress_target" label={t('plan.target')} rules={[{ max: 1000, message: t('plan.validation.targetTooLong') }]}><Input.TextArea autoSize={{ minRows: 2 }} /></Form.Item>
          <Form.Item name="list_kind" label={t('plan.kind')}>
            <Radio.Group options={[{ value: 'initial', label: t('plan.initial') }, { value: 'supplementary', label: t('plan.supplementary') }]} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
