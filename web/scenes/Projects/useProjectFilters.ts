import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ProjectListQuery } from '../../api/types.ts';
import { useScopeRegion } from '../../api/jurisdiction.ts';

const SORTS = ['id', 'name', 'code', 'total_investment', 'region_code', 'unit_id', 'stage', 'updated_at', 'annual_planned', 'category', 'nature'];

/** Filters beyond the filter bar's own, passed through from links (dashboard, lights) and the "more" panel. */
export const EXTRA_FILTERS = ['year', 'tier', 'level', 'category', 'nature', 'investment_type', 'campaign_group', 'list_year', 'batch', 'has_code', 'is_key_of_key', 'builder', 'major_only'] as const;
export type ExtraFilter = (typeof EXTRA_FILTERS)[number];

/** The project list's filter, sort and page, kept in the URL so that links (e.g. from the dashboard) can open a filtered list. */
export function useProjectFilters() {
  const [params, setParams] = useSearchParams();
  // No region in the URL: the office's jurisdiction (the default scope); region=all: everything the user may see.
  const scope = useScopeRegion(params.get('region'));
  const query = useMemo<Required<Pick<ProjectListQuery, 'page' | 'page_size' | 'sort' | 'order'>> & ProjectListQuery & Partial<Record<ExtraFilter, string>>>(() => {
    const unit = Number(params.get('unit'));
    const page = Number(params.get('page'));
    const size = Number(params.get('page_size'));
    const sort = params.get('sort') ?? '';
    const extra: Partial<Record<ExtraFilter, string>> = {};
    for (const k of EXTRA_FILTERS) {
      const v = params.get(k);
      if (v) extra[k] = v;
    }
    return {
      ...extra,
      region: scope.region,
      unit: Number.isInteger(unit) && unit > 0 ? unit : undefined,
      stage: params.get('stage') || undefined,
      q: params.get('q') || undefined,
      sort: SORTS.includes(sort) ? sort : 'id',
      order: params.get('order') === 'desc' ? 'desc' : 'asc',
      page: Number.isInteger(page) && page > 0 ? page : 1,
      page_size: [10, 20, 50, 100].includes(size) ? size : 20,
    };
  }, [params, scope.region]);

  /** Merges changes into the URL; any filter change returns to page 1. */
  const update = useCallback((patch: Partial<ProjectListQuery> & Partial<Record<ExtraFilter, string>>, resetPage = true) => {
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
  return { query, update, reset, ready: scope.ready };
}
