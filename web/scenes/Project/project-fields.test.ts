import { describe, expect, it } from 'vitest';
import type { Project } from '../../api/types.ts';
import { changedFields, describeConflict, printValue } from './project-fields.ts';

const base = {
  id: 1, code: null, name: '木渎实验学校项目', region_code: '320506100', unit_id: 2, nature: null, category: null,
  total_investment: 200_000_000, scope_content: null, stage: 'started', tier: 'implementation', list_year: 2026, version: 1,
  created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
} satisfies Partial<Project>;
const record = (fields: Partial<Project>) => fields as Project;

describe('edit diffs', () => {
  it('keeps only fields that really changed; empty text equals null', () => {
    expect(changedFields(base, { name: '木渎实验学校项目', code: '', total_investment: 210_000_000 })).toEqual({ total_investment: 210_000_000 });
  });
  it('lists the other person\'s changes and marks those that overlap mine', () => {
    const current = { ...base, version: 2, name: '木渎实验学校（新校区）项目', category: '社会民生' };
    const c = describeConflict(base, record(current), { name: '木渎实验学校扩建项目', total_investment: 1 });
    expect(c.theirs.map((f) => [f.key, f.overlaps])).toEqual([['name', true], ['category', false]]);
    expect(c.theirs[0]!.mine).toBe('木渎实验学校扩建项目');
  });
  it('compares levels as sets and flags as 0/1, and prints them as words', () => {
    const withLevels = { ...base, levels: ['city', 'province'], is_key_of_key: 1 };
    expect(changedFields(withLevels, { levels: ['province', 'city'], is_key_of_key: 1, builder_name: '' })).toEqual({});
    expect(changedFields(withLevels, { levels: ['province'], is_key_of_key: 0, fund_city: 5_000_000 })).toEqual({ levels: ['province'], is_key_of_key: 0, fund_city: 5_000_000 });
    expect(printValue('levels', ['city', 'province'], (l) => ({ city: '市重点', province: '省重点' })[l] ?? l)).toBe('市重点、省重点');
    expect(printValue('is_key_of_key', 1)).toBe('是');
    expect(printValue('fund_city', 5_000_000)).toBe('500.00 万元');
  });
});
