import { describe, expect, it } from 'vitest';
import { rate, unitMonthFigures, type MatterFigureRow } from './figures.ts';

const m = (x: Partial<MatterFigureRow>): MatterFigureRow => ({ leadUnitId: 1, status: 'in_progress', assignedOn: '2026-11-03', dueOn: '2026-11-20', closingOn: null, closedOn: null, writtenOffOn: null, closeRejections: 0, ...x });

describe('supervision figures per unit and month', () => {
  it('counts received, on-time completion, overdue, one-pass 销号 and average days with their denominators', () => {
    const rows = [
      m({ status: 'written_off', closingOn: '2026-11-18', closedOn: '2026-11-19', writtenOffOn: '2026-11-25' }), // on time, one pass, 15 days
      m({ status: 'closed', dueOn: '2026-11-10', closingOn: '2026-11-12', closedOn: '2026-11-13', closeRejections: 1 }), // late
      m({ dueOn: '2026-11-25' }), // open, overdue at month end
      m({ status: 'suspended', dueOn: '2026-11-05' }), // suspended: neither due nor overdue
      m({ leadUnitId: 2, assignedOn: '2026-10-20', dueOn: '2026-12-30' }), // other unit, other month
      m({ status: 'written_off', assignedOn: '2026-10-01', dueOn: '2026-10-30', closingOn: '2026-10-28', closedOn: '2026-10-29', writtenOffOn: '2026-11-02', closeRejections: 2 }),
    ];
    const feedback = [
      { unitId: 1, onDate: '2026-11-10', dueOn: '2026-11-10', onTime: true },
      { unitId: 1, onDate: '2026-11-18', dueOn: '2026-11-17', onTime: false },
      { unitId: 1, onDate: '2026-11-19', dueOn: null, onTime: true }, // answered no due date: not counted
    ];
    const [u1, u2] = unitMonthFigures('2026-11', '2026-12-07', rows, feedback, [{ unitId: 1, fireOn: '2026-11-21' }]);
    expect(u1).toEqual({
      unitId: 1, received: 4, feedbackOnTime: { num: 1, den: 3 }, missedFeedback: 1, onTimeCompletion: { num: 1, den: 3 }, overdue: 1,
      onePassWriteOff: { num: 1, den: 2 }, days: { sum: 15 + 9, count: 2 },
    });
    expect(rate(u1!.onTimeCompletion)).toBeCloseTo(1 / 3, 12);
    expect(u2).toBeUndefined(); // nothing of unit 2 happened in November
    // The current month is judged as of today.
    expect(unitMonthFigures('2026-11', '2026-11-15', [m({ dueOn: '2026-11-20' })], [], [])[0]!.overdue).toBe(0);
    expect(rate({ num: 0, den: 0 })).toBeNull();
  });

  it('counts a missed feedback in the on-time denominator once, even when a late entry answers it later', () => {
    const missed = [{ unitId: 1, fireOn: '2026-11-12', entityId: 7, dueOn: '2026-11-11' }, { unitId: 1, fireOn: '2026-10-30', entityId: 8, dueOn: '2026-10-29' }];
    const feedback = [
      { entityId: 7, unitId: 1, onDate: '2026-11-13', dueOn: '2026-11-11', onTime: false }, // answers the miss of the 11th: not again
      { entityId: 8, unitId: 1, onDate: '2026-11-02', dueOn: '2026-10-29', onTime: false }, // answers October's miss: counted in October only
      { entityId: 7, unitId: 1, onDate: '2026-11-20', dueOn: '2026-11-20', onTime: true },
      { entityId: 9, unitId: 1, onDate: '2026-11-21', dueOn: '2026-11-20', onTime: false }, // late, never escalated: counts
    ];
    const [u] = unitMonthFigures('2026-11', '2026-12-07', [], feedback, missed);
    expect(u!.feedbackOnTime).toEqual({ num: 1, den: 3 });
    expect(u!.missedFeedback).toBe(1);
    expect(rate(u!.feedbackOnTime)).toBeCloseTo(1 / 3, 12);
    // Nothing given and one due date missed: a rate of 0, not "no rate".
    expect(rate(unitMonthFigures('2026-11', '2026-12-07', [], [], [missed[0]!])[0]!.feedbackOnTime)).toBe(0);
  });
});
