/** A test server whose blob store is the fake S3 (`fake-s3.ts`), started and stopped around a describe block. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createS3BlobStore } from '../../src/server/blobs/s3-blob-store.js';
import type { TestDialect } from './dialects.js';
import { startFakeS3, type FakeS3 } from './fake-s3.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * Registers the hooks; the returned object's `s3` and `server` are set once they ran. Each test starts with no fault.
 * `timeouts`: the store's, short where a test shows in seconds what the defaults (2 min, 30 s) would do.
 */
export function serverOnFakeS3(dialect: TestDialect, timeouts: { headersMs: number; idleMs: number }) {
  const context = {} as {
    s3: FakeS3;
    server: TestServer;
    /** The content hash of an upload. */
    shaOf(uploadId: string): Promise<string>;
    /** The stored objects of a content: its bytes and previews. */
    objectsOf(sha256: string): string[];
  };
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-fake-s3-'));
  beforeAll(async () => {
    context.s3 = await startFakeS3();
    const { s3 } = context;
    const blobs = createS3BlobStore({ endpoint: s3.url, bucket: s3.bucket, region: s3.region, ...s3.credentials }, { stagingDir, timeouts });
    context.server = await startTestServer(dialect, {}, { blobs });
  });
  beforeEach(() => {
    context.s3.fault = null;
  });
  afterAll(async () => {
    if (context.s3) context.s3.fault = null;
    await context.server?.close();
    await context.s3?.close();
    fs.rmSync(stagingDir, { recursive: true, force: true });
  });
  context.shaOf = async (uploadId) =>
    (await context.server.app.listo.db.kysely.selectFrom('uploads').select('sha256').where('id', '=', uploadId).executeTakeFirstOrThrow()).sha256;
  context.objectsOf = (sha256) => [...context.s3.objects.keys()].filter((key) => key.includes(sha256));
  return context;
}
