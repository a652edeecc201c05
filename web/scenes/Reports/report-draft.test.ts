import { describe, expect, it } from 'vitest';
import type { GridRow } from '../../api/types.ts';
import { amountsOf, initialDraft, type Draft, isDirty, keptDraftsKey, readKeptDrafts, restoredDraft, stageMoveOf, switchMode, toWrite, writeKeptDrafts } from './report-draft.ts';

const row: GridRow = {
  project: { id: 7, name: '木渎实验学校项目', unit_id: 3, unit_name: '木渎镇', stage: 'started', total_investment: 500_000_000 },
  plan: { planned_investment: 120_000_000, completed_before_year: 0 },
  previous: { month: 4, amount_month: 10_000_000, amount_ytd: 45_000_000, amount_since_start: 45_000_000, stage: 'started', progress_text: null, workers: 30, status: 'approved' },
  report: null,
};

describe('the monthly grid draft', () => {
  it('derives the cumulative from this month and back, exactly in yuan', () => {
    const d = { ...initialDraft(row, 'month'), amount: '1,234.5' };
    expect(amountsOf(row, d, 'month')).toEqual({ month: 12_345_000, ytd: 57_345_000 });
    const asYtd = switchMode(row, d, 'month', 'ytd');
    expect(asYtd.amount).toBe('5734.5');
    expect(amountsOf(row, asYtd, 'ytd')).toEqual({ month: 12_345_000, ytd: 57_345_000 });
  });
  it('flags bad input and sends only what was entered', () => {
    expect(amountsOf(row, { ...initialDraft(row, 'month'), amount: '12.3.4' }, 'month')).toEqual({ error: 'invalid' });
    const d = { ...initialDraft(row, 'ytd'), amount: '4000', progress_text: ' 主体结构封顶 ' };
    expect(isDirty(row, d, 'ytd')).toBe(true);
    expect(toWrite(row, d, 'ytd')).toMatchObject({ project_id: 7, amount_ytd: 40_000_000, progress_text: '主体结构封顶', workers: null });
    expect(toWrite(row, d, 'ytd')).not.toHaveProperty('amount_month');
  });

  it('starts at the project\'s current stage and asks a move for its date and photo', () => {
    const d = initialDraft(row, 'month');
    expect(d.stage).toBe('started');
    expect(isDirty(row, d, 'month')).toBe(false);
    const completing: Draft = { ...d, stage: 'completed', stage_date: '2026-11-20' };
    expect(stageMoveOf(row, completing)).toEqual({ to: 'completed', needsDate: true, needsPhoto: true });
    expect(toWrite(row, completing, 'month')).toMatchObject({ stage: 'completed', stage_date: '2026-11-20' });
    expect(toWrite(row, { ...d, stage_date: '2026-11-20' }, 'month')).toMatchObject({ stage: 'started', stage_date: null });
  });
  it('keeps unsaved drafts in the browser until they match what is stored', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const key = keptDraftsKey(3, 2026, 5);
    const typed = { ...initialDraft(row, 'month'), amount: '1,250.5', problems: '用地指标' };
    writeKeptDrafts(storage, key, [{ projectId: 7, kept: { mode: 'month', draft: typed } }]);
    const kept = readKeptDrafts(storage, key)['7'];
    expect(restoredDraft(row, kept, 'ytd', true)).toMatchObject({ amount: '5750.5', problems: '用地指标' });
    expect(restoredDraft(row, kept, 'month', false)).toEqual(initialDraft(row, 'month'));
    writeKeptDrafts(storage, key, [{ projectId: 7, kept: null }]);
    expect(store.size).toBe(0);
    store.set(key, '{not json');
    expect(readKeptDrafts(storage, key)).toEqual({});
  });
});
