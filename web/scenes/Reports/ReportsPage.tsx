import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Alert, App, Button, Card, Collapse, Dropdown, Empty, Flex, Grid, Input, InputNumber, List, Popconfirm, Segmented, Select, Table, Tag, TreeSelect, Typography,
  type TableColumnsType,
} from 'antd';
import { CameraOutlined, DownloadOutlined } from '@ant-design/icons';
import { REPORT_STAGES, type ReportStage } from '../../../core/monthly-report.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth, useCan } from '../../auth.tsx';
import { ApiError } from '../../api/client.ts';
import { periodApi, reportApi } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import type { GridRow, MonthlyReport } from '../../api/types.ts';
import { formatWan } from '../../format.ts';
import { defaultPeriod, REPORT_STATUS } from '../../reports.ts';
import { STAGES, stageKey } from '../../stages.ts';
import type { Stage } from '../../../core/stages.ts';
import { unitTree } from '../../components/unit-tree.ts';
import { ExportButton, exportHref } from '../../components/ExportButton.tsx';
import { browserToday, refreshPeriodInForce, usePeriodInForce } from '../../components/usePeriodInForce.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import {
  amountsOf, initialDraft, isDirty, isEditable, keptDraftsKey, readKeptDrafts, restoredDraft, stageMoveOf, switchMode, toWrite, writeKeptDrafts,
  type AmountMode, type Draft,
} from './report-draft.ts';
import { PhotoDialog } from './PhotoDialog.tsx';

/** A row's error: the message and, when the server or the check named one, the field it belongs to. */
type RowErrors = Record<number, { message: string; field: string | null }>;

/** True when a stage comes before the project's current one (a report may not state it). */
function isBehind(current: Stage, stage: Stage): boolean {
  return STAGES.indexOf(stage) < STAGES.indexOf(current);
}

/** The localStorage of the browser, or undefined where there is none (private modes that refuse it). */
function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

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

/** 月度填报: one grid of a unit's projects for a period; save as draft, submit one or all, photos from the phone camera. */
export function ReportsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const screens = Grid.useBreakpoint();
  const isMobile = !screens.md;
  const can = useCan();
  // A reviewer sees every unit's rows (unit picker, unit names); period.admin opens and closes periods.
  const isReviewer = can('report.review');
  const canAdminPeriods = can('period.admin');
  const canWrite = can('report.write');
  const units = useUnits();
  const tree = useMemo(() => unitTree(units), [units]);

  // A deep link (the to-do inbox) names the period, the view and possibly one project: ?year=&month=&view=todo&project=.
  const [params, setParams] = useSearchParams();
  const linked = useMemo(() => {
    const n = (k: string) => (/^\d+$/.test(params.get(k) ?? '') ? Number(params.get(k)) : undefined);
    return { year: n('year'), month: n('month'), project: n('project'), view: params.get('view') };
  }, [params]);
  // The server decides where the page opens (unless linked): the period being reported, else the period in force.
  const current = usePeriodInForce();
  const [year, setYear] = useState<number | undefined>(linked.year);
  useEffect(() => {
    if (year === undefined && current !== undefined) setYear(current?.reporting?.year ?? current?.in_force.year ?? Number(browserToday().slice(0, 4)));
  }, [current, year]);
  const periods = useLoad(() => (year === undefined ? Promise.resolve(null) : reportApi.periods(year)), [year]);
  const [month, setMonth] = useState<number | undefined>(linked.year !== undefined ? linked.month : undefined);
  useEffect(() => {
    const items = periods.data?.items;
    if (!items || !items.length || (month !== undefined && items.some((p) => p.month === month))) return;
    const preferred = [current?.reporting, current?.in_force].find((p) => p && p.year === year && items.some((i) => i.month === p.month));
    setMonth(preferred ? preferred.month : defaultPeriod(items, current?.today ?? browserToday()));
  }, [periods.data, month, year, current]);
  const period = periods.data?.items.find((p) => p.month === month);

  const [unit, setUnit] = useState<number | undefined>(undefined);
  const grid = useLoad(() => (month === undefined || year === undefined ? Promise.resolve(null) : reportApi.grid(year, month, unit)), [year, month, unit]);
  const [mode, setMode] = useState<AmountMode>('month');
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [banner, setBanner] = useState<{ type: 'error' | 'success' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | number | null>(null);
  const [photoRow, setPhotoRow] = useState<{ row: GridRow; reportId: number } | null>(null);
  const [view, setView] = useState<'todo' | 'all'>(linked.view === 'todo' || linked.view === 'all' ? linked.view : canWrite && !isReviewer ? 'todo' : 'all');
  const onlyProject = linked.project;
  const showAllProjects = () => setParams((p) => {
    p.delete('project');
    return p;
  });

  const rows = useMemo(() => grid.data?.rows ?? [], [grid.data]);
  const periodOpen = grid.data?.period.status === 'open';
  // Unsaved input is kept in the browser under the period the grid shows (not the picker's, which may be ahead).
  const storage = useMemo(browserStorage, []);
  const keptKey = grid.data && user ? keptDraftsKey(user.userId, grid.data.period.year, grid.data.period.month) : null;
  const modeRef = useRef(mode);
  modeRef.current = mode;
  useEffect(() => {
    const kept = storage && keptKey ? readKeptDrafts(storage, keptKey) : {};
    setDrafts(Object.fromEntries(rows.map((r) => [r.project.id, restoredDraft(r, kept[String(r.project.id)], modeRef.current, canWrite && isEditable(r, periodOpen))])));
    // Drafts restart from the stored reports (or what the browser kept) whenever the grid reloads.
  }, [rows, storage, keptKey, canWrite, periodOpen]);
  useEffect(() => {
    if (!storage || !keptKey) return;
    writeKeptDrafts(storage, keptKey, rows.filter((r) => drafts[r.project.id] !== undefined).map((r) => {
      const d = drafts[r.project.id]!;
      return { projectId: r.project.id, kept: canWrite && isEditable(r, periodOpen) && isDirty(r, d, mode) ? { mode, draft: d } : null };
    }));
  }, [drafts, rows, storage, keptKey, mode, canWrite, periodOpen]);

  const draftOf = useCallback((r: GridRow) => drafts[r.project.id] ?? initialDraft(r, mode), [drafts, mode]);
  const change = (r: GridRow, patch: Partial<Draft>) => {
    setDrafts((d) => ({ ...d, [r.project.id]: { ...draftOf(r), ...patch } }));
    // An error belongs to what was typed: editing the row clears it (the next save checks again).
    setRowErrors((x) => (x[r.project.id] ? Object.fromEntries(Object.entries(x).filter(([k]) => Number(k) !== r.project.id)) : x));
  };
  const changeMode = (to: AmountMode) => {
    setDrafts((d) => Object.fromEntries(rows.map((r) => [r.project.id, switchMode(r, d[r.project.id] ?? initialDraft(r, mode), mode, to)])));
    setMode(to);
  };
  const editableRow = (r: GridRow) => canWrite && isEditable(r, periodOpen);
  const dirtyRows = rows.filter((r) => editableRow(r) && isDirty(r, draftOf(r), mode));
  const isTodo = (r: GridRow) => !r.report || r.report.status === 'draft' || r.report.status === 'returned';
  const todo = rows.filter(isTodo);
  const returned = rows.filter((r) => r.report?.status === 'returned');
  const shown = onlyProject !== undefined ? rows.filter((r) => r.project.id === onlyProject)
    : view === 'todo' ? rows.filter((r) => isTodo(r) || rowErrors[r.project.id]) : rows;
  const today = current?.today ?? browserToday();

  /** Client checks before sending: numbers that parse, a reason for a negative month, a stage move's date. */
  const check = (list: GridRow[]): RowErrors => {
    const errors: RowErrors = {};
    for (const r of list) {
      const d = draftOf(r);
      const a = amountsOf(r, d, mode);
      const move = stageMoveOf(r, d);
      const stageName = move.to ? t(stageKey(move.to)!) : '';
      if ('error' in a && a.error === 'invalid') errors[r.project.id] = { message: t('grid.invalidAmount'), field: 'amount' };
      else if (!('error' in a) && a.month < 0 && !d.negative_reason.trim()) errors[r.project.id] = { message: t('grid.negativeNeedsReason'), field: 'negative_reason' };
      else if (move.needsDate && !d.stage_date) errors[r.project.id] = { message: t('grid.stageDateMissing', { stage: stageName }), field: 'stage_date' };
      else if (move.needsDate && d.stage_date > today) errors[r.project.id] = { message: t('grid.stageDateFuture', { stage: stageName }), field: 'stage_date' };
    }
    return errors;
  };

  /** Shows the server's refusal on the rows (and fields) it names; what was typed stays in the form and the browser. */
  const showFailure = (e: unknown, fallbackRow?: GridRow) => {
    if (!(e instanceof ApiError)) return;
    const failed = (e.details as { rows?: { project_id: number; message: string; field?: string | null }[] } | null)?.rows;
    const fieldOf = Array.isArray(e.details) ? ((e.details[0] as { path?: string } | undefined)?.path ?? null) : null;
    if (failed) setRowErrors(Object.fromEntries(failed.map((f) => [f.project_id, { message: f.message, field: f.field ?? null }])));
    else if (fallbackRow) setRowErrors((x) => ({ ...x, [fallbackRow.project.id]: { message: e.message, field: fieldOf } }));
    setBanner({ type: 'error', text: e.message });
    // A version conflict means the stored reports moved on: reload them (the browser keeps the typed text).
    if (e.code === 'version_conflict') grid.reload();
  };

  const run = async (submit: boolean) => {
    if (month === undefined || year === undefined) return;
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
      if (storage && keptKey) writeKeptDrafts(storage, keptKey, dirtyRows.map((r) => ({ projectId: r.project.id, kept: null })));
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
      showFailure(e);
    } finally {
      setBusy(null);
    }
  };

  /** Saves one row's draft (creating the report when it has none) and returns the stored report. */
  const saveRow = async (r: GridRow): Promise<MonthlyReport | undefined> => {
    if (month === undefined || year === undefined) return undefined;
    const errors = check([r]);
    if (errors[r.project.id]) {
      setRowErrors((x) => ({ ...x, ...errors }));
      return undefined;
    }
    try {
      const { project_id: _id, ...body } = toWrite(r, draftOf(r), mode);
      const saved = await reportApi.saveOne(r.project.id, year, month, body);
      setRowErrors(({ [r.project.id]: _gone, ...rest }) => rest);
      if (storage && keptKey) writeKeptDrafts(storage, keptKey, [{ projectId: r.project.id, kept: null }]);
      return saved;
    } catch (e) {
      showFailure(e, r);
      return undefined;
    }
  };

  /** Photos before the first save: the row's draft is saved first (so the photos have a report to belong to). */
  const reportFor = async (r: GridRow): Promise<MonthlyReport | undefined> => {
    if (r.report && !isDirty(r, draftOf(r), mode)) return r.report;
    return saveRow(r);
  };

  const uploadFor = async (r: GridRow, files: FileList | null) => {
    if (!files || files.length === 0) return;
    const list = [...files];
    setBusy(r.project.id);
    try {
      const report = await reportFor(r);
      if (!report) return;
      await reportApi.uploadPhotos(report.id, list);
      void message.success(t('photos.uploaded', { count: list.length }));
      grid.reload();
    } catch {
      // The client has shown the message; the draft stays.
    } finally {
      setBusy(null);
    }
  };

  const openPhotos = async (r: GridRow) => {
    if (r.report) {
      setPhotoRow({ row: r, reportId: r.report.id });
      return;
    }
    setBusy(r.project.id);
    const report = await reportFor(r);
    setBusy(null);
    if (report) {
      setPhotoRow({ row: r, reportId: report.id });
      grid.reload();
    }
  };

  /** Submits one project: saves its changes and submits them in one request, or submits the stored draft. */
  const submitOne = async (r: GridRow) => {
    if (month === undefined || year === undefined) return;
    const errors = check([r]);
    if (errors[r.project.id]) {
      setRowErrors((x) => ({ ...x, ...errors }));
      return;
    }
    setBusy(r.project.id);
    try {
      if (isDirty(r, draftOf(r), mode) || !r.report) await reportApi.saveBatch(year, month, [toWrite(r, draftOf(r), mode)], true);
      else await reportApi.submit(r.report.id, r.report.version);
      if (storage && keptKey) writeKeptDrafts(storage, keptKey, [{ projectId: r.project.id, kept: null }]);
      setRowErrors(({ [r.project.id]: _gone, ...rest }) => rest);
      void message.success(t('grid.submittedOne', { name: r.project.name }));
      grid.reload();
    } catch (e) {
      showFailure(e, r);
    } finally {
      setBusy(null);
    }
  };

  const errorOf = (r: GridRow, ...fields: string[]) => {
    const e = rowErrors[r.project.id];
    return e && e.field !== null && fields.includes(e.field) ? e.message : undefined;
  };
  const fieldError = (text: string | undefined) => (text ? <div role="alert" style={{ color: '#cf1322', fontSize: 12 }}>{text}</div> : null);
  /** A row error no field shows (the server named none, or a field not on the form). */
  const rowLevelError = (r: GridRow) => {
    const e = rowErrors[r.project.id];
    return e && (e.field === null || !['amount', 'amount_month', 'amount_ytd', 'stage', 'stage_date', 'negative_reason'].includes(e.field)) ? e.message : undefined;
  };

  const amountInput = (r: GridRow, editable: boolean) => {
    const d = draftOf(r);
    const a = amountsOf(r, d, mode);
    const other = 'error' in a ? null : mode === 'month' ? a.ytd : a.month;
    const label = mode === 'month' ? t('grid.thisMonth') : t('grid.ytd', { label: grid.data?.period.ytd_label ?? '' });
    const error = errorOf(r, 'amount', 'amount_month', 'amount_ytd');
    return (
      <div>
        <Input
          inputMode="decimal" disabled={!editable} value={d.amount} suffix="万元" aria-label={`${r.project.name} ${label}`}
          status={error || ('error' in a && a.error === 'invalid') ? 'error' : undefined}
          onChange={(e) => change(r, { amount: e.target.value })} style={{ minWidth: 140 }} data-testid={`amount-${r.project.id}`}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {other === null ? '\u00a0' : `${mode === 'month' ? t('grid.ytdShort') : t('grid.monthShort')} ${formatWan(other)}`}
        </Typography.Text>
        {fieldError(error)}
      </div>
    );
  };

  const stageSelect = (r: GridRow, editable: boolean) => (
    <>
      <Select
        disabled={!editable} value={draftOf(r).stage ?? undefined} placeholder={t('grid.stage')} style={{ width: '100%', minWidth: 110 }}
        status={errorOf(r, 'stage') ? 'error' : undefined} data-testid={`stage-${r.project.id}`}
        aria-label={`${r.project.name} ${t('grid.stage')}`} onChange={(v: ReportStage) => change(r, { stage: v })}
        // A report cannot move a project back: stages before the project's own are offered disabled.
        options={REPORT_STAGES.map((s) => ({ value: s, label: t(stageKey(s)!), disabled: isBehind(r.project.stage, s) }))}
      />
      {fieldError(errorOf(r, 'stage'))}
    </>
  );

  /** A stage move in the same card: its date and the site photo it needs. */
  const stageMoveFields = (r: GridRow, editable: boolean) => {
    const d = draftOf(r);
    const move = stageMoveOf(r, d);
    if (!move.to || !editable) return null;
    const stageName = t(stageKey(move.to)!);
    const photos = r.report?.photo_count ?? 0;
    const dateError = errorOf(r, 'stage_date');
    return (
      <Flex vertical gap={6} style={{ margin: '8px 0', padding: 8, background: '#fffbe6', border: '1px solid #ffe58f', borderRadius: 6 }} data-testid={`stage-move-${r.project.id}`}>
        {move.needsDate && (
          <label>
            <Typography.Text>{t('grid.stageDate', { stage: stageName })}</Typography.Text>
            <Input
              type="date" max={today} value={d.stage_date} status={dateError ? 'error' : undefined} style={{ maxWidth: 200, marginLeft: 8 }}
              aria-label={`${r.project.name} ${t('grid.stageDate', { stage: stageName })}`} data-testid={`stage-date-${r.project.id}`}
              onChange={(e) => change(r, { stage_date: e.target.value })}
            />
            {fieldError(dateError)}
          </label>
        )}
        {move.needsPhoto && (
          <Flex gap={8} align="center" wrap>
            <Typography.Text type={photos ? 'success' : 'warning'}>
              {photos ? t('grid.stagePhotoDone', { count: photos }) : t('grid.stagePhoto', { stage: stageName })}
            </Typography.Text>
            {photoPicker(r, 'primary')}
          </Flex>
        )}
      </Flex>
    );
  };

  const fileInputs = useRef<Record<number, HTMLInputElement | null>>({});
  /** A camera button that saves the draft when needed and uploads at once (no separate save first). */
  const photoPicker = (r: GridRow, type: 'primary' | 'default' = 'default') => (
    <>
      <input
        ref={(el) => { fileInputs.current[r.project.id] = el; }} type="file" accept="image/*" capture="environment" multiple hidden
        data-testid={`photo-input-${r.project.id}`} onChange={(e) => { void uploadFor(r, e.target.files); e.target.value = ''; }}
      />
      <Button size="small" type={type} icon={<CameraOutlined />} loading={busy === r.project.id} onClick={() => fileInputs.current[r.project.id]?.click()}>
        {t('photos.take')}
      </Button>
    </>
  );

  const statusTag = (r: GridRow) => {
    const s = r.report?.status;
    return s ? <Tag color={REPORT_STATUS[s].color}>{t(REPORT_STATUS[s].key)}</Tag> : <Tag>{t('report.status.none')}</Tag>;
  };

  const photoButton = (r: GridRow) => (
    <Button
      size="small" icon={<CameraOutlined />} disabled={!r.report && !editableRow(r)} loading={busy === r.project.id} onClick={() => void openPhotos(r)}
      aria-label={`${r.project.name} ${t('photos.title')}`} data-testid={`photos-${r.project.id}`}
    >{r.report?.photo_count ?? 0}</Button>
  );

  const submitButton = (r: GridRow) => (editableRow(r) ? (
    <Popconfirm title={t('grid.submitOneConfirm')} onConfirm={() => void submitOne(r)}>
      <Button size="small" type="primary" ghost loading={busy === r.project.id} disabled={busy !== null} data-testid={`submit-${r.project.id}`}>{t('grid.submitOne')}</Button>
    </Popconfirm>
  ) : null);

  const columns: TableColumnsType<GridRow> = [
    {
      title: t('projects.col.name'), key: 'name', width: 240, fixed: 'left',
      render: (_v, r) => (
        <div>
          <Link to={`/projects/${r.project.id}?tab=reports`}>{r.project.name}</Link>
          {!unit && isReviewer && <div style={{ color: '#888', fontSize: 12 }}>{r.project.unit_name}</div>}
          {fieldError(rowLevelError(r))}
          {r.report?.status === 'returned' && r.report.return_reason && <div style={{ color: '#d46b08', fontSize: 12 }}>{t('report.returnReason')}：{r.report.return_reason}</div>}
        </div>
      ),
    },
    { title: t('grid.plan'), key: 'plan', width: 110, align: 'right', render: (_v, r) => (r.plan ? formatWan(r.plan.planned_investment) : '—') },
    { title: t('grid.previousYtd'), key: 'prev', width: 110, align: 'right', render: (_v, r) => formatWan(r.previous?.amount_ytd ?? 0) },
    { title: mode === 'month' ? t('grid.thisMonth') : t('grid.ytd', { label: grid.data?.period.ytd_label ?? '' }), key: 'amount', width: 170, render: (_v, r) => amountInput(r, editableRow(r)) },
    { title: t('grid.stage'), key: 'stage', width: 200, render: (_v, r) => <>{stageSelect(r, editableRow(r))}{stageMoveFields(r, editableRow(r))}</> },
    { title: t('grid.progress'), key: 'progress', render: (_v, r) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{draftOf(r).progress_text || '—'}</Typography.Text> },
    { title: t('report.status'), key: 'status', width: 90, render: (_v, r) => statusTag(r) },
    { title: t('photos.title'), key: 'photos', width: 80, render: (_v, r) => photoButton(r) },
    { title: '', key: 'submit', width: 80, render: (_v, r) => submitButton(r) },
  ];

  const setPeriodStatus = (status: 'open' | 'closed') => {
    if (!period || year === undefined) return;
    void periodApi.setStatus(year, period.month, status).then(() => { refreshPeriodInForce(); periods.reload(); grid.reload(); }, () => undefined);
  };
  const exportQuery = { year, month, unit };
  const exports = isMobile ? (
    <Dropdown
      disabled={month === undefined}
      menu={{
        items: [
          { key: 'progress', label: <a href={exportHref('monthly-progress', exportQuery)} download>{t('export.progress')}</a> },
          { key: 'missing', label: <a href={exportHref('missing', exportQuery)} download>{t('export.missing')}</a> },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} data-testid="export-menu">{t('export.menu')}</Button>
    </Dropdown>
  ) : (
    <>
      <ExportButton view="monthly-progress" query={exportQuery} label={t('export.progress')} disabled={month === undefined} groups />
      <ExportButton view="missing" query={exportQuery} label={t('export.missing')} disabled={month === undefined} />
    </>
  );

  const header = (
    <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
      <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} aria-label={t('plan.year')} suffix="年" style={{ width: 110 }} />
      <Select
        style={{ width: 150 }} value={month} aria-label={t('grid.period')} placeholder={t('grid.period')} data-testid="period-select"
        options={(periods.data?.items ?? []).map((p) => ({ value: p.month, label: `${p.label}（${t(`period.${p.status}`)}）` }))}
        onChange={(v: number) => setMonth(v)}
      />
      {isReviewer && (
        <TreeSelect
          style={{ minWidth: 200, flex: '1 1 200px' }} allowClear showSearch treeNodeFilterProp="title" treeDefaultExpandAll treeData={tree}
          value={unit} onChange={(v: number | undefined) => setUnit(v)} placeholder={t('grid.allUnits')} aria-label={t('projects.filter.unit')}
        />
      )}
      <Segmented<AmountMode>
        value={mode} onChange={changeMode}
        options={[{ value: 'month', label: t('grid.modeMonth') }, { value: 'ytd', label: t('grid.modeYtd') }]}
      />
      {period && !isMobile && <Typography.Text type="secondary">{t('grid.deadline')}：{period.deadline ?? '—'}</Typography.Text>}
      {exports}
      {canAdminPeriods && period && period.status !== 'open' && <Button size="small" onClick={() => setPeriodStatus('open')}>{t('period.open.action')}</Button>}
      {canAdminPeriods && period && period.status === 'open' && (
        <Popconfirm title={t('period.close.confirm')} onConfirm={() => setPeriodStatus('closed')}>
          <Button size="small">{t('period.close.action')}</Button>
        </Popconfirm>
      )}
    </Flex>
  );

  const deadline = grid.data?.period.deadline;
  const todoBanner = grid.data && rows.length > 0 && (
    <Alert
      type={todo.length ? (returned.length ? 'warning' : 'info') : 'success'} showIcon style={{ marginBottom: 12 }} data-testid="grid-todo"
      title={todo.length
        ? t('grid.todo', { period: grid.data.period.label, count: todo.length, deadline: deadline ? deadline.slice(5) : '—', returned: returned.length })
        : t('grid.todoDone', { period: grid.data.period.label })}
      action={<Segmented<'todo' | 'all'> size="small" value={view} onChange={setView} options={[{ value: 'todo', label: t('grid.viewTodo') }, { value: 'all', label: t('grid.viewAll') }]} />}
    />
  );

  const noCalendar = periods.data && periods.data.items.length === 0;
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('nav.reports')}</Typography.Title>
      {header}
      {periods.error ? <LoadError error={periods.error} onRetry={periods.reload} /> : null}
      {noCalendar && year !== undefined && (
        <Empty description={t('grid.noCalendar', { year })}>
          {canAdminPeriods && <Button type="primary" onClick={() => void periodApi.createYear(year).then(() => periods.reload(), () => undefined)}>{t('grid.createCalendar', { year })}</Button>}
        </Empty>
      )}
      {grid.error ? <LoadError error={grid.error} onRetry={grid.reload} /> : null}
      {grid.data && !periodOpen && <Alert type="info" showIcon title={t(grid.data.period.status === 'closed' ? 'grid.closed' : 'grid.notOpen')} style={{ marginBottom: 12 }} />}
      {periodOpen && todoBanner}
      {onlyProject !== undefined && grid.data && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="grid-one-project"
          title={t('grid.oneProject', { name: shown[0]?.project.name ?? '—' })}
          action={<Button size="small" onClick={showAllProjects}>{t('grid.showAll')}</Button>} />
      )}
      {banner && <Alert type={banner.type} showIcon title={banner.text} closable onClose={() => setBanner(null)} style={{ marginBottom: 12 }} data-testid="grid-banner" />}
      {!noCalendar && (isMobile ? (
        <List
          loading={grid.loading} dataSource={shown} pagination={shown.length > 10 ? { pageSize: 10, size: 'small' } : false}
          locale={{ emptyText: <Empty description={t(view === 'todo' && rows.length ? 'grid.todoDoneShort' : 'grid.empty')} /> }}
          renderItem={(r) => {
            const editable = editableRow(r);
            const d = draftOf(r);
            const a = amountsOf(r, d, mode);
            return (
              <Card size="small" style={{ marginBottom: 8 }} title={<Link to={`/projects/${r.project.id}?tab=reports`} style={{ whiteSpace: 'normal' }}>{r.project.name}</Link>} extra={statusTag(r)} data-testid={`grid-card-${r.project.id}`}>
                {rowLevelError(r) && <Typography.Paragraph type="danger" role="alert">{rowLevelError(r)}</Typography.Paragraph>}
                {r.report?.status === 'returned' && r.report.return_reason && <Typography.Paragraph type="warning">{t('report.returnReason')}：{r.report.return_reason}</Typography.Paragraph>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('grid.plan')} {r.plan ? formatWan(r.plan.planned_investment) : '—'} · {t('grid.previousYtd')} {formatWan(r.previous?.amount_ytd ?? 0)}
                </Typography.Text>
                <Flex gap={8} style={{ margin: '8px 0' }}>
                  <div style={{ flex: 1 }}>{amountInput(r, editable)}</div>
                  <div style={{ width: 130 }}>{stageSelect(r, editable)}</div>
                </Flex>
                {stageMoveFields(r, editable)}
                <Collapse
                  size="small" ghost defaultActiveKey={errorOf(r, 'negative_reason') ? ['more'] : undefined}
                  items={[{ key: 'more', label: t('grid.details'), forceRender: true, children: <DetailFields row={r} draft={d} editable={editable} negative={!('error' in a) && a.month < 0} onChange={(p) => change(r, p)} /> }]}
                />
                {fieldError(errorOf(r, 'negative_reason'))}
                <Flex gap={8} justify="space-between" style={{ marginTop: 8 }}>
                  {photoButton(r)}
                  {submitButton(r)}
                </Flex>
              </Card>
            );
          }}
        />
      ) : (
        <Table<GridRow>
          rowKey={(r) => r.project.id} size="small" loading={grid.loading} dataSource={shown} columns={columns} scroll={{ x: 1200 }}
          pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false} data-testid="report-grid"
          locale={{ emptyText: <Empty description={t(view === 'todo' && rows.length ? 'grid.todoDoneShort' : 'grid.empty')} /> }}
          expandable={{
            expandedRowRender: (r) => {
              const a = amountsOf(r, draftOf(r), mode);
              return (
                <>
                  <DetailFields row={r} draft={draftOf(r)} editable={editableRow(r)} negative={!('error' in a) && a.month < 0} onChange={(p) => change(r, p)} />
                  {fieldError(errorOf(r, 'negative_reason'))}
                </>
              );
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
      {photoRow && (
        <PhotoDialog
          reportId={photoRow.reportId} title={photoRow.row.project.name} editable={editableRow(photoRow.row)}
          onClose={() => setPhotoRow(null)} onChanged={() => grid.reload()}
        />
      )}
    </div>
  );
}
