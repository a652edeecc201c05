import { describe, expect, it } from 'vitest';
import { coalesceCounts, decadeReached } from './audit.ts';

/** Lets every pending promise continuation run (a macrotask comes after all microtasks). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// Issue 14, sign-in during a flood: each refused sign-in (429) wrote its own count update, and a known device's
// statements queued behind them. Refusals are now counted with one write under way per key; pure logic, driven
// step by step (the database write is a promise the test settles).
describe('refusal counts', () => {
  it('names the decade a count passed', () => {
    expect(decadeReached(0, 1)).toBe(1);
    expect(decadeReached(1, 2)).toBeUndefined();
    expect(decadeReached(7, 12)).toBe(10);
    expect(decadeReached(10, 11)).toBeUndefined();
    expect(decadeReached(95, 130)).toBe(100);
  });

  it('adds the refusals that arrive during a write to the next write, and loses none', async () => {
    let total = 0;
    const writes: { by: number; finish: () => void }[] = [];
    const count = coalesceCounts((_key, by) => new Promise<number>((resolve) => {
      writes.push({ by, finish: () => resolve(total += by) });
    }));
    const first = count('k');
    const others = [count('k'), count('k'), count('k')];
    await expect(Promise.all(others)).resolves.toEqual([undefined, undefined, undefined]); // added, not written
    expect(writes.map((w) => w.by)).toEqual([1]);
    writes[0]!.finish();
    await flush();
    expect(writes.map((w) => w.by)).toEqual([1, 3]); // the writer carries what arrived meanwhile
    writes[1]!.finish();
    await expect(first).resolves.toEqual({ before: 0, after: 4 });
    expect(total).toBe(4);
    // Another key is written independently; later refusals write again.
    const other = count('x');
    const again = count('k');
    expect(writes.map((w) => w.by)).toEqual([1, 3, 1, 1]);
    writes[2]!.finish();
    writes[3]!.finish();
    await expect(other).resolves.toEqual({ before: 4, after: 5 });
    await expect(again).resolves.toEqual({ before: 5, after: 6 });
  });
});
