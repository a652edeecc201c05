import { useEffect, useState } from 'react';
import { Button, Space, TreeSelect, Typography } from 'antd';
import { referenceApi } from '../api/endpoints.ts';
import { rememberRegions } from '../api/reference.ts';
import { ALL_REGIONS, matchesSearch, resolveRegionName, useJurisdiction, type RegionAnswer } from '../api/jurisdiction.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Region } from '../api/types.ts';

interface RegionNode {
  id: string;
  pId: string;
  value: string;
  title: string;
  isLeaf: boolean;
  search?: string;
}

/** A suggestion wraps inside the field-wide dropdown rather than being cut off. */
const WRAP: React.CSSProperties = { whiteSpace: 'normal', height: 'auto', textAlign: 'left', padding: 0 };

const toNode = (r: Region): RegionNode => ({ id: r.code, pId: r.parent_code ?? '', value: r.code, title: r.name, isLeaf: r.level >= 4, search: r.search_text });

/**
 * A region chooser rooted at the office's jurisdiction (its profile's region, else the lowest region holding all
 * units and projects), or at `rootCode` when given. The root's two levels below (a city's districts and towns) are
 * loaded at once, so typing 吴中, wuzhong or wzq finds 吴中区 at once; deeper levels load as they are opened.
 */
export function RegionPicker({ rootCode, value: picked, onChange, placeholder, id, testId, style }: {
  rootCode?: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  id?: string;
  testId?: string;
  style?: React.CSSProperties;
}) {
  const jurisdiction = useJurisdiction();
  // A widened scope (region=all) shows as an empty picker.
  const value = picked === ALL_REGIONS ? undefined : picked;
  const root = rootCode ?? (jurisdiction === undefined ? undefined : jurisdiction?.code ?? null);
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
    if (root === undefined) return;
    if (root) {
      referenceApi.region(root).then((r) => add([{ ...r, parent_code: null }]), () => undefined);
      referenceApi.subtree(root, 2).then((r) => add(r.items), () => undefined);
    } else {
      referenceApi.regions().then((r) => add(r.items), () => undefined);
    }
  }, [root]);
  useEffect(() => {
    if (value && nodes.length && !nodes.some((n) => n.id === value)) referenceApi.region(value).then((r) => add([r]), () => undefined);
  }, [value, nodes]);
  // Typed text no loaded region matches (县直, 本级, 杭州市西湖区, a name outside the jurisdiction) is resolved by the
  // server as an import resolves it; the answer, or the candidates of an ambiguous name, is offered to pick.
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [answer, setAnswer] = useState<{ text: string; answer: RegionAnswer } | null>(null);
  useEffect(() => {
    const text = search.trim();
    if (!text) return;
    let alive = true;
    const timer = setTimeout(() => {
      resolveRegionName(text).then((a) => alive && setAnswer({ text, answer: a }), () => undefined);
    }, 250);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [search]);
  const choose = (code: string) => {
    referenceApi.region(code).then((r) => add([r]), () => undefined);
    setSearch('');
    onChange?.(code);
  };
  const a = answer && answer.text === search.trim() ? answer.answer : null;
  const notFound = !search.trim() ? undefined : !a ? t('region.resolving') : a.ok
    ? <Button type="link" size="small" style={WRAP} onClick={() => choose(a.code)} data-testid="region-resolved">{t('region.useResolved', { name: a.full_name, code: a.code })}</Button>
    : (
      <Space direction="vertical" size={2} data-testid="region-unresolved">
        <Typography.Text type="secondary" style={{ whiteSpace: 'normal' }}>{a.message}</Typography.Text>
        {a.candidates.map((c) => <Button key={c.code} type="link" size="small" style={WRAP} onClick={() => choose(c.code)}>{`${c.name} ${c.code}`}</Button>)}
      </Space>
    );
  return (
    <TreeSelect
      id={id}
      aria-label={placeholder}
      data-testid={testId}
      style={style}
      placeholder={placeholder}
      allowClear
      showSearch
      filterTreeNode={(input, node) => {
        const n = node as unknown as RegionNode;
        return matchesSearch(input, n.title, n.search);
      }}
      treeDataSimpleMode
      treeData={nodes}
      treeDefaultExpandedKeys={root ? [root] : []}
      value={value}
      searchValue={search}
      onSearch={setSearch}
      notFoundContent={notFound}
      onChange={(v: string | undefined) => {
        setSearch('');
        onChange?.(v);
      }}
      loadData={async (node) => {
        const r = await referenceApi.regions(String(node.value));
        add(r.items);
        if (r.items.length === 0) setNodes((prev) => prev.map((n) => (n.id === node.value ? { ...n, isLeaf: true } : n)));
      }}
    />
  );
}
