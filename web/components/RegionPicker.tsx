import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { referenceApi } from '../api/endpoints.ts';
import { rememberRegions } from '../api/reference.ts';
import type { Region } from '../api/types.ts';

interface RegionNode {
  id: string;
  pId: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (r: Region): RegionNode => ({ id: r.code, pId: r.parent_code ?? '', value: r.code, title: r.name, isLeaf: r.level >= 4 });

/** A region chooser: the tree below rootCode (or the provinces), loaded a level at a time. */
export function RegionPicker({ rootCode, value, onChange, placeholder, id, testId, style }: {
  rootCode: string | undefined;
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  id?: string;
  testId?: string;
  style?: React.CSSProperties;
}) {
  const [nodes, setNodes] = useState<RegionNode[]>([]);
  const add = (rs: Region[]) => {
    rememberRegions(rs);
    setNodes((prev) => {
      const seen = new Set(prev.map((n) => n.id));
      const fresh = rs.filter((r) => !seen.has(r.code));
      return fresh.length ? [...prev, ...fresh.map(toNode)] : prev;
    });
  };
  useEffect(() => {
    if (rootCode) referenceApi.region(rootCode).then((r) => add([r]), () => undefined);
    else referenceApi.regions().then((r) => add(r.items), () => undefined);
  }, [rootCode]);
  useEffect(() => {
    if (value && !nodes.some((n) => n.id === value)) referenceApi.region(value).then((r) => add([r]), () => undefined);
  }, [value, nodes]);
  return (
    <TreeSelect
      id={id}
      aria-label={placeholder}
      data-testid={testId}
      style={style}
      placeholder={placeholder}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDataSimpleMode
      treeData={nodes}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      loadData={async (node) => {
        const r = await referenceApi.regions(String(node.value));
        add(r.items);
        if (r.items.length === 0) setNodes((prev) => prev.map((n) => (n.id === node.value ? { ...n, isLeaf: true } : n)));
      }}
    />
  );
}
