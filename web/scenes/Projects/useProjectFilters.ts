import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ProjectListQuery } from '../../api/types.ts';

const SORTS = ['id', 'name', 'total_investment', 'region_code', 'stage', 'updated_at'];

/** The project list's filter, sort and page, kept in the URL so that links (e.g. from the dashboard) can open a filtered list. */
export function useProjectFilters() {
  const [params, setParams] = useSearchParams();
  const query = useMemo<Required<Pick<ProjectListQuery, 'page' | 'page_size' | 'sort' | 'order'>> & ProjectListQuery>(() => {
    const unit = Number(params.get('unit'));
    const page = Number(params.get('page'));
    const size = Number(params.get('page_size'));
    const sort = params.get('sort') ?? '';
    return {
      region: params.get('region') || undefined,
      unit: Number.isInteger(unit) && unit > 0 ? unit : undefined,
      stage: params.get('stage') || undefined,
      q: params.get('q') || undefined,
      sort: SORTS.includes(sort) ? sort : 'id',
      order: params.get('order') === 'desc' ? 'desc' : 'asc',
      page: Number.isInteger(page) && page > 0 ? page : 1,
      page_size: [10, 20, 50, 100].includes(size) ? size : 20,
    };
  }, [params]);

  /** Merges changes into the URL; any filter change returns to page 1. */
  const update = useCallback((patch: Partial<ProjectListQuery>, resetPage = true) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || v === null || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      if (resetPage && !('page' in patch)) next.delete('page');
      return next;
    });
  }, [setParams]);

  const reset = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { query, update, reset };
}
