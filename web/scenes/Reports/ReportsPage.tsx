import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  Alert, App, Button, Card, Collapse, Empty, Flex, Grid, Input, InputNumber, List, Popconfirm, Segmented, Select, Table, Tag, TreeSelect, Typography,
  type TableColumnsType,
} from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { REPORT_STAGES } from '../../../core/monthly-report.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { ApiError } from '../../api/client.ts';
import { periodApi, reportApi } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import type { GridRow } from '../../api/types.ts';
import { formatWan } from '../../format.ts';
import { defaultPeriod, REPORT_STATUS } from '../../reports.ts';
import { stageKey } from '../../stages.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { amountsOf, initialDraft, isDirty, isEditable, switchMode, toWrite, type AmountMode, type Draft } from './report-draft.ts';
import { PhotoDialog } from './PhotoDialog.tsx';

type RowErrors = Record<number, string>;

/** The free-text fields of one row (progress, workers, problems, next month's plan, reason for a negative figure). */
function DetailFields({ row, draft, editable, negative, onChange }: {
  row: GridRow; draft: Draft; editable: boolean; negative: boolean; onChange: (patch: Partial<Draft>) => void;
}) {
  const { t } = useI18n();
  const name = row.project.name;
  return (
    <Flex vertical gap={8} style={{ width: '100%' }}>
      {negative && (
        <Input
          status={draft.negative_reason.trim() ? undefined : 'error'} disabled={!editable} value={draft.negative_reason}
          placeholder={t('grid.negativeReason')} aria-label={`${name} ${t('grid.negativeReason')}`}
          onChange={(e) => onChange({ negative_reason: e.target.value })}
        />
      )}
      <Input.TextArea
        autoSize={{ minRows: 2, maxRows: 6 }} disabled={!editable} value={draft.progress_text} maxLength={4000}
        placeholder={t('grid.progress')} aria-label={`${name} ${t('grid.progress')}`} onChange={(e) => onChange({ progress_text: e.target.value })}
      />
      <Flex gap={8} wrap>
        <InputNumber
          min={0} precision={0} disabled={!editable} value={draft.workers === '' ? null : Number(draft.workers)} style={{ width: 140 }}
          placeholder={t('grid.workers')} aria-label={`${name} ${t('grid.workers')}`} suffix={t('grid.people')}
          onChange={(v) => onChange({ workers: v === null ? '' : String(v) })}
        />
        <Input
          disabled={!editable} value={draft.problems} placeholder={t('grid.problems')} aria-label={`${name} ${t('grid.problems')}`}
          style={{ flex: '1 1 200px' }} onChange={(e) => onChange({ problems: e.target.value })}
        />
      </Flex>
      <Input
        disabled={!editable} value={draft.next_plan} placeholder={t('grid.nextPlan')} aria-label={`${name} ${t('grid.nextPlan')}`}
        onChange={(e) => onChange({ next_plan: e.target.value })}
      />
    </Flex>
  );
}

/** 月度填报: one grid of a unit's projects for a period; save as draft, submit all, photos from the phone camera. */
export function ReportsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const isOffice = user?.role === 'office';
  const canWrite = user?.role === 'office' || user?.role === 'reporter';
  const units = useUnits();
  const tree = useMemo(() => unitTree(units), [units]);

  const [year, setYear] = useState(new Date().getFullYear());
  const periods = useLoad(() => reportApi.periods(year), [year]);
  const [month, setMonth] = useState<number | undefined>(undefined);
  useEffect(() => {
    const items = periods.data?.items;
    if (items && items.length && (month === undefined || !items.some((p) => p.month === month))) setMonth(defaultPeriod(items));
  }, [periods.data, month]);
  const period = periods.data?.items.find((p) => p.month === month);

  const [unit, setUnit] = useState<number | undefined>(undefined);
  const grid = useLoad(() => (month === undefined ? Promise.resolve(null) : reportApi.grid(year, month, unit)), [year, month, unit]);
  const [mode, setMode] = useState<AmountMode>('month');
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [banner, setBanner] = useState<{ type: 'error' | 'success' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [photoRow, setPhotoRow] = useState<GridRow | null>(null);

  const rows = useMemo(() => grid.data?.rows ?? [], [grid.data]);
  useEffect(() => {
    setDrafts(Object.fromEntries(rows.map((r) => [r.project.id, initialDraft(r, mode)])));
    setRowErrors({});
    // Drafts restart from the stored reports whenever the grid reloads; the mode switch converts them itself.
  }, [rows]);
  const periodOpen = grid.data?.period.status === 'open';

  const draftOf = useCallback((r: GridRow) => drafts[r.project.id] ?? initialDraft(r, mode), [drafts, mode]);
  const change = (r: GridRow, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [r.project.id]: { ...draftOf(r), ...patch } }));
  const changeMode = (to: AmountMode) => {
    setDrafts((d) => Object.fromEntries(rows.map((r) => [r.project.id, switchMode(r, d[r.project.id] ?? initialDraft(r, mode), mode, to)])));
    setMode(to);
  };
  const dirtyRows = rows.filter((r) => canWrite && isEditable(r, periodOpen) && isDirty(r, draftOf(r), mode));

  /** Client checks before sending: numbers that parse, a reason for a negative month. */
  const check = (list: GridRow[]): RowErrors => {
    const errors: RowErrors = {};
    for (const r of list) {
      const d = draftOf(r);
      const a = amountsOf(r, d, mode);
      if ('error' in a && a.error === 'invalid') errors[r.project.id] = t('grid.invalidAmount');
      else if (!('error' in a) && a.month < 0 && !d.negative_reason.trim()) errors[r.project.id] = t('grid.negativeNeedsReason');
    }
    return errors;
  };

  const run = async (submit: boolean) => {
    if (month === undefined) return;
    const errors = check(dirtyRows);
    setRowErrors(errors);
    if (Object.keys(errors).length) {
      setBanner({ type: 'error', text: t('grid.fixRows', { count: Object.keys(errors).length }) });
      return;
    }
    setBusy(submit ? 'submit' : 'save');
    setBanner(null);
    try {
      if (dirtyRows.length) await reportApi.saveBatch(year, month, dirtyRows.map((r) => toWrite(r, draftOf(r), mode)), submit);
      if (submit) {
        const r = await reportApi.submitAll(year, month, unit);
        const submitted = r.submitted + (dirtyRows.length);
        setBanner(r.missing.length
          ? { type: 'warning', text: t('grid.submittedSome', { count: submitted, missing: r.missing.length, names: r.missing.slice(0, 5).map((m) => m.project_name).join('、') }) }
          : { type: 'success', text: t('grid.submittedAll', { count: submitted }) });
      } else {
        void message.success(t('grid.saved', { count: dirtyRows.length }));
      }
      grid.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        const failed = (e.details as { rows?: { project_id: number; message: string }[] } | null)?.rows ?? [];
        setRowErrors(Object.fromEntries(failed.map((f) => [f.project_id, f.message])));
        setBanner({ type: 'error', text: e.message });
      }
      grid.reload();
    } finally {
      setBusy(null);
    }
  };

  const amountInput = (r: GridRow, editable: boolean) => {
    const d = draftOf(r);
    const a = amountsOf(r, d, mode);
    const other = 'error' in a ? null : mode === 'month' ? a.ytd : a.month;
    const label = mode === 'month' ? t('grid.thisMonth') : t('grid.ytd', { label: grid.data?.period.ytd_label ?? '' });
    return (
      <div>
        <Input
          inputMode="decimal" disabled={!editable} value={d.amount} suffix="万元" aria-label={`${r.project.name} ${label}`}
          status={rowErrors[r.project.id] || ('error' in a && a.error === 'invalid') ? 'error' : undefined}
          onChange={(e) => change(r, { amount: e.target.value })} style={{ minWidth: 140 }} data-testid={`amount-${r.project.id}`}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {other === null ? '\u00a0' : `${mode === 'month' ? t('grid.ytdShort') : t('grid.monthShort')} ${formatWan(other)}`}
        </Typography.Text>
      </div>
    );
  };

  const stageSelect = (r: GridRow, editable: boolean) => (
    <Select
      allowClear disabled={!editable} value={draftOf(r).stage ?? undefined} placeholder={t('grid.stage')} style={{ width: '100%', minWidth: 110 }}
      aria-label={`${r.project.name} ${t('grid.stage')}`} onChange={(v: string | undefined) => change(r, { stage: v ?? null })}
      options={REPORT_STAGES.map((s) => ({ value: s, label: t(stageKey(s)!) }))}
    />
  );

  const statusTag = (r: GridRow) => {
    const s = r.report?.status;
    return s ? <Tag color={REPORT_STATUS[s].color}>{t(REPORT_STATUS[s].key)}</Tag> : <Tag>{t('report.status.none')}</Tag>;
  };

  const photoButton = (r: GridRow) => (
    <Button
      size="small" icon={<CameraOutlined />} disabled={!r.report} onClick={() => setPhotoRow(r)}
      aria-label={`${r.project.name} ${t('photos.title')}`} title={r.report ? undefined : t('photos.saveFirst')}
    >{r.report?.photo_count ?? 0}</Button>
  );

  const columns: TableColumnsType<GridRow> = [
    {
      title: t('projects.col.name'), key: 'name', width: 240, fixed: 'left',
      render: (_v, r) => (
        <div>
          <Link to={`/projects/${r.project.id}?tab=reports`}>{r.project.name}</Link>
          {!unit && isOffice && <div style={{ color: '#888', fontSize: 12 }}>{r.project.unit_name}</div>}
          {rowErrors[r.project.id] && <div role="alert" style={{ color: '#cf1322', fontSize: 12 }}>{rowErrors[r.project.id]}</div>}
          {r.report?.status === 'returned' && r.report.return_reason && <div style={{ color: '#d46b08', fontSize: 12 }}>{t('report.returnReason')}：{r.report.return_reason}</div>}
        </div>
      ),
    },
    { title: t('grid.plan'), key: 'plan', width: 110, align: 'right', render: (_v, r) => (r.plan ? formatWan(r.plan.planned_investment) : '—') },
    { title: t('grid.previousYtd'), key: 'prev', width: 110, align: 'right', render: (_v, r) => formatWan(r.previous?.amount_ytd ?? 0) },
    { title: mode === 'month' ? t('grid.thisMonth') : t('grid.ytd', { label: grid.data?.period.ytd_label ?? '' }), key: 'amount', width: 170, render: (_v, r) => amountInput(r, canWrite && isEditable(r, periodOpen)) },
    { title: t('grid.stage'), key: 'stage', width: 130, render: (_v, r) => stageSelect(r, canWrite && isEditable(r, periodOpen)) },
    { title: t('grid.progress'), key: 'progress', render: (_v, r) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{draftOf(r).progress_text || '—'}</Typography.Text> },
    { title: t('report.status'), key: 'status', width: 90, render: (_v, r) => statusTag(r) },
    { title: t('photos.title'), key: 'photos', width: 80, render: (_v, r) => photoButton(r) },
  ];

  const header = (
    <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
      <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} aria-label={t('plan.year')} suffix="年" style={{ width: 110 }} />
      <Select
        style={{ width: 150 }} value={month} aria-label={t('grid.period')} placeholder={t('grid.period')} data-testid="period-select"
        options={(periods.data?.items ?? []).map((p) => ({ value: p.month, label: `${p.label}（${t(`period.${p.status}`)}）` }))}
        onChange={(v: number) => setMonth(v)}
      />
      {isOffice && (
        <TreeSelect
          style={{ minWidth: 200, flex: '1 1 200px' }} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={tree}
          value={unit} onChange={(v: number | undefined) => setUnit(v)} placeholder={t('grid.allUnits')} aria-label={t('projects.filter.unit')}
        />
      )}
      <Segmented<AmountMode>
        value={mode} onChange={changeMode}
        options={[{ value: 'month', label: t('grid.modeMonth') }, { value: 'ytd', label: t('grid.modeYtd') }]}
      />
      {period && <Typography.Text type="secondary">{t('grid.deadline')}：{period.deadline ?? '—'}</Typography.Text>}
      <ExportButton view="monthly-progress" query={{ year, month, unit }} label={t('export.progress')} disabled={month === undefined} groups />
      <ExportButton view="missing" query={{ year, month, unit }} label={t('export.missing')} disabled={month === undefined} />
      {isOffice && period && period.status !== 'open' && (
        <Button size="small" onClick={() => void periodApi.setStatus(year, period.month, 'open').then(() => { periods.reload(); grid.reload(); }, () => undefined)}>{t('period.open.action')}</Button>
      )}
      {isOffice && period && period.status === 'open' && (
        <Popconfirm title={t('period.close.confirm')} onConfirm={() => void periodApi.setStatus(year, period.month, 'closed').then(() => { periods.reload(); grid.reload(); }, () => undefined)}>
          <Button size="small">{t('period.close.action')}</Button>
        </Popconfirm>
      )}
    </Flex>
  );

  const noCalendar = periods.data && periods.data.items.length === 0;
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.reports')}</Typography.Title>
      {header}
      {periods.error ? <LoadError error={periods.error} onRetry={periods.reload} /> : null}
      {noCalendar && (
        <Empty description={t('grid.noCalendar', { year })}>
          {isOffice && <Button type="primary" onClick={() => void periodApi.createYear(year).then(() => periods.reload(), () => undefined)}>{t('grid.createCalendar', { year })}</Button>}
        </Empty>
      )}
      {grid.error ? <LoadError error={grid.error} onRetry={grid.reload} /> : null}
      {grid.data && !periodOpen && <Alert type="info" showIcon title={t(grid.data.period.status === 'closed' ? 'grid.closed' : 'grid.notOpen')} style={{ marginBottom: 12 }} />}
      {banner && <Alert type={banner.type} showIcon title={banner.text} closable onClose={() => setBanner(null)} style={{ marginBottom: 12 }} data-testid="grid-banner" />}
      {!noCalendar && (isMobile ? (
        <List
          loading={grid.loading} dataSource={rows} pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
          locale={{ emptyText: <Empty description={t('grid.empty')} /> }}
          renderItem={(r) => {
            const editable = canWrite && isEditable(r, periodOpen);
            const d = draftOf(r);
            const a = amountsOf(r, d, mode);
            return (
              <Card size="small" style={{ marginBottom: 8 }} title={<Link to={`/projects/${r.project.id}?tab=reports`} style={{ whiteSpace: 'normal' }}>{r.project.name}</Link>} extra={statusTag(r)} data-testid={`grid-card-${r.project.id}`}>
                {rowErrors[r.project.id] && <Typography.Paragraph type="danger" role="alert">{rowErrors[r.project.id]}</Typography.Paragraph>}
                {r.report?.status === 'returned' && r.report.return_reason && <Typography.Paragraph type="warning">{t('report.returnReason')}：{r.report.return_reason}</Typography.Paragraph>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('grid.plan')} {r.plan ? formatWan(r.plan.planned_investment) : '—'} · {t('grid.previousYtd')} {formatWan(r.previous?.amount_ytd ?? 0)}
                </Typography.Text>
                <Flex gap={8} style={{ margin: '8px 0' }}>
                  <div style={{ flex: 1 }}>{amountInput(r, editable)}</div>
                  <div style={{ width: 130 }}>{stageSelect(r, editable)}</div>
                </Flex>
                <Collapse size="small" ghost items={[{ key: 'more', label: t('grid.details'), children: <DetailFields row={r} draft={d} editable={editable} negative={!('error' in a) && a.month < 0} onChange={(p) => change(r, p)} /> }]} />
                <div style={{ marginTop: 8 }}>{photoButton(r)}</div>
              </Card>
            );
          }}
        />
      ) : (
        <Table<GridRow>
          rowKey={(r) => r.project.id} size="small" loading={grid.loading} dataSource={rows} columns={columns} scroll={{ x: 1100 }}
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false} data-testid="report-grid"
          locale={{ emptyText: <Empty description={t('grid.empty')} /> }}
          expandable={{
            expandedRowRender: (r) => {
              const a = amountsOf(r, draftOf(r), mode);
              return <DetailFields row={r} draft={draftOf(r)} editable={canWrite && isEditable(r, periodOpen)} negative={!('error' in a) && a.month < 0} onChange={(p) => change(r, p)} />;
            },
          }}
        />
      ))}
      {canWrite && periodOpen && rows.length > 0 && (
        <Flex gap={8} wrap justify="flex-end" style={{ position: 'sticky', bottom: 0, background: '#fff', padding: 12, borderTop: '1px solid #f0f0f0', marginTop: 12, zIndex: 10 }}>
          <Typography.Text type="secondary" style={{ alignSelf: 'center', marginRight: 'auto' }}>{t('grid.dirty', { count: dirtyRows.length })}</Typography.Text>
          <Button onClick={() => void run(false)} loading={busy === 'save'} disabled={busy !== null || dirtyRows.length === 0} data-testid="save-draft">{t('grid.saveDraft')}</Button>
          <Popconfirm title={t('grid.submitConfirm')} onConfirm={() => void run(true)}>
            <Button type="primary" loading={busy === 'submit'} disabled={busy !== null || !rows.some((r) => isEditable(r, periodOpen))} data-testid="submit-all">{t('grid.submitAll')}</Button>
          </Popconfirm>
        </Flex>
      )}
      {photoRow?.report && (
        <PhotoDialog
          reportId={photoRow.report.id} title={photoRow.project.name} editable={canWrite && isEditable(photoRow, periodOpen)}
          onClose={() => setPhotoRow(null)} onChanged={() => grid.reload()}
        />
      )}
    </div>
  );
}
