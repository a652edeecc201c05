import { Flex, Tag, Timeline, Typography } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';

/** One entry of a CaseEngine timeline (a move, a feedback or an event), as the matter and problem pages receive it. */
export interface CaseTimelineItem {
  at: string;
  kind: string;
  title: string;
  detail: string | null;
  actorName: string | null;
}

/** A CaseEngine timeline, newest first: moves blue, feedback green, events (reminders, escalation) red. */
export function CaseTimeline({ items, testId }: { items: readonly CaseTimelineItem[]; testId: string }) {
  return (
    <Timeline data-testid={testId} items={[...items].reverse().map((x) => ({
      color: x.kind === 'feedback' ? 'green' : x.kind === 'event' ? 'red' : 'blue',
      children: (
        <div>
          <Typography.Text strong>{x.title}</Typography.Text>
          <div><Typography.Text type="secondary">{new Date(x.at).toLocaleString('zh-CN', { hour12: false })}{x.actorName ? ` · ${x.actorName}` : ''}</Typography.Text></div>
          {x.detail && <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{x.detail}</Typography.Paragraph>}
        </div>
      ),
    }))} />
  );
}

/** One engine deadline with where it stands today (working days left or overdue, paused, or ended). */
export interface CaseDeadline {
  kind: string;
  dueOn: string;
  status: string;
  overdue: boolean;
  workingDays: number;
  paused?: boolean;
}

/** A CaseEngine's deadlines as tags: open ones blue, overdue red with "逾期 N 个工作日", paused and ended ones grey. */
export function CaseDeadlines({ items, label, testId }: { items: readonly CaseDeadline[]; label: (kind: string) => string; testId?: string }) {
  const { t } = useI18n();
  // Ended deadlines name how they ended (办结/取消) rather than the raw status word.
  const ended = (s: string) => (s === 'done' ? t('deadline.done') : s === 'cancelled' ? t('deadline.cancelled') : s);
  return (
    <Flex gap={8} wrap data-testid={testId}>
      {items.map((d) => (
        <Tag key={d.kind} data-testid={testId ? `${testId}-${d.kind}` : undefined} color={d.status !== 'open' ? 'default' : d.overdue ? 'red' : d.paused ? 'default' : 'blue'} style={{ whiteSpace: 'normal' }}>
          {label(d.kind)} {d.dueOn} · {d.status !== 'open' ? ended(d.status) : d.paused ? t('matters.paused') : d.overdue ? t('matters.daysOverdue', { n: d.workingDays }) : t('matters.daysLeft', { n: d.workingDays })}
        </Tag>
      ))}
    </Flex>
  );
}
