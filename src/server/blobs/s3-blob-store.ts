/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO, R2…), over fetch with SigV4 signatures (aws4). Path-style
 * URLs: `<endpoint>/<bucket>/<key>`. Bytes are staged in a local file first, so the payload hash is signed and a PUT
 * carries an exact Content-Length without holding the upload in memory.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import aws4 from 'aws4';
import { assertBlobKey, type BlobStore, type BlobWriter } from './blob-store.js';
import type { S3Settings } from './s3-settings.js';
import { createStagedWriter, putThroughWriter } from './staged-writer.js';
import { sweepStagingDir } from './staging-file.js';

const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const requestTimeoutMs = 120_000;

export function createS3BlobStore(settings: S3Settings, options: { stagingDir: string; fetch?: typeof fetch }): BlobStore {
  const doFetch = options.fetch ?? fetch;
  const endpoint = new URL(settings.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  void sweepStagingDir(options.stagingDir, 3_600_000);

  async function send(method: string, key: string, init: { body?: Readable; length?: number; sha256?: string } = {}): Promise<Response> {
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
    const requestInit: RequestInit & { duplex?: 'half' } = {
      method,
      headers: signed.headers as Record<string, string>,
      signal: AbortSignal.timeout(requestTimeoutMs),
    };
    if (init.body) {
      requestInit.body = Readable.toWeb(init.body) as ReadableStream<Uint8Array>;
      requestInit.duplex = 'half';
    }
    return doFetch(`${endpoint.protocol}//${endpoint.host}${objectPath}`, requestInit);
  }

  async function fail(response: Response, what: string): Promise<never> {
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    throw new Error(`S3 ${what} failed: ${response.status} ${detail}`);
  }

  async function has(key: string): Promise<boolean> {
    const response = await send('HEAD', key);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    return fail(response, `HEAD ${key}`);
  }

  const create = (): Promise<BlobWriter> =>
    createStagedWriter(options.stagingDir, async (staged, { key, size, sha256 }) => {
      if (!(await has(key))) {
        const response = await send('PUT', key, { body: fs.createReadStream(staged.path), length: size, sha256 });
        if (response.status !== 200) await fail(response, `PUT ${key}`);
        await response.body?.cancel();
      }
      await staged.discard();
    });

  return {
    driver: 's3',
    create,
    put: (source, key) => putThroughWriter(create, source, key),
    async get(key) {
      const response = await send('GET', key);
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status !== 200 || !response.body) return fail(response, `GET ${key}`);
      return { body: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), size: Number(response.headers.get('content-length') ?? 0) };
    },
    has,
    async delete(key) {
      const response = await send('DELETE', key);
      await response.body?.cancel();
      if (response.status !== 204 && response.status !== 200 && response.status !== 404) await fail(response, `DELETE ${key}`);
    },
  };
}
