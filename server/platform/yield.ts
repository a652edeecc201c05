/**
 * Long in-process work (a 100k-row import's parse, row checks and chunked writes) runs on the server's one event
 * loop, and better-sqlite3 answers synchronously: a loop over awaited queries never lets a waiting request in. Such
 * work awaits this between batches of about a thousand rows: the requests that arrived meanwhile (a sign-in, a
 * read) are read off their sockets and run before the next batch (issue 23).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Rows per batch between two yields of a long in-process loop (parse, match, check). */
export const YIELD_EVERY_ROWS = 1000;

/** Where a long import stands at one of its yields: the phase and the rows done (tests hook these boundaries). */
export interface ChunkBoundary {
  phase: 'read' | 'match' | 'check' | 'write';
  done: number;
}

/** A hook called at each chunk boundary after the yield; the work resumes when it settles. */
export type ChunkHook = (at: ChunkBoundary) => void | Promise<void>;
