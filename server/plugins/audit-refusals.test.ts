import { describe, expect, it } from 'vitest';
import { coalesceCounts, decadeReached } from './audit.ts';

/** Lets every pending promise continuation run (a macrotask comes after all microtasks). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// Issue 14, sign-in during a flood: each refused sign-in (429) wrote its own count update, and a known device's
// statements queued behind them. Refusals are now counted with one write per key and turn of the event loop; pure
// logic, driven step by step (the database write is a promise the test settles).
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
    const others = [count('k'), count('k')];
    await expect(Promise.all(others)).resolves.toEqual([undefined, undefined]); // added, not written
    expect(writes).toEqual([]); // the writer waits for the end of this turn of the event loop…
    await flush();
    expect(writes.map((w) => w.by)).toEqual([3]); // …and writes the turn's refusals at once
    const late = [count('k'), count('k')]; // arriving during the write
    await expect(Promise.all(late)).resolves.toEqual([undefined, undefined]);
    writes[0]!.finish();
    await flush();
    expect(writes.map((w) => w.by)).toEqual([3, 2]); // the writer carries what arrived meanwhile
    writes[1]!.finish();
    await expect(first).resolves.toEqual({ before: 0, after: 5 });
    expect(total).toBe(5);
    // Another key is written independently; later refusals write again.
    const other = count('x');
    const again = count('k');
    await flush();
    expect(writes.map((w) => w.by)).toEqual([3, 2, 1, 1]);
    writes[2]!.finish();
    writes[3]!.finish();
    await expect(other).resolves.toEqual({ before: 5, after: 6 });
    await expect(again).resolves.toEqual({ before: 6, after: 7 });
  });
});
