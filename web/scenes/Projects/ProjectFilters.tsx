import { useEffect, useMemo, useState } from 'react';
import { Button, Flex, Input, Select, TreeSelect } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { referenceApi } from '../../api/endpoints.ts';
import { rememberRegions } from '../../api/reference.ts';
import type { ProjectListQuery, Region, Unit } from '../../api/types.ts';
import { STAGES, stageKey } from '../../stages.ts';

interface RegionNode {
  id: string;
  pId: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (r: Region): RegionNode => ({ id: r.code, pId: r.parent_code ?? '', value: r.code, title: r.name, isLeaf: r.level >= 4 });

/** The region tree below the office's own region, loaded a level at a time. */
function RegionFilter({ rootCode, value, onChange }: { rootCode: string | undefined; value: string | undefined; onChange: (code: string | undefined) => void }) {
  const { t } = useI18n();
  const [nodes, setNodes] = useState<RegionNode[]>([]);
  const add = (rs: Region[]) => {
    rememberRegions(rs);
    setNodes((prev) => {
      const seen = new Set(prev.map((n) => n.id));
      return [...prev, ...rs.filter((r) => !seen.has(r.code)).map(toNode)];
    });
  };
  useEffect(() => {
    if (rootCode) {
      referenceApi.region(rootCode).then((r) => add([r]), () => undefined);
    } else {
      referenceApi.regions().then((r) => add(r.items), () => undefined);
    }
  }, [rootCode]);
  useEffect(() => {
    if (value && !nodes.some((n) => n.id === value)) referenceApi.region(value).then((r) => add([r]), () => undefined);
  }, [value, nodes]);
  return (
    <TreeSelect
      aria-label={t('projects.filter.region')}
      data-testid="filter-region"
      style={{ minWidth: 180, flex: '1 1 180px' }}
      placeholder={t('projects.filter.region')}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDataSimpleMode
      treeData={nodes}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      loadData={async (node) => {
        const r = await referenceApi.regions(String(node.value));
        add(r.items);
        if (r.items.length === 0) setNodes((prev) => prev.map((n) => (n.id === node.value ? { ...n, isLeaf: true } : n)));
      }}
    />
  );
}

interface UnitTreeNode {
  value: number;
  title: string;
  children: UnitTreeNode[];
}

/** Units as a tree for TreeSelect. */
export function unitTree(units: Unit[]): UnitTreeNode[] {
  const byId = new Map<number, UnitTreeNode>(units.map((u) => [u.id, { value: u.id, title: u.name, children: [] }]));
  const roots: UnitTreeNode[] = [];
  for (const u of units) {
    const node = byId.get(u.id)!;
    const parent = u.parent_id !== null ? byId.get(u.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

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
      <RegionFilter rootCode={rootRegion} value={query.region} onChange={(region) => onChange({ region })} />
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
