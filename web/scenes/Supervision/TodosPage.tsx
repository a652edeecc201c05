import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Empty, Flex, List, Tabs, Tag, Typography } from 'antd';
import { inboxApi } from '../../api/supervision.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/** The reporters' to-dos carry a tag saying which duty they are (matters' titles already say so). */
const KIND_TAGS: Record<string, { label: MessageKey; color: string } | undefined> = {
  'report.due': { label: 'todos.kind.reportDue', color: 'blue' },
  'report.return': { label: 'todos.kind.reportReturn', color: 'orange' },
};

/** 我的待办: what I must do (overdue first, deep links) and my notifications. */
export function TodosPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState('open');
  const todos = useLoad(() => inboxApi.todos(tab === 'done'), [tab]);
  const notes = useLoad(() => inboxApi.notifications(), [tab]);
  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('todos.title')}</Typography.Title>} styles={{ body: { paddingTop: 0 } }}>
      <Tabs activeKey={tab} onChange={setTab} items={[
        { key: 'open', label: t('todos.open') }, { key: 'done', label: t('todos.done') }, { key: 'notifications', label: t('todos.notifications') },
      ]} />
      {tab !== 'notifications' && (todos.error ? <LoadError error={todos.error} onRetry={todos.reload} /> : (
        <List loading={todos.loading} data-testid="todo-list" locale={{ emptyText: <Empty description={t('todos.empty')} /> }} dataSource={todos.data?.items ?? []} renderItem={(x) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={x.link} data-testid={`todo-${x.kind}`}>{x.title}</Link>}
              description={<Flex gap={6} wrap>{KIND_TAGS[x.kind] && <Tag color={KIND_TAGS[x.kind]!.color}>{t(KIND_TAGS[x.kind]!.label)}</Tag>}{x.dueOn && <span>{t('todos.due')} {x.dueOn}</span>}{x.overdue && <Tag color="red">{t('todos.overdue')}</Tag>}</Flex>}
            />
          </List.Item>
        )} />
      ))}
      {tab === 'notifications' && (
        <>
          <Button size="small" onClick={() => void inboxApi.markRead().then(notes.reload)} style={{ marginBottom: 8 }}>{t('todos.markRead')}</Button>
          <List loading={notes.loading} dataSource={notes.data?.items ?? []} renderItem={(n) => (
            <List.Item>
              <List.Item.Meta title={n.link ? <Link to={n.link}>{n.title}</Link> : n.title} description={<span>{n.body ? `${n.body} · ` : ''}{formatDateTime(n.createdAt)}{n.readAt ? '' : ' ●'}</span>} />
            </List.Item>
          )} />
        </>
      )}
    </Card>
  );
}
