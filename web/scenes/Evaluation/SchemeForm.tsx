import { useEffect } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Table, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { EvalSource } from '../../api/types.ts';
import { RULE_KINDS, RULE_LABELS, type RuleKind } from '../../../core/evaluation/rules.ts';
import { schemeFullMarks, type Scheme } from '../../../core/evaluation/scheme.ts';
import { defaultParams, formToScheme, RULE_PARAMS, type LineValues, type SchemeFormValues } from './scheme-form.ts';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The scheme editor as a form (考评方案表单): name, total and 先进/后进 counts; the groups with their caps; a table of
 * indicator lines — name, code, group, weight and cap, a source from the registry, a rule kind and its parameters.
 * Checks in Chinese as the office types (required fields, codes, weights), and the full marks against the total.
 */
export function SchemeForm({ form, initial, keep, sources, readOnly, onChange }: {
  form: FormInstance<SchemeFormValues>;
  initial: SchemeFormValues;
  keep: Pick<Scheme, 'year_end'>;
  sources: EvalSource[];
  readOnly: boolean;
  onChange: (scheme: Scheme) => void;
}) {
  const { t } = useI18n();
  const changed = () => onChange(formToScheme(form.getFieldsValue(true) as SchemeFormValues, keep));
  const sourceOptions = sources.map((s) => ({ value: s.key, disabled: !s.available, label: `${s.label}（${s.unit}）${s.available ? '' : ` · ${t('evaluation.notWired')}`}` }));
  const unitOf = new Map(sources.map((s) => [s.key, s.unit]));
  // A shared form instance keeps its store across versions: start each mount from this version's values.
  useEffect(() => {
    form.resetFields();
  }, [form]);

  return (
    <Form form={form} initialValues={initial} layout="vertical" disabled={readOnly} onValuesChange={changed} data-testid="evaluation-scheme-form" size="small">
      <Space wrap align="start">
        <Form.Item name="name" label={t('evaluation.form.name')} rules={[{ required: true, whitespace: true, message: t('evaluation.form.required', { field: t('evaluation.form.name') }) }]}>
          <Input style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="full_marks" label={t('evaluation.form.fullMarks')} tooltip={t('evaluation.form.fullMarksHelp')}
          rules={[{ type: 'number', min: 0.01, message: t('evaluation.form.positive', { field: t('evaluation.form.fullMarks') }) }]}>
          <InputNumber style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="advanced_count" label={t('evaluation.form.advancedCount')} rules={[{ type: 'integer', min: 0, max: 50, message: t('evaluation.form.count0to50') }]}>
          <InputNumber style={{ width: 100 }} precision={0} />
        </Form.Item>
        <Form.Item name="lagging_count" label={t('evaluation.form.laggingCount')} rules={[{ type: 'integer', min: 0, max: 50, message: t('evaluation.form.count0to50') }]}>
          <InputNumber style={{ width: 100 }} precision={0} />
        </Form.Item>
      </Space>

      <Form.Item noStyle shouldUpdate>
        {() => {
          const scheme = formToScheme(form.getFieldsValue(true) as SchemeFormValues, keep);
          const sum = schemeFullMarks(scheme);
          const total = scheme.full_marks;
          const text = t('evaluation.form.marksSum', { sum: Math.round(sum * 100) / 100 });
          if (total === undefined) return <Typography.Paragraph type="secondary" data-testid="evaluation-marks-sum">{text}</Typography.Paragraph>;
          return Math.abs(sum - total) < 1e-9
            ? <Alert type="success" showIcon style={{ marginBottom: 8 }} title={`${text}，${t('evaluation.form.marksMatch', { total })}`} data-testid="evaluation-marks-sum" />
            : <Alert type="error" showIcon style={{ marginBottom: 8 }} title={`${text}，${t('evaluation.form.marksMismatch', { total })}`} data-testid="evaluation-marks-sum" />;
        }}
      </Form.Item>

      <Card size="small" title={t('evaluation.form.groups')} style={{ marginBottom: 8 }}>
        <Form.List name="groups">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start">
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('evaluation.form.required', { field: t('evaluation.form.groupName') }) }]}>
                    <Input placeholder={t('evaluation.form.groupName')} style={{ width: 160 }} aria-label={t('evaluation.form.groupName')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'key']} rules={[{ required: true, message: t('evaluation.form.required', { field: t('evaluation.form.key') }) }, { pattern: KEY, message: t('evaluation.form.keyPattern') }]}>
                    <Input placeholder={t('evaluation.form.key')} style={{ width: 110 }} aria-label={t('evaluation.form.key')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'max']}>
                    <InputNumber placeholder={t('evaluation.form.max')} style={{ width: 90 }} aria-label={t('evaluation.form.max')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'weight']} rules={[{ type: 'number', min: 0.0001, message: t('evaluation.form.positive', { field: t('evaluation.form.weight') }) }]}>
                    <InputNumber placeholder={t('evaluation.form.weight')} style={{ width: 90 }} aria-label={t('evaluation.form.weight')} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => { remove(f.name); changed(); }} aria-label={t('evaluation.form.remove')} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => { add({ key: '', name: '' }); changed(); }}>{t('evaluation.form.addGroup')}</Button>
            </>
          )}
        </Form.List>
      </Card>

      <Form.List name="lines">
        {(fields, { add, remove }) => (
          <>
            <Table size="small" pagination={false} rowKey="key" dataSource={fields} scroll={{ x: 'max-content' }} data-testid="evaluation-scheme-lines"
              columns={[
                { title: t('evaluation.form.lineName'), key: 'name', render: (_: unknown, f) => (
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('evaluation.form.required', { field: t('evaluation.form.lineName') }) }]} style={{ margin: 0 }}>
                    <Input style={{ width: 140 }} aria-label={t('evaluation.form.lineName')} />
                  </Form.Item>
                ) },
                { title: t('evaluation.form.key'), key: 'key', render: (_: unknown, f) => (
                  <Form.Item name={[f.name, 'key']} style={{ margin: 0 }}
                    rules={[{ required: true, message: t('evaluation.form.required', { field: t('evaluation.form.key') }) }, { pattern: KEY, message: t('evaluation.form.keyPattern') },
                      ({ getFieldValue }) => ({ validator: (_r, v: string) => {
                        const keys = [...((getFieldValue('lines') as LineValues[]) ?? []).map((l) => l?.key), ...((getFieldValue('groups') as { key: string }[]) ?? []).map((g) => g?.key)];
                        return v && keys.filter((k) => k === v).length > 1 ? Promise.reject(new Error(t('evaluation.form.keyDuplicate', { key: v }))) : Promise.resolve();
                      } })]}>
                    <Input style={{ width: 100 }} aria-label={t('evaluation.form.key')} />
                  </Form.Item>
                ) },
                { title: t('evaluation.form.group'), key: 'group', render: (_: unknown, f) => (
                  <Form.Item noStyle shouldUpdate={(a: SchemeFormValues, b: SchemeFormValues) => a.groups !== b.groups}>
                    {() => (
                      <Form.Item name={[f.name, 'group']} style={{ margin: 0 }}>
                        <Select allowClear style={{ width: 110 }} placeholder={t('evaluation.form.topLevel')} aria-label={t('evaluation.form.group')}
                          options={((form.getFieldValue('groups') as { key: string; name: string }[]) ?? []).filter((g) => g?.key).map((g) => ({ value: g.key, label: g.name || g.key }))} />
                      </Form.Item>
                    )}
                  </Form.Item>
                ) },
                // Weight above cap, and the rule above its parameters: the table fits a 1366 px screen without sideways scrolling.
                { title: `${t('evaluation.form.weight')}／${t('evaluation.form.max')}`, key: 'weight', render: (_: unknown, f) => (
                  <Space direction="vertical" size={4}>
                    <Form.Item name={[f.name, 'weight']} style={{ margin: 0 }} rules={[{ type: 'number', min: 0.0001, message: t('evaluation.form.positive', { field: t('evaluation.form.weight') }) }]}>
                      <InputNumber style={{ width: 76 }} placeholder={`${t('evaluation.form.weight')} 1`} aria-label={t('evaluation.form.weight')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'max']} style={{ margin: 0 }}>
                      <InputNumber style={{ width: 76 }} placeholder={t('evaluation.form.max')} aria-label={t('evaluation.form.max')} />
                    </Form.Item>
                  </Space>
                ) },
                { title: t('evaluation.source'), key: 'source', render: (_: unknown, f) => (
                  <Form.Item name={[f.name, 'source']} style={{ margin: 0 }} rules={[{ required: true, message: t('evaluation.form.required', { field: t('evaluation.source') }) }]}>
                    <Select showSearch optionFilterProp="label" style={{ width: 200 }} popupMatchSelectWidth={false} options={sourceOptions} aria-label={t('evaluation.source')} placeholder={t('evaluation.form.pickSource')} />
                  </Form.Item>
                ) },
                { title: `${t('evaluation.rule')}／${t('evaluation.form.params')}`, key: 'kind', render: (_: unknown, f) => (
                  <Space direction="vertical" size={4}>
                  <Form.Item name={[f.name, 'kind']} style={{ margin: 0 }} rules={[{ required: true, message: t('evaluation.form.required', { field: t('evaluation.rule') }) }]}>
                    <Select style={{ width: 120 }} aria-label={t('evaluation.rule')} placeholder={t('evaluation.form.pickRule')}
                      options={RULE_KINDS.map((k) => ({ value: k, label: RULE_LABELS[k] }))}
                      onChange={(k: RuleKind) => { form.setFieldValue(['lines', f.name, 'p'], defaultParams(k)); changed(); }} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate={(a: SchemeFormValues, b: SchemeFormValues) => a.lines?.[f.name]?.kind !== b.lines?.[f.name]?.kind || a.lines?.[f.name]?.source !== b.lines?.[f.name]?.source}>
                    {() => {
                      const kind = form.getFieldValue(['lines', f.name, 'kind']) as RuleKind | undefined;
                      const unit = unitOf.get(form.getFieldValue(['lines', f.name, 'source']) as string) ?? '';
                      return (
                        <Space size={4} wrap style={{ maxWidth: 300 }}>
                          {(kind ? RULE_PARAMS[kind] : []).map((p) => {
                            const label = t(`evaluation.form.p.${p.name}` as MessageKey, { unit });
                            const rules = p.optional || p.input === 'order' || p.input === 'op' ? [] : [{ required: true, message: t('evaluation.form.required', { field: label }) }];
                            return (
                              <Form.Item key={p.name} name={[f.name, 'p', p.name]} style={{ margin: 0 }} rules={p.input === 'points'
                                ? [...rules, { pattern: /^\s*-?\d+(\.\d+)?(\s*[/,，、\s]\s*-?\d+(\.\d+)?)*\s*$/, message: t('evaluation.form.pointsPattern') }] : rules}>
                                {p.input === 'number' ? <InputNumber style={{ width: 118 }} prefix={<span style={{ fontSize: 11, color: '#888' }}>{label}</span>} aria-label={label} />
                                  : p.input === 'points' ? <Input style={{ width: 180 }} prefix={<span style={{ fontSize: 11, color: '#888' }}>{label}</span>} aria-label={label} placeholder="60/57/54/51/48" />
                                    : p.input === 'order' ? <Select style={{ width: 110 }} aria-label={label} options={[{ value: 'desc', label: t('evaluation.form.orderDesc') }, { value: 'asc', label: t('evaluation.form.orderAsc') }]} />
                                      : <Select style={{ width: 90 }} aria-label={label} options={[{ value: '>=', label: t('evaluation.form.opGe') }, { value: '<=', label: t('evaluation.form.opLe') }]} />}
                              </Form.Item>
                            );
                          })}
                          {kind === 'veto' && <Typography.Text type="secondary">{t('evaluation.form.vetoHelp')}</Typography.Text>}
                        </Space>
                      );
                    }}
                  </Form.Item>
                  </Space>
                ) },
                { title: '', key: 'x', render: (_: unknown, f) => <Button icon={<DeleteOutlined />} onClick={() => { remove(f.name); changed(); }} aria-label={t('evaluation.form.remove')} /> },
              ]} />
            <Button icon={<PlusOutlined />} style={{ marginTop: 8 }} data-testid="evaluation-add-line"
              onClick={() => { add({ key: '', name: '', group: null, kind: null, p: {} } satisfies LineValues); changed(); }}>{t('evaluation.form.addLine')}</Button>
          </>
        )}
      </Form.List>
    </Form>
  );
}
