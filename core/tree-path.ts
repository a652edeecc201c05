// Materialized paths of the region and unit trees ('/320000/320500/320506/', '/1/4/'): pure helpers.

/** The deepest common ancestor of materialized paths ('/a/b/c/' and '/a/b/d/' → '/a/b/'; '/' when none). */
export function commonPath(paths: string[]): string {
  if (!paths.length) return '/';
  let segs = paths[0]!.split('/').filter(Boolean);
  for (const p of paths.slice(1)) {
    const other = p.split('/').filter(Boolean);
    let i = 0;
    while (i < segs.length && i < other.length && segs[i] === other[i]) i++;
    segs = segs.slice(0, i);
  }
  return segs.length ? `/${segs.join('/')}/` : '/';
}
