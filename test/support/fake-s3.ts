/**
 * A tiny in-process S3-compatible server for tests: PUT/GET/HEAD/DELETE object, path-style, in memory.
 * It checks every request's SigV4 signature (recomputed with aws4 from the signed headers) and the payload hash.
 * `fault` makes it misbehave as real stores do: error answers (503 SlowDown), GET bodies cut, slow, stalled or held.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';

/** How the store misbehaves for one request (what `fault` returns for it). */
export type FakeS3Fault =
  /** An error answer instead of the normal one (503 SlowDown, 500 InternalError). */
  | { status: number; body?: string }
  /** A GET whose body stops after that many bytes: the connection is destroyed (a network failure mid-way). */
  | { cutAfterBytes: number }
  /** A GET whose body stops after that many bytes while the connection stays open (a store that stops sending). */
  | { stallAfterBytes: number }
  /** A GET whose body comes slowly, `chunkBytes` every `everyMs` (a slow but healthy transfer). */
  | { chunkBytes: number; everyMs: number }
  /** No answer at all: the headers never come. */
  | { hang: true }
  /** Answered normally, but only once `until` has settled (a store that takes its time, released by the test). */
  | { holdUntil: Promise<unknown> };

export interface FakeS3 {
  url: string;
  bucket: string;
  objects: Map<string, Buffer>;
  requests: { method: string; key: string; status: number }[];
  /** Requests held by a `holdUntil` fault, as they arrived (answered or not). */
  held: { method: string; key: string }[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** Decides, per request, whether it misbehaves (undefined: served normally). */
  fault: ((request: { method: string; key: string }) => FakeS3Fault | undefined) | null;
  close(): Promise<void>;
}

export async function startFakeS3(bucket = 'listo-test'): Promise<FakeS3> {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test-key' };
  const region = 'us-east-1';
  const objects = new Map<string, Buffer>();
  const requests: FakeS3['requests'] = [];
  const held: FakeS3['held'] = [];
  const sockets = new Set<import('node:net').Socket>();
  let fault: FakeS3['fault'] = null;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const reply = (status: number, payload: Buffer | string = '', headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? '', key, status });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : payload);
    };

    const authorization = req.headers.authorization ?? '';
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) if (name !== 'host') headers[name] = String(req.headers[name] ?? '');
    const expected = aws4.sign({ host: req.headers.host, path: req.url, method: req.method, service: 's3', region, headers }, credentials);
    if (!authorization || expected.headers?.Authorization !== authorization) return reply(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
    if (bucketName !== bucket) return reply(404, '<Error><Code>NoSuchBucket</Code></Error>');

    let misbehaviour = fault?.({ method: req.method ?? '', key });
    if (misbehaviour && 'holdUntil' in misbehaviour) {
      held.push({ method: req.method ?? '', key });
      await misbehaviour.holdUntil.catch(() => {});
      misbehaviour = undefined;
    }
    if (misbehaviour && 'status' in misbehaviour) return reply(misbehaviour.status, misbehaviour.body ?? '');
    if (misbehaviour && 'hang' in misbehaviour) {
      requests.push({ method: req.method ?? '', key, status: 0 });
      return;
    }
    const object = objects.get(key);
    if (misbehaviour && req.method === 'GET' && object) {
      requests.push({ method: 'GET', key, status: 200 });
      res.writeHead(200, { 'content-length': String(object.length), 'content-type': 'application/octet-stream' });
      if ('cutAfterBytes' in misbehaviour) {
        res.write(object.subarray(0, misbehaviour.cutAfterBytes), () => setTimeout(() => res.socket?.destroy(), 20));
      } else if ('stallAfterBytes' in misbehaviour) {
        res.write(object.subarray(0, misbehaviour.stallAfterBytes));
      } else {
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          const next = object.subarray(sent, sent + misbehaviour.chunkBytes);
          sent += next.length;
          if (sent >= object.length) {
            clearInterval(timer);
            res.end(next);
          } else res.write(next);
        }, misbehaviour.everyMs);
      }
      return;
    }

    switch (req.method) {
      case 'PUT': {
        if (createHash('sha256').update(body).digest('hex') !== req.headers['x-amz-content-sha256'])
          return reply(400, '<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
        if (Number(req.headers['content-length']) !== body.length) return reply(400, '<Error><Code>IncompleteBody</Code></Error>');
        objects.set(key, body);
        return reply(200, '', { etag: '"x"' });
      }
      case 'GET':
      case 'HEAD': {
        if (!object) return reply(404, '<Error><Code>NoSuchKey</Code></Error>');
        return reply(200, object, { 'content-length': String(object.length), 'content-type': 'application/octet-stream' });
      }
      case 'DELETE':
        objects.delete(key);
        return reply(204);
      default:
        return reply(405);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    requests,
    held,
    credentials,
    region,
    get fault() {
      return fault;
    },
    set fault(value) {
      fault = value;
    },
    close: () =>
      new Promise((resolve) => {
        // Stalled or hung answers would keep the server open for good.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
