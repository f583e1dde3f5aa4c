/** Reconnect and retry delays: exponential, capped, with jitter so many clients do not return in step. */

export interface BackoffOptions {
  /** The first delay, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

export const reconnectBackoff: BackoffOptions = { baseMs: 500, maxMs: 10_000 };

/**
 * The delay before retry number `attempt` (0 for the first): `base · 2^attempt` capped at `max`, then
 * "equal jitter" — half of it fixed, half random — so a client never retries at once in a tight loop,
 * and a crowd of clients dropped by one server restart spreads out. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = reconnectBackoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}
