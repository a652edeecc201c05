/** The lights warm-ups running in this process, to be told of a change that dropped months of snapshots. */
const listeners = new Set<() => void>();

/**
 * Tells this process's lights warm-up that a change dropped whole months of light snapshots (a rule set, the
 * time-progress curve, the 1–2月 merge): it refills them a moment later instead of on its next tick, so the next
 * reader does not wait for the refill. Only a hint, and per process: without it the refill still happens, on the
 * tick or at the first read, whichever server does it.
 */
export function nudgeLightsWarmup(): void {
  for (const listener of listeners) listener();
}

/** Subscribes a warm-up to nudges; returns the unsubscribe function. */
export function onLightsNudge(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
