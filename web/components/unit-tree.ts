import type { Unit } from '../api/types.ts';

export interface UnitTreeNode {
  value: number;
  title: string;
  /** The unit's search form (name and short name, pinyin, initials). */
  search?: string;
  children: UnitTreeNode[];
}

/** Units as a tree for TreeSelect. */
export function unitTree(units: Unit[]): UnitTreeNode[] {
  const byId = new Map<number, UnitTreeNode>(units.map((u) => [u.id, { value: u.id, title: u.name, search: u.search_text, children: [] }]));
  const roots: UnitTreeNode[] = [];
  for (const u of units) {
    const node = byId.get(u.id)!;
    const parent = u.parent_id !== null ? byId.get(u.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

