import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { App, Breadcrumb, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Grid, Input, Modal, Select, Skeleton, Tag, Typography, Upload } from 'antd';
import { FileWordOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { EnterprisePicker } from '../../components/EnterprisePicker.tsx';
import { agendaApi, supervisionApi, type MatterAction, type MatterDetail } from '../../api/supervision.ts';
import { CaseDeadlines, CaseTimeline } from '../../components/CaseTimeline.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { StateTag } from './MattersPage.tsx';

type Action = MatterDetail['actions'][number];

/** A matter's page: what, who, deadlines, actions, feedback form, 批示 and one timeline. Works on a phone. */
export function MatterPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const mobile = !Grid.useBreakpoint().md;
  const { data, error, loading, reload, setData } = useLoad(() => supervisionApi.get(id), [id]);
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [actForm] = Form.useForm();
  const [fbForm] = Form.useForm();
  const [file, setFile] = useState<File | null>(null);
  const [instruction, setInstruction] = useState('');
  const [letterKind, setLetterKind] = useState('remind');
  const can = useCan();
  const [editingEnterprises, setEditingEnterprises] = useState<number[] | null>(null);

  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const m = data.matter;
  const fail = (e: unknown) => void message.error(e instanceof ApiError ? e.message : String(e));

  const run = async (a: Action, extra: { reason?: string; due_on?: string } = {}) => {
    setBusy(true);
    try {
      setData(await supervisionApi.act(id, { action: a.action as MatterAction['action'], version: m.version, ...extra }));
      setAsking(null);
    } catch (e) {
      fail(e);
      reload();
    } finally {
      setBusy(false);
    }
  };
  const click = (a: Action) => {
    if (a.needs || a.action === 'request_extension' || a.action === 'approve_extension') {
      actForm.resetFields();
      setAsking(a);
    } else void run(a);
  };
  const submitAsk = async () => {
    const v = (await actForm.validateFields()) as { reason?: string; due_on?: Dayjs };
    await run(asking!, { reason: v.reason, due_on: v.due_on?.format('YYYY-MM-DD') });
  };
  const submitFeedback = async () => {
    const v = (await fbForm.validateFields()) as { text: string; next_steps?: string };
    setBusy(true);
    try {
      const entry = await supervisionApi.feedback(id, { text: v.text, next_steps: v.next_steps });
      if (file) await supervisionApi.feedbackFile(id, entry.id, file);
      fbForm.resetFields();
      setFile(null);
      void message.success(t('matters.feedbackSaved'));
      reload();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const needsDate = asking?.action === 'request_extension' || asking?.action === 'approve_extension';

  return (
    <div data-testid="matter-page">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/matters">{t('nav.matters')}</Link> }, { title: m.number }]} />
      <Card
        title={<Flex vertical gap={4} style={{ whiteSpace: 'normal', padding: '8px 0' }}><Typography.Text type="secondary">{m.number}</Typography.Text><Typography.Title level={4} style={{ margin: 0 }} data-testid="matter-title">{m.title}</Typography.Title><StateTag m={m} /></Flex>}
        styles={{ header: { flexWrap: 'wrap' }, body: { padding: mobile ? 12 : 24 } }}
      >
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          {data.actions.map((a) => (
            <Button key={a.action} type={['sign', 'approve_close', 'approve_extension', 'approve_suspend', 'write_off'].includes(a.action) ? 'primary' : 'default'} loading={busy} onClick={() => click(a)} data-testid={`act-${a.action}`}>
              {t(`matters.action.${a.action}` as MessageKey)}
            </Button>
          ))}
          {data.can.coSign && (
            <Button type="primary" loading={busy} onClick={() => void agendaApi.coSign(id).then(() => { void message.success(t('matters.coSigned')); reload(); }, fail)} data-testid="act-co-sign">{t('matters.coSign')}</Button>
          )}
          {data.can.attention && (
            <Button onClick={() => void supervisionApi.attention(id, !m.attention).then(reload, fail)} data-testid="toggle-attention">{m.attention ? t('matters.unmarkAttention') : t('matters.markAttention')}</Button>
          )}
        </Flex>
        <Descriptions size="small" column={mobile ? 1 : 2} bordered items={[
          { key: 'lead', label: t('matters.leadUnit'), children: m.leadUnitName },
          { key: 'co', label: t('matters.coUnits'), children: m.coUnits.length ? <Flex gap={4} wrap>{m.coUnits.map((c) => <Tag key={c.id} color={c.signedOn ? 'green' : 'default'}>{c.name}{c.signedOn ? ` · ${t('matters.coSignedOn', { on: c.signedOn })}` : ` · ${t('matters.coUnsigned')}`}</Tag>)}</Flex> : '—' },
          {
            key: 'source', label: t('matters.source'),
            children: m.sourceLink
              ? <Link to={m.sourceLink} data-testid="matter-source-link">{`${t(`matters.source.${m.source}` as MessageKey)}${m.sourceRef ? `（${m.sourceRef}）` : ''}`}</Link>
              : `${t(`matters.source.${m.source}` as MessageKey)}${m.sourceRef ? `（${m.sourceRef}）` : ''}`,
          },
          { key: 'urgency', label: t('matters.urgency'), children: t(`matters.urgency.${m.urgency}` as MessageKey) },
          { key: 'assigned', label: t('matters.assignedOn'), children: m.assignedOn },
          { key: 'due', label: t('matters.dueOn'), children: <span data-testid="matter-due">{m.dueOn}{m.requestedDueOn ? ` → ${m.requestedDueOn}?` : ''}</span> },
          { key: 'next', label: t('matters.nextFeedback'), children: m.nextFeedbackOn ?? '—' },
          { key: 'projects', label: t('matters.projects'), children: data.projects.length ? <Flex gap={4} wrap>{data.projects.map((p) => <Link key={p.id} to={`/projects/${p.id}`}>{p.name}</Link>)}</Flex> : '—' },
          {
            key: 'enterprises', label: t('matters.enterprises'),
            children: (
              <Flex gap={4} wrap align="center" data-testid="matter-enterprises-list">
                {data.enterprises.length ? data.enterprises.map((e) => e.canOpen
                  ? <Link key={e.id} to={`/enterprises/${e.id}`}>{e.name}</Link>
                  // Outside the reader's enterprise visibility: the name (public register) as text, not a link to a 404.
                  : <Typography.Text key={e.id} data-testid="matter-enterprise-closed">{e.name}<Typography.Text type="secondary">（{t('matters.enterpriseNoAccess')}）</Typography.Text></Typography.Text>) : '—'}
                {can('matter.assign') && <Button size="small" type="link" data-testid="matter-enterprises-edit" onClick={() => setEditingEnterprises(data.enterprises.map((e) => e.id))}>{t('matters.editEnterprises')}</Button>}
              </Flex>
            ),
          },
          { key: 'content', label: t('matters.content'), span: mobile ? 1 : 2, children: <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{m.content || '—'}</Typography.Paragraph> },
        ]} />
        <div style={{ marginTop: 12 }}><CaseDeadlines items={data.deadlines} label={(k) => t(`matters.deadline.${k}` as MessageKey)} /></div>
      </Card>

      <Modal open={editingEnterprises !== null} title={t('matters.editEnterprises')} onCancel={() => setEditingEnterprises(null)} confirmLoading={busy} destroyOnHidden
        okButtonProps={{ 'data-testid': 'matter-enterprises-ok' }}
        onOk={() => {
          setBusy(true);
          supervisionApi.setEnterprises(id, editingEnterprises ?? []).then((d) => { setData(d); setEditingEnterprises(null); void message.success(t('matters.enterprisesSaved')); }, fail).finally(() => setBusy(false));
        }}>
        <EnterprisePicker value={editingEnterprises ?? []} onChange={setEditingEnterprises} known={data.enterprises.map((e) => ({ value: e.id, label: e.name }))} testId="matter-enterprises-picker" />
      </Modal>

      {data.can.feedback && (
        <Card title={t('matters.feedback')} size="small" style={{ marginTop: 12 }}>
          <Form form={fbForm} layout="vertical">
            <Form.Item name="text" label={t('matters.feedbackText')} rules={[{ required: true, message: t('matters.feedbackText') }]}><Input.TextArea rows={3} maxLength={5000} data-testid="feedback-text" /></Form.Item>
            <Form.Item name="next_steps" label={t('matters.nextSteps')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            <Form.Item label={t('matters.feedbackFile')}>
              <Upload beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)} maxCount={1} fileList={file ? [{ uid: '1', name: file.name }] : []}>
                <Button icon={<UploadOutlined />}>{t('matters.feedbackFile')}</Button>
              </Upload>
            </Form.Item>
            <Button type="primary" block={mobile} loading={busy} onClick={() => void submitFeedback()} data-testid="feedback-submit">{t('matters.submitFeedback')}</Button>
          </Form>
        </Card>
      )}

      {(data.instructions.length > 0 || data.can.instruct) && (
        <Card title={t('matters.instructions')} size="small" style={{ marginTop: 12 }}>
          {data.instructions.map((i) => <Typography.Paragraph key={i.id}><b>{i.leader_name}</b>（{i.at.slice(0, 10)}）：{i.text}</Typography.Paragraph>)}
          {data.can.instruct && (
            <Flex gap={8}>
              <Input value={instruction} onChange={(e) => setInstruction(e.target.value)} placeholder={t('matters.instructPlaceholder')} data-testid="instruction-text" />
              <Button disabled={!instruction.trim()} onClick={() => void supervisionApi.instruct(id, instruction).then(() => { setInstruction(''); reload(); }, fail)} data-testid="instruction-submit">{t('matters.instruct')}</Button>
            </Flex>
          )}
        </Card>
      )}

      <Card title={t('matters.timeline')} size="small" style={{ marginTop: 12 }}>
        {data.timeline.length === 0 ? <Empty /> : (
          <CaseTimeline items={data.timeline} testId="matter-timeline" />
        )}
        {data.feedback.flatMap((f) => f.attachments).concat(data.attachments).map((a) => (
          <div key={a.id}><a href={`/api/v1/attachments/${a.id}`} download><PaperClipOutlined /> {a.fileName}</a></div>
        ))}
      </Card>

      {(data.letters.length > 0 || data.can.letter) && (
        <Card title={t('matters.letters')} size="small" style={{ marginTop: 12 }} data-testid="matter-letters">
          {data.letters.map((l) => (
            <div key={`l${l.id}`} style={{ marginBottom: 4 }}>
              <a href={`/api/v1/matters/${id}/letters/${l.id}`} download data-testid={`letter-${l.kind}`}><FileWordOutlined /> {t(`matters.letter.${l.kind}` as MessageKey)} {l.number}</a>
              <Typography.Text type="secondary">（{l.signerName} · {l.createdAt.slice(0, 10)}）</Typography.Text>
            </div>
          ))}
          {data.can.letter && (
            <Flex gap={8} style={{ marginTop: 8 }}>
              <Select value={letterKind} onChange={setLetterKind} style={{ width: 160 }} options={['assign', 'remind', 'press', 'interview'].map((k) => ({ value: k, label: t(`matters.letter.${k}` as MessageKey) }))} data-testid="letter-kind" />
              <Button loading={busy} onClick={() => { setBusy(true); void agendaApi.letter(id, letterKind).then(setData, fail).finally(() => setBusy(false)); }} data-testid="letter-issue">{t('matters.issueLetter')}</Button>
            </Flex>
          )}
        </Card>
      )}

      <Modal open={asking !== null} title={asking ? t(`matters.action.${asking.action}` as MessageKey) : ''} onCancel={() => setAsking(null)} onOk={() => void submitAsk()} confirmLoading={busy} destroyOnHidden
        okButtonProps={{ 'data-testid': 'act-confirm' }}>
        <Form form={actForm} layout="vertical" preserve={false}>
          {needsDate && <Form.Item name="due_on" label={t('matters.newDue')} rules={[{ required: asking?.action === 'request_extension', message: t('matters.newDue') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>}
          {asking?.needs && <Form.Item name="reason" label={t('matters.reason')} rules={[{ required: true, message: t('matters.reasonRequired') }]}><Input.TextArea rows={3} data-testid="act-reason" /></Form.Item>}
        </Form>
      </Modal>
    </div>
  );
}
