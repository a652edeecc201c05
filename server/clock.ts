import { clockFrom, type Clock } from '../core/clock.ts';

/**
 * The server's clock: the system's, or — when DOCKET_NOW is set ('2027-01-12' or an ISO instant) — one that starts
 * at that moment and runs on, so tests and demos can run the whole application at a chosen date. Every "now" on
 * the server and in the CLI comes from here, never from `new Date()`.
 */
export const clock: Clock = clockFrom(process.env.DOCKET_NOW);
