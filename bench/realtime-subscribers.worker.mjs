// Subscribers for bench/realtime.bench.ts, in their own thread so receiving never delays the writer.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { urls, token, listId, n, bare } = workerData;
const now = () => performance.timeOrigin + performance.now();
const arrivals = new Map(); // message index -> array of absolute arrival times
const sockets = [];

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/v1/realtime', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

for (let i = 0; i < n; i++) {
  const ws = await connect(urls[i % urls.length]);
  ws.on('message', (data) => {
    const text = data.toString();
    const match = /"mutationId":"[^"]*?m-(\d+)"/.exec(text);
    if (!match) return;
    const index = Number(match[1]);
    let list = arrivals.get(index);
    if (!list) arrivals.set(index, (list = []));
    list.push(now());
  });
  if (!bare) ws.send(JSON.stringify({ type: 'subscribe', listId }));
  sockets.push(ws);
}
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (message) => {
  if (message.type !== 'finish') return;
  for (const ws of sockets) ws.terminate();
  parentPort.postMessage({ type: 'arrivals', arrivals: [...arrivals] });
});
