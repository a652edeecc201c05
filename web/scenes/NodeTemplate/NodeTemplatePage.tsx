import { useState } from 'react';
import { Alert, Button, Card, Flex, Input, InputNumber, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { templateProblems } from '../../../core/nodeplans/template.ts';
import { nodePlanApi, type NodeTemplate } from '../../api/nodeplans.ts';
import { useUnits } from '../../api/reference.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSettingsSave, type VersionedResource } from '../Supervision/SettingsConflict.tsx';

/** A row of the draft: predecessors by row key, so moving or removing rows keeps them right. */
interface Row {
  key: number;
  name: string;
  duration_days: number | null;
  predecessors: number[];
  unit_id: number | null;
  evidence: string;
}

type TemplateNodes = NodeTemplate['nodes'];

const toRows = (nodes: TemplateNodes): Row[] => nodes.map((n, i) => ({ key: i, name: n.name, duration_days: n.duration_days, predecessors: n.predecessors, unit_id: n.unit_id, evidence: n.evidence }));

/** The draft as the API takes it: predecessors as indexes in the list. */
function toNodes(rows: readonly Row[]): TemplateNodes {
  const index = new Map(rows.map((r, i) => [r.key, i]));
  return rows.map((r) => ({
    name: r.name.trim(), duration_days: r.duration_days ?? 0, predecessors: r.predecessors.flatMap((k) => (index.has(k) ? [index.get(k)!] : [])),
    unit_id: r.unit_id, unit_name: null, evidence: r.evidence.trim(),
  }));
}

/** The office's template as a versioned resource (a stale save: theirs versus mine). */
function useTemplateResource(): VersionedResource<NodeTemplate, 'nodes'> {
  const { t } = useI18n();
  return {
    save: (from, mine) => nodePlanApi.saveTemplate({
      version: from.version,
      nodes: (mine.nodes ?? from.nodes).map((n) => ({ name: n.name, duration_days: n.duration_days, predecessors: n.predecessors, unit_id: n.unit_id, evidence: n.evidence })),
    }),
    load: () => nodePlanApi.template(),
    title: t('nodeTpl.conflict.title'), intro: t('nodeTpl.conflict.intro'),
    label: () => t('nodeTpl.conflict.key.nodes'),
    summary: (_k, v) => v.map((n, i) => `${i + 1}. ${n.name}（${n.duration_days}）`).join('、'),
  };
}

/**
 * 节点计划模板 (office): the default nodes a plan "from template" starts from — order, predecessors, working-day
 * durations, the default responsible unit and the evidence required — checked as the server checks them (unique
 * names, durations ≥ 1, no cycle) and saved with a version (a stale save opens theirs-versus-mine).
 */
export function NodeTemplatePage() {
  const { t } = useI18n();
  const units = useUnits();
  const { data, error, loading, reload } = useLoad(() => nodePlanApi.template(), []);
  const [draft, setDraft] = useState<Row[] | null>(null);
  const saver = useSettingsSave(useTemplateResource(), t('nodeTpl.saved'), () => { setDraft(null); reload(); });
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const rows = draft ?? toRows(data.nodes);
  const edit = (next: Row[]) => {
    saver.touch(data);
    setDraft(next);
  };
  const change = (key: number, patch: Partial<Row>) => edit(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    edit(next);
  };
  const remove = (key: number) => edit(rows.filter((r) => r.key !== key).map((r) => ({ ...r, predecessors: r.predecessors.filter((p) => p !== key) })));
  const add = () => {
    const key = Math.max(-1, ...rows.map((r) => r.key)) + 1;
    edit([...rows, { key, name: '', duration_days: 10, predecessors: rows.length ? [rows[rows.length - 1]!.key] : [], unit_id: null, evidence: '' }]);
  };
  const nodes = toNodes(rows);
  const problems = templateProblems(nodes.map((n) => ({ name: n.name, durationDays: n.duration_days, predecessors: n.predecessors, evidence: n.evidence })));
  const label = (r: Row) => `${rows.indexOf(r) + 1}. ${r.name || '—'}`;

  return (
    <Card title={t('nodeTpl.title')} data-testid="node-template"
      extra={<Space><Tag>{t('nodeTpl.version', { version: data.version })}</Tag></Space>}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('nodeTpl.intro')}</Typography.Text>
        {data.is_default && draft === null && <Alert type="info" showIcon title={t('nodeTpl.builtIn')} />}
        <Table<Row> rowKey="key" size="small" pagination={false} dataSource={rows} scroll={{ x: 1100 }}
          columns={[
            { title: t('nodes.position'), key: 'pos', width: 56, render: (_v, r) => rows.indexOf(r) + 1 },
            { title: t('nodes.name'), key: 'name', width: 200, render: (_v, r) => <Input value={r.name} maxLength={60} status={r.name.trim() ? undefined : 'error'} onChange={(e) => change(r.key, { name: e.target.value })} data-testid={`tpl-name-${rows.indexOf(r) + 1}`} /> },
            { title: t('nodes.duration'), key: 'dur', width: 110, render: (_v, r) => <InputNumber value={r.duration_days} min={1} max={1000} precision={0} style={{ width: '100%' }} onChange={(v) => change(r.key, { duration_days: v })} data-testid={`tpl-duration-${rows.indexOf(r) + 1}`} /> },
            {
              title: t('nodes.predecessors'), key: 'pre', width: 240, render: (_v, r) => (
                <Select mode="multiple" allowClear style={{ width: '100%' }} value={r.predecessors} optionFilterProp="label" data-testid={`tpl-pre-${rows.indexOf(r) + 1}`}
                  options={rows.filter((o) => o.key !== r.key).map((o) => ({ value: o.key, label: label(o) }))} onChange={(v: number[]) => change(r.key, { predecessors: v })} />
              ),
            },
            { title: t('nodes.unit'), key: 'unit', width: 180, render: (_v, r) => <UnitPicker units={units} value={r.unit_id ?? undefined} placeholder={t('nodeTpl.unitDefault')} onChange={(v) => change(r.key, { unit_id: v ?? null })} style={{ width: '100%' }} /> },
            { title: t('nodes.evidence'), key: 'ev', render: (_v, r) => <Input value={r.evidence} maxLength={500} onChange={(e) => change(r.key, { evidence: e.target.value })} /> },
            {
              title: t('nodes.actions'), key: 'act', width: 130, render: (_v, r) => {
                const i = rows.indexOf(r);
                return (
                  <Space size={0}>
                    <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('nodeTpl.up')} />
                    <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t('nodeTpl.down')} />
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(r.key)} aria-label={t('nodeTpl.remove')} data-testid={`tpl-remove-${i + 1}`} />
                  </Space>
                );
              },
            },
          ]} />
        {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} data-testid="tpl-problems" />}
        <Space>
          <Button icon={<PlusOutlined />} onClick={add} data-testid="tpl-add">{t('nodeTpl.add')}</Button>
          <Button type="primary" disabled={draft === null || problems.length > 0} loading={saver.saving} onClick={() => void saver.save(data, { nodes })} data-testid="tpl-save">{t('nodeTpl.save')}</Button>
          {draft !== null && <Button onClick={() => { setDraft(null); saver.forget(); }}>{t('nodeTpl.reset')}</Button>}
        </Space>
      </Flex>
      {saver.modal}
    </Card>
  );
}
