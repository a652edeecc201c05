import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App, Breadcrumb, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Grid, Input, InputNumber, List, Modal, Popconfirm, Select, Skeleton, Table, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/reference.ts';
import { agendaApi, type DecisionMatters, type MeetingCreate, type MeetingDetail, type MeetingFilter, type MeetingInfo, type MeetingListItem, type MeetingUpdate } from '../../api/supervision.ts';
import { useCan } from '../../auth.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { ProjectPicker } from '../../components/ProjectPicker.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { URGENCIES } from './CreateMatterModal.tsx';

const KINDS = ['weekly', 'coordination', 'special', 'other'] as const;

/** The meeting's own fields (名称, 类型, 日期, 主持人, 参会人员, 地点), the same in the new-meeting and the edit dialogs. */
function MeetingFields({ titleTestId }: { titleTestId: string }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="title" label={t('meetings.name')} rules={[{ required: true, message: t('meetings.name') }]}><Input maxLength={200} data-testid={titleTestId} /></Form.Item>
      <Flex gap={8}>
        <Form.Item name="kind" label={t('meetings.kind')} style={{ flex: 1 }}><Select options={KINDS.map((k) => ({ value: k, label: t(`meetings.kind.${k}` as MessageKey) }))} /></Form.Item>
        <Form.Item name="held_on" label={t('meetings.heldOn')} style={{ flex: 1 }} rules={[{ required: true, message: t('meetings.heldOn') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
      </Flex>
      <Form.Item name="chair" label={t('meetings.chair')}><Input maxLength={100} /></Form.Item>
      <Form.Item name="attendees" label={t('meetings.attendees')}><Input maxLength={2000} /></Form.Item>
      <Form.Item name="location" label={t('meetings.location')}><Input maxLength={200} /></Form.Item>
    </>
  );
}

/** 会议: the meetings (周例会、调度会、专题会), each with its decisions (议定事项) and how many are assigned and done. */
export function MeetingsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const mobile = !Grid.useBreakpoint().md;
  const [filter, setFilter] = useState<MeetingFilter>({});
  const [search, setSearch] = useState('');
  const { data, error, loading, reload } = useLoad(() => agendaApi.meetings(filter), [filter.kind, filter.year, filter.q]);
  const [creating, setCreating] = useState(false);
  const thisYear = dayjs().year();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as { kind: MeetingCreate['kind']; title: string; held_on: Dayjs; chair?: string; attendees?: string; location?: string; decisions?: string };
    setSaving(true);
    try {
      const r = await agendaApi.createMeeting({
        kind: v.kind, title: v.title, held_on: v.held_on.format('YYYY-MM-DD'), chair: v.chair, attendees: v.attendees, location: v.location,
        decisions: (v.decisions ?? '').split('\n').map((x) => x.trim()).filter(Boolean),
      });
      setCreating(false);
      void navigate(`/meetings/${r.id}`);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  if (error) return <LoadError error={error} onRetry={reload} />;
  const columns = [
    { title: t('meetings.heldOn'), dataIndex: 'heldOn', width: 120 },
    { title: t('meetings.kind'), dataIndex: 'kindLabel', width: 100, render: (_: unknown, m: MeetingListItem) => <Tag>{t(`meetings.kind.${m.kind}` as MessageKey)}</Tag> },
    { title: t('meetings.name'), dataIndex: 'title', render: (_: unknown, m: MeetingListItem) => <Link to={`/meetings/${m.id}`} data-testid={`meeting-link-${m.id}`}>{m.title}</Link> },
    { title: t('meetings.chair'), dataIndex: 'chair', width: 120 },
    { title: t('meetings.decisions'), key: 'd', width: 220, render: (_: unknown, m: MeetingListItem) => t('meetings.counts', { n: m.decisions, a: m.assigned, d: m.done }) },
  ];
  return (
    <Card title={t('meetings.title')} extra={can('supervision.admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setCreating(true); }} data-testid="meeting-new">{t('meetings.new')}</Button>}>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="meetings-filters">
        <Select allowClear placeholder={t('meetings.filter.allKinds')} style={{ width: 130 }} value={filter.kind} onChange={(v?: string) => setFilter({ ...filter, kind: v })} data-testid="meetings-filter-kind"
          options={KINDS.map((k) => ({ value: k, label: t(`meetings.kind.${k}` as MessageKey) }))} />
        <Select allowClear placeholder={t('meetings.filter.allYears')} style={{ width: 120 }} value={filter.year} onChange={(v?: number) => setFilter({ ...filter, year: v })} data-testid="meetings-filter-year"
          options={[0, 1, 2].map((n) => ({ value: thisYear - n, label: `${thisYear - n}年` }))} />
        <Input.Search allowClear placeholder={t('meetings.filter.search')} style={{ width: mobile ? '100%' : 240 }} value={search} onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setFilter({ ...filter, q: v.trim() || undefined })} data-testid="meetings-filter-q" />
        <Button icon={<DownloadOutlined />} href={agendaApi.meetingsXlsx(filter)} download data-testid="meetings-export">{t('export.xlsx')}</Button>
      </Flex>
      {mobile ? (
        <List loading={loading} dataSource={data?.items ?? []} renderItem={(m) => (
          <List.Item><List.Item.Meta title={<Link to={`/meetings/${m.id}`}>{m.title}</Link>} description={`${m.heldOn} · ${t('meetings.counts', { n: m.decisions, a: m.assigned, d: m.done })}`} /></List.Item>
        )} />
      ) : <Table rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} columns={columns} pagination={{ pageSize: 50 }} />}
      <Modal open={creating} title={t('meetings.new')} onCancel={() => setCreating(false)} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'meeting-create-ok' }}>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'coordination', held_on: dayjs() }}>
          <MeetingFields titleTestId="meeting-title" />
          <Form.Item name="decisions" label={t('meetings.decisionsOnePerLine')}><Input.TextArea rows={5} data-testid="meeting-decisions" /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

type Decision = MeetingDetail['decisions'][number];

/** A meeting: its facts, minutes, decisions with the matters each became, and 转为督办事项 for one or more units. */
export function MeetingPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const id = Number(useParams().id);
  const units = useUnits();
  const mobile = !Grid.useBreakpoint().md;
  const { data, error, loading, reload } = useLoad(() => agendaApi.meeting(id), [id]);
  const [turning, setTurning] = useState<Decision | null>(null);
  const [saving, setSaving] = useState(false);
  const [newDecision, setNewDecision] = useState('');
  const [editing, setEditing] = useState(false);
  const [editingDecision, setEditingDecision] = useState<Decision | null>(null);
  const [decisionText, setDecisionText] = useState('');
  const [form] = Form.useForm();
  const [meetingForm] = Form.useForm();
  // The meeting as the clerk opened it for correction, and a save refused because someone else saved first.
  const [opened, setOpened] = useState<MeetingInfo | null>(null);
  const [conflict, setConflict] = useState<MeetingConflict | null>(null);
  // A decision's add, correction or delete refused because the meeting changed since it was loaded.
  const [decisionConflict, setDecisionConflict] = useState<DecisionConflict | null>(null);
  const navigate = useNavigate();
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const fail = (e: unknown) => void message.error(e instanceof ApiError ? e.message : String(e));
  const submit = async () => {
    const v = (await form.validateFields()) as { title?: string; lead_unit_ids: number[]; co_unit_ids?: number[]; project_ids?: number[]; due_on?: Dayjs; feedback_days?: number; urgency?: DecisionMatters['urgency'] };
    setSaving(true);
    try {
      const r = await agendaApi.toMatters(id, turning!.id, {
        title: v.title, due_on: v.due_on?.format('YYYY-MM-DD') ?? null, feedback_days: v.feedback_days ?? null, urgency: v.urgency, project_ids: v.project_ids ?? [],
        units: v.lead_unit_ids.map((u) => ({ lead_unit_id: u, co_unit_ids: (v.co_unit_ids ?? []).filter((c) => c !== u) })),
      });
      void message.success(t('meetings.assigned', { n: r.matters.length }));
      setTurning(null);
      reload();
    } catch (e) {
      fail(e);
    } finally {
      setSaving(false);
    }
  };
  const m = data.meeting;
  const anyMatter = data.decisions.some((d) => d.matters.length > 0);
  const send = async (base: MeetingInfo, mine: MeetingValues) => {
    setSaving(true);
    try {
      // The stored kind is text; the form offers only the kinds the route accepts.
      await agendaApi.updateMeeting(id, { version: base.version, ...mine, kind: mine.kind as MeetingUpdate['kind'] });
      void message.success(t('meetings.saved'));
      setEditing(false);
      reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        const current = (e.details as { current?: MeetingInfo } | null)?.current ?? (await agendaApi.meeting(id)).meeting;
        setConflict({ base, current, mine });
      } else fail(e);
    } finally {
      setSaving(false);
    }
  };
  const saveMeeting = async () => {
    const v = (await meetingForm.validateFields()) as { kind: string; title: string; held_on: Dayjs; chair?: string; attendees?: string; location?: string };
    await send(opened ?? m, { kind: v.kind, title: v.title, held_on: v.held_on.format('YYYY-MM-DD'), chair: v.chair || null, attendees: v.attendees || null, location: v.location || null });
  };
  const show = (key: MeetingKey, v: string | null) => (v === null || v === '' ? '—' : key === 'kind' ? t(`meetings.kind.${v}` as MessageKey) : v);
  const fillForm = (x: MeetingValues) => meetingForm.setFieldsValue({ kind: x.kind, title: x.title, held_on: dayjs(x.held_on), chair: x.chair ?? undefined, attendees: x.attendees ?? undefined, location: x.location ?? undefined });
  // Keep my changes (the fields I changed from what I opened) on top of the newer meeting, and send them again.
  const reapply = () => {
    if (!conflict) return;
    const { base, current, mine } = conflict;
    const merged = { ...valuesOf(current), ...Object.fromEntries(MEETING_KEYS.filter((k) => mine[k] !== valuesOf(base)[k]).map((k) => [k, mine[k]])) };
    setConflict(null);
    setOpened(current);
    fillForm(merged);
    void send(current, merged);
  };
  // Take the newer meeting and drop my edits (the dialog stays open on the newer values).
  const discard = () => {
    if (!conflict) return;
    setOpened(conflict.current);
    fillForm(valuesOf(conflict.current));
    setConflict(null);
    reload();
  };
  const removeMeeting = async () => {
    try {
      await agendaApi.deleteMeeting(id);
      void message.success(t('meetings.deleted'));
      void navigate('/meetings');
    } catch (e) {
      fail(e);
    }
  };
  // A decision's change names the meeting's version it was made on; a stale one opens the conflict dialog.
  const runDecision = async (op: DecisionOp, version: number) => {
    try {
      if (op.kind === 'add') await agendaApi.addDecision(id, version, op.text);
      else if (op.kind === 'update') await agendaApi.updateDecision(id, op.decisionId, version, op.text);
      else await agendaApi.deleteDecision(id, op.decisionId, version);
      if (op.kind === 'add') setNewDecision('');
      if (op.kind === 'update') setEditingDecision(null);
      reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        const d = e.details as { current?: MeetingInfo; decisions?: DecisionText[] } | null;
        const latest = d?.current && d.decisions ? null : await agendaApi.meeting(id);
        setDecisionConflict({ op, message: e.message, current: d?.current ?? latest!.meeting, decisions: d?.decisions ?? latest!.decisions });
      } else fail(e);
    }
  };
  const saveDecision = () => runDecision({ kind: 'update', decisionId: editingDecision!.id, seq: editingDecision!.seq, before: editingDecision!.text, text: decisionText }, m.version);
  // Send my decision change again on the meeting as it is now (offered only while the decision still exists).
  const reapplyDecision = () => {
    if (!decisionConflict) return;
    setDecisionConflict(null);
    void runDecision(decisionConflict.op, decisionConflict.current.version);
  };
  const discardDecision = () => {
    setDecisionConflict(null);
    setEditingDecision(null);
    reload();
  };
  return (
    <div data-testid="meeting-page">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/meetings">{t('nav.meetings')}</Link> }, { title: m.title }]} />
      <Card
        title={<Flex vertical style={{ whiteSpace: 'normal', padding: '8px 0' }}><Typography.Title level={4} style={{ margin: 0 }}>{m.title}</Typography.Title><Typography.Text type="secondary" data-testid="meeting-summary">{data.summary}</Typography.Text></Flex>}
        styles={{ header: { flexWrap: 'wrap' } }}
        extra={can('supervision.admin') && (
          <Flex gap={8} wrap>
            <Button icon={<EditOutlined />} data-testid="meeting-edit" onClick={() => {
              fillForm(valuesOf(m));
              setOpened(m);
              setEditing(true);
            }}>{t('meetings.edit')}</Button>
            {anyMatter
              ? <Button danger icon={<DeleteOutlined />} data-testid="meeting-delete" onClick={() => void removeMeeting()}>{t('meetings.delete')}</Button>
              : (
                <Popconfirm title={t('meetings.deleteConfirm')} okText={t('meetings.delete')} onConfirm={() => void removeMeeting()}>
                  <Button danger icon={<DeleteOutlined />} data-testid="meeting-delete">{t('meetings.delete')}</Button>
                </Popconfirm>
              )}
          </Flex>
        )}
      >
        <Descriptions size="small" bordered column={mobile ? 1 : 2} items={[
          { key: 'kind', label: t('meetings.kind'), children: t(`meetings.kind.${m.kind}` as MessageKey) },
          { key: 'on', label: t('meetings.heldOn'), children: m.heldOn },
          { key: 'chair', label: t('meetings.chair'), children: m.chair ?? '—' },
          { key: 'loc', label: t('meetings.location'), children: m.location ?? '—' },
          { key: 'att', label: t('meetings.attendees'), span: mobile ? 1 : 2, children: m.attendees ?? '—' },
          { key: 'files', label: t('meetings.minutes'), span: mobile ? 1 : 2, children: (
            <Flex gap={8} wrap align="center">
              {data.attachments.map((a) => <a key={a.id} href={`/api/v1/attachments/${a.id}`} download><PaperClipOutlined /> {a.fileName}</a>)}
              {can('supervision.admin') && <Upload showUploadList={false} beforeUpload={(f) => { void agendaApi.minutes(id, f).then(reload, fail); return false; }}><Button size="small" icon={<UploadOutlined />}>{t('meetings.uploadMinutes')}</Button></Upload>}
            </Flex>
          ) },
        ]} />
      </Card>
      <Card title={t('meetings.decisions')} size="small" style={{ marginTop: 12 }}>
        {data.decisions.length === 0 ? <Empty /> : (
          <List dataSource={data.decisions} renderItem={(d) => (
            <List.Item data-testid={`decision-${d.seq}`} actions={[
              ...(can('matter.assign') ? [<Button key="to" size="small" onClick={() => { form.resetFields(); setTurning(d); }} data-testid={`decision-assign-${d.seq}`}>{t('meetings.toMatters')}</Button>] : []),
              ...(can('supervision.admin') ? [<Button key="ed" size="small" type="text" icon={<EditOutlined />} aria-label={t('meetings.editDecision')} onClick={() => { setDecisionText(d.text); setEditingDecision(d); }} data-testid={`decision-edit-${d.seq}`} />] : []),
              ...(can('supervision.admin') && d.matters.length === 0 ? [
                <Popconfirm key="del" title={t('meetings.deleteDecisionConfirm')} onConfirm={() => void runDecision({ kind: 'delete', decisionId: d.id, seq: d.seq, before: d.text }, m.version)}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('meetings.deleteDecision')} data-testid={`decision-delete-${d.seq}`} />
                </Popconfirm>,
              ] : []),
            ]}>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Typography.Text><b>{d.seq}.</b> {d.text} {d.done && <Tag color="green">{t('meetings.decisionDone')}</Tag>}</Typography.Text>
                <Flex gap={6} wrap>
                  {d.matters.map((x) => <Link key={x.id} to={`/matters/${x.id}`}><Tag color={x.closedOn ? 'green' : 'blue'}>{x.number} · {x.leadUnitName} · {t(`matters.state.${x.status}` as MessageKey)}</Tag></Link>)}
                </Flex>
              </Flex>
            </List.Item>
          )} />
        )}
        {can('supervision.admin') && (
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Input value={newDecision} onChange={(e) => setNewDecision(e.target.value)} placeholder={t('meetings.addDecision')} data-testid="decision-new" />
            <Button disabled={!newDecision.trim()} onClick={() => void runDecision({ kind: 'add', text: newDecision }, m.version)} data-testid="decision-add">{t('meetings.add')}</Button>
          </Flex>
        )}
      </Card>
      <Modal open={turning !== null} title={t('meetings.toMatters')} onCancel={() => setTurning(null)} onOk={() => void submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'decision-assign-ok' }}>
        <Typography.Paragraph type="secondary">{turning?.text}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ title: turning?.text.slice(0, 60), urgency: 'normal' }}>
          <Form.Item name="title" label={t('matters.matter')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="lead_unit_ids" label={t('meetings.leadUnits')} extra={t('meetings.leadUnitsHint')} rules={[{ required: true, message: t('meetings.leadUnits') }]}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.name }))} data-testid="decision-lead-units" />
          </Form.Item>
          <Form.Item name="co_unit_ids" label={t('matters.coUnits')}><Select mode="multiple" allowClear optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.name }))} /></Form.Item>
          <Form.Item name="project_ids" label={t('meetings.projects')} extra={t('meetings.projectsHint')}><ProjectPicker placeholder={t('meetings.pickProjects')} testId="decision-projects" /></Form.Item>
          <Flex gap={8}>
            <Form.Item name="due_on" label={t('matters.dueOn')} style={{ flex: 1 }}><DatePicker style={{ width: '100%' }} /></Form.Item>
            <Form.Item name="feedback_days" label={t('matters.feedbackDays')} style={{ flex: 1 }}><InputNumber min={0} max={60} style={{ width: '100%' }} /></Form.Item>
          </Flex>
          <Form.Item name="urgency" label={t('matters.urgency')}><Select options={URGENCIES.map((s) => ({ value: s, label: t(`matters.urgency.${s}` as MessageKey) }))} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={editing} title={t('meetings.edit')} onCancel={() => setEditing(false)} onOk={() => void saveMeeting()} confirmLoading={saving} destroyOnHidden forceRender okButtonProps={{ 'data-testid': 'meeting-edit-ok' }}>
        <Form form={meetingForm} layout="vertical">
          <MeetingFields titleTestId="meeting-edit-title" />
        </Form>
      </Modal>
      <Modal open={conflict !== null} title={t('meetings.conflict.title')} onCancel={() => setConflict(null)} width={680} data-testid="meeting-conflict"
        footer={[
          <Button key="discard" onClick={discard} data-testid="meeting-conflict-discard">{t('project.conflict.discard')}</Button>,
          <Button key="reapply" type="primary" onClick={reapply} data-testid="meeting-conflict-reapply">{t('project.conflict.reapply')}</Button>,
        ]}>
        <Typography.Paragraph>{t(conflict && conflictRows(conflict).length === 0 ? 'meetings.conflict.onlyDecisions' : 'meetings.conflict.intro')}</Typography.Paragraph>
        <Table size="small" pagination={false} rowKey="key" scroll={{ x: 520 }} data-testid="meeting-conflict-table"
          dataSource={conflict ? conflictRows(conflict) : []}
          columns={[
            { title: t('project.conflict.field'), dataIndex: 'key', render: (k: MeetingKey, r) => <>{t(MEETING_LABELS[k])} {r.overlaps && <Tag color="red">冲突</Tag>}</> },
            { title: t('project.conflict.theirs'), render: (_v, r) => <><del style={{ color: '#999' }}>{show(r.key, r.before)}</del><br />{show(r.key, r.after)}</> },
            { title: t('project.conflict.mine'), render: (_v, r) => (r.mineChanged ? show(r.key, r.mine) : '—') },
          ]} />
      </Modal>
      <Modal open={decisionConflict !== null} title={t('meetings.decisionConflict.title')} onCancel={() => setDecisionConflict(null)} width={680} data-testid="decision-conflict"
        footer={[
          <Button key="discard" onClick={discardDecision} data-testid="decision-conflict-discard">{t('project.conflict.discard')}</Button>,
          <Button key="reapply" type="primary" onClick={reapplyDecision} disabled={!decisionConflict || !canReapply(decisionConflict)} data-testid="decision-conflict-reapply">{t('project.conflict.reapply')}</Button>,
        ]}>
        {decisionConflict && (() => {
          const { op, decisions } = decisionConflict;
          const now = op.kind === 'add' ? undefined : decisions.find((x) => x.id === op.decisionId);
          const theirs = op.kind === 'add' ? '—' : now ? (now.text === op.before ? `${now.text} ${t('meetings.decisionConflict.unchanged')}` : now.text) : t('meetings.decisionConflict.gone');
          const mine = op.kind === 'delete' ? t('meetings.decisionConflict.deleteMine') : op.text;
          return (
            <>
              <Typography.Paragraph type="danger" data-testid="decision-conflict-message">{decisionConflict.message}</Typography.Paragraph>
              <Table size="small" pagination={false} rowKey="k" scroll={{ x: 520 }} data-testid="decision-conflict-table"
                dataSource={[{ k: 'd', item: op.kind === 'add' ? t('meetings.decisionConflict.new') : t('meetings.decisionConflict.seq', { n: op.seq }), theirs, mine }]}
                columns={[
                  { title: t('meetings.decisionConflict.item'), dataIndex: 'item', width: 110 },
                  { title: t('project.conflict.theirs'), dataIndex: 'theirs' },
                  { title: t('project.conflict.mine'), dataIndex: 'mine' },
                ]} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 4 }}>{t('meetings.decisionConflict.latest')}</Typography.Paragraph>
              <ol style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }} data-testid="decision-conflict-latest">
                {decisions.map((x) => <li key={x.id}><b>{x.seq}.</b> {x.text}</li>)}
              </ol>
            </>
          );
        })()}
      </Modal>
      <Modal open={editingDecision !== null} title={t('meetings.editDecision')} onCancel={() => setEditingDecision(null)} onOk={() => void saveDecision()} okButtonProps={{ disabled: !decisionText.trim(), 'data-testid': 'decision-edit-ok' }} destroyOnHidden>
        <Input.TextArea rows={4} maxLength={2000} value={decisionText} onChange={(e) => setDecisionText(e.target.value)} data-testid="decision-edit-text" />
      </Modal>
    </div>
  );
}

/** A decision as a conflict answer lists it. */
type DecisionText = { id: number; seq: number; text: string };
/** A change to the decisions: add one, correct one (from `before`), delete one. */
type DecisionOp = { kind: 'add'; text: string } | { kind: 'update'; decisionId: number; seq: number; before: string; text: string } | { kind: 'delete'; decisionId: number; seq: number; before: string };
/** A decision change refused as stale: what I sent, the server's Chinese message, and the meeting and decisions now. */
interface DecisionConflict { op: DecisionOp; message: string; current: MeetingInfo; decisions: DecisionText[] }
/** My change can be sent again unless it targets a decision someone deleted. */
const canReapply = ({ op, decisions }: DecisionConflict) => op.kind === 'add' || decisions.some((x) => x.id === op.decisionId);

/** A meeting correction's values as the API takes them. */
type MeetingValues = { kind: string; title: string; held_on: string; chair: string | null; attendees: string | null; location: string | null };
type MeetingKey = keyof MeetingValues;
const MEETING_KEYS: MeetingKey[] = ['kind', 'title', 'held_on', 'chair', 'attendees', 'location'];
const MEETING_LABELS: Record<MeetingKey, MessageKey> = { kind: 'meetings.kind', title: 'meetings.name', held_on: 'meetings.heldOn', chair: 'meetings.chair', attendees: 'meetings.attendees', location: 'meetings.location' };
/** A save refused as stale: what I opened, what is stored now, and what I sent. */
interface MeetingConflict { base: MeetingInfo; current: MeetingInfo; mine: MeetingValues }
const valuesOf = (m: MeetingInfo): MeetingValues => ({ kind: m.kind, title: m.title, held_on: m.heldOn, chair: m.chair, attendees: m.attendees, location: m.location });
/** The fields the other save changed since I opened the meeting; `overlaps` when I changed the same one differently. */
function conflictRows({ base, current, mine }: MeetingConflict) {
  const b = valuesOf(base);
  const c = valuesOf(current);
  return MEETING_KEYS.filter((k) => c[k] !== b[k]).map((k) => {
    const mineChanged = mine[k] !== b[k];
    return { key: k, before: b[k], after: c[k], mine: mine[k], mineChanged, overlaps: mineChanged && mine[k] !== c[k] };
  });
}
