/** A WebSocket test client: connects like a browser (cookie + Origin) or a script (Bearer), and awaits messages. */
import WebSocket from 'ws';
import type { ApiClient } from './client.js';

export class TestSocket {
  readonly messages: any[] = [];
  private waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => (w.predicate(message) ? (w.resolve(message), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(baseUrl: string, client: ApiClient, headers: Record<string, string> = {}): Promise<TestSocket> {
    const url = baseUrl.replace(/^http/, 'ws') + '/api/v1/realtime';
    const auth: Record<string, string> = {};
    if (client.cookie) auth.cookie = client.cookie;
    if (client.bearer) auth.authorization = `Bearer ${client.bearer}`;
    const ws = new WebSocket(url, { headers: { ...(client.cookie ? { origin: baseUrl } : {}), ...auth, ...headers } });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or future) that matches. */
  next(predicate: (m: any) => boolean, timeoutMs = 3_000): Promise<any> {
    const seen = this.messages.find(predicate);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  async subscribe(listId: string, sinceVersion?: number): Promise<{ version: number }> {
    this.send({ type: 'subscribe', listId, ...(sinceVersion === undefined ? {} : { sinceVersion }) });
    return this.next((m) => (m.type === 'subscribed' || m.type === 'error') && m.listId === listId);
  }

  changes(listId: string): any[] {
    return this.messages.filter((m) => m.type === 'change' && m.listId === listId);
  }

  close(): void {
    this.ws.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, polling. */
export async function eventually(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
