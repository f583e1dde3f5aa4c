/**
 * Slows password guessing: after too many failed logins for one key (an email, or a client address,
 * which gets a higher limit since many people can share one) within the window, further attempts get
 * 429 until the window has passed. Kept in memory per node.
 *
 * An attempt is counted when it starts, before its password is checked (`reserve`), not when it has failed:
 * otherwise parallel guesses would all pass the check while the first were still being verified, and any number
 * of them would be tried. A success takes its attempt back and forgives the email's failed attempts, but not the
 * ones still being checked: a guess in flight when its victim signs in stays counted.
 *
 * Memory is bounded by `maxKeys`. Past it, expired keys go first, then those with the fewest attempts (the
 * oldest first), so spraying fresh addresses cannot reset the count of one that is being guessed at.
 */
import type { Clock } from '../../clock.js';

export interface LoginAttempt {
  /** Seconds until another attempt is allowed; 0 when this one was allowed (and counted). */
  retryAfter: number;
  /** Takes this attempt back (it did not fail). */
  release(): void;
  /** The password was wrong: the attempt stays counted, and a later success may forgive it. */
  fail(): void;
}

/** One counted attempt: when it started, and whether it has been found a failure yet (else it is in flight). */
interface Attempt {
  at: number;
  failed: boolean;
}

export class LoginThrottle {
  private readonly attempts = new Map<string, Attempt[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: (key: string) => number = (key) => (key.startsWith('ip:') ? 100 : 10),
    private readonly windowMs = 15 * 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts an attempt against every key, unless one of them has no attempt left (then nothing is counted). */
  reserve(keys: string[]): LoginAttempt {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures(key)) wait = Math.max(wait, Math.ceil((recent[0]!.at + this.windowMs - now) / 1000));
    }
    if (wait > 0) return { retryAfter: wait, release: () => {}, fail: () => {} };
    // One record per key, so forgiving one key's failures leaves the others' counts as they are.
    const mine = keys.map((key) => {
      const attempt: Attempt = { at: now, failed: false };
      this.attempts.set(key, [...this.recent(key, now), attempt]);
      return [key, attempt] as const;
    });
    if (this.attempts.size > this.maxKeys) this.evict(now);
    let settled = false;
    return {
      retryAfter: 0,
      release: () => {
        if (settled) return;
        settled = true;
        for (const [key, attempt] of mine) {
          const left = (this.attempts.get(key) ?? []).filter((other) => other !== attempt);
          if (left.length === 0) this.attempts.delete(key);
          else this.attempts.set(key, left);
        }
      },
      fail: () => {
        if (settled) return;
        settled = true;
        for (const [, attempt] of mine) attempt.failed = true;
      },
    };
  }

  /** A successful login: the email's failed attempts are forgiven; those still being checked stay counted. */
  recordSuccess(key: string): void {
    const inFlight = (this.attempts.get(key) ?? []).filter((attempt) => !attempt.failed);
    if (inFlight.length === 0) this.attempts.delete(key);
    else this.attempts.set(key, inFlight);
  }

  private recent(key: string, now: number): Attempt[] {
    return (this.attempts.get(key) ?? []).filter((attempt) => attempt.at > now - this.windowMs);
  }

  /** Down to nine tenths of the cap (so this runs once per many new keys): expired keys, then the least guessed at. */
  private evict(now: number): void {
    for (const key of [...this.attempts.keys()]) {
      const recent = this.recent(key, now);
      if (recent.length === 0) this.attempts.delete(key);
      else this.attempts.set(key, recent);
    }
    const excess = this.attempts.size - Math.floor(this.maxKeys * 0.9);
    if (excess <= 0) return;
    const byWeight = [...this.attempts].sort(([, a], [, b]) => a.length - b.length || a[a.length - 1]!.at - b[b.length - 1]!.at);
    for (const [key] of byWeight.slice(0, excess)) this.attempts.delete(key);
  }
}
