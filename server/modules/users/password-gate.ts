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
  private running = 0;
  private readonly queues: { high: (() => void)[]; low: (() => void)[] } = { high: [], low: [] };
  private readonly opts: { slots: number; highQueue: number; lowQueue: number };

  constructor(opts: { slots: number; highQueue: number; lowQueue: number }) {
    this.opts = opts;
  }

  /** Runs a hash or check: 'high' for a known account (or password change), 'low' for an unknown name. */
  async run<T>(priority: 'high' | 'low', fn: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(priority: 'high' | 'low'): Promise<void> {
    if (this.running < this.opts.slots) {
      this.running++;
      return Promise.resolve();
    }
    const queue = this.queues[priority];
    if (queue.length >= (priority === 'high' ? this.opts.highQueue : this.opts.lowQueue)) return Promise.reject(busyError());
    return new Promise((resolve) => queue.push(resolve));
  }

  private release(): void {
    const next = this.queues.high.shift() ?? this.queues.low.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.running--;
  }
}

function busyError(): AppError {
  return new AppError('rate_limited', '登录请求过多，请稍后再试');
}

/** The process's gate: 2 concurrent hashes (of libuv's 4 threads), 64 real checks and 16 unknown-name checks waiting. */
export const passwordGate = new PasswordGate({ slots: 2, highQueue: 64, lowQueue: 16 });
