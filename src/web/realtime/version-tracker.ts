/**
 * Where this client stands in one list's change stream. Versions are contiguous per list, so a change
 * is applied only right after the one before it: duplicates are dropped, a change that jumps ahead is
 * held until the missing ones arrive. Pure; the real-time client owns one per subscribed list.
 */
import type { ChangeMessage } from '../../core/realtime/protocol.js';

export type OfferResult =
  /** Apply these, in this order (the offered change and whatever was held behind it). */
  | { kind: 'apply'; changes: ChangeMessage[] }
  /** Already applied or already held: nothing to do. */
  | { kind: 'duplicate' }
  /** Held: versions after `after` are missing (ask for a replay from there). */
  | { kind: 'gap'; after: number };

/** More held changes than this means the stream is badly out of step: start over from a fetch. */
const maxHeld = 2_000;

export class VersionTracker {
  private held = new Map<number, ChangeMessage>();

  /** @param version the list version the client's copy reflects (a fetch's `listVersion`). */
  constructor(private current: number) {}

  /** The last version applied. */
  get version(): number {
    return this.current;
  }

  /** Changes are held waiting for missing versions. */
  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** Too much is held to wait for the gap: refetch instead. */
  get overflowing(): boolean {
    return this.held.size > maxHeld;
  }

  offer(change: ChangeMessage): OfferResult {
    if (change.version <= this.current || this.held.has(change.version)) return { kind: 'duplicate' };
    if (change.version > this.current + 1) {
      this.held.set(change.version, change);
      return { kind: 'gap', after: this.current };
    }
    this.current = change.version;
    return { kind: 'apply', changes: [change, ...this.drain()] };
  }

  /**
   * The client's copy was refetched and now reflects `version` (it may be older than what was applied:
   * the caller then asks the server to send the difference again). Returns the held changes that now
   * follow on, to apply.
   */
  rebase(version: number): ChangeMessage[] {
    this.current = version;
    for (const held of this.held.keys()) if (held <= version) this.held.delete(held);
    return this.drain();
  }

  private drain(): ChangeMessage[] {
    const ready: ChangeMessage[] = [];
    for (let next = this.held.get(this.current + 1); next; next = this.held.get(this.current + 1)) {
      this.held.delete(next.version);
      this.current = next.version;
      ready.push(next);
    }
    return ready;
  }
}
