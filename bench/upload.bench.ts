/**
 * Upload cost: a 5 MiB animated GIF uploaded N times (each copy made unique by a GIF comment, so nothing dedupes),
 * by a client in its own process. For each upload, interleaved so they share the machine's state:
 *  - Listo's server time: request received → response sent (sniff, inspect, hash, stage + fsync, quota transaction,
 *    commit); previews are made in the background and awaited between uploads, outside the timing;
 *  - the time to write the same bytes to disk with fs (plain, and with the fsync a durable store needs);
 *  - a bare node:http endpoint that only streams the body to a file and fsyncs it: the floor for receiving an upload.
 * And the peak growth of the server's resident memory during an upload, also for a 20 MiB file (it should not grow
 * with the upload). Run: `npx tsx bench/upload.bench.ts` (`NODE_OPTIONS=--expose-gc` steadies the memory figures).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
    return sharp(raw, { raw: { width, height: height * frames, channels: 4, pageHeight: height } }).gif({ effort: 1, dither: 0 }).toBuffer();
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
function uploadFile(url: string, cookie: string, file: string, name: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    client.once('message', (reply) => resolve(reply as { status: number; body: string }));
    client.send({ url, cookie, file, name });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-upload-bench-'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-upload-bench-files-'));

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

// The floor: receive the body and write it durably, nothing else.
let lastBareMs = 0;
const bare = http.createServer((request, response) => {
  const started = performance.now();
  const target = path.join(scratch, `bare-${randomBytes(6).toString('hex')}`);
  const fd = fs.openSync(target, 'w');
  const out = fs.createWriteStream(target, { fd, autoClose: false });
  request.pipe(out).on('finish', () => {
    fs.fsync(fd, () => {
      fs.closeSync(fd);
      response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      response.on('finish', () => {
        lastBareMs = performance.now() - started;
        fs.rmSync(target);
      });
    });
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

let baseGif: Buffer | null = await makeGif(5 * MiB);
const files: string[] = [];
for (let i = 0; i < runs + 2; i++) {
  const file = path.join(scratch, `gif-${i}.gif`);
  fs.writeFileSync(file, withComment(baseGif, `bench run ${i} ${randomBytes(8).toString('hex')}`));
  files.push(file);
}
baseGif = null;
const gifBytes = fs.statSync(files[0]!).size;
const bigFile = path.join(scratch, 'big.bin');
fs.writeFileSync(bigFile, randomBytes(20 * MiB));

/** Uploads one file to Listo while sampling RSS; then waits for its previews (not timed). */
async function measured(file: string, name: string) {
  gc();
  await new Promise((r) => setTimeout(r, 30));
  const baseline = rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 2);
  const result = await uploadFile(url, cookie, file, name);
  clearInterval(sampler);
  peak = Math.max(peak, rss());
  if (result.status !== 201) throw new Error(`upload failed: ${result.status} ${result.body}`);
  const upload = JSON.parse(result.body) as { posterUrl?: string };
  if (upload.posterUrl) await fetch(`${url}${upload.posterUrl}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
  return { ms: lastServerMs, growth: peak - baseline };
}

function writeTimes(payload: Buffer) {
  const target = path.join(scratch, 'write.gif');
  let started = performance.now();
  fs.writeFileSync(target, payload);
  const plain = performance.now() - started;
  fs.rmSync(target);
  started = performance.now();
  const fd = fs.openSync(target, 'w');
  fs.writeSync(fd, payload);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  const durable = performance.now() - started;
  fs.rmSync(target);
  return { plain, durable };
}

// Warm up (JIT, first sharp load, SQLite pages).
await measured(files[runs]!, 'warm.gif');
await measured(files[runs + 1]!, 'warm2.gif');
await uploadFile(bareUrl, cookie, files[runs]!, 'warm.gif');

const server: number[] = [];
const growth: number[] = [];
const plain: number[] = [];
const durable: number[] = [];
const floor: number[] = [];
for (let i = 0; i < runs; i++) {
  const { ms, growth: g } = await measured(files[i]!, `run-${i}.gif`);
  server.push(ms);
  growth.push(g);
  await uploadFile(bareUrl, cookie, files[i]!, `run-${i}.gif`);
  floor.push(lastBareMs);
  const writes = writeTimes(fs.readFileSync(files[i]!));
  plain.push(writes.plain);
  durable.push(writes.durable);
}
const big = await measured(bigFile, 'big.bin');

const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`Upload benchmark — ${machine()}`);
console.log(`GIF of ${mb(gifBytes)}, ${runs} uploads; medians:`);
console.log(`  Listo server time:                              ${ms(median(server))}`);
console.log(`  fs write of the same bytes:                     ${ms(median(plain))}  (with fsync: ${ms(median(durable))})`);
console.log(`  bare endpoint, receive + write + fsync:         ${ms(median(floor))}`);
console.log(`  ratios: Listo / fs write+fsync ${(median(server) / median(durable)).toFixed(2)}, Listo / fs write ${(median(server) / median(plain)).toFixed(2)}, Listo / bare endpoint ${(median(server) / median(floor)).toFixed(2)}`);
console.log(`  peak RSS growth during an upload: median ${mb(median(growth))}, max ${mb(Math.max(...growth))} (${(Math.max(...growth) / gifBytes).toFixed(2)}× the upload)`);
console.log(`20 MiB file: server ${ms(big.ms)}, peak RSS growth ${mb(big.growth)} (${(big.growth / (20 * MiB)).toFixed(2)}× the upload)`);

client.kill();
bare.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(scratch, { recursive: true, force: true });
