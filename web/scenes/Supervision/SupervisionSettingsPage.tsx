import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Grid, Input, InputNumber, Popconfirm, Segmented, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { addWorkingDays, calendarOf } from '../../../core/calendar.ts';
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import {
  checkLetterTemplate, DEFAULT_LETTER_TEMPLATES, fillLetterTemplate, LETTER_PLACEHOLDERS, LETTER_TEMPLATE_KINDS, SAMPLE_PLACEHOLDER_VALUES,
  type LetterPlaceholder, type LetterTemplateKind, type LetterTemplates,
} from '../../../core/supervision/letter-templates.ts';
import { supervisionSettingsApi } from '../../api/supervision.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { EscalationRulesCard, YearRulesCard } from './EscalationRulesCard.tsx';
import { useOfficeSettingsResource, useSettingsSave } from './SettingsConflict.tsx';

/**
 * 督办设置 (supervision4): the wording of the escalation letters as office templates (交办函、提醒函、督办函、约谈通知)
 * with placeholders, a live preview on sample values and the same checks as the server (unknown placeholders named in
 * Chinese), and the working days a unit has to answer a 督办函 (答复期限).
 */
export function SupervisionSettingsPage() {
  const { t } = useI18n();
  const mobile = !Grid.useBreakpoint().md;
  const { data, error, loading, reload } = useLoad(() => supervisionSettingsApi.get(), []);
  const [kind, setKind] = useState<LetterTemplateKind>('press');
  const [edited, setEdited] = useState<LetterTemplates | null>(null);
  const [replyDays, setReplyDays] = useState<number | null>(null);
  const saver = useSettingsSave(useOfficeSettingsResource(), t('supSettings.saved'), () => { setEdited(null); setReplyDays(null); reload(); });
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (loading || !data) return <Skeleton active />;
  const touch = () => saver.touch(data);
  const templates = edited ?? data.letter_templates;
  const current = templates[kind];
  const days = replyDays ?? data.reply_working_days;
  const problems = LETTER_TEMPLATE_KINDS.flatMap((k) => checkLetterTemplate(k, templates[k]));
  const daysOk = Number.isInteger(days) && days >= 1 && days <= 30;
  const dirty = edited !== null || (replyDays !== null && replyDays !== data.reply_working_days);
  const set = (patch: Partial<{ title: string; body: string }>) => {
    touch();
    setEdited({ ...templates, [kind]: { ...current, ...patch } });
  };
  // The sample letter is dated Monday 2026-12-07; its reply date counts the set working days (weekends only here).
  const sampleReplyBy = daysOk ? chineseDate(addWorkingDays('2026-12-07', days, calendarOf([]))) : SAMPLE_PLACEHOLDER_VALUES.答复期限;
  const preview = fillLetterTemplate(current, { ...SAMPLE_PLACEHOLDER_VALUES, 答复工作日: String(days), 答复期限: sampleReplyBy });
  const clear = () => {
    setEdited(null);
    setReplyDays(null);
    saver.forget();
  };
  const save = () => saver.save(data, { letter_templates: templates, reply_working_days: days });
  const insert = (p: LetterPlaceholder) => set({ body: `${current.body}{${p}}` });
  return (
    <Flex vertical gap={16}>
    <YearRulesCard />
    <EscalationRulesCard />
    <Card title={t('supSettings.title')} data-testid="supervision-settings">
      <Flex vertical gap={16}>
        <Flex vertical gap={4}>
          <Typography.Text strong>{t('supSettings.replyDays')}</Typography.Text>
          <Space wrap>
            <InputNumber min={1} max={30} value={days} onChange={(v) => { touch(); setReplyDays(typeof v === 'number' ? v : 0); }} addonAfter={t('supSettings.workingDays')} data-testid="reply-days" aria-label={t('supSettings.replyDays')} style={{ width: 160 }} />
            <Typography.Text type="secondary">{t('supSettings.replyDaysHint')}</Typography.Text>
          </Space>
          {!daysOk && <Typography.Text type="danger" data-testid="reply-days-error">{t('supSettings.replyDaysRange')}</Typography.Text>}
        </Flex>
        <Flex vertical gap={8}>
          <Typography.Text strong>{t('supSettings.templates')}</Typography.Text>
          <div style={{ overflowX: 'auto' }}>
            <Segmented<LetterTemplateKind> value={kind} onChange={setKind} data-testid="template-kind"
              options={LETTER_TEMPLATE_KINDS.map((k) => ({ value: k, label: t(`supSettings.kind.${k}` as MessageKey) }))} />
          </div>
          <Flex gap={16} vertical={mobile}>
            <Form layout="vertical" style={{ flex: 1, minWidth: 0 }}>
              <Form.Item label={t('supSettings.letterTitle')}><Input value={current.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} data-testid="template-title" /></Form.Item>
              <Form.Item label={t('supSettings.letterBody')} extra={t('supSettings.bodyHint')}>
                <Input.TextArea value={current.body} rows={8} maxLength={4000} onChange={(e) => set({ body: e.target.value })} data-testid="template-body" />
              </Form.Item>
              <Flex gap={4} wrap data-testid="placeholders">
                {(Object.keys(LETTER_PLACEHOLDERS) as LetterPlaceholder[]).map((p) => (
                  <Tooltip key={p} title={LETTER_PLACEHOLDERS[p]}><Tag style={{ cursor: 'pointer' }} onClick={() => insert(p)}>{`{${p}}`}</Tag></Tooltip>
                ))}
              </Flex>
            </Form>
            <Card size="small" title={t('supSettings.preview')} style={{ flex: 1, minWidth: 0 }} data-testid="template-preview">
              <Typography.Title level={5} style={{ textAlign: 'center' }}>{preview.title}</Typography.Title>
              <Typography.Paragraph>{SAMPLE_PLACEHOLDER_VALUES.单位}，{SAMPLE_PLACEHOLDER_VALUES.协办单位}：</Typography.Paragraph>
              {preview.paragraphs.map((p, i) => <Typography.Paragraph key={i} style={{ textIndent: '2em' }}>{p}</Typography.Paragraph>)}
            </Card>
          </Flex>
        </Flex>
        {problems.length > 0 && <Alert type="error" showIcon data-testid="template-problems" message={t('supSettings.problems')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>} />}
        <Space wrap>
          <Button type="primary" loading={saver.saving} disabled={!dirty || problems.length > 0 || !daysOk} onClick={() => void save()} data-testid="supervision-settings-save">{t('supSettings.save')}</Button>
          <Popconfirm title={t('supSettings.resetConfirm')} onConfirm={() => { touch(); setEdited({ ...templates, [kind]: DEFAULT_LETTER_TEMPLATES[kind] }); }}>
            <Button data-testid="template-reset">{t('supSettings.reset')}</Button>
          </Popconfirm>
          {dirty && <Button onClick={clear}>{t('supSettings.discard')}</Button>}
        </Space>
      </Flex>
      {saver.modal}
    </Card>
    </Flex>
  );
}
