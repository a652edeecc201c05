import { useCallback, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Empty, Flex, Form, Input, Modal, Table, Tabs, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { reportApi } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import type { FieldChange, ReviewItem } from '../../api/types.ts';
import { formatWan } from '../../format.ts';
import { stageKey } from '../../stages.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PeriodPicker } from '../../components/PeriodPicker.tsx';
import { browserToday, usePeriodInForce } from '../../components/usePeriodInForce.ts';
import { useLoad } from '../../components/useLoad.ts';
import { PhotoDialog } from '../Reports/PhotoDialog.tsx';
import { AssignUnitButton, ReportProblemButton } from '../Supervision/AssignMatterButton.tsx';
import type { MissingReports } from '../../api/types.ts';

/** A changed value as the reviewer reads it: money in 万元, stages by name. */
function printChange(c: FieldChange, v: string | number | null, label: (s: string) => string): string {
  if (v === null) return '（空）';
  if (c.field === 'amount_month' && typeof v === 'number') return `${formatWan(v)} 万元`;
  if (c.field === 'stage' && typeof v === 'string') return label(v);
  if (c.field === 'stats_entered') return v ? '是' : '否';
  return String(v);
}

/** 审核: submitted reports of a period with what changed since last month; approve, or return with a reason. */
export function ReviewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const units = useUnits();
  const tree = useMemo(() => unitTree(units), [units]);
  // The queue opens at the period being reported (submissions come in before its deadline), else the period in force.
  const current = usePeriodInForce();
  // A link back from a matter names the tab and the period: /review?tab=missing&year=2026&month=11.
  const [params, setParams] = useSearchParams();
  const linkedYear = Number(params.get('year')) || undefined;
  const tab = params.get('tab') === 'missing' ? 'missing' : 'queue';
  const [pickedYear, setYear] = useState<number | undefined>(linkedYear);
  const year = pickedYear ?? current?.reporting?.year ?? current?.in_force.year ?? Number(browserToday().slice(0, 4));
  const [month, setMonth] = useState<number | undefined>(linkedYear ? Number(params.get('month')) || undefined : undefined);
  const [unit, setUnit] = useState<number | undefined>(undefined);
  const [missingPage, setMissingPage] = useState(1);
  const onPeriod = useCallback((y: number, m: number | undefined) => {
    setYear(y);
    setMonth(m);
    setMissingPage(1);
  }, []);
  const queue = useLoad(() => (month === undefined || tab !== 'queue' ? Promise.resolve(null) : reportApi.reviewQueue(year, month, unit)), [year, month, unit, tab]);
  // 催报 is read a page of units at a time (the units that owe something), each with the five names 交办 quotes:
  // a city at month end owes tens of thousands of reports, which the page never lists.
  // Another period or unit starts again at the first page (set with them, so one load follows).
  const missing = useLoad(() => (month === undefined || tab !== 'missing' ? Promise.resolve(null)
    : reportApi.missing(year, month, unit, { page: missingPage, page_size: MISSING_PAGE_SIZE, per_unit: 5 })), [year, month, unit, tab, missingPage]);
  const [selected, setSelected] = useState<number[]>([]);
  const [returning, setReturning] = useState<ReviewItem | null>(null);
  const [photos, setPhotos] = useState<ReviewItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const stageLabel = (s: string) => (stageKey(s) ? t(stageKey(s)!) : s);

  const approve = async (items: ReviewItem[]) => {
    setBusy(true);
    let done = 0;
    try {
      for (const item of items) {
        await reportApi.approve(item.report.id, item.report.version);
        done++;
      }
      void message.success(t('review.approved', { count: done }));
    } catch {
      // The client has shown why; the queue reloads to show what is left.
    } finally {
      setBusy(false);
      setSelected([]);
      queue.reload();
    }
  };

  const sendBack = async ({ reason }: { reason: string }) => {
    if (!returning) return;
    setBusy(true);
    try {
      await reportApi.returnReport(returning.report.id, returning.report.version, reason.trim());
      void message.success(t('review.returned'));
      setReturning(null);
      queue.reload();
    } catch {
      // Shown by the client.
    } finally {
      setBusy(false);
    }
  };

  const items = queue.data?.items ?? [];
  const columns: TableColumnsType<ReviewItem> = [
    {
      title: t('projects.col.name'), key: 'name', width: 240,
      render: (_v, i) => (
        <div>
          <Link to={`/projects/${i.project.id}?tab=reports`}>{i.project.name}</Link>
          <div style={{ color: '#888', fontSize: 12 }}>{i.project.unit_name}{i.is_late && <Tag color="orange" style={{ marginLeft: 6 }}>{t('review.late')}</Tag>}</div>
        </div>
      ),
    },
    { title: t('report.amountMonth'), key: 'month', align: 'right', width: 130, render: (_v, i) => formatWan(i.report.amount_month) },
    { title: t('report.amountYtd'), key: 'ytd', align: 'right', width: 130, render: (_v, i) => formatWan(i.report.amount_ytd) },
    { title: t('grid.stage'), key: 'stage', width: 100, render: (_v, i) => (i.report.stage ? stageLabel(i.report.stage) : '—') },
    {
      title: t('review.changes'), key: 'changes',
      render: (_v, i) => (i.changes.length === 0 ? <Typography.Text type="secondary">{t('review.noChanges')}</Typography.Text> : (
        <ul style={{ margin: 0, paddingLeft: 16 }} data-testid={`changes-${i.report.id}`}>
          {i.changes.map((c) => <li key={c.field}>{c.label}：{printChange(c, c.from, stageLabel)} → <strong>{printChange(c, c.to, stageLabel)}</strong></li>)}
        </ul>
      )),
    },
    { title: t('photos.title'), key: 'photos', width: 70, render: (_v, i) => <Button size="small" onClick={() => setPhotos(i)} disabled={!i.report.photo_count}>{i.report.photo_count ?? 0}</Button> },
    {
      title: t('review.actions'), key: 'actions', width: 150, fixed: 'right',
      render: (_v, i) => (
        <Flex gap={4}>
          <Button size="small" type="primary" disabled={busy} onClick={() => void approve([i])} aria-label={`${t('review.approve')} ${i.project.name}`}>{t('review.approve')}</Button>
          <Button size="small" danger disabled={busy} onClick={() => {
            form.resetFields();
            setReturning(i);
          }} aria-label={`${t('review.return')} ${i.project.name}`}>{t('review.return')}</Button>
        </Flex>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.review')}</Typography.Title>
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        {current !== undefined && <PeriodPicker year={year} month={month} onChange={onPeriod} />}
        <TreeSelect
          style={{ minWidth: 200, flex: '1 1 200px' }} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={tree}
          value={unit} onChange={(v: number | undefined) => {
            setUnit(v);
            setMissingPage(1);
          }} placeholder={t('grid.allUnits')} aria-label={t('projects.filter.unit')}
        />
        <ExportButton view="review-queue" query={{ year, month, unit }} label={t('export.reviewQueue')} disabled={month === undefined} />
        <ExportButton view="missing" query={{ year, month, unit }} label={t('export.missing')} disabled={month === undefined} />
        <Button type="primary" disabled={selected.length === 0 || busy} onClick={() => void approve(items.filter((i) => selected.includes(i.report.id)))}>
          {t('review.approveSelected', { count: selected.length })}
        </Button>
      </Flex>
      <Tabs activeKey={tab} onChange={(k) => setParams((p) => {
        p.set('tab', k);
        return p;
      }, { replace: true })} items={[{ key: 'queue', label: t('review.tab.queue') }, { key: 'missing', label: t('missing.title') }]} />
      {tab === 'missing' && (missing.error ? <LoadError error={missing.error} onRetry={missing.reload} /> : <MissingTable data={missing.data ?? null} loading={missing.loading} year={year} page={missingPage} onPage={setMissingPage} />)}
      {tab === 'queue' && <>
      {queue.error ? <LoadError error={queue.error} onRetry={queue.reload} /> : null}
      {queue.data && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('review.summary', { period: `${year}年${queue.data.period.label}`, count: items.length })} />}
      <Table<ReviewItem>
        rowKey={(i) => i.report.id} size="small" loading={queue.loading} dataSource={items} columns={columns} scroll={{ x: 1100 }} data-testid="review-table"
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        pagination={items.length > 50 ? { pageSize: 50 } : false}
        locale={{ emptyText: <Empty description={t('review.empty')} /> }}
        expandable={{
          rowExpandable: (i) => !!(i.report.progress_text || i.report.problems || i.report.next_plan),
          expandedRowRender: (i) => (
            <div>
              {i.report.progress_text && <p><strong>{t('grid.progress')}：</strong>{i.report.progress_text}</p>}
              {i.report.problems && (
                <p><strong>{t('grid.problems')}：</strong>{i.report.problems}{' '}
                  <ReportProblemButton report={i.report} project={i.project} matter={i.matter} /></p>
              )}
              {i.report.next_plan && <p><strong>{t('grid.nextPlan')}：</strong>{i.report.next_plan}</p>}
            </div>
          ),
        }}
      />
      </>}
      <Modal open={returning !== null} title={`${t('review.return')} · ${returning?.project.name ?? ''}`} onCancel={() => setReturning(null)} onOk={() => form.submit()} confirmLoading={busy} okText={t('review.return')} okButtonProps={{ danger: true }}>
        <Form form={form} layout="vertical" onFinish={(v: { reason: string }) => void sendBack(v)}>
          <Form.Item name="reason" label={t('review.reason')} rules={[{ required: true, whitespace: true, message: t('review.reasonRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
      {photos && <PhotoDialog reportId={photos.report.id} title={photos.project.name} editable={false} onClose={() => setPhotos(null)} onChanged={() => undefined} />}
    </div>
  );
}

/** Units per page of the 催报 table. */
const MISSING_PAGE_SIZE = 50;

/** 催报 by unit: what each unit still owes for the period, with 交办 for a lagging one (two clicks, the same dialog). */
function MissingTable({ data, loading, year, page, onPage }: { data: MissingReports | null; loading: boolean; year: number; page: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  const units = data?.units ?? [];
  const label = data ? `${year}年${data.period.label}` : '';
  return (
    <Table<MissingReports['units'][number]>
      rowKey="unit_id" size="small" loading={loading} dataSource={units} data-testid="missing-table"
      pagination={{ current: page, pageSize: MISSING_PAGE_SIZE, total: data?.total ?? 0, onChange: onPage, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={{ x: 560 }} locale={{ emptyText: <Empty description={t('grid.todoDoneShort')} /> }}
      columns={[
        { title: t('missing.unit'), dataIndex: 'unit_name', width: 180 },
        { title: t('missing.expected'), dataIndex: 'expected', align: 'right', width: 70 },
        { title: t('missing.submitted'), dataIndex: 'submitted', align: 'right', width: 70 },
        { title: t('missing.count'), dataIndex: 'missing_count', align: 'right', width: 70, render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
        { title: t('missing.late'), dataIndex: 'late_count', align: 'right', width: 70 },
        {
          // Fixed on the right so that a phone reaches 交办 without scrolling the table sideways.
          title: '', key: 'assign', width: 84, fixed: 'right', render: (_v, u) => (data && u.missing_count > 0 ? (
            <AssignUnitButton unit={{ id: u.unit_id, name: u.unit_name }} title={`${u.unit_name}${data.period.label}月报报送滞后`}
              content={`${label}月报，${u.unit_name}应报${u.expected}个项目，已报${u.submitted}个，未报${u.missing_count}个（${u.missing.slice(0, 5).map((m) => m.project_name).join('、')}${u.missing_count > 5 ? '等' : ''}）${data.period.is_past_deadline ? '，已过截止日期' : ''}。请督促按时报送并说明原因。`}
              sourceRef={`${label}催报：未报${u.missing_count}个`} sourceLink={`/review?tab=missing&year=${year}&month=${data.period.month}`} />
          ) : null),
        },
      ]}
    />
  );
}
