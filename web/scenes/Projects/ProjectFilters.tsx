import { useEffect, useMemo, useState } from 'react';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { unitTree } from '../../components/unit-tree.ts';
import { Button, Flex, Input, Select, TreeSelect } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import type { ProjectListQuery, Unit } from '../../api/types.ts';
import { STAGES, stageKey } from '../../stages.ts';

/** The filter bar of the project list. */
export function ProjectFilters({ query, units, onChange, onReset }: {
  query: ProjectListQuery;
  units: Unit[];
  onChange: (patch: Partial<ProjectListQuery>) => void;
  onReset: () => void;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState(query.q ?? '');
  useEffect(() => setQ(query.q ?? ''), [query.q]);
  const tree = useMemo(() => unitTree(units), [units]);
  const rootRegion = units.find((u) => u.parent_id === null)?.region_code ?? undefined;
  const stages = query.stage ? query.stage.split(',') : [];
  return (
    <Flex wrap gap={8} style={{ marginBottom: 12 }} role="search">
      <Input.Search
        aria-label={t('projects.filter.q')}
        data-testid="filter-q"
        placeholder={t('projects.filter.q')}
        allowClear
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => onChange({ q: v.trim() || undefined })}
        style={{ flex: '2 1 220px', minWidth: 200 }}
        enterButton={t('common.search')}
      />
      <RegionPicker
        rootCode={rootRegion} value={query.region} onChange={(region) => onChange({ region })}
        placeholder={t('projects.filter.region')} testId="filter-region" style={{ minWidth: 180, flex: '1 1 180px' }}
      />
      <TreeSelect
        aria-label={t('projects.filter.unit')}
        data-testid="filter-unit"
        style={{ minWidth: 180, flex: '1 1 180px' }}
        placeholder={t('projects.filter.unit')}
        allowClear
        showSearch
        treeNodeFilterProp="title"
        treeDefaultExpandAll
        treeData={tree}
        value={query.unit}
        onChange={(v: number | undefined) => onChange({ unit: v })}
      />
      <Select
        aria-label={t('projects.filter.stage')}
        data-testid="filter-stage"
        mode="multiple"
        allowClear
        style={{ minWidth: 180, flex: '1 1 180px' }}
        placeholder={t('projects.filter.stage')}
        value={stages}
        options={STAGES.map((s) => ({ value: s, label: t(stageKey(s)!) }))}
        onChange={(v: string[]) => onChange({ stage: v.length ? v.join(',') : undefined })}
      />
      <Button onClick={onReset}>{t('common.reset')}</Button>
    </Flex>
  );
}
