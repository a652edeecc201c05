import { describe, expect, it } from 'vitest';
import { categoryTooltip, unitTooltip } from './chart-tooltips.ts';

// ECharts sets a formatter's result as innerHTML: stored markup in a unit or category name must arrive as text.
describe('dashboard chart tooltips', () => {
  const hostile = '<img src=x onerror="alert(1)">甪直镇&';
  it('escapes the unit name and keeps the figures', () => {
    const html = unitTooltip({ label: hostile, indicators: { sums: { planned_investment: 12_345_000, completed_ytd: 0 }, completion_rate: { text: '0.0' } } },
      { planned: '年度计划（万元）', completed: '累计完成（万元）', rate: '投资完成率' });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;甪直镇&#38;<br/>');
    expect(html).toContain('1,234.50');
  });
  it('escapes the category name', () => {
    const html = categoryTooltip({ name: '<b>产业</b>', value: 3, percent: 50 }, '个项目');
    expect(html).toBe('&#60;b&#62;产业&#60;/b&#62;<br/>3 个项目（50%）');
  });
});
