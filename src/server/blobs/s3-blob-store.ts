/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO, R2…), over fetch with SigV4 signatures (aws4). Path-style
 * URLs: `<endpoint>/<bucket>/<key>`. Bytes are staged in a local file first, so the payload hash is signed and a PUT
 * carries an exact Content-Length without holding the upload in memory.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import aws4 from 'aws4';
import { assertBlobKey, BlobStoreUnavailableError, type BlobStore, type BlobWriter } from './blob-store.js';
import type { S3Settings } from './s3-settings.js';
import { createStagedWriter, putThroughWriter } from './staged-writer.js';
import { sweepStagingDir } from './staging-file.js';

const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** How long the store may take to answer a request with its headers (a PUT's body is sent before them). */
const defaultHeadersTimeoutMs = 120_000;
/**
 * How long a body being read may go without a byte arriving. Only the wait for the store counts: a body read slowly
 * (a download to a slow client, paused by backpressure) is not cut, however long it takes in all.
 */
const defaultIdleTimeoutMs = 30_000;

export interface S3Timeouts {
  headersMs?: number;
  idleMs?: number;
}

/**
 * A response body as a Node stream that fails once the store sends nothing for `idleMs` while a read waits for it
 * (the request is aborted then, so the connection does not linger).
 */
function idleLimited(body: ReadableStream<Uint8Array>, abort: (reason: Error) => void, idleMs: number, what: string): Readable {
  const reader = body.getReader();
  return new Readable({
    read() {
      const timer = setTimeout(() => {
        const error = new BlobStoreUnavailableError(`S3 ${what}: no data for ${idleMs} ms`);
        abort(error);
        this.destroy(error);
      }, idleMs);
      reader.read().then(
        ({ done, value }) => {
          clearTimeout(timer);
          this.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
    destroy(error, callback) {
      reader.cancel(error ?? undefined).catch(() => {});
      callback(error);
    },
  });
}

export function createS3BlobStore(settings: S3Settings, options: { stagingDir: string; fetch?: typeof fetch; timeouts?: S3Timeouts }): BlobStore {
  const doFetch = options.fetch ?? fetch;
  const headersTimeoutMs = options.timeouts?.headersMs ?? defaultHeadersTimeoutMs;
  const idleTimeoutMs = options.timeouts?.idleMs ?? defaultIdleTimeoutMs;
  const endpoint = new URL(settings.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  void sweepStagingDir(options.stagingDir, 3_600_000);

  /**
   * Sends a request; resolves with its answer once the headers came (within `headersTimeoutMs`). `body` reads the
   * answer's body with the idle timeout; the request stays abortable until it is read.
   */
  async function send(
    method: string,
    key: string,
    init: { body?: Readable; length?: number; sha256?: string } = {},
  ): Promise<{ response: Response; body: () => Readable }> {
    const objectPath = `${basePath}/${encodeURIComponent(settings.bucket)}/${assertBlobKey(key)}`;
    const headers: Record<string, string> = { 'x-amz-content-sha256': init.sha256 ?? emptySha256 };
    if (init.body) {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = String(init.length ?? 0);
    }
    const signed = aws4.sign(
      { host: endpoint.host, path: objectPath, method, service: 's3', region: settings.region, headers },
      { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    );
    const controller = new AbortController();
    const requestInit: RequestInit & { duplex?: 'half' } = { method, headers: signed.headers as Record<string, string>, signal: controller.signal };
    if (init.body) {
      requestInit.body = Readable.toWeb(init.body) as ReadableStream<Uint8Array>;
      requestInit.duplex = 'half';
    }
    const what = `${method} ${key}`;
    // Only until the headers: a timer over the whole request would also cut a long download that is going well.
    const timer = setTimeout(() => controller.abort(new BlobStoreUnavailableError(`S3 ${what}: no answer within ${headersTimeoutMs} ms`)), headersTimeoutMs);
    let response: Response;
    try {
      response = await doFetch(`${endpoint.protocol}//${endpoint.host}${objectPath}`, requestInit);
    } catch (error) {
      // No answer at all (refused, reset, unresolvable, timed out): the store is unavailable, whatever the cause.
      if (controller.signal.aborted) throw controller.signal.reason;
      throw new BlobStoreUnavailableError(`S3 ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const body = () => (response.body ? idleLimited(response.body, (reason) => controller.abort(reason), idleTimeoutMs, what) : Readable.from([]));
    return { response, body };
  }

  async function textOf(body: Readable): Promise<string> {
    let text = '';
    for await (const chunk of body) {
      text += String(chunk);
      if (text.length >= 300) break;
    }
    return text.slice(0, 300);
  }

  async function fail(answer: { response: Response; body: () => Readable }, what: string): Promise<never> {
    const { status } = answer.response;
    const detail = await textOf(answer.body()).catch(() => '');
    const message = `S3 ${what} failed: ${status} ${detail}`;
    // 5xx (500 InternalError, 503 SlowDown) and 429 pass; anything else (403: wrong credentials) is a bug or a misconfiguration.
    throw status >= 500 || status === 429 ? new BlobStoreUnavailableError(message) : new Error(message);
  }

  async function has(key: string): Promise<boolean> {
    const answer = await send('HEAD', key);
    const { response } = answer;
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    return fail(answer, `HEAD ${key}`);
  }

  const create = (): Promise<BlobWriter> =>
    createStagedWriter(options.stagingDir, async (staged, { key, size, sha256 }) => {
      if (!(await has(key))) {
        const answer = await send('PUT', key, { body: fs.createReadStream(staged.path), length: size, sha256 });
        if (answer.response.status !== 200) await fail(answer, `PUT ${key}`);
        await answer.response.body?.cancel();
      }
      await staged.discard();
    });

  return {
    driver: 's3',
    create,
    put: (source, key) => putThroughWriter(create, source, key),
    async get(key) {
      const answer = await send('GET', key);
      const { response } = answer;
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status !== 200 || !response.body) return fail(answer, `GET ${key}`);
      return { body: answer.body(), size: Number(response.headers.get('content-length') ?? 0) };
    },
    has,
    async delete(key) {
      const answer = await send('DELETE', key);
      const { status } = answer.response;
      if (status !== 204 && status !== 200 && status !== 404) await fail(answer, `DELETE ${key}`);
      await answer.response.body?.cancel();
    },
  };
}
