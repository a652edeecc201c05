import { AppError } from '../../errors.ts';

/**
 * Bounds the password hashing of this process. scrypt costs ~50 ms of a libuv thread and 16 MB; unbounded, a flood
 * of sign-ins (unknown names from rotating addresses: 600 at 60 concurrent, issue 14) queued every check behind
 * every other and a real sign-in took 4.5 s. Here at most `slots` hashes run at once, in three places: a known
 * device's sign-in first, then the account's own password work (password change, an administrator's reset or new
 * account), then every other sign-in, real account or unknown name alike (a real account served before unknown
 * names answered a flooder sooner, or with 401 where an unknown name got 429, and so told which names exist).
 * Each queue is bounded: beyond it the request is refused at once (429) instead of waiting. Per account, the bound
 * is the lockout's claim in the database (UserRepository.claimLoginAttempt): at most lockout_threshold checks of
 * one account run at once, on all servers together.
 *
 * This is a per-process resource limit (CPU and memory of this server), not shared state: the lockout and the
 * sign-in rate limit that must hold across servers live in the database.
 */
export class PasswordGate {
  private readonly running = { device: 0, high: 0, low: 0 };
  private readonly queues: Record<GatePriority, (() => void)[]> = { device: [], high: [], low: [] };
  private readonly opts: { slots: number; lowSlots: number; highQueue: number; lowQueue: number; deviceQueue: number };

  /**
   * `slots` hashes at once, of which at most `lowSlots` for sign-ins without a known device: the rest stay free, so
   * a known device's check (a valid device cookie for the account, device-cookie.ts) or a password change never
   * waits for a flood's checks to finish; it is also served first from the queues.
   */
  constructor(opts: { slots: number; lowSlots: number; highQueue: number; lowQueue: number; deviceQueue?: number }) {
    this.opts = { ...opts, deviceQueue: opts.deviceQueue ?? opts.highQueue };
  }

  /**
   * Runs a hash or check: 'device' for a sign-in on a known device, 'high' for an account's own password work
   * (change, reset, new account, the CLI's credential check), 'low' for any other sign-in, whether its name exists
   * or not.
   */
  async run<T>(priority: GatePriority, fn: () => Promise<T>): Promise<T> {
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
  isFull(priority: GatePriority): boolean {
    return !this.canStart(priority) && this.queues[priority].length >= this.queueLimit(priority);
  }

  private canStart(priority: GatePriority): boolean {
    const running = this.running.device + this.running.high + this.running.low;
    return running < this.opts.slots && (priority !== 'low' || this.running.low < this.opts.lowSlots);
  }

  private queueLimit(priority: GatePriority): number {
    return priority === 'device' ? this.opts.deviceQueue : priority === 'high' ? this.opts.highQueue : this.opts.lowQueue;
  }

  private acquire(priority: GatePriority): Promise<void> {
    // A check may start at once only if no check of its own or a higher priority waits.
    const ahead = GATE_ORDER.slice(0, GATE_ORDER.indexOf(priority) + 1).some((p) => this.queues[p].length > 0);
    if (!ahead && this.canStart(priority)) {
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

  private release(priority: GatePriority): void {
    this.running[priority]--;
    // Known devices first, then real accounts; an unknown name only while it leaves a slot free for them.
    for (const p of GATE_ORDER) {
      while (this.queues[p].length > 0 && this.canStart(p)) this.queues[p].shift()!();
    }
  }
}

/** A check's place in the gate: a known device's sign-in, an account's own password work, any other sign-in. */
export type GatePriority = 'device' | 'high' | 'low';
const GATE_ORDER: readonly GatePriority[] = ['device', 'high', 'low'];

function busyError(): AppError {
  return new AppError('rate_limited', '登录请求过多，请稍后再试');
}

/**
 * The process's gate: 2 concurrent hashes (of libuv's 4 threads), one of them at most for sign-ins without a known
 * device; 64 password-work checks, 16 known-device checks and 16 other sign-ins waiting (the 'other' sign-in lane
 * lets at most 4 of them through at once, so this queue is a backstop).
 */
export const passwordGate = new PasswordGate({ slots: 2, lowSlots: 1, highQueue: 64, lowQueue: 16, deviceQueue: 16 });

/** The answer to a sign-in the gate cannot take now. */
export function passwordGateBusy(): AppError {
  return busyError();
}
