// The stage machine of a project: 谋划/储备 → 前期 → (签约) → 开工/在建 → 竣工 → 投产, with 停工 (paused) from
// started and 复工 back to the stage held before the pause. Pure: the service records history and dates.

/** Every stage a project can be in, in the order of the road. */
export const STAGES = ['planning', 'preliminary', 'signed', 'started', 'completed', 'producing', 'paused'] as const;
export type Stage = (typeof STAGES)[number];

/** Chinese labels as lists and bulletins print them. */
export const STAGE_LABELS: Record<Stage, string> = {
  planning: '谋划储备',
  preliminary: '前期',
  signed: '签约',
  started: '开工在建',
  completed: '竣工',
  producing: '投产',
  paused: '停工',
};

// Forward moves. 签约 is optional, so 前期 may go straight to 开工.
const FORWARD: Record<Exclude<Stage, 'paused'>, readonly Stage[]> = {
  planning: ['preliminary'],
  preliminary: ['signed', 'started'],
  signed: ['started'],
  started: ['completed', 'paused'],
  completed: ['producing'],
  producing: [],
};

/** Which actual_* date a move into the stage sets; stages without their own date column set none. */
export const STAGE_DATE_COLUMN: Partial<Record<Stage, 'actual_start_date' | 'actual_completion_date' | 'actual_production_date'>> = {
  started: 'actual_start_date',
  completed: 'actual_completion_date',
  producing: 'actual_production_date',
};

/** True when the value names a stage. */
export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

export interface StageMove {
  from: Stage;
  to: Stage;
  /** The stage held before the pause; required to resume. */
  stageBeforePause: Stage | null;
  reason: string | null | undefined;
}

/** What a valid move changes on the project: the new stage and the stage to remember for a later resume. */
export interface StageMoveResult {
  stage: Stage;
  stageBeforePause: Stage | null;
  kind: 'advance' | 'pause' | 'resume';
}

/**
 * Checks a stage move. Returns the outcome, or a Chinese message saying why the move is not allowed.
 * Pausing and resuming need a reason; a paused project can only resume to the stage it was paused from.
 */
export function checkStageMove(move: StageMove): StageMoveResult | { error: string } {
  const { from, to } = move;
  const hasReason = Boolean(move.reason && move.reason.trim());
  if (from === to) return { error: `项目已处于“${STAGE_LABELS[to]}”阶段` };
  if (from === 'paused') {
    if (!move.stageBeforePause) return { error: '停工前的阶段未记录，无法复工' };
    if (to !== move.stageBeforePause) {
      return { error: `停工项目只能复工回到停工前的“${STAGE_LABELS[move.stageBeforePause]}”阶段` };
    }
    if (!hasReason) return { error: '复工须填写原因' };
    return { stage: to, stageBeforePause: null, kind: 'resume' };
  }
  if (!FORWARD[from].includes(to)) {
    const allowed = FORWARD[from].map((s) => `“${STAGE_LABELS[s]}”`).join('、');
    return { error: `不能从“${STAGE_LABELS[from]}”变更为“${STAGE_LABELS[to]}”${allowed ? `，只能变更为${allowed}` : '，该阶段已是最终阶段'}` };
  }
  if (to === 'paused') {
    if (!hasReason) return { error: '停工须填写原因' };
    return { stage: 'paused', stageBeforePause: from, kind: 'pause' };
  }
  return { stage: to, stageBeforePause: null, kind: 'advance' };
}

/** The stages a project in `from` may move to next (for a UI's choices). */
export function nextStages(from: Stage, stageBeforePause: Stage | null): Stage[] {
  if (from === 'paused') return stageBeforePause ? [stageBeforePause] : [];
  return [...FORWARD[from]];
}
