import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Card, Checkbox, Col, InputNumber, Progress, Radio, Row, Select, Space, Statistic, Steps, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { useCan } from '../../auth.tsx';
import { ApiError } from '../../api/client.ts';
import { uploadFile } from '../../api/upload.ts';
import { api } from '../../api/client.ts';
import type { ImportReport, LeadImportReport, ListImportReport, ProblemImportReport, ReportStatus, UnitProposal } from '../../api/types.ts';

type Kind = 'projects' | 'plans' | 'monthly' | 'units' | 'users' | 'problems' | 'leads';

/** The office's lists besides projects: units (单位名单), reporter accounts (人员名单), the problem ledger (问题台账, issue 18) and the attraction ledger (招商项目台账, issue 21). */
const LIST_KINDS: readonly Kind[] = ['units', 'users', 'problems', 'leads'];

/** The report of any kind the wizard imports, as the server's response schemas declare it (web/api/generated.ts). */
type AnyImportReport = ImportReport | ListImportReport | ProblemImportReport | LeadImportReport;

/**
 * What the wizard reads of a report: every kind's report is assignable to it (the compiler checks), the parts one
 * kind lacks optional. Built from the generated types, so a field the server drops or renames fails the build.
 */
type ReportView = Pick<ImportReport, 'fileName' | 'applied' | 'problems' | 'outcomes'>
  & Partial<Pick<ImportReport, 'proposals' | 'progress' | 'duplicates' | 'problemsTruncated' | 'outcomesTruncated'>>
  & Partial<Pick<ListImportReport, 'credentials' | 'credentialsXlsx'>>
  & {
    summary: ListImportReport['summary'] & Partial<ImportReport['summary']>;
    sheets: (Omit<ProblemImportReport['sheets'][number], 'columns'> & Partial<Pick<ImportReport['sheets'][number], 'note' | 'period'>> & {
      columns: (ProblemImportReport['sheets'][number]['columns'][number] & Partial<Pick<ImportReport['sheets'][number]['columns'][number], 'unit'>>)[];
    })[];
  };

/** What imported monthly reports become: drafts the units still submit, submitted, or approved (office); never returned. */
type ImportedStatus = Exclude<ReportStatus, 'returned'>;

/** Per unit name of the file: create it, use an existing unit (id), or neither. */
type UnitChoice = 'create' | 'skip' | number;

const ACTION_COLOR = { create: 'green', update: 'blue', unchanged: 'default', skip: 'default', error: 'red' } as const;

function endpoint(kind: Kind, dryRun: boolean): string {
  const step = dryRun ? 'dry-run' : 'apply';
  if (kind === 'leads') return `/attraction/import/${step}`;
  return kind === 'monthly' || LIST_KINDS.includes(kind) ? `/imports/${kind}/${step}` : `/imports/${step}`;
}

/** Saves the passwords' workbook the server built once (nothing keeps it: this is the only copy). */
function downloadBase64(base64: string, fileName: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The import wizard: choose what the file holds, upload it for a dry run, read the report, then apply. */
export function ImportPage() {
  const { t } = useI18n();
  const can = useCan();
  // What this account may import: lists and plans (import.write), its own monthly progress (report.write), and the
  // office's accounts and units (user.admin, unit.admin).
  const kinds: Kind[] = [
    ...(can('import.write') ? (['projects', 'plans', 'monthly'] as const) : can('report.write') ? (['monthly'] as const) : []),
    ...(can('user.admin') ? (['users'] as const) : []),
    ...(can('unit.admin') ? (['units'] as const) : []),
    ...(can('problem.admin') ? (['problems'] as const) : []),
    ...(can('attraction.review') ? (['leads'] as const) : []),
  ];
  // ?kind=leads (the attraction page's import button) opens at that kind when the account may import it.
  const [params] = useSearchParams();
  const asked = kinds.find((k) => k === params.get('kind'));
  const [kind, setKind] = useState<Kind>(asked ?? kinds[0]!);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statuses: ImportedStatus[] = can('report.review') ? ['draft', 'submitted', 'approved'] : ['draft', 'submitted'];
  const [status, setStatus] = useState<ImportedStatus>('draft');
  const [skipDuplicates, setSkipDuplicates] = useState(false);
  const step = !report ? 0 : report.applied ? 2 : 1;
  // Project list options: create missing units and areas, a default responsible unit, the period, per-unit choices.
  const [createMissing, setCreateMissing] = useState(true);
  // Unit list: move stored units the list places under another parent (the dry run names each move first).
  const [moveUnits, setMoveUnits] = useState(false);
  const [defaultUnit, setDefaultUnit] = useState<number | undefined>();
  const [year, setYear] = useState<number | null>(null);
  const [month, setMonth] = useState<number | null>(null);
  const [choices, setChoices] = useState<Record<string, UnitChoice>>({});
  // The sheet chosen when the workbook holds several tables (the dry run lists them).
  const [sheet, setSheet] = useState<string | undefined>();
  const [units, setUnits] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    if (kind !== 'projects') return;
    void api.get<{ items: { id: number; name: string }[] }>('/units').then((r) => setUnits(r.items));
  }, [kind]);

  const send = async (dryRun: boolean, skip = skipDuplicates, chosenSheet = sheet) => {
    if (!file) return;
    setError(null);
    setProgress(0);
    const options = kind === 'projects' ? {
      create_missing: createMissing ? '1' : '0', default_unit: defaultUnit, year: year ?? undefined, month: month ?? undefined,
      unit_map: Object.keys(choices).length ? JSON.stringify(choices) : undefined,
    } : kind === 'units' ? { move_units: moveUnits ? '1' : '0' } : {};
    try {
      const base = LIST_KINDS.includes(kind) ? {} : { duplicates: skip ? 'skip' : 'refuse', ...(kind === 'monthly' ? { status } : { kind }) };
      if (chosenSheet) Object.assign(base, { sheet: chosenSheet });
      const r = await uploadFile<AnyImportReport>(endpoint(kind, dryRun), file, { ...base, ...options }, setProgress);
      setReport(r);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      if (dryRun) setReport(null);
    } finally {
      setProgress(null);
    }
  };
  const restart = () => {
    setChoices({});
    setSheet(undefined);
    setFile(null);
    setReport(null);
    setError(null);
  };

  const s = report?.summary;
  // Only the project, plan and monthly imports cap their lists (the list imports keep every problem and row).
  const problemsTruncated = report?.problemsTruncated ?? 0;
  const outcomesTruncated = report?.outcomesTruncated ?? 0;
  return (
    <div data-testid="import-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('import.title')}</Typography.Title>
      <Steps size="small" current={step} style={{ marginBottom: 16 }} items={[{ title: t('import.step.upload') }, { title: t('import.step.check') }, { title: t('import.step.done') }]} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="import-error" />}
      {step === 0 && (
        <Card size="small">
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Space wrap>
              <span>{t('import.kind')}</span>
              <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} optionType="button"
                options={kinds.map((k) => ({ value: k, label: t(`import.kind.${k}`) }))} />
              {!LIST_KINDS.includes(kind) && <Button icon={<DownloadOutlined />} href={`/api/v1/imports/templates/${kind}`} data-testid="template-link">{t('import.template')}</Button>}
            </Space>
            {kind === 'monthly' && (
              <Space wrap>
                <span>{t('import.reportStatus')}</span>
                <Radio.Group value={status} onChange={(e) => setStatus(e.target.value as ImportedStatus)} optionType="button" data-testid="import-status"
                  options={statuses.map((v) => ({ value: v, label: t(`import.reportStatus.${v}`) }))} />
                <Typography.Text type="secondary">{t(`import.reportStatus.${status}.hint`)}</Typography.Text>
              </Space>
            )}
            {LIST_KINDS.includes(kind) && <Typography.Text type="secondary" data-testid="import-list-hint">{t(`import.kind.${kind as 'units' | 'users' | 'problems' | 'leads'}.hint`)}</Typography.Text>}
            <div hidden={LIST_KINDS.includes(kind)}>
              <Checkbox checked={skipDuplicates} onChange={(e) => setSkipDuplicates(e.target.checked)} data-testid="import-skip-duplicates">{t('import.skipDuplicates')}</Checkbox>
            </div>
            <Upload.Dragger accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)}
              fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []} data-testid="import-file">
              <p className="ant-upload-drag-icon"><InboxOutlined /></p>
              <p>{t('import.drop')}</p>
            </Upload.Dragger>
            {kind === 'units' && (
              <Checkbox checked={moveUnits} onChange={(e) => setMoveUnits(e.target.checked)} data-testid="import-move-units">{t('import.moveUnits')}</Checkbox>
            )}
            {kind === 'projects' && (
              <Space wrap data-testid="import-options">
                <Checkbox checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)} data-testid="import-create-missing">{t('import.createMissing')}</Checkbox>
                <span>{t('import.defaultUnit')}</span>
                <Select allowClear showSearch optionFilterProp="label" style={{ minWidth: 220 }} placeholder={t('import.defaultUnitHint')} value={defaultUnit} onChange={setDefaultUnit}
                  options={units.map((u) => ({ value: u.id, label: u.name }))} data-testid="import-default-unit" />
                <span>{t('import.period')}</span>
                <InputNumber min={2000} max={2100} placeholder={t('import.yearAuto')} value={year} onChange={setYear} />
                <InputNumber min={1} max={12} placeholder={t('import.monthAuto')} value={month} onChange={setMonth} />
              </Space>
            )}
            {progress !== null && <Progress percent={Math.round(progress * 100)} status="active" format={() => t('import.uploading')} />}
            <Button type="primary" disabled={!file || progress !== null} onClick={() => void send(true)} data-testid="import-check">{t('import.check')}</Button>
          </Space>
        </Card>
      )}
      {report && s && (
        <>
          {report.applied
            ? <Alert type="success" showIcon message={t('import.applied', { created: s.created, updated: s.updated, unchanged: s.unchanged })} style={{ marginBottom: 12 }} data-testid="import-applied" />
            : s.errors > 0 && <Alert type="error" showIcon message={t('import.notApplied', { errors: s.errors })} style={{ marginBottom: 12 }} />}
          {report.sheets.filter((sh) => sh.headerRows).length > 1 && (
            <Alert type={report.sheets.some((sh) => sh.chosen) ? 'info' : 'warning'} showIcon style={{ marginBottom: 12 }} data-testid="import-sheets"
              message={t(report.sheets.some((sh) => sh.chosen) ? 'import.sheetsChosen' : 'import.sheets', { count: report.sheets.filter((sh) => sh.headerRows).length })}
              description={(
                <Space wrap>
                  <span>{t('import.sheet')}</span>
                  <Select style={{ minWidth: 260 }} placeholder={t('import.sheetChoose')} value={report.sheets.find((sh) => sh.chosen)?.name} disabled={progress !== null || report.applied}
                    data-testid="import-sheet"
                    options={report.sheets.filter((sh) => sh.headerRows).map((sh) => ({
                      value: sh.name, label: t('import.sheetOption', { name: sh.name, rows: sh.dataRows }) + (sh.period ? `，${sh.period.replace(/（.*$/, '')}` : ''),
                    }))}
                    onChange={(v: string) => { setSheet(v); void send(true, skipDuplicates, v); }} />
                </Space>
              )} />
          )}
          {!!report.credentials?.length && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="import-credentials"
              message={t('import.credentials', { count: report.credentials.length })}
              description={(
                <>
                  <Button icon={<DownloadOutlined />} style={{ marginBottom: 8 }} data-testid="import-credentials-download"
                    onClick={() => downloadBase64(report.credentialsXlsx!, t('import.credentialsFile'))}>{t('import.credentialsDownload')}</Button>
                  <Table size="small" rowKey="username" dataSource={report.credentials} pagination={{ pageSize: 20 }} scroll={{ x: true }}
                    columns={[
                      { title: t('import.col.unit'), dataIndex: 'unit' },
                      { title: t('import.col.person'), dataIndex: 'name' },
                      { title: t('import.col.username'), dataIndex: 'username' },
                      { title: t('import.col.password'), dataIndex: 'password', render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
                      { title: t('import.col.role'), dataIndex: 'role' },
                    ]} />
                </>
              )} />
          )}
          <Typography.Paragraph type="secondary" data-testid="import-file-name">
            {t('import.fileName', { name: report.fileName, rows: s.rows })}
            {!!s.subItems && t('import.packages', { packages: s.packages ?? 0, subItems: s.subItems })}
            {!!s.statsBlank && <span data-testid="import-stats-blank">{t('import.statsBlank', { count: s.statsBlank })}</span>}
            {report.sheets.filter((sh) => sh.period).map((sh) => <span key={sh.name} data-testid="import-period">{t('import.inferred', { sheet: sh.name, period: sh.period! })}</span>)}
            {report.progress && <span data-testid="import-progress">{t('import.progressWritten', { period: `${report.progress.year}年1-${report.progress.month}月`, count: report.progress.created + report.progress.updated })}</span>}
          </Typography.Paragraph>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            {(['created', 'updated', 'unchanged', 'skipped', 'errorRows'] as const).filter((k) => s[k] !== undefined).map((k) => (
              <Col key={k} xs={12} sm={8} md={4}><Card size="small"><Statistic title={t(`import.${k}`)} value={s[k]} data-testid={`import-${k}`} valueStyle={k === 'errorRows' && s[k] > 0 ? { color: '#cf1322' } : undefined} /></Card></Col>
            ))}
          </Row>
          {!!report.duplicates?.length && !report.duplicates[0]!.skipped && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="import-duplicates-alert"
              message={t('import.duplicatesFound', { count: report.duplicates.length })}
              action={<Button size="small" disabled={progress !== null} onClick={() => { setSkipDuplicates(true); void send(true, true); }} data-testid="import-skip-recheck">{t('import.skipAndRecheck')}</Button>} />
          )}
          <Tabs defaultActiveKey={report.proposals?.units.length && !report.applied ? 'units' : undefined} items={[
            ...(report.proposals && (report.proposals.units.length || report.proposals.areas.length) ? [{
              key: 'units', label: `${t('import.units')} (${report.proposals.units.length + report.proposals.areas.length})`,
              children: (
                <div data-testid="import-units">
                  <Typography.Paragraph type="secondary">{t('import.unitsIntro', { office: report.proposals.jurisdiction?.office ?? '—' })}</Typography.Paragraph>
                  <Table size="small" rowKey="name" dataSource={report.proposals.units} pagination={{ pageSize: 50 }}
                    columns={[
                      {
                        title: t('import.unit.create'), key: 'create', width: 70,
                        render: (_, u: UnitProposal) => {
                          const c = choices[u.name] ?? (u.action === 'create' ? 'create' : u.matchId);
                          return <Checkbox checked={c === 'create'} data-testid={`unit-create-${u.name}`}
                            onChange={(e) => setChoices({ ...choices, [u.name]: e.target.checked ? 'create' : (u.matchId ?? 'skip') })} />;
                        },
                      },
                      { title: t('import.unit.name'), dataIndex: 'name' },
                      { title: t('import.unit.rows'), dataIndex: 'rows', width: 70 },
                      { title: t('import.unit.kind'), dataIndex: 'kind', width: 110, render: (k: UnitProposal['kind']) => t(`import.unitKind.${k}`) },
                      {
                        title: t('import.unit.match'), key: 'match', width: 260,
                        render: (_, u: UnitProposal) => {
                          const c = choices[u.name] ?? (u.action === 'create' ? 'create' : u.matchId);
                          return <Select allowClear showSearch optionFilterProp="label" style={{ width: '100%' }} placeholder={t('import.unit.noMatch')}
                            value={typeof c === 'number' ? c : undefined} options={units.map((x) => ({ value: x.id, label: x.name }))}
                            onChange={(v: number | undefined) => setChoices({ ...choices, [u.name]: v ?? 'create' })} />;
                        },
                      },
                    ]} />
                  {report.proposals.areas.length > 0 && (
                    <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('import.areas', { names: report.proposals.areas.map((a) => a.name).join('、'), parent: report.proposals.areas[0]!.parentName })} />
                  )}
                  {!report.applied && <Button style={{ marginTop: 8 }} disabled={progress !== null} onClick={() => void send(true)} data-testid="import-recheck">{t('import.recheck')}</Button>}
                </div>
              ),
            }] : []),
            ...(report.duplicates?.length ? [{
              key: 'duplicates', label: `${t('import.duplicates')} (${report.duplicates.length})`,
              children: (
                <Table size="small" rowKey={(_, i) => String(i)} dataSource={report.duplicates} data-testid="import-duplicates" pagination={{ pageSize: 20 }}
                  columns={[
                    { title: t('import.col.sheet'), dataIndex: 'sheet', width: 120 },
                    { title: t('import.col.rows'), dataIndex: 'rows', width: 140, render: (rows: number[]) => rows.join('、') },
                    { title: t('import.col.name'), dataIndex: 'name', ellipsis: true },
                    { title: t('import.col.region'), dataIndex: 'region', width: 120 },
                    {
                      title: t('import.col.duplicateOutcome'), key: 'outcome',
                      render: (_: unknown, d: ImportReport['duplicates'][number]) => (d.stored
                        ? t('import.duplicateStored', { count: d.stored }) + (d.skipped ? t('import.duplicateSkippedAll') : '')
                        : d.skipped ? t('import.duplicateSkipped', { row: d.rows[0]! }) : t('import.duplicateRefused')),
                    },
                  ]} />
              ),
            }] : []),
            {
              key: 'problems', label: `${t('import.problems')} (${s.errors + s.warnings})`,
              children: (
                <Table size="small" rowKey={(_, i) => String(i)} dataSource={report.problems} data-testid="import-problems" pagination={{ pageSize: 20 }}
                  footer={problemsTruncated ? () => t('import.truncated', { count: problemsTruncated }) : undefined}
                  columns={[
                    { title: t('import.col.sheet'), dataIndex: 'sheet', width: 120 },
                    { title: t('import.col.row'), dataIndex: 'row', width: 70 },
                    { title: t('import.col.column'), dataIndex: 'column', width: 70 },
                    { title: t('import.col.severity'), dataIndex: 'severity', width: 80, render: (v: 'error' | 'warning') => <Tag color={v === 'error' ? 'red' : 'orange'}>{t(`import.severity.${v}`)}</Tag> },
                    { title: t('import.col.message'), dataIndex: 'message' },
                  ]} />
              ),
            },
            {
              key: 'rows', label: `${t('import.rows')} (${s.rows})`,
              children: (
                <Table size="small" rowKey={(o) => `${o.sheet}:${o.row}`} dataSource={report.outcomes} data-testid="import-outcomes" pagination={{ pageSize: 20 }}
                  footer={outcomesTruncated ? () => t('import.truncated', { count: outcomesTruncated }) : undefined}
                  columns={[
                    { title: t('import.col.sheet'), dataIndex: 'sheet', width: 120 },
                    { title: t('import.col.row'), dataIndex: 'row', width: 70 },
                    { title: t('import.col.action'), dataIndex: 'action', width: 90, render: (a: keyof typeof ACTION_COLOR) => <Tag color={ACTION_COLOR[a]}>{t(`import.action.${a}`)}</Tag> },
                    { title: t('import.col.name'), dataIndex: 'name', ellipsis: true },
                    { title: t('import.col.changes'), key: 'changes', render: (_, o) => o.changes?.join('、') ?? o.reason ?? '' },
                  ]} />
              ),
            },
            {
              key: 'columns', label: t('import.columns'),
              children: report.sheets.map((sheet) => (
                <div key={sheet.name} style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{sheet.name}</Typography.Text>{sheet.note ? `：${sheet.note}` : ''}
                  <div>{sheet.columns.map((c) => <Tag key={c.letter}>{c.letter} {c.header} → {c.label}{c.unit ? `（${c.unit}）` : ''}</Tag>)}</div>
                </div>
              )),
            },
          ]} />
          <Space style={{ marginTop: 12 }}>
            {!report.applied && (
              <Button type="primary" disabled={s.errors > 0 || progress !== null} title={s.errors > 0 ? t('import.applyDisabled') : undefined} onClick={() => void send(false)} data-testid="import-apply">
                {t('import.apply')}
              </Button>
            )}
            <Button onClick={restart}>{t('import.again')}</Button>
          </Space>
        </>
      )}
    </div>
  );
}
