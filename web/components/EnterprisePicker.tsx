import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import { problemsApi } from '../api/problems.ts';

interface Option { value: number; label: string }

/**
 * Picks enterprises of the register by name (several at once): the server searches as one types, among those the
 * account sees (unit, region or as a linked cadre). Used where a matter names its enterprises (关联企业); `known`
 * gives the labels of ids already linked (the edit form).
 */
export function EnterprisePicker({ value, onChange, known: initial, testId }: { value?: number[]; onChange?: (ids: number[]) => void; known?: Option[]; testId?: string }) {
  const [options, setOptions] = useState<Option[]>([]);
  const [known, setKnown] = useState<Map<number, string>>(() => new Map((initial ?? []).map((o) => [o.value, o.label])));
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  // Only the answer to the latest search is shown (an earlier, slower one must not overwrite it).
  const seq = useRef(0);
  useEffect(() => {
    const text = q.trim();
    const timer = setTimeout(() => {
      const mine = ++seq.current;
      setLoading(true);
      problemsApi.enterprises({ q: text || undefined, page_size: 20 }).then((r) => {
        if (mine !== seq.current) return;
        setOptions(r.items.map((e) => ({ value: e.id, label: e.uscc ? `${e.name}（${e.uscc}）` : e.name })));
        setLoading(false);
      }, () => setLoading(false));
    }, text ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q]);
  // Keep the labels of picked enterprises when a later search no longer lists them.
  const picked = (value ?? []).map((id) => ({ value: id, label: known.get(id) ?? options.find((o) => o.value === id)?.label ?? `#${id}` }));
  const merged = [...picked, ...options.filter((o) => !(value ?? []).includes(o.value))];
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      showSearch
      filterOption={false}
      loading={loading}
      data-testid={testId}
      value={value}
      options={merged}
      onSearch={setQ}
      onChange={(ids) => {
        const next = new Map(known);
        for (const o of merged) if (ids.includes(o.value)) next.set(o.value, o.label);
        setKnown(next);
        setQ('');
        onChange?.(ids);
      }}
    />
  );
}
