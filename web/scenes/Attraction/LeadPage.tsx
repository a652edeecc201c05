import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, InputNumber, List, Modal, Row, Select, Space, Steps, Tag, Timeline, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, UploadOutlined } from '@ant-design/icons';
import { checkMove, LEAD_STAGES, stageIndex, TERMINATION_KINDS } from '../../../core/attraction/lead.ts';
import { attractionApi } from '../../api/endpoints.ts';
import type { LeadDetail, LeadStage, TerminationKind } from '../../api/types.ts';
import { uploadFile } from '../../api/upload.ts';
import { useCan } from '../../auth.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime, formatWan, wanTextToYuan, yuanToWanText } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { STAGE_COLOR } from './AttractionPage.tsx';

type MoneyField = 'intended_amount' | 'signed_amount' | 'planned_total' | 'funds_in_place' | 'foreign_usd';
type TextField = 'name' | 'investor' | 'industry' | 'site' | 'land_need' | 'contacts' | 'negotiator' | 'review_body' | 'company_name' | 'company_uscc' | 'land_info' | 'notes';

/** The fields edited per section: the stage they belong to, text and money (万元; foreign investment in 万美元). */
const SECTIONS: { key: MessageKey; text: TextField[]; money: MoneyField[] }[] = [
  { key: 'attraction.section.negotiating', text: ['name', 'investor', 'industry', 'site', 'land_need', 'contacts', 'negotiator'], money: ['intended_amount'] },
  { key: 'attraction.section.signed', text: [], money: ['signed_amount', 'foreign_usd'] },
  { key: 'attraction.section.approved', text: ['review_body'], money: [] },
  { key: 'attraction.section.landed', text: ['company_name', 'company_uscc', 'land_info'], money: [] },
  { key: 'attraction.section.money', text: ['notes'], money: ['planned_total', 'funds_in_place'] },
];

/** One attraction record: its stage timeline, fields by stage, the reviewed move, follow-ups and evidence. */
export function LeadPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const loaded = useLoad(() => attractionApi.get(Number(id)), [id]);
  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  const lead = loaded.data;
  if (!lead) return <Card loading />;
  const set = (l: LeadDetail) => loaded.setData(l);
  return (
    <div data-testid="lead-page">
      <Space style={{ marginBottom: 8 }}>
        <Link to="/attraction"><ArrowLeftOutlined /> {t('common.back')}</Link>
      </Space>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {lead.name} <Tag color={STAGE_COLOR[lead.stage]}>{t(`attraction.stage.${lead.stage}` as MessageKey)}</Tag>
        {lead.terminated_on && <Tag color="red">{t('attraction.terminatedBadge')}</Tag>}
      </Typography.Title>
      <StageTimeline lead={lead} />
      <ReviewBar lead={lead} onChanged={set} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}><Fields lead={lead} onChanged={set} /></Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap={16}>
            <MoveCard lead={lead} onChanged={set} />
            <Followups lead={lead} onChanged={loaded.reload} />
            <Evidence lead={lead} onChanged={loaded.reload} />
            <Card size="small" title={t('attraction.timeline.log')}>
              <Timeline items={lead.moves.map((m) => ({
                color: m.action === 'return' ? 'red' : m.action === 'approve' ? 'green' : 'blue',
                children: <div><b>{t(`attraction.action.${m.action}` as MessageKey)}</b> <span style={{ color: '#888', fontSize: 12 }}>{formatDateTime(m.at)}</span><div style={{ fontSize: 12 }}>{m.reason}</div></div>,
              }))} />
            </Card>
          </Flex>
        </Col>
      </Row>
    </div>
  );
}

function StageTimeline({ lead }: { lead: LeadDetail }) {
  const { t } = useI18n();
  const current = stageIndex(lead.stage);
  return (
    <Card size="small" title={t('attraction.timeline')} style={{ marginBottom: 16 }}>
      <Steps size="small" current={current} status={lead.terminated_on ? 'error' : 'process'} responsive data-testid="lead-steps"
        items={LEAD_STAGES.map((s, i) => ({
          title: t(`attraction.stage.${s}` as MessageKey),
          description: lead[`${s}_on`] ?? (i < current ? '—' : ''),
        }))} />
    </Card>
  );
}

function ReviewBar({ lead, onChanged }: { lead: LeadDetail; onChanged: (l: LeadDetail) => void }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const act = async (action: 'approve' | 'return' | 'withdraw', reason?: string) => {
    try {
      onChanged(await attractionApi.review(lead.id, { action, reason: reason ?? null, version: lead.version }));
    } catch {
      // The client has shown the message.
    }
  };
  const askReturn = () => {
    let reason = '';
    modal.confirm({
      title: t('attraction.returnReason'),
      content: <Input.TextArea rows={3} onChange={(e) => (reason = e.target.value)} data-testid="lead-return-reason" />,
      onOk: () => act('return', reason),
    });
  };
  if (lead.review_status === 'settled' && !lead.terminated_on) return null;
  const pending = lead.pending_to && t(`attraction.stage.${lead.pending_to}` as MessageKey);
  return (
    <Alert style={{ marginBottom: 16 }} type={lead.terminated_on ? 'error' : lead.review_status === 'returned' ? 'warning' : 'info'} showIcon data-testid="lead-review"
      message={lead.terminated_on
        ? `${t('attraction.terminatedBadge')}（${lead.terminated_on}，${t(`attraction.kind.${lead.termination_kind ?? 'other'}` as MessageKey)}）：${lead.termination_reason ?? ''}`
        : lead.review_status === 'returned' ? t('attraction.returned', { reason: lead.return_reason ?? '' }) : t('attraction.waiting', { stage: pending ?? '', date: lead.pending_on ?? '' })}
      description={lead.pending_reason ?? undefined}
      action={<Space>
        {lead.actions.includes('approve') && <Button type="primary" size="small" onClick={() => void act('approve')} data-testid="lead-approve">{t('attraction.action.approve')}</Button>}
        {lead.actions.includes('return') && <Button danger size="small" onClick={askReturn}>{t('attraction.action.return')}</Button>}
        {lead.actions.includes('withdraw') && <Button size="small" onClick={() => void act('withdraw')}>{t('attraction.action.withdraw')}</Button>}
      </Space>} />
  );
}

function Fields({ lead, onChanged }: { lead: LeadDetail; onChanged: (l: LeadDetail) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const canWrite = can('attraction.write') && !lead.terminated_on;
  const money = (f: MoneyField, v: number | null) => (v === null ? '—' : f === 'foreign_usd' ? yuanToWanText(v) : formatWan(v));
  const start = () => {
    const init: Record<string, string | undefined> = {};
    for (const s of SECTIONS) {
      for (const f of s.text) init[f] = lead[f] ?? undefined;
      for (const f of s.money) init[f] = lead[f] === null ? undefined : yuanToWanText(lead[f]);
    }
    form.setFieldsValue(init);
    setEditing(true);
  };
  const save = async () => {
    const v = await form.validateFields();
    const body: Record<string, unknown> = { version: lead.version };
    for (const s of SECTIONS) {
      for (const f of s.text) body[f] = v[f]?.trim() ? v[f].trim() : null;
      for (const f of s.money) body[f] = v[f]?.trim() ? wanTextToYuan(v[f]) : null;
    }
    if (!body.name) delete body.name;
    setBusy(true);
    try {
      onChanged(await attractionApi.update(lead.id, body as { version: number }));
      void message.success(t('attraction.saved'));
      setEditing(false);
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };
  const moneyRule = { validator: (_: unknown, val?: string) => (!val?.trim() || wanTextToYuan(val) !== undefined ? Promise.resolve() : Promise.reject(new Error('金额格式不正确'))) };
  return (
    // The title wraps (antd cuts a card title with an ellipsis): on a 375 px phone the team and region did not fit.
    <Card size="small" data-testid="lead-fields" styles={{ header: { flexWrap: 'wrap', paddingBlock: 6 }, title: { whiteSpace: 'normal', overflow: 'visible', minWidth: 0 } }}
      title={<Space wrap size={[12, 0]}><span>{t('attraction.f.team')}：{lead.team_name}</span><span>{t('attraction.f.region')}：{lead.region_name}</span></Space>}
      extra={canWrite && (editing
        ? <Space><Button size="small" onClick={() => setEditing(false)}>{t('common.cancel')}</Button><Button size="small" type="primary" loading={busy} onClick={() => void save()} data-testid="lead-save">{t('common.save')}</Button></Space>
        : <Button size="small" onClick={start} data-testid="lead-edit">{t('common.edit')}</Button>)}>
      {editing ? (
        <Form form={form} layout="vertical">
          {SECTIONS.map((s) => (
            <div key={s.key}>
              <Typography.Text strong>{t(s.key)}</Typography.Text>
              <Row gutter={12}>
                {s.text.map((f) => <Col xs={24} md={12} key={f}><Form.Item name={f} label={t(`attraction.f.${f}` as MessageKey)}><Input data-testid={`lead-f-${f}`} /></Form.Item></Col>)}
                {s.money.map((f) => <Col xs={24} md={12} key={f}><Form.Item name={f} label={t(`attraction.f.${f}` as MessageKey)} rules={[moneyRule]}><Input inputMode="decimal" data-testid={`lead-f-${f}`} /></Form.Item></Col>)}
              </Row>
            </div>
          ))}
        </Form>
      ) : (
        SECTIONS.map((s) => (
          <Descriptions key={s.key} size="small" column={{ xs: 1, md: 2 }} title={<span style={{ fontSize: 14 }}>{t(s.key)}</span>} style={{ marginBottom: 12 }}
            items={[
              ...s.text.filter((f) => f !== 'name').map((f) => ({ key: f, label: t(`attraction.f.${f}` as MessageKey), children: lead[f] ?? '—' })),
              ...s.money.map((f) => ({ key: f, label: t(`attraction.f.${f}` as MessageKey), children: money(f, lead[f]) })),
              ...(s.key === 'attraction.section.landed' ? [{
                key: 'enterprise', label: t('attraction.f.enterprise'),
                children: lead.enterprise ? <Link to={`/enterprises/${lead.enterprise.id}`} data-testid="lead-enterprise">{lead.enterprise.name}</Link> : '—',
              }] : []),
              ...(s.key === 'attraction.section.money' ? [{
                key: 'project', label: t('attraction.f.project'),
                children: lead.project ? <Link to={`/projects/${lead.project.id}`}>{lead.project.name}（{formatWan(lead.project.total_investment)} 万元）</Link> : '—',
              }, { key: 'followup', label: t('attraction.f.last_followup'), children: lead.last_followup_on ?? '—' }] : []),
            ]} />
        ))
      )}
    </Card>
  );
}

function MoveCard({ lead, onChanged }: { lead: LeadDetail; onChanged: (l: LeadDetail) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ to: LeadStage | 'terminated'; date: string; reason?: string; termination_kind?: TerminationKind; project_id?: number }>();
  const [busy, setBusy] = useState(false);
  const to = Form.useWatch('to', form);
  const date = Form.useWatch('date', form);
  const reason = Form.useWatch('reason', form);
  const kind = Form.useWatch('termination_kind', form);
  if (!lead.actions.includes('submit')) return null;
  // "Today" is the server's (the record carries it), never the browser's clock.
  const today = () => lead.today;
  const targets = LEAD_STAGES.filter((s) => stageIndex(s) > stageIndex(lead.stage));
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onChanged(await attractionApi.move(lead.id, { to: v.to, date: v.date, reason: v.reason?.trim() || null, termination_kind: v.termination_kind ?? null, project_id: v.project_id ?? null, version: lead.version }));
      form.resetFields();
    } catch {
      // The client has shown the message.
    } finally {
      setBusy(false);
    }
  };
  // The same rule the server applies, shown before submitting (the server checks again).
  const hint = to ? checkMove({ from: lead.stage, to, date: date ?? today(), reason: reason ?? null, terminationKind: kind ?? null, lastStageDate: null, today: today(), fields: lead }) : undefined;
  return (
    <Card size="small" title={t('attraction.move.title')} data-testid="lead-move">
      <Form form={form} layout="vertical" initialValues={{ date: today() }}>
        <Form.Item name="to" label={t('attraction.move.to')} rules={[{ required: true }]}>
          <Select data-testid="lead-move-to" options={[...targets.map((s) => ({ value: s, label: t(`attraction.stage.${s}` as MessageKey) })), { value: 'terminated', label: t('attraction.stage.terminated') }]} />
        </Form.Item>
        <Form.Item name="date" label={t('attraction.move.date')} rules={[{ required: true }]}><Input type="date" max={today()} data-testid="lead-move-date" /></Form.Item>
        {to === 'terminated' && (
          <Form.Item name="termination_kind" label={t('attraction.move.kind')} rules={[{ required: true }]}>
            <Select options={TERMINATION_KINDS.map((k) => ({ value: k, label: t(`attraction.kind.${k}` as MessageKey) }))} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('attraction.move.reason')}><Input.TextArea rows={2} data-testid="lead-move-reason" /></Form.Item>
        {to && to !== 'terminated' && stageIndex(to) >= stageIndex('started') && !lead.project_id && (
          <Form.Item name="project_id" label={t('attraction.move.projectId')}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
        )}
        {hint && <Alert type="warning" showIcon message={hint} style={{ marginBottom: 8 }} />}
        <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="lead-move-submit">{t('attraction.move.submit')}</Button>
      </Form>
    </Card>
  );
}

function Followups({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ on_date: string; content: string }>();
  const can = useCan();
  const canWrite = can('attraction.write');
  const today = () => lead.today;
  const save = async () => {
    const v = await form.validateFields();
    try {
      await attractionApi.followup(lead.id, v);
      setOpen(false);
      form.resetFields();
      onChanged();
    } catch {
      // The client has shown the message.
    }
  };
  return (
    <Card size="small" title={t('attraction.followups')} extra={canWrite && <Button size="small" onClick={() => setOpen(true)} data-testid="lead-followup-add">{t('attraction.followup.add')}</Button>}>
      <List size="small" dataSource={lead.followups} locale={{ emptyText: t('common.empty') }} renderItem={(f) => (
        <List.Item><div><b>{f.on_date}</b> <span style={{ color: '#888', fontSize: 12 }}>{f.user_name}</span><div>{f.content}</div></div></List.Item>
      )} />
      <Modal open={open} title={t('attraction.followup.add')} onCancel={() => setOpen(false)} onOk={() => void save()} okText={t('common.save')} cancelText={t('common.cancel')}>
        <Form form={form} layout="vertical" initialValues={{ on_date: today() }}>
          <Form.Item name="on_date" label={t('attraction.followup.date')} rules={[{ required: true }]}><Input type="date" max={today()} /></Form.Item>
          <Form.Item name="content" label={t('attraction.followup.content')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} data-testid="lead-followup-content" /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function Evidence({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [chosen, setStage] = useState<LeadStage | undefined>(undefined);
  // The record's current stage until the user picks another (it moves on when a move is approved).
  const stage = chosen ?? lead.stage;
  return (
    <Card size="small" title={t('attraction.files')}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select value={stage} onChange={setStage} style={{ width: 100 }} options={LEAD_STAGES.map((s) => ({ value: s, label: t(`attraction.stage.${s}` as MessageKey) }))} aria-label={t('attraction.move.to')} />
        <Upload showUploadList={false} customRequest={({ file }) => {
          uploadFile(`/attraction/leads/${lead.id}/files`, file as File, { stage }).then(onChanged, (e: unknown) => void message.error((e as Error).message));
        }}>
          <Button size="small" icon={<UploadOutlined />}>{t('attraction.files.upload', { stage: t(`attraction.stage.${stage}` as MessageKey) })}</Button>
        </Upload>
      </Space>
      <List size="small" dataSource={lead.files} locale={{ emptyText: t('common.empty') }} renderItem={(f) => (
        <List.Item><Space><Tag color={STAGE_COLOR[f.stage]}>{t(`attraction.stage.${f.stage}` as MessageKey)}</Tag><a href={`/api/v1/attraction/leads/${lead.id}/files/${f.id}`}>{f.file_name}</a></Space></List.Item>
      )} />
    </Card>
  );
}
