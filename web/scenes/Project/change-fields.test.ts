import { describe, expect, it } from 'vitest';
import { zhCN, type MessageKey } from '../../i18n/zh-CN.ts';
import { en } from '../../i18n/en.ts';
import { changeFieldLabel, changeKindKey, printChangeValue } from './change-fields.ts';

const t = (key: MessageKey) => zhCN[key];
const units = (id: number) => (id === 3 ? '甪直镇' : undefined);

describe('change history presentation', () => {
  it('labels fields with the edit form labels, then the history labels, else nothing', () => {
    expect(t(changeFieldLabel('total_investment')!)).toBe('总投资（万元）');
    expect(t(changeFieldLabel('actual_start_date')!)).toBe('实际开工日期');
    expect(changeFieldLabel('no_such_column')).toBeUndefined();
    expect(t(changeKindKey('create'))).toBe('新建项目');
    expect(en[changeKindKey('tier')]).toBe('Library move');
  });

  it('prints amounts in 万元, stages, tiers, units and flags by name, and empty values', () => {
    expect(printChangeValue('total_investment', 123_456_789, t, units)).toBe('12,345.68');
    expect(printChangeValue('fund_self', 50_000, t, units)).toBe('5.00');
    expect(printChangeValue('stage', 'started', t, units)).toBe('开工在建');
    expect(printChangeValue('tier', 'reserve', t, units)).toBe('储备库');
    expect(printChangeValue('unit_id', 3, t, units)).toBe('甪直镇');
    expect(printChangeValue('unit_id', 9, t, units)).toBe('9');
    expect(printChangeValue('is_key_of_key', 1, t, units)).toBe('是');
    expect(printChangeValue('code', null, t, units)).toBe('（空）');
    expect(printChangeValue('name', '新名称', t, units)).toBe('新名称');
  });
});
