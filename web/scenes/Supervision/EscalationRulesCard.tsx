import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Input, InputNumber, Select, Skeleton, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { formatDocNumber } from '../../../core/numbering.ts';
import { checkEscalationRules, LETTER_KINDS, type LetterPrefixKind } from '../../../core/supervision/escalation-settings.ts';
import { supervisionSettingsApi, type EscalationStep, type SupervisionSettings, type YearRules } from '../../api/supervision.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useOfficeSettingsResource, useSettingsSave, useYearRulesResource, type YearRuleKey } from './SettingsConflict.tsx';

type YearRuleSet = Pick<YearRules, 'ladder' | 'feedback_ladder' | 'letter_on_step' | 'letter_on_create'>;
type Prefixes = Pick<SupervisionSettings, 'matter_prefix' | 'letter_prefixes'>;
type StepLetter = SupervisionSettings['letter_on_step'][string];
const STEP_LETTERS: StepLetter[] = ['remind', 'press', 'interview'];

/**
 * 督办规则 (issue 17): the escalation rules of one year (提醒 → 督办 → 约谈 …, each step's working days from the
 * deadline and the letter it issues, the missed-feedback ladder, 交办函 on creation), chosen with a year selector. A
 * matter follows the rules of the year it was assigned in; a year without its own follows the nearest earlier year's,
 * else the defaults, and the card says which. The same check as the server (core/supervision/escalation-settings.ts)
 * runs as the clerk types; saving is refused while it finds a problem.
 */
export function YearRulesCard() {
  const { t } = useI18n();
  const [year, setYear] = useState<number | null>(null);
  const { data, error, loading, reload } = useLoad(() => supervisionSettingsApi.yearRules(year ?? new Date().getFullYear()), [year]);
  const [draft, setDraft] = useState<YearRuleSet | null>(null);
  // A stale save (another clerk saved this year's rules since this card loaded them) opens the theirs-versus-mine
  // dialog; keeping theirs drops the draft and reloads, saving mine sends it on their version.
  const saver = useSettingsSave(useYearRulesResource(data?.year ?? year ?? new Date().getFullYear()), t('supRules.savedYear', { year: data?.year ?? year ?? '' }), () => { setDraft(null); reload(); });
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const rules: YearRuleSet = draft ?? { ladder: data.ladder, feedback_ladder: data.feedback_ladder, letter_on_step: data.letter_on_step, letter_on_create: data.letter_on_create };
  const problems = checkEscalationRules(rules);
  const set = (patch: Partial<YearRuleSet>) => {
    saver.touch(data);
    setDraft({ ...rules, ...patch });
  };
  const choose = (y: number) => { setDraft(null); saver.forget(); setYear(y); };
  // Only the rules the clerk changed are sent: a stale save then conflicts only where both changed the same rule.
  const save = () => {
    const keys: YearRuleKey[] = ['ladder', 'feedback_ladder', 'letter_on_step', 'letter_on_create'];
    const mine = Object.fromEntries(keys.filter((k) => JSON.stringify(rules[k]) !== JSON.stringify(data[k])).map((k) => [k, rules[k]])) as Partial<YearRuleSet>;
    return saver.save(data, mine);
  };
  const years = [...new Set([data.currentYear - 1, data.currentYear, data.currentYear + 1, ...data.years, data.year])].sort((a, b) => a - b);
  const source = data.own ? t('supRules.own', { year: data.year }) : data.from ? t('supRules.carried', { year: data.year, from: data.from }) : t('supRules.defaults', { year: data.year });
  const steps = (which: 'ladder' | 'feedback_ladder') => {
    const list = rules[which];
    const when = (o: number) => (which === 'feedback_ladder' ? t('supRules.fbAfter', { n: o }) : o < 0 ? t('supRules.before', { n: -o }) : o === 0 ? t('supRules.onDue') : t('supRules.after', { n: o }));
    const update = (i: number, patch: Partial<EscalationStep>) => set({ [which]: list.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
    const add = () => {
      const used = new Set([...rules.ladder, ...rules.feedback_ladder].map((s) => s.key));
      let n = 1;
      while (used.has(`step${n}`)) n += 1;
      const last = list[list.length - 1];
      set({ [which]: [...list, { key: `step${n}`, offset: last ? last.offset + 1 : 1, label: '' }] });
    };
    return (
      <Flex vertical gap={6} data-testid={`steps-${which}`}>
        {list.map((s, i) => (
          <Flex key={s.key} gap={8} wrap align="center" data-testid={`step-${which}-${i + 1}`}>
            <Typography.Text type="secondary" style={{ width: 48 }}>{`第${i + 1}级`}</Typography.Text>
            <Input value={s.label} maxLength={30} placeholder={t('supRules.stepLabel')} aria-label={`${t('supRules.stepLabel')} ${i + 1}`} style={{ width: 150 }} onChange={(e) => update(i, { label: e.target.value })} data-testid="step-label" />
            <InputNumber value={s.offset} precision={0} addonAfter={t('supRules.offset')} style={{ width: 150 }} aria-label={`${t('supRules.offset')} ${i + 1}`}
              onChange={(v) => update(i, { offset: typeof v === 'number' ? v : 0 })} data-testid="step-offset" />
            <Select<StepLetter | 'none'> value={rules.letter_on_step[s.key] ?? 'none'} style={{ width: 180 }} aria-label={t('supRules.letter')} data-testid="step-letter"
              options={[{ value: 'none', label: t('supRules.noLetter') }, ...STEP_LETTERS.map((k) => ({ value: k, label: t(`supSettings.kind.${k}` as MessageKey) }))]}
              onChange={(v) => {
                const map = { ...rules.letter_on_step };
                if (v === 'none') delete map[s.key];
                else map[s.key] = v;
                set({ letter_on_step: map });
              }} />
            <Typography.Text type="secondary" data-testid="step-when">{Number.isInteger(s.offset) ? when(s.offset) : ''}</Typography.Text>
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('supRules.removeStep')} onClick={() => set({ [which]: list.filter((_, j) => j !== i) })} />
          </Flex>
        ))}
        <div><Button size="small" icon={<PlusOutlined />} onClick={add} disabled={list.length >= 10} data-testid={`step-add-${which}`}>{t('supRules.addStep')}</Button></div>
      </Flex>
    );
  };
  return (
    <Card title={t('supRules.title')} data-testid="escalation-rules"
      extra={<Select<number> value={data.year} style={{ width: 120 }} onChange={choose} aria-label={t('supRules.year')} data-testid="rules-year"
        options={years.map((y) => ({ value: y, label: `${y}年` }))} />}>
      <Flex vertical gap={16}>
        <Alert type={data.own ? 'success' : 'info'} showIcon message={source} description={t('supRules.yearHint')} data-testid="rules-source" />
        <Flex vertical gap={4}>
          <Typography.Text strong>{t('supRules.ladder')}</Typography.Text>
          <Typography.Text type="secondary">{t('supRules.ladderHint')}</Typography.Text>
          {steps('ladder')}
        </Flex>
        <Flex vertical gap={4}>
          <Typography.Text strong>{t('supRules.feedbackLadder')}</Typography.Text>
          <Typography.Text type="secondary">{t('supRules.feedbackHint')}</Typography.Text>
          {steps('feedback_ladder')}
        </Flex>
        <Checkbox checked={rules.letter_on_create} onChange={(e) => set({ letter_on_create: e.target.checked })} data-testid="rules-letter-on-create">{t('supRules.letterOnCreate')}</Checkbox>
        {problems.length > 0 && <Alert type="error" showIcon data-testid="rules-problems" message={t('supRules.problems')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
        <Space wrap>
          <Button type="primary" loading={saver.saving} disabled={draft === null || problems.length > 0} onClick={() => void save()} data-testid="rules-save">{t('supRules.saveYear', { year: data.year })}</Button>
          {draft !== null && <Button onClick={() => { setDraft(null); saver.forget(); }}>{t('supSettings.discard')}</Button>}
        </Space>
      </Flex>
      {saver.modal}
    </Card>
  );
}

/**
 * 文号前缀: the prefixes of the matters' and letters' numbers with a live example of the next number, one office-wide
 * setting (the 文号 carries its year). Saved through the settings' versioned save (useSettingsSave).
 */
export function EscalationRulesCard() {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => Promise.all([supervisionSettingsApi.get(), supervisionSettingsApi.nextNumbers()]), []);
  const [draft, setDraft] = useState<Prefixes | null>(null);
  const saver = useSettingsSave(useOfficeSettingsResource(), t('supRules.prefixesSaved'), () => { setDraft(null); reload(); });
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const [settings, next] = data;
  const rules: Prefixes = draft ?? { matter_prefix: settings.matter_prefix, letter_prefixes: settings.letter_prefixes };
  const problems = checkEscalationRules(rules);
  const set = (patch: Partial<Prefixes>) => {
    saver.touch(settings);
    setDraft({ ...rules, ...patch });
  };
  const clear = () => {
    setDraft(null);
    saver.forget();
  };
  const example = (prefix: string, seq: number) => (prefix.trim() && checkEscalationRules({ matter_prefix: prefix }).length === 0 ? formatDocNumber({ prefix, year: next.year, seq }) : '—');
  const prefixRow = (label: string, value: string, seq: number, onChange: (v: string) => void, testId: string) => (
    <Flex key={testId} gap={8} wrap align="center">
      <Typography.Text style={{ width: 110 }}>{label}</Typography.Text>
      <Input value={value} maxLength={20} style={{ width: 150 }} aria-label={label} onChange={(e) => onChange(e.target.value)} data-testid={`prefix-${testId}`} />
      <Typography.Text type="secondary">{t('supRules.nextNumber')}：</Typography.Text>
      <Typography.Text strong data-testid={`prefix-example-${testId}`}>{example(value, seq)}</Typography.Text>
    </Flex>
  );
  return (
    <Card title={t('supRules.prefixes')} data-testid="number-prefixes">
      <Flex vertical gap={16}>
        <Flex vertical gap={6}>
          <Typography.Text type="secondary">{t('supRules.prefixesHint')}</Typography.Text>
          {prefixRow(t('supRules.prefix.matter'), rules.matter_prefix, next.matter, (v) => set({ matter_prefix: v }), 'matter')}
          {LETTER_KINDS.map((k: LetterPrefixKind) => prefixRow(t(k === 'remind' ? 'supRules.prefix.remind' : `supSettings.kind.${k}` as MessageKey), rules.letter_prefixes[k], next.letters[k],
            (v) => set({ letter_prefixes: { ...rules.letter_prefixes, [k]: v } }), k))}
        </Flex>
        {problems.length > 0 && <Alert type="error" showIcon data-testid="prefix-problems" message={t('supRules.problems')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
        <Space wrap>
          <Button type="primary" loading={saver.saving} disabled={draft === null || problems.length > 0} onClick={() => void saver.save(settings, rules)} data-testid="prefixes-save">{t('supRules.savePrefixes')}</Button>
          {draft !== null && <Button onClick={clear}>{t('supSettings.discard')}</Button>}
        </Space>
      </Flex>
      {saver.modal}
    </Card>
  );
}
