import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { PROBLEM_STATUSES, problemsApi, type ProblemAction, type ProblemDetail, type ProblemRow } from '../../api/problems.ts';
import { referenceApi } from '../../api/endpoints.ts';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { CaseDeadlines, CaseTimeline, type CaseTimelineItem } from '../../components/CaseTimeline.tsx';
import { PROBLEM_LEVELS, PROBLEM_SOURCES } from '../../../core/problems/problem-workflow.ts';

const STATUS_COLOR: Record<string, string> = { pending: 'default', assigned: 'blue', signed: 'cyan', in_progress: 'processing', replied: 'purple', visited: 'geekblue', closed: 'success', rejected: 'default' };

/** A problem's status as a tag. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`problem.status.${status}` as MessageKey)}</Tag>;
}

/** The problem ledger (问题台账): filters in the URL, the list, the workbook, and each problem (deadlines, timeline, actions) in a drawer. */
export function ProblemsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const query = {
    status: params.get('status') ?? undefined, category_code: params.get('category') ?? undefined, q: params.get('q') ?? undefined,
    owner_unit_id: params.get('owner') ?? undefined, raised_unit_id: params.get('raised') ?? undefined, source: params.get('source') ?? undefined,
    level: params.get('level') ?? undefined, received_from: params.get('from') ?? undefined, received_to: params.get('to') ?? undefined,
    overdue: params.get('overdue') ?? undefined, page: Number(params.get('page') ?? 1), page_size: 20,
  };
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v); else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };
  const cats = useLoad(() => problemsApi.categories(), []);
  const units = useLoad(() => referenceApi.units(), []);
  const unitName = (id: string | undefined) => (id ? units.data?.items.find((u) => u.id === Number(id))?.name ?? `#${id}` : undefined);
  const list = useLoad(() => problemsApi.list(query), [params.toString()]);
  // A to-do's link (/problems?open=12) opens that problem's drawer.
  const [openId, setOpenId] = useState<number | null>(() => (params.get('open') ? Number(params.get('open')) : null));

  return (
    <Card title={t('problem.ledger')} extra={<Button icon={<DownloadOutlined />} href={problemsApi.exportUrl(query)} data-testid="problems-export">{t('problem.export')}</Button>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select mode="multiple" allowClear style={{ minWidth: 220 }} placeholder={t('problem.status')} data-testid="problems-status"
          value={query.status ? query.status.split(',') : []} onChange={(v: string[]) => set({ status: v.join(',') || undefined })}
          options={PROBLEM_STATUSES.map((s) => ({ value: s, label: t(`problem.status.${s}` as MessageKey) }))} />
        <Select allowClear style={{ width: 160 }} placeholder={t('problem.category')} value={query.category_code} onChange={(v?: string) => set({ category: v })}
          options={(cats.data ?? []).filter((c) => !c.parent_code).map((c) => ({ value: c.code, label: c.name }))} />
        <Input.Search allowClear style={{ width: 220 }} placeholder={t('problem.search')} defaultValue={query.q} onSearch={(v) => set({ q: v || undefined })} />
        <UnitPicker units={units.data?.items ?? []} style={{ width: 200 }} placeholder={t('problem.owner')} testId="problems-owner"
          value={query.owner_unit_id ? Number(query.owner_unit_id) : undefined} onChange={(v) => set({ owner: v ? String(v) : undefined })} />
        <Select allowClear style={{ width: 130 }} placeholder={t('problem.source')} value={query.source} onChange={(v?: string) => set({ source: v })} data-testid="problems-source"
          options={PROBLEM_SOURCES.map((v) => ({ value: v, label: t(`problemFigures.source.${v}` as MessageKey) }))} />
        <Select allowClear style={{ width: 110 }} placeholder={t('problem.level')} value={query.level} onChange={(v?: string) => set({ level: v })}
          options={PROBLEM_LEVELS.map((v) => ({ value: v, label: t(`problemFigures.level.${v}` as MessageKey) }))} />
        {query.raised_unit_id && <Tag closable onClose={() => set({ raised: undefined })}>{t('problem.raisedBy', { name: unitName(query.raised_unit_id) ?? '' })}</Tag>}
        {(query.received_from || query.received_to) && (
          <Tag closable onClose={() => set({ from: undefined, to: undefined })} data-testid="problems-received">{t('problem.receivedBetween', { from: query.received_from ?? '…', to: query.received_to ?? '…' })}</Tag>
        )}
        <Checkbox checked={!!query.overdue} onChange={(e) => set({ overdue: e.target.checked ? '1' : undefined })}>{t('problem.onlyOverdue')}</Checkbox>
      </Space>
      {list.error ? <LoadError error={list.error} onRetry={list.reload} /> : (
        <Table<ProblemRow> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 1000 }}
          onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
          pagination={{ current: query.page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set({ page: String(p) }), showTotal: (n) => t('problem.total', { n }) }}
          columns={[
            { title: t('problem.id'), dataIndex: 'id', width: 64 },
            { title: t('problem.title'), dataIndex: 'title', render: (v: string, r) => <span>{r.is_major ? <Tag color="red">{t('problem.major')}</Tag> : null}{v}</span> },
            { title: t('problem.subject'), key: 'subject', render: (_, r) => r.enterprise_id ? <Link to={`/enterprises/${r.enterprise_id}`} onClick={(e) => e.stopPropagation()}>{r.enterprise_name}</Link> : r.project_name },
            { title: t('problem.category'), key: 'cat', width: 110, render: (_, r) => (r.parent_category_name ? `${r.parent_category_name}/${r.category_name}` : r.category_name) },
            { title: t('problem.owner'), dataIndex: 'owner_unit_name', width: 140 },
            { title: t('problem.status'), dataIndex: 'status', width: 90, render: (s: string) => <StatusTag status={s} /> },
            { title: t('problem.receivedOn'), dataIndex: 'received_on', width: 108 },
            { title: t('problem.due'), key: 'due', width: 140, render: (_, r) => r.current_due ? <span>{r.current_due.due}{r.due_state === 'overdue' ? <Tag color="red" style={{ marginLeft: 4 }}>{t('problem.overdue')}</Tag> : r.due_state === 'due_soon' ? <Tag color="orange" style={{ marginLeft: 4 }}>{t('problem.dueSoon')}</Tag> : null}</span> : '—' },
            { title: t('problem.redo'), dataIndex: 'redo_count', width: 64 },
          ]} />
      )}
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} width={Math.min(560, window.innerWidth)} title={t('problem.detail')} destroyOnHidden>
        {openId !== null && <ProblemDrawer id={openId} onChanged={list.reload} />}
      </Drawer>
    </Card>
  );
}

/** The API's snake_case timeline entry as the shared timeline takes it. */
const timelineItem = (x: ProblemDetail['timeline'][number]): CaseTimelineItem => ({ at: x.at, kind: x.kind, title: x.title, detail: x.detail, actorName: x.actor_name });

/** One problem: its fields, the engine's deadlines, what the reader may do, its matter (if escalated) and the engine's timeline. */
function ProblemDrawer({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const p = useLoad(() => problemsApi.get(id), [id]);
  const [text, setText] = useState('');
  const [result, setResult] = useState<ProblemAction['result']>(undefined);
  if (p.error) return <LoadError error={p.error} onRetry={p.reload} />;
  const d: ProblemDetail | undefined = p.data;
  if (!d) return null;
  const act = async (action: string) => {
    await problemsApi.act(id, action, { version: d.version, reason: text || undefined, reply: action === 'reply' ? text : undefined, result: action === 'visit' ? result : undefined });
    void message.success(t('problem.done'));
    setText('');
    p.reload();
    onChanged();
  };
  const adopt = async () => {
    await problemsApi.act(id, 'adopt_matter', { version: d.version });
    void message.success(t('problem.adopted'));
    p.reload();
    onChanged();
  };
  const escalate = async () => {
    await problemsApi.escalate(id, { version: d.version, reason: text || undefined });
    void message.success(t('problem.escalated'));
    setText('');
    p.reload();
    onChanged();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{d.title}</Typography.Title>
      <Descriptions size="small" column={1} bordered items={[
        { label: t('problem.status'), children: <StatusTag status={d.status} /> },
        { label: t('problem.description'), children: d.description },
        { label: t('problem.owner'), children: [d.owner_unit_name, ...d.co_units.map((u) => u.name)].filter(Boolean).join('、') || '—' },
        { label: t('problem.due'), children: d.solve_due ?? d.current_due?.due ?? '—' },
        { label: t('problem.reply'), children: d.reply ?? '—' },
      ]} />
      {d.deadlines.length > 0 && (
        <CaseDeadlines testId="problem-deadlines" label={(k) => t(`problem.deadline.${k}` as MessageKey)}
          items={[...d.deadlines].sort((a, b) => a.due_on.localeCompare(b.due_on)).map((x) => ({ kind: x.kind, dueOn: x.due_on, status: x.status, overdue: x.overdue, workingDays: x.working_days }))} />
      )}
      {(d.actions.length > 0 || d.can_escalate) && (
        <Card size="small" title={t('problem.handle')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('problem.reasonOrReply')} />
            {d.actions.includes('visit') && (
              <Select style={{ width: 160 }} placeholder={t('problem.visitResult')} value={result} onChange={setResult}
                options={['satisfied', 'basic', 'unsatisfied'].map((v) => ({ value: v, label: t(`problem.result.${v}` as MessageKey) }))} />
            )}
            <Space wrap>
              {d.actions.filter((a) => a !== 'adopt_matter').map((a) => <Button key={a} onClick={() => void act(a)}>{t(`problem.action.${a}` as MessageKey)}</Button>)}
              {d.can_escalate && <Button danger data-testid="problem-escalate" onClick={() => void escalate()}>{t('problem.escalate')}</Button>}
            </Space>
            {d.can_escalate && <Typography.Text type="secondary">{t('problem.escalateHint')}</Typography.Text>}
          </Space>
        </Card>
      )}
      {d.matter && (
        <Card size="small" title={t('problem.matter')} data-testid="problem-matter">
          {d.matter.visible ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              {d.matter.outcome_state === 'closed' && (
                <Alert type="success" showIcon data-testid="problem-matter-closed"
                  message={d.matter.outcome ? t('problem.matterClosed', { outcome: d.matter.outcome }) : t('problem.matterClosedNoOutcome')}
                  description={d.actions.includes('adopt_matter') ? (
                    <Space direction="vertical">
                      <span>{t('problem.matterAdoptHint')}</span>
                      <Button type="primary" size="small" data-testid="problem-adopt-matter" onClick={() => void adopt()}>{t('problem.action.adopt_matter')}</Button>
                    </Space>
                  ) : undefined} />
              )}
              {d.matter.outcome_state === 'returned' && (
                <Alert type="warning" showIcon data-testid="problem-matter-returned" message={t('problem.matterReturned', { reason: d.matter.returned_reason ?? '—' })} description={t('problem.matterReturnedHint')} />
              )}
              <Descriptions size="small" column={1} items={[
                { label: t('problem.matter'), children: <Link to={`/matters/${d.matter.id}`}>{d.matter.number}</Link> },
                { label: t('problem.matterStatus'), children: <Tag color={d.matter.overdue ? 'red' : 'blue'}>{d.matter.status_label}</Tag> },
                { label: t('problem.matterDue'), children: d.matter.due_on ?? '—' },
              ]} />
              <Typography.Text strong>{t('problem.matterTimeline')}</Typography.Text>
              <CaseTimeline items={d.matter.timeline.map(timelineItem)} testId="problem-matter-timeline" />
            </Space>
          ) : <Typography.Text type="secondary">{t('problem.matterHidden')}</Typography.Text>}
        </Card>
      )}
      <Card size="small" title={t('problem.timeline')}>
        <CaseTimeline items={d.timeline.map(timelineItem)} testId="problem-timeline" />
      </Card>
    </Space>
  );
}
