import { describe, expect, it } from 'vitest';
import { guessUnitKind, UnitMatcher } from './unit-proposals.ts';
import { periodOfText } from './period-inference.ts';
import { headingHints } from './project-hints.ts';

const units = [
  { id: 1, name: '西湖区发展和改革局', short_name: '区发改局', region_code: '330106', path: '/1/' },
  { id: 2, name: '西湖区城管局', short_name: null, region_code: '330106', path: '/1/2/' },
  { id: 3, name: '西湖区住房和城乡建设局', short_name: null, region_code: '330106', path: '/1/3/' },
  { id: 4, name: '三墩镇人民政府', short_name: null, region_code: '330106109', path: '/1/4/' },
];
const matcher = () => new UnitMatcher(units, { rootUnitId: 1, regionCode: '330106', places: ['浙江省', '杭州市', '西湖区'] },
  (place) => (place === '转塘街道' ? '330106007' : undefined));

describe('unit names of a first list', () => {
  it('matches variants: jurisdiction prefixes, 简称, full width and spaces', () => {
    const m = matcher();
    expect(m.propose('杭州市西湖区城市管理局')).toMatchObject({ action: 'match', matchId: 2 });
    expect(m.propose('区住建局')).toMatchObject({ action: 'match', matchId: 3 });
    expect(m.propose('西湖区 住房和城乡建设局')).toMatchObject({ action: 'match', matchId: 3 });
    expect(m.propose('西湖区发展改革局')).toMatchObject({ action: 'match', matchId: 1 });
    expect(m.propose('三墩镇人民政府（２）')).toMatchObject({ action: 'create' });
    expect(m.exact('区发改局').map((u) => u.id)).toEqual([1]);
  });

  it('proposes new units with a kind guessed from the name, townships in their own region', () => {
    const m = matcher();
    expect(m.propose('转塘街道办事处')).toMatchObject({ action: 'create', kind: 'township', regionCode: '330106007', parentId: 1 });
    expect(m.propose('区教育局')).toMatchObject({ action: 'create', kind: 'department', regionCode: '330106' });
    expect(m.propose('区教育局').rows).toBe(2);
    expect(guessUnitKind('之江度假区管委会')).toBe('park');
    expect(guessUnitKind('杭州西湖城投集团有限公司')).toBe('company');
    expect(guessUnitKind('区数据资源管理中心')).toBe('department');
    expect(guessUnitKind('张三')).toBe('other');
  });

  it('reads year and period from headers, titles and sheet names; headings into plan hints', () => {
    expect(periodOfText('2025年县重点项目1-5月建设进度表')).toEqual({ year: 2025, month: 5 });
    expect(periodOfText('1-9月累计完成投资额')).toEqual({ month: 9 });
    expect(periodOfText('至2024年底累计完成投资')).toEqual({ year: 2025 });
    expect(periodOfText('2025年1—11月')).toEqual({ year: 2025, month: 11 });
    expect(periodOfText('XX市2025年重点项目建设进度表')).toEqual({ year: 2025 });
    expect(headingHints('三、新开工项目（项目共计：3个）')).toEqual({ planNewStart: true, nature: 'new' });
    expect(headingHints('（一）续建项目')).toEqual({ nature: 'continued' });
    expect(headingHints('一、竣工投产项目（项目共计：2个；总投资：6亿元）')).toEqual({ planCompletion: true, planProduction: true });
  });
});
