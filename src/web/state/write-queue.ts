/**
 * One ordered queue of optimistic writes on their way to the server, shared by the tasks store (one queue for a
 * list's tasks) and the lists store (one queue per list). Writes go one at a time, in order. One that could not
 * reach the server (offline, 503, 429) stays at the head and is sent again later, with the same Idempotency-Key,
 * after a backoff (`retryNow` cuts it short); any other refusal takes it out of the queue, and its store reverts it.
 *
 * A network error does not say whether the write reached the server (the answer may be what was lost). The server
 * replays a POST's answer by key, and does not make a task edit or deletion, or a list edit, again that it already
 * made under the key; still, a resend costs a request. So a write whose real-time echo (its key as `mutationId`)
 * arrives is done, answered or not, and is never sent again (`settleByEcho`); and while the real-time layer catches
 * up with the list after reconnecting (`awaitCatchUp` … `caughtUp`), a write that failed by network error waits for
 * that echo before it is sent again, but not for ever: the socket may stay down while plain requests get through (a
 * proxy that drops WebSocket upgrades), so `catchUpHoldMs` (15 s) after the wait began, or after the write last
 * failed by network error, it is sent anyway, with its key, and the server's lookup of the key is what keeps it from
 * applying twice.
 *
 * `dispose` (sign-out) drops what is queued, clears the retry timer and sends nothing more: a later request would
 * carry the next user's cookie. No React here: the stores turn what the queue holds into their snapshots.
 */
import { toApiError, type ApiError, type ClientErrorCode } from '../api/client.js';
import { backoffDelay } from '../realtime/backoff.js';

/** The longest a write that failed by network error waits for its list to catch up before it is sent anyway. */
export const defaultCatchUpHoldMs = 15_000;

/** Failures that say nothing about the write itself: keep it and send it again later. */
const transientCodes = new Set<ClientErrorCode>(['network_error', 'service_unavailable', 'idempotency_key_in_progress', 'too_many_requests']);
const writeRetryBackoff = { baseMs: 1_000, maxMs: 30_000 };

/** Why the head of a queue waits: `network` (no connection) or `server` (it answered busy or unavailable). */
export type StalledBy = 'network' | 'server';

/**
 * How a sent write left the queue: saved by its `answer`, or by its `echo` when the answer was lost on the way;
 * or refused (not saved), with the server's reason.
 */
export type WriteOutcome = { saved: true; by: 'answer' | 'echo' } | { saved: false; error: ApiError };

export interface WriteQueueOptions<W> {
  /** Sends a write with its key and records the answer; throws (an `ApiError`) when it fails. */
  send: (write: W) => Promise<void>;
  /**
   * A write that was sent left the queue (`outcome` says how). The store shows it (the queue emits nothing for
   * it), reports a refusal, and may `drop` further writes the refusal concerns.
   */
  onSettled: (write: W, outcome: WriteOutcome) => void;
  /** A write was queued, or the head stalled or goes again: what the store shows changed. */
  onChange: () => void;
  /** The queue holds nothing, sends nothing and waits for nothing (the lists store forgets a list's queue then). */
  onIdle?: () => void;
  /** Milliseconds before sending again a write that could not reach the server (attempt 0, 1, …); with jitter by default. */
  retryDelayMs?: (attempt: number) => number;
  /** The longest a write that failed by network error waits for the list to catch up (default 15 s). */
  catchUpHoldMs?: number;
}

/**
 * Writes waiting for the server, in order; each `key` is its Idempotency-Key and real-time mutation id.
 * Where the two stores differ, the store decides, not the queue: the lists store keeps one queue per list (a
 * list's waiting write holds back only that list's) and forgets an idle one (`onIdle`); what a refusal means is
 * the store's (`onSettled`: the tasks store drops a deleted task's other changes; the lists store's `send` takes
 * a deletion refused as not found as done).
 */
export class WriteQueue<W extends { readonly key: string }> {
  private queued: readonly W[] = [];
  private sending = false;
  /** The key of the write being sent now (its answer is on its way). */
  private inFlight: string | null = null;
  /** The write on its way whose echo arrived: the server applied it, answered or not. */
  private echoedInFlight: string | null = null;
  private stalled: StalledBy | null = null;
  private retryAttempt = 0;
  /** Always pending while stalled: nothing else may ever send the head. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The real-time layer is catching up with the list: a write that failed by network error waits for it. */
  private catchingUp = false;
  /** Until when (`Date.now()`) such a write waits: `catchUpHoldMs` after the wait began (or its last failure). */
  private holdUntil = 0;
  private disposed = false;

  constructor(private readonly options: WriteQueueOptions<W>) {}

  /** The writes not yet settled, in the order they go (the head may be on its way). */
  get writes(): readonly W[] {
    return this.queued;
  }

  /** Why the head waits to be sent again, if it does. */
  get stalledBy(): StalledBy | null {
    return this.stalled;
  }

  find(key: string): W | undefined {
    return this.queued.find((write) => write.key === key);
  }

  /** Queues a write behind the others and sends it in its turn. Nothing is queued once disposed. */
  push(write: W): void {
    if (this.disposed) return;
    this.queued = [...this.queued, write];
    this.options.onChange();
    void this.drain();
  }

  /** Rewrites queued writes (a created task's later changes take its server id). */
  map(change: (write: W) => W): void {
    this.queued = this.queued.map(change);
  }

  /** Takes queued writes out without sending them (the store reverts them). */
  drop(predicate: (write: W) => boolean): void {
    this.queued = this.queued.filter((write) => !predicate(write));
  }

  /**
   * The server applied the write queued under `key` (its echo came): it is never sent again. One on its way is
   * left to its answer (should that be lost, its echo stands for it); any other leaves the queue as saved, and is
   * returned so the store can record that (`onSettled` is not called for it). The caller emits.
   */
  settleByEcho(key: string): W | undefined {
    const write = this.find(key);
    if (!write) return undefined;
    if (this.inFlight === key) {
      this.echoedInFlight = key;
      return undefined;
    }
    this.queued = this.queued.filter((candidate) => candidate !== write);
    if (this.queued.length === 0) {
      // Nothing left to send: no longer saving, nor waiting for the connection.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.retryAttempt = 0;
      this.stalled = null;
      this.notifyIfIdle();
    }
    return write;
  }

  /**
   * Sends the stalled head now instead of waiting for the next retry (the connection is back); while the list
   * is catching up, a write that failed by network error waits for `caughtUp` instead (its retry timer, always
   * pending meanwhile, sends it when the wait's bound passes).
   */
  retryNow(): void {
    if (this.disposed) return;
    if (this.waitsForCatchUp()) {
      // The connection is back but the list's replay is not in: send at the wait's bound, not the backoff's.
      this.armRetry(this.holdUntil - Date.now());
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAttempt = 0;
    if (!this.stalled) return;
    this.stalled = null;
    this.options.onChange();
    void this.drain();
  }

  /**
   * The real-time layer lost the list's stream or is replaying what it missed: the echo of a write whose answer
   * was lost may still come. Until `caughtUp`, such a write is not sent again (new writes, and those the server
   * answered busy, are not held back unless they queue behind one), for at most `catchUpHoldMs`.
   */
  awaitCatchUp(): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    this.holdUntil = Date.now() + this.catchUpHoldMs;
  }

  /** Every change up to the server's version was applied (or the list fetched again): send what still waits. */
  caughtUp(): void {
    if (!this.catchingUp) return;
    this.catchingUp = false;
    this.retryNow();
  }

  /**
   * The user signed out: returns the queued writes, dropped unsent; the retry timer is cleared and nothing is
   * sent any more. A write on its way gets its answer, which settles nothing. The caller emits.
   */
  dispose(): W[] {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stalled = null;
    const dropped = [...this.queued];
    this.queued = [];
    return dropped;
  }

  private get catchUpHoldMs(): number {
    return this.options.catchUpHoldMs ?? defaultCatchUpHoldMs;
  }

  /** The head failed by network error and may have been applied: only an echo can tell, for a while. */
  private waitsForCatchUp(): boolean {
    return this.catchingUp && this.stalled === 'network' && Date.now() < this.holdUntil;
  }

  private async drain(): Promise<void> {
    if (this.disposed || this.sending || this.stalled) return;
    this.sending = true;
    try {
      for (let write = this.queued[0]; write; write = this.queued[0]) {
        let outcome: WriteOutcome;
        this.inFlight = write.key;
        try {
          await this.options.send(write);
          if (this.disposed) return;
          outcome = { saved: true, by: 'answer' };
        } catch (error) {
          if (this.disposed) return;
          const apiError = toApiError(error);
          if (transientCodes.has(apiError.code) && this.echoedInFlight === write.key) {
            // Its echo came while it was on its way: the server applied it, only the answer was lost.
            outcome = { saved: true, by: 'echo' };
          } else if (transientCodes.has(apiError.code)) {
            this.stall(apiError.code === 'network_error' ? 'network' : 'server');
            return;
          } else {
            outcome = { saved: false, error: apiError };
          }
        } finally {
          this.inFlight = null;
          this.echoedInFlight = null;
        }
        if (outcome.saved) this.retryAttempt = 0;
        // By key: the store may have rewritten it meanwhile (`map`).
        this.queued = this.queued.filter((candidate) => candidate.key !== write.key);
        this.options.onSettled(write, outcome);
      }
    } finally {
      this.sending = false;
      if (!this.disposed) this.notifyIfIdle();
    }
  }

  /** Keeps the queue as it is and tries again later; `retryNow` cuts the wait short. */
  private stall(by: StalledBy): void {
    this.stalled = by;
    // Failed again while the list catches up: the network is down too, so the wait starts over.
    if (by === 'network') this.holdUntil = Date.now() + this.catchUpHoldMs;
    this.options.onChange();
    const delay = this.options.retryDelayMs?.(this.retryAttempt) ?? backoffDelay(this.retryAttempt, writeRetryBackoff);
    this.retryAttempt++;
    this.armRetry(delay);
  }

  private armRetry(delay: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.disposed) return;
      // Fired while the list catches up (the socket is down, or replaying): wait for `caughtUp`, which sends at
      // once. Sending now would race the replay that may hold the write's echo: after an outage the network
      // usually comes back before the socket has reconnected and replayed, and the echo settles the write without
      // a request (the server would not make it again, but see the note at the top). But only until the wait's bound: the
      // real-time connection may stay down while plain requests get through.
      if (this.waitsForCatchUp()) {
        this.armRetry(Math.max(0, this.holdUntil - Date.now()));
        return;
      }
      this.stalled = null;
      this.options.onChange();
      void this.drain();
    }, delay);
  }

  private notifyIfIdle(): void {
    if (this.queued.length === 0 && !this.sending && !this.stalled) this.options.onIdle?.();
  }
}
