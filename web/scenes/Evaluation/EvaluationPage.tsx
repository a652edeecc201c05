import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { App, Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, Form, Grid, Input, InputNumber, Modal, Row, Segmented, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { useMonthInForce } from '../../components/usePeriodInForce.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { ApiError } from '../../api/client.ts';
import { evaluationApi, evaluationLinks } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import type { EvalLeaf, EvalMonth, EvalObjection, EvalProblem, EvalSchemeRow, EvalSnapshot, EvalUnit, EvalYearEnd, UpperRank } from '../../api/types.ts';
import { RULE_LABELS } from '../../../core/evaluation/rules.ts';
import { leavesOf, validateScheme, type Scheme } from '../../../core/evaluation/scheme.ts';
import { SchemeForm } from './SchemeForm.tsx';
import { schemeToForm, type SchemeFormValues } from './scheme-form.ts';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const STATUS_COLORS: Partial<Record<string, string>> = { none: 'default', draft: 'default', objection: 'warning', published: 'success' };

/** Year and month in the URL; without them the period in force. */
function usePeriod() {
  const [params, setParams] = useSearchParams();
  const inForce = useMonthInForce();
  const now = new Date();
  const year = Number(params.get('year')) || inForce?.year || now.getFullYear();
  const month = Number(params.get('month')) || inForce?.month || Math.max(1, now.getMonth());
  const set = (y: number, m: number) => setParams((p) => {
    p.set('year', String(y));
    p.set('month', String(m));
    return p;
  }, { replace: true });
  return { year, month, set };
}

function RankChange({ change }: { change: number | null }) {
  if (change === null || change === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return change > 0 ? <Typography.Text type="success">↑{change}</Typography.Text> : <Typography.Text type="danger">↓{-change}</Typography.Text>;
}

/** The ranking table: rank, unit, total, change, gap, each leaf's points; a row opens the records behind it. */
function RankingTable({ snapshot, year, month, drill, lines }: { snapshot: EvalSnapshot; year: number; month: number; drill: boolean; lines?: LineActions }) {
  const { t } = useI18n();
  // On a phone: rank, total, unit and the change; the indicator columns are in the drill-down.
  const compact = !Grid.useBreakpoint().md;
  const unitColumn = { title: t('evaluation.unit'), dataIndex: 'name', fixed: compact ? undefined : ('left' as const), width: compact ? undefined : 150, ellipsis: !compact, render: (n: string, u: EvalUnit) => <Space size={4}>{n}{u.vetoed && <Tag color="red">{t('evaluation.vetoed')}</Tag>}</Space> };
  return (
    <Table<EvalUnit>
      rowKey="key" size="small" pagination={false} dataSource={snapshot.units} scroll={compact ? undefined : { x: 'max-content' }} tableLayout={compact ? 'fixed' : undefined} data-testid="evaluation-ranking"
      expandable={drill ? { expandedRowRender: (u) => <UnitDrill year={year} month={month} unit={u} lines={lines} />, expandRowByClick: true } : undefined}
      columns={[
        { title: t('evaluation.rank'), dataIndex: 'rank', width: 52, fixed: compact ? undefined : 'left' },
        ...(compact ? [] : [unitColumn]),
        { title: t('evaluation.total'), dataIndex: 'total_text', fixed: compact ? undefined : 'left', width: 64, align: 'right', render: (v: string) => <b>{v}</b> },
        ...(compact ? [unitColumn] : []),
        { title: t('evaluation.rankChange'), dataIndex: 'rank_change', align: 'center', width: compact ? 64 : undefined, render: (c: number | null) => <RankChange change={c} /> },
        ...(compact ? [] : [
          { title: t('evaluation.scoreChange'), dataIndex: 'score_change_text', align: 'right' as const, render: (v: string | null) => v ?? '—' },
          { title: t('evaluation.gapToLeader'), dataIndex: 'gap_to_leader_text', align: 'right' as const },
        ]),
        ...(compact ? [] : snapshot.leaves).map((l) => ({
          title: <span title={`${l.path}（${l.source_label}，${l.rule}）`}>{l.name}</span>, key: l.key, align: 'right' as const,
          render: (_: unknown, u: EvalUnit) => <span title={u.nodes[l.key]?.note}>{u.nodes[l.key]?.contribution_text ?? '—'}</span>,
        })),
        ...(compact ? [] : [{ title: t('evaluation.adjustment'), dataIndex: 'adjustment_text', align: 'right' as const }]),
      ]}
    />
  );
}

/** What the month view lets a user do on one indicator line of a unit: object to it, turn it into a 督办事项 (or open the one it has). */
interface LineActions {
  month: EvalMonth;
  canObject: (unitKey: string) => boolean;
  canAssign: boolean;
  object: (unit: EvalUnit, leaf: EvalLeaf) => void;
  toMatter: (unit: EvalUnit, leaf: EvalLeaf) => void;
}

/** The records behind one unit's scores: each leaf's figure, rule and note; hand entries, ledger lines, projects; per line 异议 and 转督办. */
function UnitDrill({ year, month, unit, lines }: { year: number; month: number; unit: EvalUnit; lines?: LineActions | undefined }) {
  const { t } = useI18n();
  const { data, error } = useLoad(() => evaluationApi.unit(year, month, unit.key), [year, month, unit.key]);
  // On a phone: the indicator with its note, the value, the points and the actions; no sideways scrolling.
  const compact = !Grid.useBreakpoint().md;
  if (error) return <LoadError error={error} />;
  if (!data) return null;
  const objecting = !!lines && lines.month.status === 'objection' && lines.canObject(unit.key);
  const pendingLeaves = new Set((lines?.month.objections ?? []).filter((o) => o.unit_id === Number(unit.key) && o.status === 'open' && o.leaf_key).map((o) => o.leaf_key));
  const matters = new Map((lines?.month.matters ?? []).filter((m) => m.unit_key === unit.key).map((m) => [m.leaf, m]));
  const actions = lines && (objecting || lines.canAssign || matters.size > 0) ? [{
    title: t('evaluation.line.actions'), key: 'actions', width: compact ? 76 : undefined, render: (_: unknown, l: EvalLeaf) => {
      const matter = matters.get(l.key);
      return (
        <Space size={4} wrap>
          {objecting && (pendingLeaves.has(l.key)
            ? <Tag color="warning">{t('evaluation.pending')}</Tag>
            : <Button size="small" onClick={() => lines.object(unit, l)} data-testid={`evaluation-line-object-${l.key}`}>{t('evaluation.line.object')}</Button>)}
          {matter
            ? <Link to={`/matters/${matter.matter_id}`} data-testid={`evaluation-line-matter-${l.key}`}>{t('evaluation.line.hasMatter', { number: matter.matter_number })}</Link>
            : lines.canAssign && lines.month.id !== undefined && <Button size="small" onClick={() => lines.toMatter(unit, l)} data-testid={`evaluation-line-to-matter-${l.key}`}>{t('evaluation.line.toMatter')}</Button>}
        </Space>
      );
    },
  }] : [];
  return (
    <div data-testid="evaluation-drill">
      <Table
        rowKey="key" size="small" pagination={false} dataSource={data.leaves} scroll={compact ? undefined : { x: 'max-content' }} tableLayout={compact ? 'fixed' : undefined}
        columns={compact ? [
          { title: t('evaluation.indicator'), key: 'i', render: (_: unknown, l) => <div>{l.name}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{unit.nodes[l.key]?.note}</Typography.Text></div></div> },
          { title: t('evaluation.value'), key: 'v', align: 'right', width: 64, render: (_: unknown, l) => `${unit.nodes[l.key]?.value_text ?? '—'}${l.unit === '%' ? '%' : ''}` },
          { title: t('evaluation.points'), key: 'p', align: 'right', width: 48, render: (_: unknown, l) => unit.nodes[l.key]?.contribution_text },
          ...actions,
        ] : [
          { title: t('evaluation.indicator'), dataIndex: 'path' },
          { title: t('evaluation.source'), dataIndex: 'source_label' },
          { title: t('evaluation.value'), key: 'v', align: 'right', render: (_: unknown, l) => `${unit.nodes[l.key]?.value_text ?? '—'} ${l.unit}` },
          { title: t('evaluation.points'), key: 'p', align: 'right', render: (_: unknown, l) => unit.nodes[l.key]?.contribution_text },
          { title: t('evaluation.how'), key: 'n', render: (_: unknown, l) => unit.nodes[l.key]?.note },
          { title: t('evaluation.records'), key: 'r', render: (_: unknown, l) => (l.records === 'projects' ? <Link to={data.projects_link}>{t('evaluation.unitProjects')}</Link> : l.records === 'entries' ? t('evaluation.handEntry') : '') },
          ...actions,
        ]}
      />
      {unit.vetoed && <Alert type="error" showIcon style={{ marginTop: 8 }} title={unit.veto_reasons.join('；')} />}
      {data.entries.length > 0 && (
        <Descriptions size="small" column={1} style={{ marginTop: 8 }} title={t('evaluation.entries')}
          items={data.entries.map((e) => ({ key: e.id, label: `${e.item_key} = ${e.value}`, children: `${e.evidence}（${e.status === 'approved' ? t('evaluation.approved') : e.status}）` }))} />
      )}
      {data.ledger.length > 0 && (
        <Descriptions size="small" column={1} style={{ marginTop: 8 }} title={t('evaluation.ledger')}
          items={data.ledger.map((l) => ({ key: l.id, label: `${l.points_hundredths > 0 ? '+' : ''}${l.points_hundredths / 100}`, children: `${l.reason}（${l.doc_number}，${l.approver}）` }))} />
      )}
    </div>
  );
}

/** 先进/后进, 红榜/黄榜, 十快/十慢 with their figures. */
function Lists({ snapshot }: { snapshot: EvalSnapshot }) {
  const { t } = useI18n();
  // A horizontal gutter's negative margins widen the page on a phone, where the cards stack anyway.
  const stacked = !Grid.useBreakpoint().md;
  const byKey = new Map(snapshot.units.map((u) => [u.key, u]));
  const unitLine = (k: string) => {
    const u = byKey.get(k);
    return u ? `${u.name}（${u.total_text}${t('evaluation.pointsUnit')}）` : k;
  };
  return (
    <Row gutter={[stacked ? 0 : 12, 12]} style={{ marginTop: 12 }}>
      <Col xs={24} md={8}>
        <Card size="small" title={t('evaluation.advancedLagging')}>
          <div><Tag color="green">{t('evaluation.advanced')}</Tag>{snapshot.advanced.map(unitLine).join('、') || '—'}</div>
          <div style={{ marginTop: 6 }}><Tag color="orange">{t('evaluation.lagging')}</Tag>{snapshot.lagging.map(unitLine).join('、') || '—'}</div>
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card size="small" title={t('evaluation.boards')}>
          {snapshot.red.map((b) => <div key={`r${b.leaf}`}><Tag color="red">{t('evaluation.red')}</Tag>{b.leaf_name}：{b.unit_name}（{b.value_text}，{b.score_text}{t('evaluation.pointsUnit')}）</div>)}
          {snapshot.yellow.map((b) => <div key={`y${b.leaf}`}><Tag color="gold">{t('evaluation.yellow')}</Tag>{b.leaf_name}：{b.unit_name}（{b.value_text}，{b.score_text}{t('evaluation.pointsUnit')}）</div>)}
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card size="small" title={t('evaluation.fastSlow')}>
          <div><Tag color="blue">{t('evaluation.fast')}</Tag>{snapshot.fast.slice(0, 10).map((p) => `${p.name}（${p.completion_rate_text}%）`).join('、') || '—'}</div>
          <div style={{ marginTop: 6 }}><Tag>{t('evaluation.slow')}</Tag>{snapshot.slow.slice(0, 10).map((p) => `${p.name}（${p.completion_rate_text}%）`).join('、') || '—'}</div>
        </Card>
      </Col>
    </Row>
  );
}

/** The month's 讲评: status, actions by role, the ranking with drill-down, lists, objections and the correction diff. */
function MonthTab({ year, month }: { year: number; month: number }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const { user } = useAuth();
  const can = useCan();
  const isOffice = can('evaluation.write');
  const canPublish = can('evaluation.publish');
  const phone = !Grid.useBreakpoint().md;
  const { data, error, reload, setData } = useLoad(() => evaluationApi.month(year, month), [year, month]);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<EvalMonth>, done: string) => {
    setBusy(true);
    try {
      setData(await fn());
      void message.success(done);
    } catch {
      // the API hook shows the error
    } finally {
      setBusy(false);
    }
  };
  const ask = (title: string, go: (text: string) => Promise<EvalMonth>, done: string) => {
    let text = '';
    modal.confirm({
      title, content: <Input.TextArea rows={3} onChange={(e) => { text = e.target.value; }} data-testid="evaluation-reason" />,
      onOk: async () => {
        if (!text.trim()) throw new Error(t('evaluation.reasonRequired'));
        await run(() => go(text.trim()), done);
      },
    });
  };
  /** A unit objects to one line: the reason, with the line's figure in view. */
  const objectLine = (unit: EvalUnit, leaf: EvalLeaf) => {
    let text = '';
    modal.confirm({
      title: t('evaluation.line.objectTitle', { indicator: leaf.name }), width: 480,
      content: (
        <div>
          <Typography.Paragraph type="secondary">{t('evaluation.line.objectHint', { unit: unit.name, indicator: leaf.name, value: `${unit.nodes[leaf.key]?.value_text ?? '—'} ${leaf.unit}` })}</Typography.Paragraph>
          <Input.TextArea rows={3} maxLength={2000} onChange={(e) => { text = e.target.value; }} data-testid="evaluation-reason" />
        </div>
      ),
      onOk: async () => {
        if (!text.trim()) throw new Error(t('evaluation.reasonRequired'));
        await run(() => evaluationApi.object(year, month, Number(unit.key), text.trim(), leaf.key), t('evaluation.objected'));
      },
    });
  };
  /** The office accepts a line objection: its reply and the line's corrected value; the month is recomputed. */
  const acceptLine = (o: EvalObjection) => {
    let reply = '';
    let value = '';
    modal.confirm({
      title: t('evaluation.line.acceptTitle', { indicator: o.leaf_name ?? '' }), width: 480,
      content: (
        <Form layout="vertical" data-testid="evaluation-accept-form">
          <Form.Item label={`${t('evaluation.line.corrected')}（${o.value_before ?? '—'} →）`} required>
            <Input onChange={(e) => { value = e.target.value.trim(); }} data-testid="evaluation-corrected-value" inputMode="decimal" />
          </Form.Item>
          <Form.Item label={t('evaluation.reply')} required>
            <Input.TextArea rows={3} maxLength={2000} onChange={(e) => { reply = e.target.value; }} data-testid="evaluation-reason" />
          </Form.Item>
        </Form>
      ),
      onOk: async () => {
        if (!/^-?\d{1,12}(\.\d{1,4})?$/.test(value)) {
          void message.error(t('evaluation.line.correctedPattern'));
          throw new Error(t('evaluation.line.correctedPattern'));
        }
        if (!reply.trim()) {
          void message.error(t('evaluation.reasonRequired'));
          throw new Error(t('evaluation.reasonRequired'));
        }
        await run(() => evaluationApi.handleObjection(o.id, 'accepted', reply.trim(), value), t('evaluation.handled'));
      },
    });
  };
  /** A unit's line → a 督办事项 led by that unit (the server refuses a second one and the line links to the first). */
  const lineToMatter = (unit: EvalUnit, leaf: EvalLeaf) => {
    modal.confirm({
      title: t('evaluation.line.toMatterTitle', { unit: unit.name, indicator: leaf.name }),
      content: t('evaluation.line.toMatterHint', { unit: unit.name }),
      onOk: async () => {
        try {
          const m = await evaluationApi.unitLineMatter(year, month, Number(unit.key), { leaf: leaf.key });
          void message.success(t('evaluation.upper.created', { number: m.number }));
        } finally {
          setData(await evaluationApi.month(year, month));
        }
      },
    });
  };
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  const s = data.snapshot;
  const ownUnit = user?.unitId ?? null;
  const lines: LineActions = {
    month: data, canAssign: can('matter.assign'), object: objectLine, toMatter: lineToMatter,
    canObject: (key) => can('evaluation.object') && (isOffice || (ownUnit !== null && key === String(ownUnit))),
  };
  return (
    <div>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Tag color={STATUS_COLORS[data.status] ?? 'default'} data-testid="evaluation-status">{data.status_label}</Tag>
        {data.status === 'objection' && <span>{t('evaluation.objectionUntil')} {data.objection_until}</span>}
        {s && <Typography.Text type="secondary">{t('evaluation.scheme')}：{s.scheme.name}</Typography.Text>}
        {isOffice && data.status !== 'published' && <Button loading={busy} onClick={() => void run(() => evaluationApi.compute(year, month), t('evaluation.computed'))} data-testid="evaluation-compute">{data.status === 'none' ? t('evaluation.compute') : t('evaluation.recompute')}</Button>}
        {isOffice && data.status === 'draft' && (
          <DatePicker placeholder={t('evaluation.openObjections')} onChange={(d) => d && void run(() => evaluationApi.openObjections(year, month, d.format('YYYY-MM-DD')), t('evaluation.objectionsOpened'))}
            disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="evaluation-objection-until" />
        )}
        {canPublish && data.status === 'objection' && <Button type="primary" loading={busy} onClick={() => void run(() => evaluationApi.publish(year, month), t('evaluation.published'))} data-testid="evaluation-publish">{t('evaluation.publish')}</Button>}
        {data.status === 'objection' && can('evaluation.object') && ownUnit !== null && s?.units.some((u) => u.key === String(ownUnit)) && (
          <Button onClick={() => ask(t('evaluation.object'), (r) => evaluationApi.object(year, month, ownUnit, r), t('evaluation.objected'))}>{t('evaluation.object')}</Button>
        )}
        {s && <Button icon={<DownloadOutlined />} href={evaluationLinks.sheet(year, month, 'xlsx')}>{t('evaluation.exportXlsx')}</Button>}
        {s && <Button icon={<DownloadOutlined />} href={evaluationLinks.sheet(year, month, 'docx')}>{t('evaluation.exportDocx')}</Button>}
      </Flex>
      {data.diff.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="evaluation-diff" title={t('evaluation.diffTitle')}
          description={<div>{data.diff.map((d, i) => <div key={i}>{d.unit_name} {d.item}：{d.before} → {d.after}</div>)}</div>}
          action={canPublish ? <Button size="small" onClick={() => ask(t('evaluation.republish'), (r) => evaluationApi.republish(year, month, r), t('evaluation.published'))}>{t('evaluation.republish')}</Button> : undefined} />
      )}
      {!s ? <Empty description={t('evaluation.none')} /> : (
        <>
          <RankingTable snapshot={s} year={year} month={month} drill lines={lines} />
          <Lists snapshot={s} />
        </>
      )}
      {data.objections.length > 0 && (
        <Card size="small" title={t('evaluation.objections')} style={{ marginTop: 12 }}>
          <Table rowKey="id" size="small" pagination={false} dataSource={data.objections} scroll={phone ? undefined : { x: 'max-content' }} tableLayout={phone ? 'fixed' : undefined} data-testid="evaluation-objections" columns={[
            // On a phone the unit, the line and its values share one column.
            ...(phone ? [{ title: t('evaluation.line.column'), key: 'line', render: (_: unknown, o: EvalObjection) => (
              <div>{o.unit_name}<div>{o.leaf_name ?? t('evaluation.line.whole')}</div>{o.leaf_key && <div>{`${o.value_before ?? '—'}${o.corrected_value !== null ? ` → ${o.corrected_value}` : ''}`}</div>}</div>
            ) }] : [
              { title: t('evaluation.unit'), dataIndex: 'unit_name' },
              { title: t('evaluation.line.column'), dataIndex: 'leaf_name', render: (v: string | null) => v ?? t('evaluation.line.whole') },
              { title: t('evaluation.line.values'), key: 'values', render: (_: unknown, o: EvalObjection) => (o.leaf_key ? `${o.value_before ?? '—'}${o.corrected_value !== null ? ` → ${o.corrected_value}` : ''}` : '') },
            ]),
            { title: t('evaluation.reason'), dataIndex: 'reason' },
            { title: t('evaluation.reply'), dataIndex: 'reply', render: (v: string | null, o) => v ?? (isOffice && o.status === 'open' ? (
              <Space>
                <Button size="small" onClick={() => (o.leaf_key ? acceptLine(o) : ask(t('evaluation.accept'), (r) => evaluationApi.handleObjection(o.id, 'accepted', r), t('evaluation.handled')))}>{t('evaluation.accept')}</Button>
                <Button size="small" onClick={() => ask(t('evaluation.reject'), (r) => evaluationApi.handleObjection(o.id, 'rejected', r), t('evaluation.handled'))}>{t('evaluation.reject')}</Button>
              </Space>
            ) : t('evaluation.pending')) },
          ]} />
        </Card>
      )}
    </div>
  );
}

/**
 * The scheme editor: the year's versions; the scheme as a form (groups and a table of indicator lines) or, for
 * auditors and for trees deeper than group › indicator, as JSON; live preview on the month.
 */
function SchemeTab({ year, month }: { year: number; month: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const isOffice = useCan()('evaluation.write');
  const { data: schemes, reload } = useLoad(() => evaluationApi.schemes(year), [year]);
  const { data: sources } = useLoad(() => evaluationApi.sources(), []);
  const [selected, setSelected] = useState<EvalSchemeRow | undefined>();
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'form' | 'json'>('form');
  // Bumped whenever the form must start again from the text (another version picked, back from JSON).
  const [formRound, setFormRound] = useState(0);
  const [form] = Form.useForm<SchemeFormValues>();
  const [preview, setPreview] = useState<{ problems: EvalProblem[]; result: EvalSnapshot | null; parseError?: string }>();
  // The version on screen stays on screen when the list reloads (after a save).
  const shownId = useRef<number | undefined>(undefined);
  const show = (s: EvalSchemeRow | undefined) => {
    shownId.current = s?.id;
    setSelected(s);
    setText(s ? JSON.stringify(s.body, null, 2) : JSON.stringify(BLANK_SCHEME, null, 2));
    setFormRound((n) => n + 1);
  };
  useEffect(() => {
    show(schemes?.find((s) => s.id === shownId.current) ?? schemes?.find((s) => s.status === 'adopted') ?? schemes?.[0]);
  }, [schemes]);
  const parsed = useMemo((): { scheme?: Scheme; error?: string } => {
    if (!text.trim()) return {};
    try {
      return { scheme: JSON.parse(text) as Scheme };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [text]);
  // The form's starting values: from the text when the round changes, not on every keystroke.
  const formInitial = useMemo(() => (parsed.scheme ? schemeToForm(parsed.scheme) : null), [formRound, parsed.error === undefined]);
  // Live preview on the chosen month, debounced.
  useEffect(() => {
    if (!parsed.scheme) {
      setPreview(parsed.error ? { problems: [], result: null, parseError: parsed.error } : undefined);
      return;
    }
    const timer = setTimeout(() => {
      evaluationApi.preview(year, month, parsed.scheme!).then(setPreview, (e: unknown) => setPreview({ problems: [{ path: '方案', message: e instanceof ApiError ? e.message : String(e) }], result: null }));
    }, 400);
    return () => clearTimeout(timer);
  }, [parsed, year, month]);
  const sourceLabel = new Map((sources ?? []).map((s) => [s.key, s.label]));
  const save = async (asNew: boolean) => {
    if (!parsed.scheme) return;
    if (mode === 'form' && formInitial) {
      try {
        await form.validateFields();
      } catch {
        void message.error(t('evaluation.form.fix'));
        return;
      }
    }
    const problems = validateScheme(parsed.scheme, new Map((sources ?? []).filter((s) => s.available).map((s) => [s.key, s.label])));
    if (problems.length) {
      void message.error(t('evaluation.form.invalid', { count: problems.length, first: `${problems[0]!.path}：${problems[0]!.message}` }));
      return;
    }
    const saved = asNew || !selected ? await evaluationApi.createScheme(year, parsed.scheme) : await evaluationApi.updateScheme(selected.id, parsed.scheme, selected.row_version);
    void message.success(t('evaluation.saved'));
    shownId.current = saved.id;
    setSelected(saved);
    reload();
  };
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xxl={15}>
        <Flex gap={8} wrap style={{ marginBottom: 8 }}>
          <Select style={{ minWidth: 240 }} value={selected?.id} placeholder={t('evaluation.noScheme')} data-testid="evaluation-scheme-select"
            options={(schemes ?? []).map((s) => ({ value: s.id, label: `v${s.version} ${s.name}（${t(`evaluation.schemeStatus.${s.status}` as MessageKey)}）` }))}
            onChange={(id: number) => show(schemes?.find((x) => x.id === id))} />
          <Segmented value={mode} data-testid="evaluation-scheme-mode" onChange={(m) => {
            setMode(m as 'form' | 'json');
            if (m === 'form') setFormRound((n) => n + 1);
          }} options={[{ value: 'form', label: t('evaluation.form.modeForm') }, { value: 'json', label: t('evaluation.form.modeJson') }]} />
          {isOffice && <Button disabled={!parsed.scheme || selected?.status !== 'draft'} onClick={() => void save(false)}>{t('evaluation.save')}</Button>}
          {isOffice && <Button disabled={!parsed.scheme} onClick={() => void save(true)}>{t('evaluation.saveAsNew')}</Button>}
          {isOffice && selected?.status === 'draft' && <Button type="primary" onClick={() => void evaluationApi.adopt(selected.id).then(() => { void message.success(t('evaluation.adopted')); reload(); })}>{t('evaluation.adopt')}</Button>}
        </Flex>
        {mode === 'form' && parsed.error && <Alert type="error" showIcon title={t('evaluation.jsonError')} description={parsed.error} />}
        {mode === 'form' && parsed.scheme && !formInitial && <Alert type="info" showIcon title={t('evaluation.form.tooDeep')} />}
        {mode === 'form' && parsed.scheme && formInitial && sources && (
          <SchemeForm key={formRound} form={form} initial={formInitial} keep={{ year_end: parsed.scheme.year_end }} sources={sources} readOnly={!isOffice}
            onChange={(s) => setText(JSON.stringify(s, null, 2))} />
        )}
        {mode === 'json' && (
          <>
            <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={22} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} readOnly={!isOffice} data-testid="evaluation-scheme-json" />
            {parsed.scheme && (
              <Table rowKey="key" size="small" pagination={false} style={{ marginTop: 8 }} dataSource={leavesOf(parsed.scheme.nodes ?? []).map(({ node, path }) => ({ key: node.key, path: path.join(' › '), node }))}
                columns={[
                  { title: t('evaluation.indicator'), dataIndex: 'path' },
                  { title: t('evaluation.source'), key: 's', render: (_: unknown, r) => sourceLabel.get(r.node.source ?? '') ?? r.node.source },
                  { title: t('evaluation.rule'), key: 'r', render: (_: unknown, r) => (r.node.rule ? RULE_LABELS[r.node.rule.kind] ?? r.node.rule.kind : '—') },
                  { title: t('evaluation.weightCap'), key: 'w', render: (_: unknown, r) => [r.node.weight !== undefined ? `×${r.node.weight}` : '', r.node.max !== undefined ? `≤${r.node.max}` : ''].filter(Boolean).join(' ') },
                ]} />
            )}
          </>
        )}
      </Col>
      <Col xs={24} xxl={9}>
        <Card size="small" title={`${t('evaluation.preview')}：${year}年${month === 1 ? '1月' : `1–${month}月`}`} data-testid="evaluation-preview">
          {preview?.parseError && <Alert type="error" showIcon title={t('evaluation.jsonError')} description={preview.parseError} />}
          {preview && preview.problems.length > 0 && (
            <Alert type="error" showIcon title={t('evaluation.problems')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{preview.problems.map((p, i) => <li key={i}>{p.path}：{p.message}</li>)}</ul>} />
          )}
          {preview?.result && <RankingTable snapshot={preview.result} year={year} month={month} drill={false} />}
          {sources && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('evaluation.sources')}：{sources.map((s) => `${s.key}（${s.label}${s.available ? '' : `，${t('evaluation.notWired')}`}）`).join('、')}
            </Typography.Paragraph>
          )}
        </Card>
      </Col>
    </Row>
  );
}

/** What a year without a scheme starts from: a name, 100 full marks and one empty line. */
const BLANK_SCHEME: Scheme = { name: '', full_marks: 100, nodes: [{ key: 'item_1', name: '' }] };

/** The 加分/扣分 ledger of the month. */
function LedgerTab({ year, month }: { year: number; month: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const isOffice = useCan()('evaluation.write');
  const { data, reload } = useLoad(() => evaluationApi.ledger(year, month), [year, month]);
  const { data: m } = useLoad(() => evaluationApi.month(year, month), [year, month]);
  const [form, setForm] = useState<{ unit?: number; points?: number; reason: string; doc: string; approver: string }>({ reason: '', doc: '', approver: '' });
  const units = m?.snapshot?.units ?? [];
  return (
    <div>
      {isOffice && (
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Select style={{ width: 160 }} placeholder={t('evaluation.unit')} value={form.unit} onChange={(u: number) => setForm({ ...form, unit: u })} options={units.map((u) => ({ value: Number(u.key), label: u.name }))} />
          <InputNumber placeholder={t('evaluation.points')} value={form.points} step={0.5} onChange={(v) => setForm({ ...form, points: v ?? undefined })} />
          <Input style={{ width: 220 }} placeholder={t('evaluation.reason')} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          <Input style={{ width: 180 }} placeholder={t('evaluation.docNumber')} value={form.doc} onChange={(e) => setForm({ ...form, doc: e.target.value })} />
          <Input style={{ width: 120 }} placeholder={t('evaluation.approver')} value={form.approver} onChange={(e) => setForm({ ...form, approver: e.target.value })} />
          <Button type="primary" disabled={!form.unit || !form.points} onClick={() => void evaluationApi.addLedger({ year, month, unit_id: form.unit!, points: form.points!, reason: form.reason, doc_number: form.doc, approver: form.approver })
            .then(() => { void message.success(t('evaluation.saved')); setForm({ reason: '', doc: '', approver: '' }); reload(); })}>{t('evaluation.addLedger')}</Button>
        </Flex>
      )}
      <Table rowKey="id" size="small" pagination={false} dataSource={data ?? []} scroll={{ x: 'max-content' }} columns={[
        { title: t('evaluation.unit'), dataIndex: 'unit_name' },
        { title: t('evaluation.points'), dataIndex: 'points_text', align: 'right' },
        { title: t('evaluation.reason'), dataIndex: 'reason' },
        { title: t('evaluation.docNumber'), dataIndex: 'doc_number' },
        { title: t('evaluation.approver'), dataIndex: 'approver' },
      ]} />
    </div>
  );
}

/** The year-end comprehensive evaluation (年终总考评): published months, hand-entered items and the year ledger, ranked. */
function YearEndTab({ year }: { year: number }) {
  const { t } = useI18n();
  const { data, error, reload } = useLoad(() => evaluationApi.yearEnd(year), [year]);
  // On a phone: rank, total and unit; a row opens the parts of the total.
  const compact = !Grid.useBreakpoint().md;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  type YearEndUnit = EvalYearEnd['units'][number];
  const unitName = (v: string, u: YearEndUnit) => (u.vetoed ? <Space wrap size={4}>{v}<Tag color="error">{t('evaluation.vetoed')}（{u.vetoed_months.map((m) => `${m}月`).join('、')}）</Tag></Space> : v);
  if (compact) {
    return (
      <div data-testid="evaluation-year-end">
        <Typography.Paragraph type="secondary">
          {t('evaluation.yearEnd.basis', { scheme: `v${data.scheme.version} ${data.scheme.name}`, months: data.months.length ? data.months.map((m) => `${m}月`).join('、') : t('evaluation.yearEnd.noMonths'), weight: data.monthly_weight })}
        </Typography.Paragraph>
        <Table<YearEndUnit> rowKey="key" size="small" pagination={false} dataSource={data.units}
          expandable={{ expandRowByClick: true, expandedRowRender: (u) => (
            <Descriptions size="small" column={1} items={[
              { key: 'avg', label: t('evaluation.yearEnd.average'), children: u.monthly_average_text },
              { key: 'part', label: t('evaluation.yearEnd.monthlyPart', { weight: data.monthly_weight }), children: u.monthly_part_text },
              ...data.items.map((it) => ({ key: `item-${it.key}`, label: it.max !== undefined ? `${it.name}（≤${it.max}）` : it.name, children: u.items.find((x) => x.key === it.key)?.value_text ?? '—' })),
              { key: 'ledger', label: t('evaluation.ledger'), children: u.ledger_text },
              { key: 'months', label: t('evaluation.yearEnd.months'), children: u.months.map((m) => `${m.month}月 ${m.total_text}`).join('；') || '—' },
            ]} />
          ) }}
          columns={[
            { title: t('evaluation.rank'), dataIndex: 'rank', width: 52 },
            { title: t('evaluation.total'), dataIndex: 'total_text', align: 'right', width: 64, render: (v: string) => <strong>{v}</strong> },
            { title: t('evaluation.unit'), dataIndex: 'name', render: unitName },
          ]} />
      </div>
    );
  }
  return (
    <div data-testid="evaluation-year-end">
      <Typography.Paragraph type="secondary">
        {t('evaluation.yearEnd.basis', { scheme: `v${data.scheme.version} ${data.scheme.name}`, months: data.months.length ? data.months.map((m) => `${m}月`).join('、') : t('evaluation.yearEnd.noMonths'), weight: data.monthly_weight })}
      </Typography.Paragraph>
      <Table rowKey="key" size="small" pagination={false} dataSource={data.units} scroll={{ x: 'max-content' }} columns={[
        { title: t('evaluation.rank'), dataIndex: 'rank', width: 60 },
        { title: t('evaluation.unit'), dataIndex: 'name', render: unitName },
        { title: t('evaluation.total'), dataIndex: 'total_text', align: 'right', render: (v: string) => <strong>{v}</strong> },
        { title: t('evaluation.yearEnd.average'), dataIndex: 'monthly_average_text', align: 'right' },
        { title: t('evaluation.yearEnd.monthlyPart', { weight: data.monthly_weight }), dataIndex: 'monthly_part_text', align: 'right' },
        ...data.items.map((it) => ({ title: it.max !== undefined ? `${it.name}（≤${it.max}）` : it.name, key: `item-${it.key}`, align: 'right' as const,
          render: (_: unknown, u: EvalYearEnd['units'][number]) => u.items.find((x) => x.key === it.key)?.value_text ?? '—' })),
        { title: t('evaluation.ledger'), dataIndex: 'ledger_text', align: 'right' },
        { title: t('evaluation.yearEnd.months'), key: 'months', render: (_: unknown, u) => u.months.map((m) => `${m.month}月 ${m.total_text}`).join('；') },
      ]} />
    </div>
  );
}

/** How the city and province rank us (上级考核): rank, scores, gap, weak flag, reasons and next steps; the office records them. */
/** A weak upper-level ranking → a 督办事项 in one step: the office picks the lead unit; title and deadline may be left to the server. */
function WeakToMatter({ rank, onClose }: { rank: UpperRank; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const units = useUnits();
  const [form] = Form.useForm<{ lead_unit_id: number; title?: string; due_on?: dayjs.Dayjs }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const m = await evaluationApi.upperRankMatter(rank.id, { lead_unit_id: v.lead_unit_id, title: v.title?.trim() || null, due_on: v.due_on ? v.due_on.format('YYYY-MM-DD') : null });
      void message.success(t('evaluation.upper.created', { number: m.number }));
      onClose();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('evaluation.upper.toMatterTitle', { indicator: rank.indicator })} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" data-testid="evaluation-weak-matter">
        <Form.Item name="lead_unit_id" label={t('evaluation.upper.lead')} rules={[{ required: true, message: t('evaluation.form.required', { field: t('evaluation.upper.lead') }) }]}>
          <UnitPicker units={units} testId="weak-matter-lead" />
        </Form.Item>
        <Form.Item name="title" label={t('evaluation.upper.matterTitle')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="due_on" label={t('evaluation.upper.due')}><DatePicker style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** Leader's score − ours, printed (four decimals at most), or — when either is missing. */
const gapText = (r: UpperRank) => (r.our_score !== null && r.leader_score !== null ? String(Math.round((Number(r.leader_score) - Number(r.our_score)) * 10_000) / 10_000) : '—');

function UpperRanksTab({ year, month }: { year: number; month: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const isOffice = can('evaluation.write');
  const canAssign = can('matter.assign');
  const [toMatter, setToMatter] = useState<UpperRank | null>(null);
  const { data, error, reload } = useLoad(() => evaluationApi.upperRanks(year), [year]);
  // On a phone: period, indicator, rank, the weak flag and the matter; a row opens scores, reasons and next steps.
  const compact = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<{ level: 'city' | 'province'; indicator: string; our_rank: number; unit_count: number; our_score?: string; leader_score?: string; reasons?: string; next_steps?: string }>();
  if (error) return <LoadError error={error} onRetry={reload} />;
  const add = async () => {
    const v = await form.validateFields();
    await evaluationApi.addUpperRank({ year, month, level: v.level, indicator: v.indicator, our_rank: v.our_rank, unit_count: v.unit_count,
      our_score: v.our_score?.trim() || null, leader_score: v.leader_score?.trim() || null, reasons: v.reasons?.trim() || null, next_steps: v.next_steps?.trim() || null });
    void message.success(t('evaluation.saved'));
    form.resetFields();
    reload();
  };
  const required = (field: string) => [{ required: true, message: t('evaluation.form.required', { field }) }];
  const score = [{ pattern: /^-?\d{1,12}(\.\d{1,4})?$/, message: t('evaluation.upper.scorePattern') }];
  return (
    <div data-testid="evaluation-upper">
      {isOffice && (
        <Card size="small" title={t('evaluation.upper.add', { year, month })} style={{ marginBottom: 12 }}>
          <Form form={form} layout="vertical" size="small" initialValues={{ level: 'city' }} data-testid="evaluation-upper-form">
            <Space wrap align="start">
              <Form.Item name="level" label={t('evaluation.upper.level')} rules={required(t('evaluation.upper.level'))}>
                <Select style={{ width: 100 }} options={[{ value: 'city', label: t('evaluation.upper.city') }, { value: 'province', label: t('evaluation.upper.province') }]} />
              </Form.Item>
              <Form.Item name="indicator" label={t('evaluation.indicator')} rules={required(t('evaluation.indicator'))}><Input style={{ width: compact ? 180 : 200 }} maxLength={100} /></Form.Item>
              <Form.Item name="our_rank" label={t('evaluation.upper.ourRank')} rules={required(t('evaluation.upper.ourRank'))}><InputNumber min={1} precision={0} style={{ width: 90 }} /></Form.Item>
              <Form.Item name="unit_count" label={t('evaluation.upper.unitCount')} dependencies={['our_rank']} rules={[...required(t('evaluation.upper.unitCount')), ({ getFieldValue }) => ({
                validator: (_r: unknown, v: number | undefined | null) => (v !== undefined && v !== null && Number(getFieldValue('our_rank')) > v ? Promise.reject(new Error(t('evaluation.upper.rankAboveCount'))) : Promise.resolve()),
              })]}><InputNumber min={1} precision={0} style={{ width: 100 }} /></Form.Item>
              <Form.Item name="our_score" label={t('evaluation.upper.ourScore')} rules={score}><Input style={{ width: 90 }} /></Form.Item>
              <Form.Item name="leader_score" label={t('evaluation.upper.leaderScore')} rules={score}><Input style={{ width: 90 }} /></Form.Item>
            </Space>
            <Space wrap align="start">
              <Form.Item name="reasons" label={t('evaluation.upper.reasons')}><Input.TextArea rows={2} style={{ width: compact ? 'min(320px, calc(100vw - 72px))' : 320 }} maxLength={2000} /></Form.Item>
              <Form.Item name="next_steps" label={t('evaluation.upper.nextSteps')}><Input.TextArea rows={2} style={{ width: compact ? 'min(320px, calc(100vw - 72px))' : 320 }} maxLength={2000} /></Form.Item>
            </Space>
            <div><Button type="primary" onClick={() => void add()}>{t('evaluation.upper.save')}</Button></div>
          </Form>
        </Card>
      )}
      <Table<UpperRank> rowKey="id" size="small" pagination={false} dataSource={data ?? []} scroll={compact ? undefined : { x: 'max-content' }} data-testid="evaluation-upper-table"
        expandable={compact ? { expandRowByClick: true, expandedRowRender: (r) => (
          <Descriptions size="small" column={1} items={[
            { key: 'level', label: t('evaluation.upper.level'), children: t(r.level === 'city' ? 'evaluation.upper.city' : 'evaluation.upper.province') },
            { key: 'score', label: t('evaluation.upper.ourScore'), children: r.our_score ?? '—' },
            { key: 'gap', label: t('evaluation.upper.gap'), children: gapText(r) },
            { key: 'reasons', label: t('evaluation.upper.reasons'), children: r.reasons ?? '—' },
            { key: 'next', label: t('evaluation.upper.nextSteps'), children: r.next_steps ?? '—' },
          ]} />
        ) } : undefined}
        columns={[
        { title: t('evaluation.period'), dataIndex: 'month', render: (m: number) => `${m}月` },
        ...(compact ? [] : [{ title: t('evaluation.upper.level'), dataIndex: 'level', render: (l: string) => t(l === 'city' ? 'evaluation.upper.city' : 'evaluation.upper.province') }]),
        { title: t('evaluation.indicator'), dataIndex: 'indicator' },
        { title: t('evaluation.rank'), key: 'rank', render: (_: unknown, r: UpperRank) => `${r.our_rank}/${r.unit_count}` },
        ...(compact ? [] : [
          { title: t('evaluation.upper.ourScore'), dataIndex: 'our_score', align: 'right' as const, render: (v: string | null) => v ?? '—' },
          { title: t('evaluation.upper.gap'), key: 'gap', align: 'right' as const, render: (_: unknown, r: UpperRank) => gapText(r) },
        ]),
        { title: t('evaluation.upper.weak'), dataIndex: 'is_weak', render: (w: boolean) => (w ? <Tag color="error">{t('evaluation.upper.weakYes')}</Tag> : <Tag>{t('evaluation.upper.weakNo')}</Tag>) },
        ...(compact ? [] : [
          { title: t('evaluation.upper.reasons'), dataIndex: 'reasons', render: (v: string | null) => v ?? '' },
          { title: t('evaluation.upper.nextSteps'), dataIndex: 'next_steps', render: (v: string | null) => v ?? '' },
        ]),
        // A weak line that already has its matter links to it (the server refuses a second one).
        { title: '', key: 'matter', render: (_: unknown, r: UpperRank) => (r.matter
          ? <Link to={`/matters/${r.matter.id}`} data-testid="evaluation-upper-matter">{t('evaluation.line.hasMatter', { number: r.matter.number })}</Link>
          : canAssign && r.is_weak ? <Button size="small" onClick={() => setToMatter(r)}>{t('evaluation.upper.toMatter')}</Button> : null) },
      ]} />
      {toMatter && <WeakToMatter rank={toMatter} onClose={() => { setToMatter(null); reload(); }} />}
    </div>
  );
}

/** 考评: the month's 讲评 and ranking, the scheme editor, the ledger. */
export function EvaluationPage() {
  const { t } = useI18n();
  const { year, month, set } = usePeriod();
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('evaluation.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && set(v, month)} suffix="年" style={{ width: 110 }} aria-label={t('evaluation.year')} />
        <Select value={month} onChange={(m: number) => set(year, m)} style={{ width: 110 }} aria-label={t('evaluation.period')} data-testid="evaluation-month"
          options={MONTHS.map((m) => ({ value: m, label: m === 1 ? '1月' : `1–${m}月` }))} />
      </Space>
      <Tabs items={[
        { key: 'month', label: t('evaluation.tab.month'), children: <MonthTab year={year} month={month} /> },
        { key: 'scheme', label: t('evaluation.tab.scheme'), children: <SchemeTab year={year} month={month} /> },
        { key: 'ledger', label: t('evaluation.tab.ledger'), children: <LedgerTab year={year} month={month} /> },
        { key: 'year-end', label: t('evaluation.tab.yearEnd'), children: <YearEndTab year={year} /> },
        { key: 'upper', label: t('evaluation.tab.upper'), children: <UpperRanksTab year={year} month={month} /> },
      ]} />
    </div>
  );
}
