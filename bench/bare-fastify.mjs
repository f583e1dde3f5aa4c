// Baseline for bench/http.bench.ts: a bare Fastify server echoing a JSON body (no auth, no database).
import Fastify from 'fastify';
const app = Fastify();
app.post('/echo', async (request, reply) => reply.status(201).send({ id: 'x', ...request.body }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
