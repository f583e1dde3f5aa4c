/**
 * Upload cost: a 5 MiB animated GIF uploaded N times (each copy made unique by a GIF comment, so nothing dedupes),
 * by a client in its own process. Run: `NODE_OPTIONS=--expose-gc npx tsx bench/upload.bench.ts` (`BENCH_RUNS=n`,
 * default 15; `--expose-gc` steadies the memory figures).
 *
 * What is measured, for each upload, interleaved (the order rotates every round, so no contender always follows the
 * same one) and on the same file system (everything is written under the same data directory):
 *  - Listo's server time: Fastify's `reply.elapsedTime`, from the moment the request's headers are parsed to the
 *    moment the last byte of the response is handed to the kernel (auth, multipart parsing, sniffing, GIF inspection,
 *    hashing, staging + fsync, quota transaction, rename + directory fsync, response). Only the previews (thumbnail,
 *    poster), made in the background after the response, are left out: they are awaited between uploads, untimed.
 *  - the time to write the same bytes to disk: open a new file, write the whole buffer in one call, fsync, close. This
 *    is the reference, and a deliberately strict one: one write of a buffer already in memory is the cheapest
 *    way to put those bytes on disk (writing them in the 64 KiB pieces a socket delivers costs more, shown for
 *    reference), and it leaves out the directory fsync that makes a new file's name durable, which Listo pays.
 *  - two bare node:http endpoints, on the same client and connection handling: one that only reads the body and
 *    discards it (what loopback and the client allow: if this were slow, the client would be the bottleneck) and one
 *    that streams the body to a file (batched writes) and fsyncs it: the floor for receiving an upload durably.
 * The client builds each multipart body in memory before sending it and writes it in one call, so the server never
 * waits for the client (the earlier client, which streamed the file through an async generator, gave the same Listo
 * times: it was not the bottleneck; the discard endpoint shows what is left for the client and loopback). Each
 * server measures its own time. Every HTTP upload starts after a GC and a
 * 30 ms pause. Peak growth of the server's resident memory is sampled every 2 ms in separate uploads (the sampler
 * itself slowed the timed uploads by milliseconds), for the GIF and for a 20 MiB file (it should not grow with the
 * upload). The machine is shared: compare ratios from the same run, and repeat runs.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { machine } from './support.js';

const MiB = 1024 * 1024;
const runs = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const rss = () => process.memoryUsage.rss();

/** An animated GIF of noise (noise does not compress) of about `targetBytes`. */
async function makeGif(targetBytes: number): Promise<Buffer> {
  const [width, height] = [640, 480];
  const encode = (frames: number) => {
    const raw = randomBytes(width * height * frames * 4);
    for (let i = 3; i < raw.length; i += 4) raw[i] = 255;
    return sharp(raw, { raw: { width, height: height * frames, channels: 4, pageHeight: height } })
      .gif({ effort: 1, dither: 0 })
      .toBuffer();
  };
  const perFrame = (await encode(2)).length / 2;
  return encode(Math.max(1, Math.round(targetBytes / perFrame)));
}

/** The same GIF with a comment extension after the colour table: unique bytes, still a valid GIF. */
function withComment(gif: Buffer, text: string): Buffer {
  const packed = gif[10]!;
  const headerEnd = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, text.length]), Buffer.from(text, 'latin1'), Buffer.from([0])]);
  return Buffer.concat([gif.subarray(0, headerEnd), comment, gif.subarray(headerEnd)]);
}

/** The uploader runs in its own process: the server's event loop and memory are its own. */
const client = fork(path.join(import.meta.dirname, 'upload-client.worker.mjs'), { execArgv: [] });
function uploadFile(url: string, route: string, cookie: string, file: string, name: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    client.once('message', (reply) => resolve(reply as { status: number; body: string }));
    client.send({ url, route, cookie, file, name });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-upload-bench-'));
// The bare endpoints' files and the fs writes go next to Listo's blobs: same file system, same directory depth.
const scratch = path.join(dataDir, 'bench-scratch');
fs.mkdirSync(scratch);

// Listo, with a hook recording each upload's server time.
const app = await buildApp(loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
let lastServerMs = 0;
app.addHook('onResponse', async (request, reply) => {
  if (request.method === 'POST' && request.url.startsWith('/api/v1/uploads')) lastServerMs = reply.elapsedTime;
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const signup = await fetch(`${url}/api/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: url },
  body: JSON.stringify({ email: `bench.${Date.now()}@bench.local`, password: 'benchmark-password', name: 'Bench' }),
});
const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;

// The bare endpoints, timed like Fastify times Listo: from the request (headers parsed) to the response's 'finish'.
let lastBareMs = 0;
const bare = http.createServer((request, response) => {
  const started = performance.now();
  const done = (status: number) => {
    response.on('finish', () => (lastBareMs = performance.now() - started));
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  };
  if (request.url === '/discard') {
    request.on('end', () => done(200)).resume();
    return;
  }
  if (request.url !== '/bare') {
    response.writeHead(404).end();
    return;
  }
  // Receive + write + fsync: chunks that arrive while a write is in flight go out together (the stream's writev);
  // `flush` fsyncs before the close, which the pipeline waits for.
  const target = path.join(scratch, `bare-${randomBytes(6).toString('hex')}`);
  const out = fs.createWriteStream(target, { flags: 'wx', highWaterMark: MiB, flush: true });
  pipeline(request, out).then(
    () => {
      if (!out.closed) throw new Error('the file is not closed yet');
      done(201);
      fs.rmSync(target);
    },
    () => done(500),
  );
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

let baseGif: Buffer | null = await makeGif(5 * MiB);
const files: string[] = [];
const memoryRuns = Math.max(3, Math.ceil(runs / 3));
for (let i = 0; i < runs + 2 + memoryRuns; i++) {
  const file = path.join(scratch, `gif-${i}.gif`);
  fs.writeFileSync(file, withComment(baseGif, `bench run ${i} ${randomBytes(8).toString('hex')}`));
  files.push(file);
}
baseGif = null;
const gifBytes = fs.statSync(files[0]!).size;
const bigFile = path.join(scratch, 'big.bin');
fs.writeFileSync(bigFile, randomBytes(20 * MiB));

/** One HTTP upload; with `sampleRss`, the peak growth of this process's resident memory meanwhile. */
async function upload(send: () => Promise<{ status: number; body: string }>, serverMs: () => number, sampleRss = false) {
  gc();
  await new Promise((r) => setTimeout(r, 30));
  const baseline = rss();
  let peak = baseline;
  const sampler = sampleRss ? setInterval(() => (peak = Math.max(peak, rss())), 2) : null;
  const result = await send();
  if (sampler) clearInterval(sampler);
  peak = Math.max(peak, rss());
  if (result.status >= 300) throw new Error(`upload failed: ${result.status} ${result.body}`);
  return { ms: serverMs(), growth: peak - baseline, body: result.body };
}

/** Uploads one file to Listo; then waits for its previews (made in the background, not timed). */
async function listo(file: string, name: string, sampleRss = false) {
  const result = await upload(
    () => uploadFile(url, '/api/v1/uploads', cookie, file, name),
    () => lastServerMs,
    sampleRss,
  );
  const made = JSON.parse(result.body) as { posterUrl?: string; thumbnailUrl?: string };
  for (const preview of [made.posterUrl, made.thumbnailUrl]) {
    if (preview) await fetch(`${url}${preview}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
  }
  return result;
}

const bareUpload = (file: string, route: '/bare' | '/discard') =>
  upload(
    () => uploadFile(bareUrl, route, cookie, file, 'bare.gif'),
    () => lastBareMs,
  );

/** Writes the bytes to a new file: in one call, in 64 KiB pieces, each then fsynced; and in one call without fsync. */
function writeTimes(payload: Buffer) {
  gc();
  const target = path.join(scratch, `write-${randomBytes(6).toString('hex')}.gif`);
  const time = (write: (fd: number) => void, sync: boolean) => {
    const started = performance.now();
    const fd = fs.openSync(target, 'wx');
    write(fd);
    if (sync) fs.fsyncSync(fd);
    fs.closeSync(fd);
    const elapsed = performance.now() - started;
    fs.rmSync(target);
    return elapsed;
  };
  const whole = (fd: number) => fs.writeSync(fd, payload);
  const pieces = (fd: number) => {
    for (let at = 0; at < payload.length; at += 64 * 1024) fs.writeSync(fd, payload, at, Math.min(64 * 1024, payload.length - at));
  };
  return { durable: time(whole, true), chunked: time(pieces, true), plain: time(whole, false) };
}

// Warm up (JIT, first sharp load, SQLite pages, connections).
await listo(files[runs]!, 'warm.gif');
await listo(files[runs + 1]!, 'warm2.gif');
await bareUpload(files[runs]!, '/bare');
await bareUpload(files[runs]!, '/discard');
writeTimes(fs.readFileSync(files[runs]!));

const server: number[] = [];
const plain: number[] = [];
const durable: number[] = [];
const chunked: number[] = [];
const floor: number[] = [];
const discard: number[] = [];
const roundRatios: number[] = [];
for (let i = 0; i < runs; i++) {
  const payload = fs.readFileSync(files[i]!);
  const steps = [
    async () => {
      server.push((await listo(files[i]!, `run-${i}.gif`)).ms);
    },
    async () => floor.push((await bareUpload(files[i]!, '/bare')).ms),
    async () => discard.push((await bareUpload(files[i]!, '/discard')).ms),
    async () => {
      const writes = writeTimes(payload);
      plain.push(writes.plain);
      durable.push(writes.durable);
      chunked.push(writes.chunked);
    },
  ];
  for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
  roundRatios.push(server.at(-1)! / durable.at(-1)!);
}
// Memory, in uploads of their own: the 2 ms RSS sampler would otherwise slow the timed ones down.
const growth: number[] = [];
for (let i = 0; i < memoryRuns; i++) growth.push((await listo(files[runs + 2 + i]!, `memory-${i}.gif`, true)).growth);
const big = await listo(bigFile, 'big.bin', true);

const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2);
console.log(`Upload benchmark — ${machine()}`);
console.log(`GIF of ${mb(gifBytes)}, ${runs} rounds; medians:`);
console.log(`  Listo server time:                                ${ms(median(server))}`);
console.log(
  `  fs: write in one call + fsync (the reference):    ${ms(median(durable))}  (64 KiB pieces + fsync: ${ms(median(chunked))}; one call, no fsync: ${ms(median(plain))})`,
);
console.log(`  bare endpoint, receive + write + fsync:           ${ms(median(floor))}`);
console.log(`  bare endpoint, receive and discard:               ${ms(median(discard))}`);
console.log(
  `  ratios: Listo / fs write+fsync ${ratio(server, durable)} (median of per-round ratios ${median(roundRatios).toFixed(2)}), Listo / bare receive+write+fsync ${ratio(server, floor)}, bare receive+write+fsync / fs write+fsync ${ratio(floor, durable)}`,
);
console.log(
  `  peak RSS growth during a Listo upload (${memoryRuns} more uploads, sampled every 2 ms): median ${mb(median(growth))}, max ${mb(Math.max(...growth))} (${(Math.max(...growth) / gifBytes).toFixed(2)}× the upload)`,
);
console.log(`20 MiB file: server ${ms(big.ms)}, peak RSS growth ${mb(big.growth)} (${(big.growth / (20 * MiB)).toFixed(2)}× the upload)`);

client.kill();
bare.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
