import { describe, expect, it } from 'vitest';
import { changeKindOf, diffFields, matchStageEvents, type AuditStageMove, type StageEvent } from './project-changes.ts';

describe('diffFields', () => {
  it('lists only the fields that differ, with old and new values, skipping bookkeeping', () => {
    const before = { id: 7, name: '吴中大道', total_investment: 100_000_000, category: '交通', version: 1, updated_at: '2026-11-01T00:00:00Z', search_text: 'wzdd' };
    const after = { id: 7, name: '吴中大道快速化', total_investment: 123_456_789, category: '交通', version: 2, updated_at: '2026-11-23T00:00:00Z', search_text: 'wzddksh' };
    expect(diffFields(before, after)).toEqual([
      { field: 'name', old: '吴中大道', new: '吴中大道快速化' },
      { field: 'total_investment', old: 100_000_000, new: 123_456_789 },
    ]);
  });

  it("treats '' and null as the same value, and a missing snapshot as empty", () => {
    expect(diffFields({ code: '', address: null }, { code: null, address: '' })).toEqual([]);
    expect(diffFields(null, { name: '新项目', code: null })).toEqual([{ field: 'name', old: null, new: '新项目' }]);
    expect(diffFields({ name: '旧项目' }, undefined)).toEqual([{ field: 'name', old: '旧项目', new: null }]);
  });

  it('compares nested values by content and honours a custom ignore list', () => {
    expect(diffFields({ tags: ['a'] }, { tags: ['a'] })).toEqual([]);
    expect(diffFields({ tags: ['a'], stage: 'started' }, { tags: ['b'], stage: 'completed' }, ['stage'])).toEqual([{ field: 'tags', old: ['a'], new: ['b'] }]);
    expect(diffFields({ version: 1 }, { version: 2 }, [])).toEqual([{ field: 'version', old: 1, new: 2 }]);
  });
});

describe('changeKindOf', () => {
  it('names service rows by action and request rows by route, and drops requests a service row already describes', () => {
    expect(changeKindOf({ action: 'project.update', method: null, route: null })).toBe('update');
    expect(changeKindOf({ action: 'project.stage_change', method: null, route: null })).toBe('stage');
    expect(changeKindOf({ action: 'request', method: 'POST', route: '/api/v1/projects/:id/restore' })).toBe('restore');
    expect(changeKindOf({ action: 'request', method: 'PUT', route: '/api/v1/projects/:id/plans/:year' })).toBe('plan');
    expect(changeKindOf({ action: 'request', method: 'PATCH', route: '/api/v1/projects/:id' })).toBeUndefined();
    expect(changeKindOf({ action: 'auth.login', method: null, route: null })).toBeUndefined();
  });
});

describe('matchStageEvents', () => {
  const history: StageEvent[] = [
    { id: 1, from_stage: null, to_stage: 'preliminary', user_id: 3, created_at: '2026-03-01T08:00:00.100Z' },
    { id: 2, from_stage: 'preliminary', to_stage: 'started', user_id: 5, created_at: '2026-05-10T02:00:00.000Z' },
    { id: 3, from_stage: 'started', to_stage: 'paused', user_id: 3, created_at: '2026-07-01T08:00:00.000Z' },
  ];
  it('covers moves the audit already records (create, stage change) and keeps those from report approval', () => {
    const moves: AuditStageMove[] = [
      { seq: 10, at: '2026-03-01T08:00:00.120Z', user_id: 3, from_stage: null, to_stage: 'preliminary' },
      // A later edit by the same user that did not move the stage covers nothing.
      { seq: 20, at: '2026-05-10T02:00:01.000Z', user_id: 3, from_stage: 'started', to_stage: 'started' },
      { seq: 30, at: '2026-07-01T08:00:00.050Z', user_id: 3, from_stage: 'started', to_stage: 'paused' },
    ];
    const { uncovered, coveredBy } = matchStageEvents(history, moves);
    expect(uncovered.map((h) => h.id)).toEqual([2]);
    expect([...coveredBy].map(([seq, h]) => [seq, h.id])).toEqual([[10, 1], [30, 3]]);
  });

  it('does not pair rows written far apart or by another user', () => {
    const moves: AuditStageMove[] = [
      { seq: 10, at: '2026-03-01T08:05:00.000Z', user_id: 3, from_stage: null, to_stage: 'preliminary' },
      { seq: 30, at: '2026-07-01T08:00:00.050Z', user_id: 4, from_stage: 'started', to_stage: 'paused' },
    ];
    expect(matchStageEvents(history, moves).uncovered.map((h) => h.id)).toEqual([1, 2, 3]);
  });
});
