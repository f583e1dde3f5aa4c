import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.js';
import { WriteQueue, type WriteOutcome, type WriteQueueOptions } from './write-queue.js';

interface Write {
  key: string;
  name: string;
}

const offline = () => new ApiError('network_error', 0, 'Cannot reach Listo.');
const busy = () => new ApiError('service_unavailable', 503, 'Listo is busy; try again shortly.');
const forbidden = () => new ApiError('forbidden', 403, 'Your role (viewer) cannot edit tasks');

/**
 * A queue in front of a fake server that records every request (`name key`) and answers as `server.answer`
 * says: `ok`, or the error to throw (null: ok); `hold` keeps each answer until `release`.
 */
function setup(options: Partial<WriteQueueOptions<Write>> = {}) {
  const server = {
    answer: 'ok' as 'ok' | ((write: Write) => ApiError | null),
    hold: false,
    requests: [] as string[],
    held: [] as (() => void)[],
    release() {
      this.hold = false;
      this.held.splice(0).forEach((answer) => answer());
    },
  };
  const settled: { name: string; outcome: WriteOutcome }[] = [];
  const queue = new WriteQueue<Write>({
    send: async (write) => {
      server.requests.push(`${write.name} ${write.key}`);
      if (server.hold) await new Promise<void>((resolve) => server.held.push(resolve));
      const error = server.answer === 'ok' ? null : server.answer(write);
      if (error) throw error;
    },
    onSettled: (write, outcome) => settled.push({ name: write.name, outcome }),
    onChange: () => {},
    retryDelayMs: () => 1_000,
    ...options,
  });
  let keys = 0;
  const push = (name: string): Write => {
    const write = { key: `key-${++keys}`, name };
    queue.push(write);
    return write;
  };
  /** The requests, by write name. */
  const sent = () => server.requests.map((request) => request.split(' ')[0]);
  return { queue, server, settled, push, sent };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WriteQueue', () => {
  it('sends writes one at a time, in the order they were made', async () => {
    const { queue, server, settled, push, sent } = setup();
    server.hold = true;
    push('rename');
    push('archive');
    push('delete');
    await flush();
    expect(sent()).toEqual(['rename']); // the next waits for this one's answer
    expect(queue.writes.map((write) => write.name)).toEqual(['rename', 'archive', 'delete']);
    for (let i = 0; i < 3; i++) {
      server.release();
      server.hold = true;
      await flush();
    }
    expect(sent()).toEqual(['rename', 'archive', 'delete']);
    expect(settled).toEqual(['rename', 'archive', 'delete'].map((name) => ({ name, outcome: { saved: true, by: 'answer' } })));
    expect(queue.writes).toEqual([]);
  });

  it('keeps a write that could not reach the server at the head, and sends it again with the same key, then the rest in order', async () => {
    const { queue, server, settled, push } = setup();
    server.answer = offline;
    const first = push('rename');
    const second = push('archive');
    await flush();
    expect(queue.stalledBy).toBe('network');
    await vi.advanceTimersByTimeAsync(1_000); // its backoff: tried again, still offline
    expect(server.requests).toEqual([`rename ${first.key}`, `rename ${first.key}`]);

    server.answer = busy; // the server is back, but busy
    queue.retryNow(); // the browser is back online
    await flush();
    expect(queue.stalledBy).toBe('server');
    server.answer = 'ok';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests.slice(2)).toEqual([`rename ${first.key}`, `rename ${first.key}`, `archive ${second.key}`]);
    expect(settled.map(({ name }) => name)).toEqual(['rename', 'archive']);
    expect(queue.stalledBy).toBeNull();
    expect(queue.writes).toEqual([]);
  });

  it('takes a refused write out of the queue, says why, and goes on with the next', async () => {
    const { server, settled, push, sent } = setup();
    server.answer = (write) => (write.name === 'rename' ? forbidden() : null);
    push('rename');
    push('archive');
    await flush();
    expect(sent()).toEqual(['rename', 'archive']);
    expect(settled).toEqual([
      { name: 'rename', outcome: { saved: false, error: expect.objectContaining({ code: 'forbidden' }) } },
      { name: 'archive', outcome: { saved: true, by: 'answer' } },
    ]);
  });

  it('never sends again a waiting write whose echo arrived, and sends the rest', async () => {
    const { queue, server, settled, push, sent } = setup();
    server.answer = offline;
    const rename = push('rename');
    push('archive');
    await flush();
    // The rename had reached the server (only its answer was lost): its echo comes.
    expect(queue.settleByEcho(rename.key)).toBe(rename);
    expect(queue.writes.map((write) => write.name)).toEqual(['archive']);
    server.answer = 'ok';
    queue.retryNow();
    await flush();
    expect(sent()).toEqual(['rename', 'archive']);
    expect(settled.map(({ name }) => name)).toEqual(['archive']); // the echo's write is the caller's to record
  });

  it('settling the last waiting write by its echo ends the wait: nothing more is sent', async () => {
    const { queue, server, push, sent } = setup();
    server.answer = offline;
    const rename = push('rename');
    await flush();
    queue.settleByEcho(rename.key);
    expect(queue.stalledBy).toBeNull();
    server.answer = 'ok';
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent()).toEqual(['rename']);
  });

  it('takes the echo of a write on its way for its answer when that answer is lost', async () => {
    const { queue, server, settled, push, sent } = setup();
    server.hold = true;
    const rename = push('rename');
    push('archive');
    await flush();
    expect(queue.settleByEcho(rename.key)).toBeUndefined(); // on its way: left to its answer
    server.answer = offline; // …which is lost
    server.release();
    server.hold = true;
    await flush();
    server.answer = 'ok';
    server.release();
    await flush();
    expect(sent()).toEqual(['rename', 'archive']);
    expect(settled).toEqual([
      { name: 'rename', outcome: { saved: true, by: 'echo' } },
      { name: 'archive', outcome: { saved: true, by: 'answer' } },
    ]);
  });

  it('while the list catches up, a write that failed by network error waits for it, then goes at once with its key', async () => {
    const { queue, server, push } = setup({ retryDelayMs: () => 60_000 });
    queue.awaitCatchUp(); // the socket dropped: the list's replay will follow the reconnection
    server.answer = offline;
    const rename = push('rename');
    await flush();
    server.answer = 'ok';
    queue.retryNow(); // back online; the replay is not in yet
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests).toHaveLength(1);
    queue.caughtUp(); // no echo of it in the replay: it had not reached the server
    await flush();
    expect(server.requests).toEqual([`rename ${rename.key}`, `rename ${rename.key}`]);
    expect(queue.writes).toEqual([]);
  });

  it('holds such a write for at most 15 s, then sends it anyway with its key (the socket may stay down)', async () => {
    const { queue, server, push } = setup({ retryDelayMs: () => 60_000 });
    queue.awaitCatchUp();
    server.answer = offline;
    const rename = push('rename');
    await flush();
    server.answer = 'ok';
    queue.retryNow();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toEqual([`rename ${rename.key}`, `rename ${rename.key}`]);
    expect(queue.stalledBy).toBeNull();
  });

  it('a write that fails again while held waits 15 s from that failure', async () => {
    const { queue, server, push } = setup({ retryDelayMs: () => 1_000 });
    queue.awaitCatchUp();
    server.answer = offline;
    push('rename');
    await vi.advanceTimersByTimeAsync(15_000); // tried again at the bound: still offline
    expect(server.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(14_999); // the wait started over with that failure
    expect(server.requests).toHaveLength(2);
    server.answer = 'ok'; // no online event, no socket: only its timer sends it
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(3);
    expect(queue.writes).toEqual([]);
  });

  it('a write that failed before the catch-up began waits 15 s from its beginning', async () => {
    const { queue, server, push } = setup({ retryDelayMs: () => 60_000 });
    server.answer = offline;
    push('rename');
    await vi.advanceTimersByTimeAsync(10_000);
    queue.awaitCatchUp(); // only now is the socket seen to be down
    server.answer = 'ok';
    queue.retryNow();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
  });

  it('does not hold a write the server answered busy (it did not apply it)', async () => {
    const { queue, server, push } = setup({ retryDelayMs: () => 60_000 });
    queue.awaitCatchUp();
    server.answer = busy;
    push('rename');
    await flush();
    server.answer = 'ok';
    queue.retryNow();
    await flush();
    expect(server.requests).toHaveLength(2);
  });

  it('after dispose sends nothing: the queued writes are handed back unsent, and no timer, retry or catch-up sends them', async () => {
    const { queue, server, settled, push, sent } = setup();
    queue.awaitCatchUp();
    server.answer = busy;
    push('rename');
    push('archive');
    await flush();
    expect(queue.dispose().map((write) => write.name)).toEqual(['rename', 'archive']);
    expect(queue.writes).toEqual([]);
    expect(queue.stalledBy).toBeNull();
    server.answer = 'ok';
    await vi.advanceTimersByTimeAsync(120_000);
    queue.retryNow();
    queue.caughtUp();
    push('delete');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent()).toEqual(['rename']);
    expect(settled).toEqual([]);
    expect(queue.writes).toEqual([]);
  });

  it('a write on its way at dispose gets its answer, which settles nothing, and the writes behind it are not sent', async () => {
    const { queue, server, settled, push, sent } = setup();
    server.hold = true;
    push('rename');
    push('archive');
    await flush();
    queue.dispose();
    server.release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent()).toEqual(['rename']);
    expect(settled).toEqual([]);
  });
});
