import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Alert, Button, Card, Col, Flex, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { browserToday, useMonthInForce } from '../../components/usePeriodInForce.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useCan } from '../../auth.tsx';
import { ApiError, withQuery } from '../../api/client.ts';
import { bulletinApi, bulletinLinks, type Bulletin, type TemplateAnswer } from '../../api/bulletins.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatYi } from '../../format.ts';
import { FeedSections } from './FeedSections.tsx';
import { AssignUnitButton } from '../Supervision/AssignMatterButton.tsx';
import type { ProjectRank, UnitRank } from '../../../core/bulletins/ranking.ts';
import type { BulletinTemplate } from '../../../core/bulletins/template.ts';

const STATUS_COLORS = { draft: 'default', reviewing: 'processing', issued: 'success' } as const;
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Year and month (1–N月) pickers in the URL. */
function usePeriod() {
  const [params, setParams] = useSearchParams();
  // Without one in the URL, the period in force (the server's choice: last year's December in January).
  const inForce = useMonthInForce();
  const today = browserToday();
  const year = Number(params.get('year')) || inForce?.year || Number(today.slice(0, 4));
  const month = Number(params.get('month')) || inForce?.month || Math.max(1, Number(today.slice(5, 7)) - 1);
  const set = (y: number, m: number) => setParams((p) => {
    p.set('year', String(y));
    p.set('month', String(m));
    return p;
  }, { replace: true });
  return { year, month, set };
}

function PeriodInputs({ year, month, onChange }: { year: number; month: number; onChange: (y: number, m: number) => void }) {
  const { t } = useI18n();
  return (
    <>
      <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && onChange(v, month)} suffix="年" style={{ width: 110 }} aria-label={t('plan.year')} />
      <Select value={month} onChange={(m: number) => onChange(year, m)} style={{ width: 110 }} aria-label={t('bulletins.period')}
        options={MONTHS.map((m) => ({ value: m, label: m === 1 ? '1月' : `1–${m}月` }))} data-testid="bulletin-month" />
    </>
  );
}

/** A reason dialog for 退回 and 更正重发. */
function askReason(modal: ReturnType<typeof App.useApp>['modal'], title: string, t: (k: MessageKey) => string, run: (reason: string) => Promise<unknown>) {
  let reason = '';
  modal.confirm({
    title,
    content: <Input.TextArea rows={3} placeholder={t('bulletins.reason')} onChange={(e) => { reason = e.target.value; }} data-testid="bulletin-reason" />,
    onOk: async () => {
      if (reason.trim().length < 2) throw new Error(t('bulletins.reasonRequired'));
      await run(reason.trim());
    },
  });
}

/** 通报: drafts, review and 签发, downloads of every issued version. */
function BulletinList() {
  const { t } = useI18n();
  const can = useCan();
  const { modal, message } = App.useApp();
  const { year, month, set } = usePeriod();
  const [region, setRegion] = useState('');
  const list = useLoad(() => bulletinApi.list(year), [year]);
  const canWrite = can('bulletin.write');
  const canSign = can('bulletin.sign');
  const refresh = (b?: Bulletin) => {
    if (b) void message.success(`${b.title}：${t(`bulletins.status.${b.status}` as MessageKey)}`);
    list.reload();
  };
  if (list.error) return <LoadError error={list.error} onRetry={list.reload} />;
  return (
    <Flex vertical gap={12}>
      {canWrite && (
        <Space wrap>
          <PeriodInputs year={year} month={month} onChange={set} />
          <Input value={region} onChange={(e) => setRegion(e.target.value.trim())} placeholder={t('bulletins.region')} style={{ width: 220 }} maxLength={6} />
          <Button type="primary" icon={<PlusOutlined />} data-testid="bulletin-new"
            onClick={() => void bulletinApi.create({ year, month, region: region || undefined }).then(refresh)}>{t('bulletins.new')}</Button>
        </Space>
      )}
      <Table<Bulletin>
        rowKey="id" size="middle" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} locale={{ emptyText: t('bulletins.none') }}
        expandable={{
          // Every bulletin expands: the feed sections it quotes (chosen on the draft) come first.
          expandedRowRender: (b) => (
            <Flex vertical gap={4}>
              <FeedSections bulletin={b} canWrite={canWrite} onChange={() => refresh()} />
              {b.return_reason && <Typography.Text type="warning">{t('bulletins.returnReason', { reason: b.return_reason })}</Typography.Text>}
              {b.correction_note && <Typography.Text>{t('bulletins.correction', { reason: b.correction_note })}</Typography.Text>}
              {b.versions.length > 0 && <Typography.Text strong>{t('bulletins.versions')}</Typography.Text>}
              {b.versions.map((v) => (
                <Space key={v.revision}>
                  <span>{t('bulletins.versionLine', { revision: v.revision, issue: v.issue_no, date: v.issued_on, signer: v.signer_name })}</span>
                  {v.doc_number && <Tag>{v.doc_number}</Tag>}
                  <a href={bulletinLinks.version(b.id, v.revision, 'docx')} download>{t('bulletins.docx')}</a>
                  <a href={bulletinLinks.version(b.id, v.revision, 'pdf')} download>{t('bulletins.pdf')}</a>
                </Space>
              ))}
            </Flex>
          ),
        }}
        columns={[
          { title: t('bulletins.period'), key: 'period', width: 110, render: (_, b) => `${b.year}年${b.month === 1 ? '1月' : `1–${b.month}月`}` },
          { title: t('bulletins.name'), dataIndex: 'title' },
          { title: t('bulletins.status'), dataIndex: 'status', width: 120, render: (s: Bulletin['status']) => <Tag color={STATUS_COLORS[s]}>{t(`bulletins.status.${s}` as MessageKey)}</Tag> },
          { title: t('bulletins.issue'), dataIndex: 'issue_no', width: 90, render: (n: number | null) => (n ? t('bulletins.issueNo', { n }) : '—') },
          { title: t('bulletins.revision'), dataIndex: 'revision', width: 70 },
          {
            title: t('bulletins.actions'), key: 'actions', render: (_, b) => (
              <Space wrap size={4}>
                <Button size="small" icon={<DownloadOutlined />} href={bulletinLinks.document(b.id, 'docx')} download data-testid={`bulletin-docx-${b.id}`}>{t('bulletins.docx')}</Button>
                <Button size="small" icon={<DownloadOutlined />} href={bulletinLinks.document(b.id, 'pdf')} download>{t('bulletins.pdf')}</Button>
                {canWrite && b.status === 'draft' && <Button size="small" onClick={() => void bulletinApi.act(b.id, 'submit', b.version).then(refresh)} data-testid={`bulletin-submit-${b.id}`}>{t('bulletins.submit')}</Button>}
                {canSign && b.status === 'reviewing' && (
                  <Popconfirm title={t('bulletins.signConfirm')} onConfirm={() => void bulletinApi.act(b.id, 'sign', b.version).then(refresh)}>
                    <Button size="small" type="primary" data-testid={`bulletin-sign-${b.id}`}>{t('bulletins.sign')}</Button>
                  </Popconfirm>
                )}
                {canSign && b.status === 'reviewing' && <Button size="small" onClick={() => askReason(modal, t('bulletins.return'), t, (r) => bulletinApi.actWithReason(b.id, 'return', b.version, r).then(refresh))}>{t('bulletins.return')}</Button>}
                {canWrite && b.status === 'issued' && <Button size="small" onClick={() => askReason(modal, t('bulletins.reissue'), t, (r) => bulletinApi.actWithReason(b.id, 'reissue', b.version, r).then(refresh))}>{t('bulletins.reissue')}</Button>}
                {canWrite && b.status === 'draft' && b.issue_no === null && (
                  <Popconfirm title={t('bulletins.delete')} onConfirm={() => void bulletinApi.remove(b.id).then(() => refresh())}>
                    <Button size="small" danger>{t('bulletins.delete')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Flex>
  );
}

/** 月讲评: units ranked by completion rate (ties explained) and the 十快/十慢 projects, as the bulletin prints them. */
function RankingView() {
  const { t } = useI18n();
  const can = useCan();
  const { year, month, set } = usePeriod();
  const ranking = useLoad(() => bulletinApi.ranking(year, month), [year, month]);
  const r = ranking.data;
  const projectColumns = [
    { title: t('bulletins.rank'), dataIndex: 'rank', width: 60 },
    { title: t('bulletins.project'), dataIndex: 'name' },
    { title: t('bulletins.unit'), dataIndex: 'unit_name' },
    { title: t('bulletins.rate'), dataIndex: 'completion_rate_text', align: 'right' as const, width: 110 },
  ];
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <PeriodInputs year={year} month={month} onChange={set} />
        <Button icon={<DownloadOutlined />} href={withQuery('/api/v1/bulletins/ranking.xlsx', { year, month })} download data-testid="ranking-xlsx">{t('export.xlsx')}</Button>
        {r && <Typography.Text type="secondary">{t('bulletins.timeProgress', { value: r.time_progress_text })}</Typography.Text>}
      </Space>
      {ranking.error ? <LoadError error={ranking.error} onRetry={ranking.reload} /> : (
        <>
          <Table<UnitRank>
            rowKey={(u) => u.key ?? u.name} size="middle" loading={ranking.loading} dataSource={r?.units ?? []} pagination={false} data-testid="ranking-table"
            columns={[
              { title: t('bulletins.rank'), dataIndex: 'rank', width: 70, render: (n: number | null) => n ?? '—' },
              { title: t('bulletins.unit'), dataIndex: 'name' },
              { title: t('bulletins.count'), dataIndex: 'count', align: 'right', width: 80 },
              { title: t('bulletins.plan'), dataIndex: 'planned_investment', align: 'right', render: (v: number) => formatYi(v) },
              { title: t('bulletins.done'), dataIndex: 'completed_ytd', align: 'right', render: (v: number, u) => (u.unrecorded ? '—' : formatYi(v)) },
              { title: t('bulletins.rate'), dataIndex: 'completion_rate_text', align: 'right', width: 110 },
              { title: t('bulletins.gap'), dataIndex: 'gap_points_text', align: 'right', width: 150 },
              { title: t('bulletins.note'), dataIndex: 'note', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
              ...(can('matter.assign') ? [{
                title: '', key: 'assign', width: 90, render: (_v: unknown, u: UnitRank) => (u.key && /^\d+$/.test(u.key) ? (
                  <AssignUnitButton unit={{ id: Number(u.key), name: u.name }} title={`${u.name}${month}月项目推进滞后`}
                    content={`${year}年1–${month}月，${u.name}重点项目投资完成率${u.completion_rate_text}%${u.rank !== null ? `，在${r?.units.length ?? ''}个单位中排第${u.rank}名` : ''}。请牵头单位分析原因、制定措施，加快项目推进并按时限反馈。`}
                    sourceRef={`${year}年1–${month}月讲评：${u.name}${u.rank !== null ? ` 第${u.rank}名` : ''}，完成率${u.completion_rate_text}%`}
                    sourceLink={`/bulletins?tab=ranking&year=${year}&month=${month}`} />
                ) : null),
              }] : []),
            ]}
          />
          <Row gutter={12}>
            <Col xs={24} lg={12}><Card size="small" title={t('bulletins.fast')}><Table<ProjectRank> rowKey="project_id" size="small" pagination={false} dataSource={r?.fast ?? []} columns={projectColumns} /></Card></Col>
            <Col xs={24} lg={12}><Card size="small" title={t('bulletins.slow')}><Table<ProjectRank> rowKey="project_id" size="small" pagination={false} dataSource={r?.slow ?? []} columns={projectColumns} /></Card></Col>
          </Row>
        </>
      )}
    </Flex>
  );
}

/** 通报模板: the template as JSON, checked by the server (placeholders, tables) before it is saved. */
function TemplateEditor() {
  const { t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const loaded = useLoad(() => bulletinApi.template(), []);
  const [text, setText] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const answer = loaded.data;
  const show = (a: TemplateAnswer) => {
    loaded.setData(a);
    setText(JSON.stringify(a.template, null, 2));
  };
  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  if (!answer) return null;
  const value = text ?? JSON.stringify(answer.template, null, 2);
  const save = async () => {
    let template: BulletinTemplate;
    try {
      template = JSON.parse(value) as BulletinTemplate;
    } catch (e) {
      setProblem(t('bulletins.template.badJson', { error: e instanceof Error ? e.message : String(e) }));
      return;
    }
    try {
      show(await bulletinApi.saveTemplate(template, answer.version));
      setProblem(null);
      void message.success(t('bulletins.template.saved'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        loaded.reload();
        setText(undefined);
        setProblem(t('bulletins.template.conflict'));
      } else setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Row gutter={16}>
      <Col xs={24} lg={16}>
        <Flex vertical gap={8}>
          <Alert type="info" showIcon title={t('bulletins.template.help')} description={answer.is_builtin ? t('bulletins.template.builtin') : undefined} />
          {problem && <Alert type="error" showIcon title={problem} data-testid="template-problem" />}
          <Input.TextArea value={value} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 18, maxRows: 40 }} style={{ fontFamily: 'monospace', fontSize: 12 }}
            readOnly={!can('bulletin.write')} data-testid="template-json" />
          {can('bulletin.write') && (
            <Space>
              <Button type="primary" onClick={() => void save()} data-testid="template-save">{t('bulletins.template.save')}</Button>
              <Button onClick={() => setText(JSON.stringify(answer.default_template, null, 2))}>{t('bulletins.template.reset')}</Button>
            </Space>
          )}
        </Flex>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('bulletins.template.placeholders')}>
          <Form layout="vertical" component={false}>
            {Object.entries(answer.placeholders).map(([k, v]) => <div key={k}><Typography.Text code>{`{${k}}`}</Typography.Text> {v}</div>)}
          </Form>
        </Card>
      </Col>
    </Row>
  );
}

/** 通报与讲评: bulletins, the unit ranking (月讲评) and the template. */
export function BulletinsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'list';
  return (
    <Card title={t('bulletins.title')}>
      <Tabs activeKey={tab} onChange={(k) => setParams((p) => {
        p.set('tab', k);
        return p;
      })} destroyOnHidden items={[
        { key: 'list', label: t('bulletins.tab.list'), children: <BulletinList /> },
        { key: 'ranking', label: t('bulletins.tab.ranking'), children: <RankingView /> },
        { key: 'template', label: t('bulletins.tab.template'), children: <TemplateEditor /> },
      ]} />
    </Card>
  );
}
