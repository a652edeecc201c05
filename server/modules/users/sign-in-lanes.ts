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
 * Admission to sign-in (issue 14, sign-in during a flood): how many sign-ins of this process are under way at once,
 * per lane, from admission to their answer (rate-limit row, name lookup, settings, lockout claim, password check,
 * session). The route admits a sign-in in `onRequest`, before its body is read, parsed or validated (user.routes.ts),
 * so a sign-in refused here costs the HTTP parse and a prebuilt 429 and nothing else: no body, no JSON, no zod, no
 * database. A flood of unknown names or wrong passwords from rotating addresses fills the 'other' lane; at most
 * `slots` of its sign-ins run at once and `queue` wait (costing nothing), beyond that the flood is refused.
 *
 * The 'other' lane holds every sign-in without a well-formed device cookie, real accounts and unknown names alike:
 * whether a sign-in is admitted, and how long it waits, must not depend on whether its name exists (an answer or a
 * wait that differed would tell a flooder which names exist). Only a device cookie, which the caller holds, buys a
 * place: a sign-in carrying a well-formed one enters the 'device' lane, whose slots the flood cannot take. When the
 * device lane is full, or its cookie turns out forged, expired, for another account or signed before the key
 * rotated, the sign-in moves to the 'other' lane like any sign-in: a cookie buys no more than its own slots.
 *
 * Like the PasswordGate this bounds this process's resources (event loop, database connections, scrypt threads);
 * admission is local by nature and holds no state another server needs: the lockout and the per-address rate limit
 * stay in the database.
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

  /** The lane a sign-in asking for `lane` would enter now: the device lane, when full, hands it to the other lane. */
  laneFor(lane: SignInLane): SignInLane {
    return lane === 'device' && this.isFull('device') ? 'other' : lane;
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

const BUSY_MESSAGE = '登录请求过多，请稍后再试';

/** The answer to a sign-in refused because too many are under way (the same whatever the name: login-oracle.test.ts). */
export function signInBusy(): AppError {
  return new AppError('rate_limited', BUSY_MESSAGE);
}

/**
 * The body of that answer, serialized once: the refusal in onRequest sends these bytes as they are (no error
 * object, no stack, no serializer per refused request). Exactly what the error handler writes for signInBusy().
 */
export const SIGN_IN_BUSY_BODY = JSON.stringify({ error: { code: 'rate_limited', message: BUSY_MESSAGE, details: null } });

/**
 * The process's lanes. 'other': 4 sign-ins at once (the PasswordGate lets them hash one at a time: more would only
 * queue in the gate after their database work) and 16 waiting, so a flood's sign-ins beyond 20 under way are refused
 * before their body is read. 'device': 4 at once, 32 waiting.
 */
export const signInLanes = new SignInLanes({ device: { slots: 4, queue: 32 }, other: { slots: 4, queue: 16 } });
