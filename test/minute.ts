import { vi } from 'vitest';
import { clock } from '../server/clock.ts';

/**
 * Freezes Date (timers run as usual) so that the application clock reads one second into a minute, so a
 * per-minute window (the sign-in rate limit) holds a whole test however slow the machine. Aligned on the
 * application clock, not the machine's: with DOCKET_NOW the two differ by an arbitrary number of milliseconds.
 * Undo with vi.useRealTimers().
 */
export function freezeAtStartOfMinute(): void {
  const now = clock.now().getTime();
  const shift = Math.floor(now / 60_000) * 60_000 + 1000 - now;
  const machine = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(machine + shift));
}
