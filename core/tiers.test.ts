import { describe, expect, it } from 'vitest';
import { checkReserveReview, checkTierMove } from './tiers.ts';

describe('library tiers', () => {
  it('moves 谋划 → 储备 → (初审, 终审) → 实施', () => {
    expect(checkTierMove({ from: 'idea', to: 'reserve', review: null, tierBeforeWithdraw: null, reason: null })).toMatchObject({ tier: 'reserve', review: 'none' });
    expect(checkReserveReview('reserve', 'none', 'initial')).toBe('initial');
    expect(checkReserveReview('reserve', 'initial', 'final')).toBe('final');
    expect(checkTierMove({ from: 'reserve', to: 'implementation', review: 'final', tierBeforeWithdraw: null, reason: null })).toMatchObject({ tier: 'implementation' });
  });

  it('refuses implementation before the final review, skipping tiers, and reviews out of order', () => {
    expect(checkTierMove({ from: 'reserve', to: 'implementation', review: 'initial', tierBeforeWithdraw: null, reason: null })).toEqual({ error: '储备库项目须通过终审后才能转入实施库' });
    expect(checkTierMove({ from: 'idea', to: 'implementation', review: null, tierBeforeWithdraw: null, reason: null })).toEqual({ error: '不能从谋划库转入实施库' });
    expect(checkReserveReview('reserve', 'none', 'final')).toEqual({ error: '须先通过初审才能终审' });
    expect(checkReserveReview('idea', null, 'initial')).toEqual({ error: '只有储备库项目才能审核' });
  });

  it('withdraws with a reason and restores to the tier it left', () => {
    expect(checkTierMove({ from: 'reserve', to: 'withdrawn', review: 'initial', tierBeforeWithdraw: null, reason: '' })).toEqual({ error: '退库须填写原因' });
    const out = checkTierMove({ from: 'reserve', to: 'withdrawn', review: 'initial', tierBeforeWithdraw: null, reason: '选址调整' });
    expect(out).toEqual({ tier: 'withdrawn', review: 'initial', tierBeforeWithdraw: 'reserve', withdrawReason: '选址调整' });
    expect(checkTierMove({ from: 'withdrawn', to: 'idea', review: 'initial', tierBeforeWithdraw: 'reserve', reason: null })).toEqual({ error: '退库项目只能恢复到退库前的储备库' });
    expect(checkTierMove({ from: 'withdrawn', to: 'reserve', review: 'initial', tierBeforeWithdraw: 'reserve', reason: null })).toEqual({ tier: 'reserve', review: 'initial', tierBeforeWithdraw: null, withdrawReason: null });
  });
});
