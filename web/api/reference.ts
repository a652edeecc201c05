import { useEffect, useState } from 'react';
import { referenceApi } from './endpoints.ts';
import type { Region, Unit } from './types.ts';

let unitsPromise: Promise<Unit[]> | null = null;
const regionNames = new Map<string, Promise<string>>();

/** All units, fetched once per page load. */
export function loadUnits(): Promise<Unit[]> {
  unitsPromise ??= referenceApi.units().then((r) => r.items, (e: unknown) => {
    unitsPromise = null;
    throw e;
  });
  return unitsPromise;
}

/** A region's name, fetched once per code; the code itself when the region is unknown. */
export function regionName(code: string): Promise<string> {
  let p = regionNames.get(code);
  if (!p) {
    p = referenceApi.region(code).then((r) => r.name, () => code);
    regionNames.set(code, p);
  }
  return p;
}

/** Remembers names of regions already fetched as children, so tables need no extra request for them. */
export function rememberRegions(regions: Region[]): void {
  for (const r of regions) if (!regionNames.has(r.code)) regionNames.set(r.code, Promise.resolve(r.name));
}

/** The unit list as React state (empty until loaded). */
export function useUnits(): Unit[] {
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    let alive = true;
    loadUnits().then((u) => alive && setUnits(u), () => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return units;
}

/** Names for the given region codes, filled in as they arrive. */
export function useRegionNames(codes: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    let alive = true;
    const list = key ? key.split(',') : [];
    void Promise.all(list.map(async (c) => [c, await regionName(c)] as const)).then((pairs) => {
      if (alive) setNames((prev) => ({ ...prev, ...Object.fromEntries(pairs) }));
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return names;
}
