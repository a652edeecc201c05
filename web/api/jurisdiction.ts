import { useEffect, useState } from 'react';
import { api, ApiError } from './client.ts';
import { referenceApi } from './endpoints.ts';
import { systemApi } from './system.ts';
import type { Region, Schema } from './types.ts';

let rootPromise: Promise<Region | null> | null = null;

/**
 * The region the office's pickers start at: the jurisdiction named in the office's profile when it has one, else
 * the lowest region holding every unit's and project's region (the demo's 苏州市). A server without the profile
 * endpoint answers 404, which means "not configured". Null when neither names a region (pickers then start at
 * the provinces). Fetched once per page load.
 */
export function loadJurisdiction(): Promise<Region | null> {
  rootPromise ??= (async () => {
    try {
      const profile = await systemApi.profile();
      if (profile.region_code) return await referenceApi.region(profile.region_code);
    } catch (e) {
      // 404: no profile endpoint yet; 403: a role that may not read it. Either way, derive the root from the data.
      if (!(e instanceof ApiError)) throw e;
    }
    return (await referenceApi.dataRoot()).region;
  })().catch(() => {
    rootPromise = null;
    return null;
  });
  return rootPromise;
}

/** The jurisdiction's root region as React state: undefined while loading, null when there is none. */
export function useJurisdiction(): Region | null | undefined {
  const [root, setRoot] = useState<Region | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void loadJurisdiction().then((r) => alive && setRoot(r));
    return () => {
      alive = false;
    };
  }, []);
  return root;
}

/** Folds typed text the way the server folds names for search_text (case, width, spaces). */
export function foldQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Whether a picker option matches typed text: its name, or its search form (pinyin, initials, short name). */
export function matchesSearch(input: string, title: string, searchText: string | undefined): boolean {
  const q = foldQuery(input);
  if (!q) return true;
  return foldQuery(title).includes(q) || (searchText ?? '').includes(q);
}

/** What the server makes of a typed region name (GET /regions/resolve): a region, or why not, with candidates. */
export type RegionAnswer = Schema<'RegionAnswer'>;

/** Resolves a typed name inside the office's jurisdiction first (县直/本级, 城关, 杭州市西湖区, 朝阳区 …). */
export function resolveRegionName(name: string): Promise<RegionAnswer> {
  return api.get<RegionAnswer>('/regions/resolve', { name }, { quiet: true });
}

/** A URL's region=all: the user widened the scope to everything they may see, beyond the office's jurisdiction. */
export const ALL_REGIONS = 'all';

let officeRegionPromise: Promise<string | null> | null = null;

/** The office's jurisdiction as its profile names it (null before the first-run setup, or when unreadable). */
export function loadOfficeRegion(): Promise<string | null> {
  officeRegionPromise ??= systemApi.profile().then((p) => p.region_code ?? null, () => null);
  return officeRegionPromise;
}

/**
 * The region a scoped page (dashboard, project list, lights) reads: the URL's region when it names one, `all` when
 * the user widened it (region=all, passed on as is: the server reads no region as the jurisdiction), else the
 * office's jurisdiction — the default scope. `ready` is false while the jurisdiction loads, so a page does not ask twice.
 */
export function useScopeRegion(param: string | null): { region: string | undefined; ready: boolean; defaulted: boolean } {
  const [office, setOffice] = useState<string | null | undefined>(undefined);
  const explicit = param !== null && param !== '';
  useEffect(() => {
    if (explicit) return;
    let alive = true;
    void loadOfficeRegion().then((r) => alive && setOffice(r));
    return () => {
      alive = false;
    };
  }, [explicit]);
  if (explicit) return { region: param, ready: true, defaulted: false };
  return { region: office ?? undefined, ready: office !== undefined, defaulted: !!office };
}
