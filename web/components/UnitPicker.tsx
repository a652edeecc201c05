import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { matchesSearch } from '../api/jurisdiction.ts';
import type { Unit } from '../api/types.ts';
import { unitTree, type UnitTreeNode } from './unit-tree.ts';

/** A unit chooser over the office's unit tree; typing matches the name, the short name (住建 → 市住建局) and pinyin. */
export function UnitPicker({ units, value, onChange, placeholder, testId, style, allowClear = true, disabled }: {
  units: Unit[];
  value?: number;
  onChange?: (id: number | undefined) => void;
  placeholder?: string;
  testId?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  disabled?: boolean;
}) {
  const tree = useMemo(() => unitTree(units), [units]);
  return (
    <TreeSelect
      aria-label={placeholder}
      data-testid={testId}
      style={style}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      showSearch
      filterTreeNode={(input, node) => {
        const n = node as unknown as UnitTreeNode;
        return matchesSearch(input, n.title, n.search);
      }}
      treeDefaultExpandAll
      treeData={tree}
      value={value}
      onChange={(v: number | undefined) => onChange?.(v)}
    />
  );
}
