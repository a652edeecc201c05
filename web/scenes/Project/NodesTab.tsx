import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Timeline, Typography, Upload } from 'antd';
import { DownloadOutlined, FlagOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useCan } from '../../auth.tsx';
import { ApiError } from '../../api/client.ts';
import { nodePlanApi, type NodePlan, type NodeTimeline, type PlanNode } from '../../api/nodeplans.ts';
import { useUnits } from '../../api/reference.ts';
import type { Project } from '../../api/types.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CreateMatterModal } from '../Supervision/CreateMatterModal.tsx';

const STATUS_COLORS: Record<PlanNode['status'], string> = { pending: 'default', completed: 'processing', confirmed: 'success' };

interface NodeForm {
  name: string;
  unit_id?: number;
  duration_days: number;
  predecessor_ids?: number[];
  evidence?: string;
}

interface PlanForm {
  target_label: string;
  target_on?: Dayjs | null;
  start_on?: Dayjs | null;
  /** 0: the target label's node (开工 for 计划开工 …). */
  anchor_node_id: number;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/**
 * 节点计划 (倒排工期): the project's nodes with their responsible units, working-day durations and predecessors; the
 * dates counted backwards from the target on the office's calendar (and forwards from a start date); a unit
 * completes its node with evidence, the office confirms; an overdue node is marked red and can be 交办 as a matter.
 */
export function NodesTab({ project, initial }: { project: Pick<Project, 'id' | 'name' | 'unit_id'>; initial?: NodePlan }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const units = useUnits();
  const loaded = useLoad(() => (initial ? Promise.resolve(initial) : nodePlanApi.get(project.id)), [project.id]);
  const [editing, setEditing] = useState<PlanNode | 'new' | null>(null);
  const [completing, setCompleting] = useState<PlanNode | null>(null);
  const [returning, setReturning] = useState<PlanNode | null>(null);
  const [assigning, setAssigning] = useState<PlanNode | null>(null);
  const [history, setHistory] = useState<{ node: PlanNode; timeline: NodeTimeline } | null>(null);
  const [busy, setBusy] = useState(false);
  const [planForm] = Form.useForm<PlanForm>();
  const [nodeForm] = Form.useForm<NodeForm>();
  const [completeForm] = Form.useForm<{ text: string; completed_on: Dayjs }>();
  const [returnForm] = Form.useForm<{ reason: string }>();
  const [files, setFiles] = useState<File[]>([]);

  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  const data = loaded.data;
  if (!data) return <Table loading />;
  // The server says whether this account may change the plan: a unit that only leads one of its nodes may not.
  const canEdit = data.can_edit;
  const full = data.access === 'full';

  const run = async (work: () => Promise<NodePlan>, done?: string) => {
    setBusy(true);
    try {
      loaded.setData(await work());
      if (done) void message.success(done);
      return true;
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!data.plan) {
    return (
      <Empty description={t('nodes.none')}>
        {canEdit && (
          <Space>
            <Button type="primary" loading={busy} data-testid="nodes-from-template" onClick={() => void run(() => nodePlanApi.create(project.id, { template: 'default' }), t('nodes.created'))}>{t('nodes.fromTemplate')}</Button>
            <Button loading={busy} data-testid="nodes-empty" onClick={() => void run(() => nodePlanApi.create(project.id, { template: 'empty' }), t('nodes.created'))}>{t('nodes.empty')}</Button>
          </Space>
        )}
      </Empty>
    );
  }
  const plan = data.plan;
  const nodes = data.nodes;
  const nameOf = new Map(nodes.map((n) => [n.id, `${n.position}. ${n.name}`]));
  const overdue = nodes.filter((n) => n.is_overdue).length;
  const done = nodes.filter((n) => n.status !== 'pending').length;

  const savePlan = async () => {
    const v = await planForm.validateFields();
    await run(() => nodePlanApi.update(project.id, {
      version: plan.version, target_label: v.target_label, target_on: day(v.target_on), start_on: day(v.start_on), anchor_node_id: v.anchor_node_id || null,
    }), t('nodes.recomputed'));
  };
  const openNode = (node: PlanNode | 'new') => {
    nodeForm.setFieldsValue(node === 'new'
      ? { name: '', unit_id: project.unit_id ?? undefined, duration_days: 10, predecessor_ids: [], evidence: '' }
      : { name: node.name, unit_id: node.unit_id ?? undefined, duration_days: node.duration_days, predecessor_ids: node.predecessor_ids, evidence: node.evidence ?? '' });
    setEditing(node);
  };
  const saveNode = async () => {
    const v = await nodeForm.validateFields();
    const body = { name: v.name, unit_id: v.unit_id ?? null, duration_days: v.duration_days, predecessor_ids: v.predecessor_ids ?? [], evidence: v.evidence || null };
    const ok = await run(() => (editing === 'new' ? nodePlanApi.addNode(project.id, body) : nodePlanApi.updateNode((editing as PlanNode).id, body)), t('nodes.saved'));
    if (ok) setEditing(null);
  };
  const openComplete = (node: PlanNode) => {
    setFiles([]);
    completeForm.setFieldsValue({ text: '', completed_on: dayjs() });
    setCompleting(node);
  };
  const complete = async () => {
    const node = completing!;
    const v = await completeForm.validateFields();
    const ok = await run(async () => {
      for (const f of files) await nodePlanApi.addEvidence(node.id, f);
      return nodePlanApi.complete(node.id, { text: v.text, completed_on: day(v.completed_on) });
    }, t('nodes.completed'));
    if (ok) setCompleting(null);
    else loaded.reload();
  };
  const sendBack = async () => {
    const v = await returnForm.validateFields();
    if (await run(() => nodePlanApi.sendBack(returning!.id, v.reason), t('nodes.returned'))) setReturning(null);
  };
  const showHistory = async (node: PlanNode) => {
    try {
      setHistory({ node, timeline: await nodePlanApi.timeline(node.id) });
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  const columns = [
    { title: t('nodes.position'), dataIndex: 'position', width: 56 },
    {
      title: t('nodes.name'), key: 'name', render: (_: unknown, n: PlanNode) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{n.name}</Typography.Text>
          {n.evidence && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('nodes.evidence')}：{n.evidence}</Typography.Text>}
          {n.attachments.map((a) => <a key={a.id} href={a.url} style={{ fontSize: 12 }}>{a.file_name}</a>)}
        </Space>
      ),
    },
    { title: t('nodes.unit'), dataIndex: 'unit_name', width: 120 },
    { title: t('nodes.duration'), dataIndex: 'duration_days', width: 90, align: 'right' as const },
    { title: t('nodes.predecessors'), key: 'pre', width: 150, render: (_: unknown, n: PlanNode) => n.predecessor_ids.map((p) => nameOf.get(p)).join('、') || '—' },
    { title: t('nodes.latestStart'), dataIndex: 'latest_start', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t('nodes.latestFinish'), key: 'lf', width: 110,
      render: (_: unknown, n: PlanNode) => <Typography.Text type={n.is_overdue ? 'danger' : undefined} strong={n.is_overdue} data-testid={`node-finish-${n.position}`}>{n.latest_finish ?? '—'}</Typography.Text>,
    },
    ...(plan.start_on ? [{
      title: t('nodes.planned'), key: 'planned', width: 200,
      render: (_: unknown, n: PlanNode) => <Typography.Text type={n.late_by_plan ? 'warning' : undefined}>{n.planned_start} ~ {n.planned_finish}</Typography.Text>,
    }] : []),
    {
      title: t('nodes.status'), key: 'status', width: 170, render: (_: unknown, n: PlanNode) => (
        <Space direction="vertical" size={2}>
          <Tag color={STATUS_COLORS[n.status]} data-testid={`node-status-${n.position}`}>{n.status_label}{n.completed_on ? ` ${n.completed_on}` : ''}</Tag>
          {n.is_overdue && <Tag color="red" data-testid={`node-overdue-${n.position}`}>{t('nodes.overdue', { days: n.overdue_days })}</Tag>}
          {n.matter && <Link to={`/matters/${n.matter.id}`}>{t('matters.hasMatter', { number: n.matter.number })}</Link>}
        </Space>
      ),
    },
    {
      title: t('nodes.actions'), key: 'act', width: 220, render: (_: unknown, n: PlanNode) => (
        <Space wrap size={4}>
          {n.actions.includes('complete') && <Button size="small" type="primary" onClick={() => openComplete(n)} data-testid={`node-complete-${n.position}`}>{t('nodes.complete')}</Button>}
          {n.actions.includes('confirm') && <Button size="small" onClick={() => void run(() => nodePlanApi.confirm(n.id), t('nodes.confirmed'))} data-testid={`node-confirm-${n.position}`}>{t('nodes.confirm')}</Button>}
          {n.actions.includes('return') && <Button size="small" danger onClick={() => { returnForm.resetFields(); setReturning(n); }}>{t('nodes.return')}</Button>}
          {n.is_overdue && !n.matter && full && can('matter.assign') && <Button size="small" icon={<FlagOutlined />} onClick={() => setAssigning(n)} data-testid={`node-matter-${n.position}`}>{t('matters.toMatter')}</Button>}
          {canEdit && <Button size="small" type="link" onClick={() => openNode(n)} data-testid={`node-edit-${n.position}`}>{t('common.edit')}</Button>}
          {canEdit && n.status === 'pending' && (
            <Popconfirm title={t('nodes.deleteConfirm', { name: n.name })} onConfirm={() => void run(() => nodePlanApi.deleteNode(n.id), t('nodes.deleted'))}>
              <Button size="small" type="link" danger>{t('nodes.delete')}</Button>
            </Popconfirm>
          )}
          <Button size="small" type="link" onClick={() => void showHistory(n)}>{t('nodes.history')}</Button>
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {!full && <Alert type="info" showIcon title={t('nodes.outsideScope')} data-testid="nodes-outside" />}
      <Form form={planForm} layout="inline" key={plan.version}
        initialValues={{ target_label: plan.target_label, target_on: plan.target_on ? dayjs(plan.target_on) : null, start_on: plan.start_on ? dayjs(plan.start_on) : null, anchor_node_id: plan.anchor_node_id ?? 0 }}>
        <Form.Item name="target_label" label={t('nodes.target')} rules={[{ required: true, message: t('nodes.target') }]}>
          <Select style={{ width: 120 }} options={['计划开工', '计划竣工', '计划投产'].map((v) => ({ value: v, label: v }))} disabled={!canEdit} data-testid="nodes-target-label" />
        </Form.Item>
        <Form.Item name="target_on"><DatePicker disabled={!canEdit} data-testid="nodes-target-on" placeholder={t('nodes.targetOn')} /></Form.Item>
        <Form.Item name="anchor_node_id" label={t('nodes.anchor')} tooltip={t('nodes.anchorHint')}>
          <Select style={{ width: 200 }} disabled={!canEdit} data-testid="nodes-anchor" popupMatchSelectWidth={false}
            options={[{ value: 0, label: t('nodes.anchorAuto', { name: data.anchor_id ? nodes.find((n) => n.id === data.anchor_id)?.name ?? '' : t('nodes.anchorLast') }) }, ...nodes.map((n) => ({ value: n.id, label: nameOf.get(n.id) }))]} />
        </Form.Item>
        <Form.Item name="start_on" label={t('nodes.startOn')}><DatePicker disabled={!canEdit} data-testid="nodes-start-on" /></Form.Item>
        {canEdit && <Button type="primary" loading={busy} onClick={() => void savePlan()} data-testid="nodes-save-plan">{t('nodes.compute')}</Button>}
        {canEdit && <Button onClick={() => openNode('new')} data-testid="nodes-add">{t('nodes.add')}</Button>}
        <Button href={`/api/v1/projects/${project.id}/node-plan.xlsx`} icon={<DownloadOutlined />} data-testid="nodes-export">{t('nodes.export')}</Button>
      </Form>
      <Typography.Text type="secondary">
        {t('nodes.summary', { total: nodes.length, done })}
        {overdue > 0 && <Typography.Text type="danger" strong> {t('nodes.overdueCount', { count: overdue })}</Typography.Text>}
        {' '}{t('nodes.workingDaysNote')}
      </Typography.Text>
      <Table<PlanNode> rowKey="id" size="small" dataSource={nodes} columns={columns} pagination={false} scroll={{ x: 1300 }}
        rowClassName={(n) => (n.is_overdue ? 'node-overdue' : '')}
        onRow={(n) => ({ style: n.is_overdue ? { background: '#fff1f0' } : undefined })} />

      <Modal open={editing !== null} title={editing === 'new' ? t('nodes.add') : t('nodes.edit')} onCancel={() => setEditing(null)} onOk={() => void saveNode()} confirmLoading={busy} destroyOnHidden
        okButtonProps={{ 'data-testid': 'node-save' }}>
        <Form form={nodeForm} layout="vertical">
          <Form.Item name="name" label={t('nodes.name')} rules={[{ required: true, whitespace: true, message: t('nodes.nameRequired') }]}><Input maxLength={60} data-testid="node-name" /></Form.Item>
          <Form.Item name="unit_id" label={t('nodes.unit')}><UnitPicker units={units} testId="node-unit" /></Form.Item>
          <Form.Item name="duration_days" label={t('nodes.duration')} rules={[{ required: true, message: t('nodes.durationRequired') }]}><InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} data-testid="node-duration" /></Form.Item>
          <Form.Item name="predecessor_ids" label={t('nodes.predecessors')}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={nodes.filter((n) => editing === 'new' || n.id !== editing?.id).map((n) => ({ value: n.id, label: nameOf.get(n.id) }))} />
          </Form.Item>
          <Form.Item name="evidence" label={t('nodes.evidence')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        </Form>
      </Modal>

      <Modal open={completing !== null} title={t('nodes.completeTitle', { name: completing?.name ?? '' })} onCancel={() => setCompleting(null)} onOk={() => void complete()} confirmLoading={busy} destroyOnHidden
        okButtonProps={{ 'data-testid': 'node-complete-ok' }}>
        {completing?.evidence && <Typography.Paragraph type="secondary">{t('nodes.evidence')}：{completing.evidence}</Typography.Paragraph>}
        <Form form={completeForm} layout="vertical">
          <Form.Item label={t('nodes.files')} required>
            <Upload multiple beforeUpload={(f) => { setFiles((fs) => [...fs, f]); return false; }} onRemove={(f) => setFiles((fs) => fs.filter((x) => x.name !== f.name))} fileList={files.map((f, i) => ({ uid: String(i), name: f.name }))}>
              <Button icon={<UploadOutlined />} data-testid="node-files">{t('nodes.chooseFiles')}</Button>
            </Upload>
          </Form.Item>
          <Form.Item name="text" label={t('nodes.completeText')} rules={[{ required: true, whitespace: true, message: t('nodes.completeTextRequired') }]}><Input.TextArea rows={3} maxLength={5000} data-testid="node-complete-text" /></Form.Item>
          <Form.Item name="completed_on" label={t('nodes.completedOn')} rules={[{ required: true, message: t('nodes.completedOn') }]}><DatePicker /></Form.Item>
        </Form>
      </Modal>

      <Modal open={returning !== null} title={t('nodes.return')} onCancel={() => setReturning(null)} onOk={() => void sendBack()} confirmLoading={busy} destroyOnHidden>
        <Form form={returnForm} layout="vertical">
          <Form.Item name="reason" label={t('nodes.returnReason')} rules={[{ required: true, whitespace: true, message: t('nodes.returnReason') }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        </Form>
      </Modal>

      <Modal open={history !== null} title={history ? `${history.node.name} · ${t('nodes.history')}` : ''} onCancel={() => setHistory(null)} footer={null}>
        <Timeline items={(history?.timeline.items ?? []).map((i) => ({ children: <><Typography.Text>{i.title}</Typography.Text><br /><Typography.Text type="secondary">{formatDateTime(i.at)}{i.detail ? ` · ${i.detail}` : ''}</Typography.Text></> }))} />
      </Modal>

      {assigning && (
        <CreateMatterModal open onClose={() => { setAssigning(null); loaded.reload(); }}
          preset={{
            title: `${project.name}“${assigning.name}”节点逾期督办`, source: 'node', sourceId: assigning.id, leadUnitId: assigning.unit_id ?? undefined, projectIds: [project.id],
            content: `“${assigning.name}”应于 ${assigning.latest_finish} 前完成（佐证：${assigning.evidence ?? '—'}），已逾期 ${assigning.overdue_days} 个工作日，请${assigning.unit_name ?? '责任单位'}加快办理并按时限反馈。`,
          }}
          create={(body) => nodePlanApi.toMatter(assigning.id, {
            title: body.title, content: body.content, lead_unit_id: body.lead_unit_id, co_unit_ids: body.co_unit_ids, type: body.type, urgency: body.urgency,
            due_on: body.due_on, feedback_days: body.feedback_days,
          })} />
      )}
    </Flex>
  );
}
