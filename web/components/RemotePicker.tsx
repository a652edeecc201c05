import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';

/** One choice of a remote picker: the id and the label shown. */
export interface RemoteOption { value: number; label: string }

/**
 * Searches the server for the text typed ('' for the first page); `signal` aborts a search that a newer one replaced.
 * Keep it stable (a module-level function): a new function starts a new search.
 */
export type RemoteSearch = (text: string, signal: AbortSignal) => Promise<RemoteOption[]>;

/** What every remote picker takes. */
export interface RemotePickerProps {
  value?: number[];
  onChange?: (ids: number[]) => void;
  /** Labels of ids already picked (an edit form), shown before any search lists them. */
  known?: RemoteOption[];
  placeholder?: string;
  testId?: string;
}

/**
 * A multi-select whose options come from the server as one types (250 ms after the last key; at once when empty):
 * projects, enterprises … by their `search`. Only the answer to the latest search is shown (an older request is
 * aborted, and a slower answer that arrives anyway is dropped), and picked ids keep their labels when a later
 * search no longer lists them.
 */
export function RemotePicker({ search, value, onChange, known: initial, placeholder, testId }: RemotePickerProps & { search: RemoteSearch }) {
  const [options, setOptions] = useState<RemoteOption[]>([]);
  const [known, setKnown] = useState<Map<number, string>>(() => new Map((initial ?? []).map((o) => [o.value, o.label])));
  const [loading, setLoading] = useState(false);
  const [q, setQ] = useState('');
  const seq = useRef(0);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    const text = q.trim();
    const timer = setTimeout(() => {
      abort.current?.abort();
      const ctrl = new AbortController();
      abort.current = ctrl;
      const mine = ++seq.current;
      setLoading(true);
      search(text, ctrl.signal).then((found) => {
        if (mine !== seq.current) return;
        setOptions(found);
        setLoading(false);
      }, () => {
        if (mine === seq.current) setLoading(false);
      });
    }, text ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q, search]);
  useEffect(() => () => abort.current?.abort(), []);
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
