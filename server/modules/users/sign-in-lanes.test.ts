import { describe, expect, it } from 'vitest';
import { SignInLanes, type LaneTicket } from './sign-in-lanes.ts';

/** Lets every pending promise continuation run (a macrotask comes after all microtasks). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

// Issue 14, sign-in during a flood: the admission in front of a sign-in's database work. Pure in-process logic,
// driven step by step (no timers): which sign-ins run, which wait, which are refused at once.
describe('SignInLanes', () => {
  it('bounds the other lane, refuses beyond its queue at once, and keeps the device lane free of it', async () => {
    const lanes = new SignInLanes({ device: { slots: 1, queue: 1 }, other: { slots: 2, queue: 2 } });
    const order: string[] = [];
    const enter = (name: string, lane: 'device' | 'other') => lanes.enter(lane).then((t) => { order.push(`${name}:${t.lane}`); return t; });
    const o1 = enter('o1', 'other');
    const o2 = enter('o2', 'other');
    const o3 = enter('o3', 'other');
    const o4 = enter('o4', 'other');
    await flush();
    expect(order).toEqual(['o1:other', 'o2:other']); // two run, two wait
    expect(lanes.isFull('other')).toBe(true);
    await expect(lanes.enter('other')).rejects.toMatchObject({ code: 'rate_limited' });
    // The flood does not touch the device lane.
    const d1 = await enter('d1', 'device');
    expect(d1.lane).toBe('device');
    // A second device sign-in waits for the first (its queue of one); a third finds the lane full and falls back to
    // the other lane, which is full: refused like any sign-in, no better.
    const d2 = enter('d2', 'device');
    await flush();
    expect(lanes.isFull('device')).toBe(true);
    await expect(lanes.enter('device')).rejects.toMatchObject({ code: 'rate_limited' });
    d1.release();
    d1.release(); // idempotent
    expect((await d2).lane).toBe('device');
    (await o1).release();
    await flush();
    expect(order).toEqual(['o1:other', 'o2:other', 'd1:device', 'd2:device', 'o3:other']);
    // A device sign-in whose cookie did not verify goes to the back of the other lane's queue.
    const demoted = lanes.demote(await d2).then((t) => { order.push(`demoted:${t.lane}`); return t; });
    await flush();
    expect(lanes.isFull('other')).toBe(true); // o4 and the demoted one wait
    const rest: LaneTicket[] = [await o2, await o3];
    for (const t of rest) t.release();
    await flush();
    expect(order.slice(-2)).toEqual(['o4:other', 'demoted:other']);
    (await o4).release();
    (await demoted).release();
    expect(lanes.isFull('other')).toBe(false);
    expect(lanes.isFull('device')).toBe(false);
  });
});
