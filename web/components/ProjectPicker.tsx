import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import { projectApi } from '../api/endpoints.ts';

interface Option { value: number; label: string }

/**
 * Picks projects of the library by name or code (several at once): the server searches as one types, within the
 * account's scope. Used where a matter is linked to projects (a decision turned into matters).
 */
export function ProjectPicker({ value, onChange, placeholder, testId }: { value?: number[]; onChange?: (ids: number[]) => void; placeholder?: string; testId?: string }) {
  const [options, setOptions] = useState<Option[]>([]);
  const [known, setKnown] = useState<Map<number, string>>(new Map());
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    const text = q.trim();
    const timer = setTimeout(() => {
      abort.current?.abort();
      const ctrl = new AbortController();
      abort.current = ctrl;
      setLoading(true);
      projectApi.list({ q: text || undefined, page_size: 20, fields: ['name', 'code'] }, ctrl.signal).then((r) => {
        setOptions(r.items.map((p) => ({ value: p.id, label: p.code ? `${p.name}（${p.code}）` : p.name })));
        setLoading(false);
      }, () => undefined);
    }, text ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q]);
  useEffect(() => () => abort.current?.abort(), []);
  // Keep the labels of picked projects when a later search no longer lists them.
  const picked = (value ?? []).map((id) => ({ value: id, label: known.get(id) ?? options.find((o) => o.value === id)?.label ?? `#${id}` }));
  const merged = [...picked, ...options.filter((o) => !(value ?? []).includes(o.value))];
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      showSearch
      filterOption={false}
      loading={loading}
      placeholder={placeholder}
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
