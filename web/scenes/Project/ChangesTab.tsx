import { useState } from 'react';
import { Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { projectPartsApi } from '../../api/endpoints.ts';
import { useUnits } from '../../api/reference.ts';
import type { Project, ProjectChange } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { changeFieldLabel, changeKindKey, printChangeValue } from './change-fields.ts';

const PAGE_SIZE = 20;
const KIND_COLORS: Partial<Record<ProjectChange['kind'], string>> = {
  create: 'green', update: 'blue', stage: 'cyan', tier: 'purple', delete: 'red', restore: 'gold',
};

/** The project's change history (变更记录): who changed what and when, newest first, page by page. */
export function ChangesTab({ project }: { project: Project }) {
  const { t } = useI18n();
  const units = useUnits();
  const [page, setPage] = useState(1);
  // Reload when the project is saved (its version moves), so an edit shows up at once.
  const { data, error, loading, reload } = useLoad(() => projectPartsApi.changes(project.id, page, PAGE_SIZE), [project.id, project.version, page]);
  const unitName = (id: number) => units.find((u) => u.id === id)?.name;
  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <Table<ProjectChange>
      rowKey="id" size="small" loading={loading} dataSource={data?.items ?? []} scroll={{ x: 720 }} data-testid="project-changes"
      locale={{ emptyText: t('project.changes.empty') }}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t('project.changes.time'), dataIndex: 'at', width: 150, render: formatDateTime },
        { title: t('project.changes.who'), dataIndex: 'user_name', width: 120, render: (v: string | null) => v ?? t('project.changes.system') },
        { title: t('project.changes.action'), dataIndex: 'kind', width: 110, render: (k: ProjectChange['kind']) => <Tag color={KIND_COLORS[k] ?? 'default'}>{t(changeKindKey(k))}</Tag> },
        {
          title: t('project.changes.fields'), key: 'fields',
          render: (_: unknown, c: ProjectChange) => (
            <div>
              {c.changes.map((f) => {
                const label = changeFieldLabel(f.field);
                return (
                  <div key={f.field} data-testid={`change-${f.field}`}>
                    <Typography.Text strong>{label ? t(label) : f.field}</Typography.Text>：
                    <Typography.Text delete type="secondary">{printChangeValue(f.field, f.old, t, unitName)}</Typography.Text>
                    {' → '}
                    <Typography.Text>{printChangeValue(f.field, f.new, t, unitName)}</Typography.Text>
                  </div>
                );
              })}
              {c.event_date ? <div><Typography.Text type="secondary">{t('project.changes.eventDate')}：{c.event_date}</Typography.Text></div> : null}
              {c.reason ? <div><Typography.Text type="secondary">{t('project.changes.reason')}：{c.reason}</Typography.Text></div> : null}
            </div>
          ),
        },
      ]}
    />
  );
}
