/**
 * A project's change history (变更记录), computed from audit rows and stage history: which fields a change touched,
 * what kind of change a row records, and which stage-history rows the audit trail does not already describe.
 */

/** Columns that change with every write and say nothing to a reader of the history. */
export const BOOKKEEPING_FIELDS: readonly string[] = [
  'id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'search_text', 'deleted_at', 'deleted_by',
  'levels', 'rollup', 'next_stages', 'stage_before_pause', 'tier_before_withdraw',
];

/** One changed field: its column name and the stored values before and after. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/** '' and null mean the same (some databases store '' as NULL); undefined (absent) too. */
function normalized(v: unknown): unknown {
  return v === '' || v === undefined ? null : v;
}

function same(a: unknown, b: unknown): boolean {
  const x = normalized(a);
  const y = normalized(b);
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  return JSON.stringify(x) === JSON.stringify(y);
}

const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

/**
 * The fields whose value differs between two snapshots of a record, in the order they appear (after's keys
 * first), skipping bookkeeping columns. A missing snapshot counts as empty.
 */
export function diffFields(before: unknown, after: unknown, ignore: readonly string[] = BOOKKEEPING_FIELDS): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const skip = new Set(ignore);
  return keys.filter((k) => !skip.has(k) && !same(b[k], a[k]))
    .map((k) => ({ field: k, old: normalized(b[k]), new: normalized(a[k]) }));
}

/** What a history entry records. */
export type ChangeKind = 'create' | 'update' | 'stage' | 'tier' | 'delete' | 'restore' | 'review' | 'plan' | 'procedure';

/** Audit actions the project service records with before/after, and what each means. */
export const PROJECT_AUDIT_ACTIONS: Readonly<Record<string, ChangeKind>> = {
  'project.create': 'create',
  'project.update': 'update',
  'project.stage_change': 'stage',
  'project.tier_change': 'tier',
  'project.delete': 'delete',
};

/**
 * Project writes that only the automatic request row records (no service row with before/after). Writes with a
 * service row (PATCH, stage, tier, delete) are left out so that each change appears once.
 */
export const PROJECT_REQUEST_ROUTES: readonly { method: string; route: string; kind: ChangeKind }[] = [
  { method: 'POST', route: '/api/v1/projects/:id/restore', kind: 'restore' },
  { method: 'POST', route: '/api/v1/projects/:id/review', kind: 'review' },
  { method: 'PUT', route: '/api/v1/projects/:id/plans/:year', kind: 'plan' },
  { method: 'DELETE', route: '/api/v1/projects/:id/plans/:year', kind: 'plan' },
  { method: 'PUT', route: '/api/v1/projects/:id/procedures/:kind', kind: 'procedure' },
];

/** The kind of change an audit row records, or undefined for a row that is not part of the history. */
export function changeKindOf(row: { action: string; method: string | null; route: string | null }): ChangeKind | undefined {
  if (row.action !== 'request') return PROJECT_AUDIT_ACTIONS[row.action];
  return PROJECT_REQUEST_ROUTES.find((r) => r.method === row.method && r.route === row.route)?.kind;
}

/** A stage-history row, as the change history needs it. */
export interface StageEvent {
  id: number;
  from_stage: string | null;
  to_stage: string;
  user_id: number | null;
  created_at: string;
}

/** An audit row that may have moved the stage: its stage before and after. */
export interface AuditStageMove {
  seq: number;
  at: string;
  user_id: number | null;
  from_stage: string | null;
  to_stage: string | null;
}

/** How far apart a stage-history row and the audit row of the same write may be (they share one transaction). */
const SAME_WRITE_MS = 60_000;

/**
 * Pairs stage-history rows with the audit rows that already describe the same move (same project, same user,
 * same from/to stage, written within a minute of each other); returns the rows no audit row covers (moves made
 * by monthly-report approval, imports, demo data) and, for the covered ones, the audit seq each belongs to.
 */
export function matchStageEvents<H extends StageEvent>(history: readonly H[], moves: readonly AuditStageMove[]): { uncovered: H[]; coveredBy: Map<number, H> } {
  const used = new Set<number>();
  const coveredBy = new Map<number, H>();
  const uncovered: H[] = [];
  for (const h of history) {
    const t = Date.parse(h.created_at);
    const match = moves.find((m) => !used.has(m.seq) && m.to_stage === h.to_stage && m.from_stage === h.from_stage
      && m.user_id === h.user_id && Math.abs(Date.parse(m.at) - t) <= SAME_WRITE_MS);
    if (match) {
      used.add(match.seq);
      coveredBy.set(match.seq, h);
    } else {
      uncovered.push(h);
    }
  }
  return { uncovered, coveredBy };
}
