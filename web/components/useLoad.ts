import { useCallback, useEffect, useState } from 'react';

/** Loads data for a component: state for loading, error and result, plus reload(). */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let alive = true;
    setLoading(true);
    setError(null);
    load().then((d) => {
      if (!alive) return;
      setData(d);
      setLoading(false);
    }, (e: unknown) => {
      if (!alive) return;
      setError(e);
      setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
