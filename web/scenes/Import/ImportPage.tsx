import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Progress, Radio, Row, Space, Statistic, Steps, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { ApiError } from '../../api/client.ts';
import { uploadFile } from '../../api/upload.ts';

type Kind = 'projects' | 'plans' | 'monthly';

/** The server's import report (server/modules/imports/import.service.ts). */
interface ImportReport {
  fileName: string;
  applied: boolean;
  dryRun: boolean;
  sheets: { name: string; headerRows: string | null; columns: { letter: string; header: string; label: string; unit?: string }[]; dataRows: number; note?: string }[];
  summary: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errorRows: number; errors: number; warnings: number; packages: number; subItems: number };
  problems: { sheet: string; row: number | null; column: string | null; severity: 'error' | 'warning'; message: string }[];
  problemsTruncated: number;
  outcomes: { sheet: string; row: number; action: 'create' | 'update' | 'unchanged' | 'skip' | 'error'; name?: string; changes?: string[]; reason?: string }[];
  outcomesTruncated: number;
  /** Repeated projects (issue 23): rows naming one project, or a row fitting several stored projects. */
  duplicates?: { sheet: string; rows: number[]; name: string; region: string | null; stored?: number; skipped: boolean }[];
}

/** What imported monthly reports become: drafts the units still submit, submitted, or approved (office). */
type ReportStatus = 'draft' | 'submitted' | 'approved';

const ACTION_COLOR = { create: 'green', update: 'blue', unchanged: 'default', skip: 'default', error: 'red' } as const;

function endpoint(kind: Kind, dryRun: boolean): string {
  const step = dryRun ? 'dry-run' : 'apply';
  return kind === 'monthly' ? `/imports/monthly/${step}` : `/imports/${step}`;
}

/** The import wizard: choose what the file holds, upload it for a dry run, read the report, then apply. */
export function ImportPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const kinds: Kind[] = user?.role === 'office' ? ['projects', 'plans', 'monthly'] : ['monthly'];
  const [kind, setKind] = useState<Kind>(kinds[0]!);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statuses: ReportStatus[] = user?.role === 'office' ? ['draft', 'submitted', 'approved'] : ['draft', 'submitted'];
  const [status, setStatus] = useState<ReportStatus>('draft');
  const [skipDuplicates, setSkipDuplicates] = useState(false);
  const step = !report ? 0 : report.applied ? 2 : 1;

  const send = async (dryRun: boolean, skip = skipDuplicates) => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const options = { duplicates: skip ? 'skip' : 'refuse', ...(kind === 'monthly' ? { status } : { kind }) };
      const r = await uploadFile<ImportReport>(endpoint(kind, dryRun), file, options, setProgress);
      setReport(r);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      if (dryRun) setReport(null);
    } finally {
      setProgress(null);
    }
  };
  const restart = () => {
    setFile(null);
    setReport(null);
    setError(null);
  };

  const s = report?.summary;
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
              <Button icon={<DownloadOutlined />} href={`/api/v1/imports/templates/${kind}`} data-testid="template-link">{t('import.template')}</Button>
            </Space>
            {kind === 'monthly' && (
              <Space wrap>
                <span>{t('import.reportStatus')}</span>
                <Radio.Group value={status} onChange={(e) => setStatus(e.target.value as ReportStatus)} optionType="button" data-testid="import-status"
                  options={statuses.map((v) => ({ value: v, label: t(`import.reportStatus.${v}`) }))} />
                <Typography.Text type="secondary">{t(`import.reportStatus.${status}.hint`)}</Typography.Text>
              </Space>
            )}
            <div>
              <Checkbox checked={skipDuplicates} onChange={(e) => setSkipDuplicates(e.target.checked)} data-testid="import-skip-duplicates">{t('import.skipDuplicates')}</Checkbox>
            </div>
            <Upload.Dragger accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)}
              fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []} data-testid="import-file">
              <p className="ant-upload-drag-icon"><InboxOutlined /></p>
              <p>{t('import.drop')}</p>
            </Upload.Dragger>
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
          <Typography.Paragraph type="secondary" data-testid="import-file-name">
            {t('import.fileName', { name: report.fileName, rows: s.rows })}
            {s.subItems > 0 && t('import.packages', { packages: s.packages, subItems: s.subItems })}
          </Typography.Paragraph>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            {(['created', 'updated', 'unchanged', 'skipped', 'errorRows'] as const).map((k) => (
              <Col key={k} xs={12} sm={8} md={4}><Card size="small"><Statistic title={t(`import.${k}`)} value={s[k]} data-testid={`import-${k}`} valueStyle={k === 'errorRows' && s[k] > 0 ? { color: '#cf1322' } : undefined} /></Card></Col>
            ))}
          </Row>
          {!!report.duplicates?.length && !report.duplicates[0]!.skipped && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="import-duplicates-alert"
              message={t('import.duplicatesFound', { count: report.duplicates.length })}
              action={<Button size="small" disabled={progress !== null} onClick={() => { setSkipDuplicates(true); void send(true, true); }} data-testid="import-skip-recheck">{t('import.skipAndRecheck')}</Button>} />
          )}
          <Tabs items={[
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
                      render: (_: unknown, d: NonNullable<ImportReport['duplicates']>[number]) => (d.stored
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
                  footer={report.problemsTruncated ? () => t('import.truncated', { count: report.problemsTruncated }) : undefined}
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
                  footer={report.outcomesTruncated ? () => t('import.truncated', { count: report.outcomesTruncated }) : undefined}
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
