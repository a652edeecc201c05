import { describe, expect, it } from 'vitest';
import { PasswordGate } from './password-gate.ts';

/** A task the test finishes when it chooses (no timers: the order of events is the test's). */
function deferred() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  return { done, finish };
}

// Issue 14: a flood of unknown names must not starve real accounts' password checks. Pure in-process logic (no
// database): the gate is a per-process CPU bound, the lockout and rate limits live in the database.
describe('PasswordGate', () => {
  it('keeps a slot free for real accounts however many unknown-name checks wait, and refuses beyond the queue at once', async () => {
    const gate = new PasswordGate({ slots: 2, lowSlots: 1, highQueue: 4, lowQueue: 2 });
    const started: string[] = [];
    const tasks = new Map<string, ReturnType<typeof deferred>>();
    const run = (name: string, priority: 'high' | 'low') => {
      const d = deferred();
      tasks.set(name, d);
      return gate.run(priority, async () => { started.push(name); await d.done; return name; });
    };
    /** Lets every pending promise continuation run (a macrotask comes after all microtasks). */
    const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

    const low1 = run('low1', 'low');
    const low2 = run('low2', 'low');
    const low3 = run('low3', 'low');
    await flush();
    expect(started).toEqual(['low1']); // one slot for unknown names, the other left free
    expect(gate.isFull('low')).toBe(true);
    await expect(run('low4', 'low')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(gate.isFull('high')).toBe(false);

    const high1 = run('high1', 'high');
    await flush();
    expect(started).toEqual(['low1', 'high1']); // a real account starts at once, ahead of the waiting floods
    const high2 = run('high2', 'high');
    tasks.get('low1')!.finish();
    await flush();
    expect(started).toEqual(['low1', 'high1', 'high2']); // the freed slot goes to the waiting real account first
    tasks.get('high1')!.finish();
    await flush();
    expect(started).toEqual(['low1', 'high1', 'high2', 'low2']);
    tasks.get('high2')!.finish();
    tasks.get('low2')!.finish();
    await flush();
    expect(started.at(-1)).toBe('low3');
    tasks.get('low3')!.finish();
    await expect(Promise.all([low1, low2, low3, high1, high2])).resolves.toEqual(['low1', 'low2', 'low3', 'high1', 'high2']);
    expect(gate.isFull('low')).toBe(false);
  });

  it('serves a known device check before the waiting checks of real accounts and unknown names', async () => {
    const gate = new PasswordGate({ slots: 2, lowSlots: 1, highQueue: 8, lowQueue: 2, deviceQueue: 1 });
    const started: string[] = [];
    const tasks = new Map<string, ReturnType<typeof deferred>>();
    const run = (name: string, priority: 'device' | 'high' | 'low') => {
      const d = deferred();
      tasks.set(name, d);
      return gate.run(priority, async () => { started.push(name); await d.done; return name; });
    };
    const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

    // A flood of wrong passwords for real accounts holds both slots and queues behind them.
    const high = ['high1', 'high2', 'high3', 'high4'].map((n) => run(n, 'high'));
    const low1 = run('low1', 'low');
    await flush();
    expect(started).toEqual(['high1', 'high2']);
    const device1 = run('device1', 'device');
    await flush();
    expect(gate.isFull('device')).toBe(true); // its own queue (of one) is full: a second would be refused
    await expect(run('device2', 'device')).rejects.toMatchObject({ code: 'rate_limited' });
    tasks.get('high1')!.finish();
    await flush();
    expect(started).toEqual(['high1', 'high2', 'device1']); // ahead of high3, high4 and low1, which came first
    for (const n of ['high2', 'device1']) tasks.get(n)!.finish();
    await flush();
    expect(started).toEqual(['high1', 'high2', 'device1', 'high3', 'high4']);
    for (const n of ['high3', 'high4']) tasks.get(n)!.finish();
    await flush();
    tasks.get('low1')!.finish();
    await expect(Promise.all([...high, low1, device1])).resolves.toEqual(['high1', 'high2', 'high3', 'high4', 'low1', 'device1']);
  });
});
