/**
 * Who is viewing each list on the other nodes, as they last said. A node repeats its viewers every heartbeat;
 * one that stops (it died, or the link to it did) is forgotten after `ttlMs`, and `expire` names the lists whose
 * viewers changed then, so they can be told.
 */
import type { Viewer } from '../../core/realtime/protocol.js';

export class RemotePresence {
  private readonly byList = new Map<string, Map<string, { viewers: Viewer[]; expiresAt: number }>>();

  constructor(private readonly ttlMs: number) {}

  set(nodeId: string, listId: string, viewers: Viewer[], now: number): void {
    let byNode = this.byList.get(listId);
    if (!byNode) this.byList.set(listId, (byNode = new Map()));
    byNode.set(nodeId, { viewers, expiresAt: now + this.ttlMs });
  }

  /** The viewers other nodes reported for the list and have not outlived. */
  viewers(listId: string, now: number): Viewer[] {
    const viewers: Viewer[] = [];
    for (const entry of this.byList.get(listId)?.values() ?? []) if (entry.expiresAt >= now) viewers.push(...entry.viewers);
    return viewers;
  }

  /** Forgets what expired; returns the lists that had a viewer among it. */
  expire(now: number): string[] {
    const changed: string[] = [];
    for (const [listId, byNode] of this.byList) {
      let lostViewer = false;
      for (const [nodeId, entry] of byNode) {
        if (entry.expiresAt >= now) continue;
        byNode.delete(nodeId);
        if (entry.viewers.length > 0) lostViewer = true;
      }
      if (byNode.size === 0) this.byList.delete(listId);
      if (lostViewer) changed.push(listId);
    }
    return changed;
  }
}
