import { describe, expect, it } from 'vitest';
import { checkStageMove, nextStages, STAGES, type Stage } from './stages.ts';

const move = (from: Stage, to: Stage, reason?: string, stageBeforePause: Stage | null = null) =>
  checkStageMove({ from, to, reason, stageBeforePause });

describe('stage machine', () => {
  it('walks the road 谋划储备 → 前期 → 签约 → 开工 → 竣工 → 投产', () => {
    const road: Stage[] = ['planning', 'preliminary', 'signed', 'started', 'completed', 'producing'];
    for (let i = 1; i < road.length; i++) expect(move(road[i - 1]!, road[i]!)).toEqual({ stage: road[i], stageBeforePause: null, kind: 'advance' });
  });

  it('lets 签约 be skipped', () => {
    expect(move('preliminary', 'started')).toMatchObject({ stage: 'started' });
  });

  it('refuses going back, skipping a required stage and staying put, with Chinese messages', () => {
    expect(move('started', 'preliminary')).toEqual({ error: '不能从“开工在建”变更为“前期”，只能变更为“竣工”、“停工”' });
    expect(move('preliminary', 'completed')).toHaveProperty('error');
    expect(move('planning', 'started')).toHaveProperty('error');
    expect(move('producing', 'paused')).toEqual({ error: '不能从“投产”变更为“停工”，该阶段已是最终阶段' });
    expect(move('started', 'started')).toEqual({ error: '项目已处于“开工在建”阶段' });
  });

  it('pauses only from started and only with a reason, remembering the stage', () => {
    expect(move('started', 'paused')).toEqual({ error: '停工须填写原因' });
    expect(move('started', 'paused', '  ')).toEqual({ error: '停工须填写原因' });
    expect(move('started', 'paused', '资金未到位')).toEqual({ stage: 'paused', stageBeforePause: 'started', kind: 'pause' });
    expect(move('preliminary', 'paused', '资金未到位')).toHaveProperty('error');
  });

  it('resumes only to the stage before the pause, with a reason', () => {
    expect(move('paused', 'started', undefined, 'started')).toEqual({ error: '复工须填写原因' });
    expect(move('paused', 'completed', '复工', 'started')).toEqual({ error: '停工项目只能复工回到停工前的“开工在建”阶段' });
    expect(move('paused', 'started', '资金到位', 'started')).toEqual({ stage: 'started', stageBeforePause: null, kind: 'resume' });
    expect(move('paused', 'started', '资金到位', null)).toHaveProperty('error');
  });

  it('offers exactly the moves it accepts', () => {
    for (const from of STAGES.filter((s) => s !== 'paused')) {
      for (const to of STAGES) {
        const ok = !('error' in move(from, to, '原因'));
        expect(ok, `${from}→${to}`).toBe(nextStages(from, null).includes(to));
      }
    }
    expect(nextStages('paused', 'started')).toEqual(['started']);
  });
});
