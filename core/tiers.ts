// Library tiers (项目库): 谋划库 → 储备库 (初审/终审) → 实施库, plus 退库 (withdrawn, with a reason, restorable).

export const TIERS = ['idea', 'reserve', 'implementation', 'withdrawn'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = { idea: '谋划库', reserve: '储备库', implementation: '实施库', withdrawn: '退库' };

/** Review state of a reserve project: not yet reviewed, passed the initial review, passed the final review. */
export const RESERVE_REVIEWS = ['none', 'initial', 'final'] as const;
export type ReserveReview = (typeof RESERVE_REVIEWS)[number];

export interface TierMove {
  from: Tier;
  to: Tier;
  /** Reserve review state held now. */
  review: ReserveReview | null;
  /** The tier held before withdrawal; where a restore goes. */
  tierBeforeWithdraw: Tier | null;
  reason: string | null | undefined;
}

export interface TierMoveResult {
  tier: Tier;
  review: ReserveReview | null;
  tierBeforeWithdraw: Tier | null;
  withdrawReason: string | null;
}

const ORDER: readonly Tier[] = ['idea', 'reserve', 'implementation'];

/**
 * Checks a tier move: forward one tier at a time (a reserve project enters implementation only after its final
 * review), withdrawal from any tier with a reason, and restore from withdrawal to the tier it left.
 */
export function checkTierMove(move: TierMove): TierMoveResult | { error: string } {
  const { from, to } = move;
  const reason = move.reason?.trim() || null;
  if (from === to) return { error: `项目已在${TIER_LABELS[to]}` };
  if (to === 'withdrawn') {
    if (!reason) return { error: '退库须填写原因' };
    return { tier: 'withdrawn', review: move.review, tierBeforeWithdraw: from, withdrawReason: reason };
  }
  if (from === 'withdrawn') {
    const back = move.tierBeforeWithdraw ?? 'idea';
    if (to !== back) return { error: `退库项目只能恢复到退库前的${TIER_LABELS[back]}` };
    return { tier: to, review: move.review, tierBeforeWithdraw: null, withdrawReason: null };
  }
  if (ORDER.indexOf(to) !== ORDER.indexOf(from) + 1) {
    return { error: `不能从${TIER_LABELS[from]}转入${TIER_LABELS[to]}` };
  }
  if (to === 'reserve') return { tier: 'reserve', review: 'none', tierBeforeWithdraw: null, withdrawReason: null };
  if (move.review !== 'final') return { error: '储备库项目须通过终审后才能转入实施库' };
  return { tier: 'implementation', review: 'final', tierBeforeWithdraw: null, withdrawReason: null };
}

/** Checks a reserve review step: 初审 first, then 终审; only for reserve projects. */
export function checkReserveReview(tier: Tier, current: ReserveReview | null, next: ReserveReview): ReserveReview | { error: string } {
  if (tier !== 'reserve') return { error: '只有储备库项目才能审核' };
  const now = current ?? 'none';
  if (next === 'initial' && now === 'none') return 'initial';
  if (next === 'final' && now === 'initial') return 'final';
  if (next === 'none') return 'none';
  return { error: next === 'final' ? '须先通过初审才能终审' : '项目已通过初审' };
}
