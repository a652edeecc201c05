import { AppError } from '../../errors.ts';
import type { RateLimitRepository } from './rate-limit.repository.ts';

const WINDOW_MS = 60_000;

/** Counts `by` events of the key in the current minute, in the database (all servers together); returns the count. */
export async function countPerMinute(repo: RateLimitRepository, key: string, now: Date, by = 1): Promise<number> {
  const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
  return repo.hit(key, new Date(start).toISOString(), by);
}

/**
 * Counts a request against `max` per minute for the key (e.g. 'login:<client address>') in the database, so the
 * limit holds however many servers share it; throws 429 in Chinese beyond it. The first hit of a window prunes
 * windows older than two minutes. `now` comes from the application's clock (deps.clock), never the machine's.
 */
export async function checkRateLimit(repo: RateLimitRepository, key: string, max: number, now: Date): Promise<void> {
  const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
  const hits = await repo.hit(key, new Date(start).toISOString());
  if (hits === 1) await repo.deleteBefore(new Date(start - 2 * WINDOW_MS).toISOString());
  if (hits > max) {
    const seconds = Math.max(1, Math.ceil((start + WINDOW_MS - now.getTime()) / 1000));
    throw new AppError('rate_limited', `登录尝试过于频繁，请 ${seconds} 秒后再试`, { retry_after_seconds: seconds });
  }
}
