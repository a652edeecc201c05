import { AppError } from '../../errors.ts';

/**
 * Bounds the password hashing of this process. scrypt costs ~50 ms of a libuv thread and 16 MB; unbounded, a flood
 * of sign-ins (unknown names from rotating addresses: 600 at 60 concurrent, issue 14) queued every check behind
 * every other and a real sign-in took 4.5 s. Here at most `slots` hashes run at once; checks for real accounts
 * (sign-in, password change) wait in a queue served before the unknown-name checks (which exist only to spend
 * the same time as a real check), and each queue is bounded: beyond it the request is refused at once (429)
 * instead of waiting. Per account, the bound is the lockout's claim in the database (UserRepository.
 * claimLoginAttempt): at most lockout_threshold checks of one account run at once, on all servers together.
 *
 * This is a per-process resource limit (CPU and memory of this server), not shared state: the lockout and the
 * sign-in rate limit that must hold across servers live in the database.
 */
export class PasswordGate {
  private readonly running = { high: 0, low: 0 };
  private readonly queues: { high: (() => void)[]; low: (() => void)[] } = { high: [], low: [] };
  private readonly opts: { slots: number; lowSlots: number; highQueue: number; lowQueue: number };

  /**
   * `slots` hashes at once, of which at most `lowSlots` for unknown names: the rest stay free for real accounts, so
   * a real check never waits for a flood's dummy checks to finish.
   */
  constructor(opts: { slots: number; lowSlots: number; highQueue: number; lowQueue: number }) {
    this.opts = opts;
  }

  /** Runs a hash or check: 'high' for a known account (or password change), 'low' for an unknown name. */
  async run<T>(priority: 'high' | 'low', fn: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    try {
      return await fn();
    } finally {
      this.release(priority);
    }
  }

  /**
   * Whether a check of this priority would be refused now (no slot, its queue full): lets a sign-in be refused
   * before it writes anything, instead of after its database work.
   */
  isFull(priority: 'high' | 'low'): boolean {
    return !this.canStart(priority) && this.queues[priority].length >= this.queueLimit(priority);
  }

  private canStart(priority: 'high' | 'low'): boolean {
    return this.running.high + this.running.low < this.opts.slots && (priority === 'high' || this.running.low < this.opts.lowSlots);
  }

  private queueLimit(priority: 'high' | 'low'): number {
    return priority === 'high' ? this.opts.highQueue : this.opts.lowQueue;
  }

  private acquire(priority: 'high' | 'low'): Promise<void> {
    if (this.queues[priority].length === 0 && this.canStart(priority)) {
      this.running[priority]++;
      return Promise.resolve();
    }
    const queue = this.queues[priority];
    if (queue.length >= this.queueLimit(priority)) return Promise.reject(busyError());
    return new Promise((resolve) => queue.push(() => {
      this.running[priority]++;
      resolve();
    }));
  }

  private release(priority: 'high' | 'low'): void {
    this.running[priority]--;
    // Real accounts first; an unknown name only while it leaves a slot free for them.
    for (const p of ['high', 'low'] as const) {
      while (this.queues[p].length > 0 && this.canStart(p)) this.queues[p].shift()!();
    }
  }
}

function busyError(): AppError {
  return new AppError('rate_limited', '登录请求过多，请稍后再试');
}

/**
 * The process's gate: 2 concurrent hashes (of libuv's 4 threads), one of them at most for unknown names; 64 real
 * checks and 16 unknown-name checks waiting.
 */
export const passwordGate = new PasswordGate({ slots: 2, lowSlots: 1, highQueue: 64, lowQueue: 16 });

/** The answer to a sign-in the gate cannot take now. */
export function passwordGateBusy(): AppError {
  return busyError();
}
