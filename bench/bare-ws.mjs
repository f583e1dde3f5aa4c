// Baseline for bench/realtime.bench.ts: a bare ws server that broadcasts each POSTed payload to every
// socket (serialized once), with no database and no authentication.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const change = JSON.parse(body);
    const frame = JSON.stringify({ type: 'change', listId: change.listId, version: ++version, change: 'task.edited', mutationId: change.mutationId, data: { task: change.task } });
    for (const socket of wss.clients) socket.send(frame);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(change.task));
  });
});
let version = 0;
const wss = new WebSocketServer({ server, path: '/api/v1/realtime' });
server.listen(Number(process.env.PORT), '127.0.0.1');
