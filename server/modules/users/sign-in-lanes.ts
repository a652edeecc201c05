import { AppError } from '../../errors.ts';

/** A sign-in's lane: a known device (a plausible device cookie) or any other sign-in. */
export type SignInLane = 'device' | 'other';

/** A place held in a lane; release it when the sign-in is done (idempotent). */
export interface LaneTicket {
  readonly lane: SignInLane;
  release(): void;
}

interface LaneState {
  running: number;
  waiting: (() => void)[];
  slots: number;
  queue: number;
}

/**
 * Admission to sign-in (issue 14, sign-in during a flood): how many sign-ins of this process do their database
 * work before the password check (rate-limit row, name lookup, settings, lockout claim) at once, per lane; the
 * place is given up when the sign-in enters the PasswordGate, whose own bounded queues then hold it. A flood of
 * unknown names or wrong passwords from rotating addresses fills the 'other' lane: at most `slots` of its
 * sign-ins touch the database at once (the others wait here, costing nothing), and beyond `queue` waiting a
 * sign-in is refused (429) before any database work: no rate-limit row, no settings read, no name lookup. A sign-in carrying a well-formed device cookie enters the 'device' lane, whose slots the flood
 * cannot take, so its statements queue behind a handful of the flood's instead of all of them. When the device
 * lane is full, or its cookie turns out forged, expired, for another account or signed before the key rotated, the
 * sign-in moves to the 'other' lane like any sign-in: a cookie buys no more than its own slots.
 *
 * Like the PasswordGate this bounds this process's resources (database connections, event loop), it holds no
 * state another server needs: the lockout and the per-address rate limit stay in the database.
 */
export class SignInLanes {
  private readonly lanes: Record<SignInLane, LaneState>;

  constructor(opts: Record<SignInLane, { slots: number; queue: number }>) {
    this.lanes = {
      device: { running: 0, waiting: [], ...opts.device },
      other: { running: 0, waiting: [], ...opts.other },
    };
  }

  /** Whether a sign-in entering this lane now would be refused (every slot taken, the queue full). */
  isFull(lane: SignInLane): boolean {
    const s = this.lanes[lane];
    return s.running >= s.slots && s.waiting.length >= s.queue;
  }

  /**
   * Enters a lane, waiting for a slot when all are taken. The device lane, when full, hands the sign-in to the
   * other lane; the other lane, when full, refuses it at once (429).
   */
  async enter(lane: SignInLane): Promise<LaneTicket> {
    if (lane === 'device' && this.isFull('device')) return this.enter('other');
    const s = this.lanes[lane];
    if (s.waiting.length === 0 && s.running < s.slots) {
      s.running++;
    } else {
      if (s.waiting.length >= s.queue) throw signInBusy();
      await new Promise<void>((resolve) => s.waiting.push(() => {
        s.running++;
        resolve();
      }));
    }
    let held = true;
    return {
      lane,
      release: () => {
        if (!held) return;
        held = false;
        s.running--;
        while (s.waiting.length > 0 && s.running < s.slots) s.waiting.shift()!();
      },
    };
  }

  /** Leaves the ticket's lane for the other lane (a device cookie that did not verify). */
  async demote(ticket: LaneTicket): Promise<LaneTicket> {
    if (ticket.lane === 'other') return ticket;
    ticket.release();
    return this.enter('other');
  }
}

/** The answer to a sign-in refused because too many are under way. */
export function signInBusy(): AppError {
  return new AppError('rate_limited', '登录请求过多，请稍后再试');
}

/**
 * The process's lanes: 8 sign-ins at once in the other lane (a handful of quick statements each; more would only
 * lengthen the queue a known device's statements wait in), 256 waiting; 4 at once for known devices, 32 waiting.
 */
export const signInLanes = new SignInLanes({ device: { slots: 4, queue: 32 }, other: { slots: 8, queue: 256 } });
