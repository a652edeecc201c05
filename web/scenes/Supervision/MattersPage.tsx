import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Flex, Grid, Input, List, Select, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth, useCan } from '../../auth.tsx';
import { useUnits } from '../../api/reference.ts';
import { supervisionApi, type MatterListItem } from '../../api/supervision.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { CreateMatterModal, SOURCES, URGENCIES } from './CreateMatterModal.tsx';

/** The inbox tabs each role sees (the server applies the same boxes within the actor's data scope). */
const BOXES: Record<string, string[]> = {
  reporter: ['to_sign', 'doing', 'done', 'co', 'overdue'],
  supervisor: ['review', 'all', 'overdue', 'attention'],
  office: ['review', 'all', 'overdue', 'attention'],
  leader: ['mine', 'attention', 'overdue', 'all'],
};

export function StateTag({ m }: { m: Pick<MatterListItem, 'status' | 'overdue' | 'attention'> }) {
  const { t } = useI18n();
  const color = m.status === 'written_off' || m.status === 'closed' ? 'green' : m.status === 'pending_sign' ? 'blue' : m.status === 'suspended' ? 'default' : 'processing';
  return (
    <Flex gap={4} wrap>
      <Tag color={color}>{t(`matters.state.${m.status}` as MessageKey)}</Tag>
      {m.overdue && <Tag color="red">{t('matters.overdueTag')}</Tag>}
      {m.attention && <Tag color="orange">{t('matters.attentionTag')}</Tag>}
    </Flex>
  );
}

/** 督查督办: inboxes by role, filters, export to xlsx, and 交办 for those who assign. */
export function MattersPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const can = useCan();
  const units = useUnits();
  const mobile = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const boxes = BOXES[user?.role ?? ''] ?? ['all'];
  const box = boxes.includes(params.get('box') ?? '') ? params.get('box')! : boxes[0]!;
  const [q, setQ] = useState(params.get('q') ?? '');
  const query = useMemo(() => ({
    box, q: params.get('q') ?? undefined, unit_id: params.get('unit_id') ?? undefined, source: params.get('source') ?? undefined,
    urgency: params.get('urgency') ?? undefined, overdue: params.get('overdue') === '1' ? '1' : undefined, limit: 200,
  }), [box, params]);
  const { data, error, loading, reload } = useLoad(() => supervisionApi.list(query), [JSON.stringify(query)]);
  const [creating, setCreating] = useState(false);
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const columns = [
    { title: t('matters.number'), dataIndex: 'number', width: 150 },
    { title: t('matters.matter'), dataIndex: 'title', render: (_: unknown, m: MatterListItem) => <Link to={`/matters/${m.id}`} data-testid={`matter-link-${m.id}`}>{m.title}</Link> },
    { title: t('matters.leadUnit'), dataIndex: 'leadUnitName', width: 140 },
    { title: t('matters.source'), dataIndex: 'source', width: 100, render: (s: string) => t(`matters.source.${s}` as MessageKey) },
    { title: t('matters.status'), dataIndex: 'status', width: 170, render: (_: unknown, m: MatterListItem) => <StateTag m={m} /> },
    { title: t('matters.dueOn'), dataIndex: 'dueOn', width: 110 },
    { title: t('matters.nextFeedback'), dataIndex: 'nextFeedbackOn', width: 110 },
  ];

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('matters.title')}</Typography.Title>}
      extra={(
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} href={supervisionApi.exportHref(query)} download data-testid="matters-export">{t('export.xlsx')}</Button>
          {can('matter.assign') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="matter-new">{t('matters.new')}</Button>}
        </Flex>
      )}
      styles={{ header: { flexWrap: 'wrap' }, body: { padding: mobile ? 8 : 16 } }}
    >
      <Tabs activeKey={box} onChange={(k) => set('box', k)} items={boxes.map((b) => ({ key: b, label: t(`matters.box.${b}` as MessageKey) }))} />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('matters.search')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => set('q', v || undefined)} style={{ width: mobile ? '100%' : 220 }} data-testid="matters-search" />
        {user?.role !== 'reporter' && (
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('matters.filter.unit')} style={{ width: 180 }} value={params.get('unit_id') ? Number(params.get('unit_id')) : undefined}
            onChange={(v?: number) => set('unit_id', v ? String(v) : undefined)} options={units.map((u) => ({ value: u.id, label: u.name }))} />
        )}
        <Select allowClear placeholder={t('matters.filter.source')} style={{ width: 130 }} value={params.get('source') ?? undefined} onChange={(v?: string) => set('source', v)}
          options={SOURCES.map((s) => ({ value: s, label: t(`matters.source.${s}` as MessageKey) }))} />
        <Select allowClear placeholder={t('matters.filter.urgency')} style={{ width: 110 }} value={params.get('urgency') ?? undefined} onChange={(v?: string) => set('urgency', v)}
          options={URGENCIES.map((s) => ({ value: s, label: t(`matters.urgency.${s}` as MessageKey) }))} />
        <Flex align="center" gap={4}><Switch size="small" checked={params.get('overdue') === '1'} onChange={(c) => set('overdue', c ? '1' : undefined)} />{t('matters.filter.overdue')}</Flex>
      </Flex>
      {error ? <LoadError error={error} onRetry={reload} /> : mobile ? (
        <List loading={loading} dataSource={data?.items ?? []} data-testid="matters-list" renderItem={(m) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={`/matters/${m.id}`} data-testid={`matter-link-${m.id}`}>{m.title}</Link>}
              description={<Flex vertical gap={4}><span>{m.number} · {m.leadUnitName}</span><span>{t('matters.dueOn')} {m.dueOn}</span><StateTag m={m} /></Flex>}
            />
          </List.Item>
        )} />
      ) : (
        <Table rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} columns={columns} pagination={{ pageSize: 50, showTotal: (n) => `${n}` }} data-testid="matters-table" />
      )}
      <CreateMatterModal open={creating} onClose={() => { setCreating(false); reload(); }} />
    </Card>
  );
}
