// Baseline for bench/realtime.bench.ts: a bare ws server that broadcasts each POSTed payload to every
// socket (serialized once), with no database and no authentication.
//
// With FLOOR_DATABASE_URL and FLOOR_REDIS_URL it is the floor under a many-node deployment instead: each
// payload is first written durably to PostgreSQL (one INSERT, committed), then broadcast to this node's
// sockets and published on Redis, where every other such node broadcasts it to its own. No auth, no
// access checks, no versions: only the two hops a committed, cluster-wide change cannot avoid.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const floor = process.env.FLOOR_DATABASE_URL && process.env.FLOOR_REDIS_URL;
let db = null;
let publisher = null;
const nodeId = process.env.PORT;
const channel = 'listo:bench-floor';

if (floor) {
  const { default: pg } = await import('pg');
  const { Redis } = await import('ioredis');
  db = new pg.Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: 10 }); // as a Listo node's pool
  await db.query('create table if not exists bench_floor_events (id bigserial primary key, body text not null)').catch((error) => {
    if (error.code !== '23505' && error.code !== '42P07') throw error; // the other floor node created it at the same moment
  });
  publisher = new Redis(process.env.FLOOR_REDIS_URL);
  const subscriber = new Redis(process.env.FLOOR_REDIS_URL);
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel, message) => {
    const separator = message.indexOf(' ');
    if (message.slice(0, separator) !== nodeId) broadcast(message.slice(separator + 1));
  });
}

function broadcast(frame) {
  for (const socket of wss.clients) socket.send(frame);
}

const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', async () => {
    const change = JSON.parse(body);
    const frame = JSON.stringify({
      type: 'change',
      listId: change.listId,
      version: ++version,
      change: 'task.edited',
      mutationId: change.mutationId,
      data: { task: change.task },
    });
    if (db) await db.query('insert into bench_floor_events (body) values ($1)', [frame]);
    broadcast(frame);
    if (publisher) void publisher.publish(channel, `${nodeId} ${frame}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(change.task));
  });
});
let version = 0;
const wss = new WebSocketServer({ server, path: '/api/v1/realtime' });
server.listen(Number(process.env.PORT), '127.0.0.1');
