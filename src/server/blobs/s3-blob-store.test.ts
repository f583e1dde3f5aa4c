import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../../../test/support/fake-s3.js';
import { blobStoreContract } from '../../../test/support/blob-store-contract.js';
import type { BlobStore } from './blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';
import { s3SettingsFromEnv } from './s3-settings.js';

describe('S3-compatible blob store against a local S3 server', () => {
  let s3: FakeS3;
  let store: BlobStore;
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-s3-staging-'));
  beforeAll(async () => {
    s3 = await startFakeS3();
    const settings = s3SettingsFromEnv({
      LISTO_S3_ENDPOINT: s3.url,
      LISTO_S3_BUCKET: s3.bucket,
      LISTO_S3_REGION: s3.region,
      LISTO_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      LISTO_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    })!;
    store = createS3BlobStore(settings, { stagingDir });
  });
  afterAll(async () => {
    await s3.close();
    fs.rmSync(stagingDir, { recursive: true, force: true });
  });

  blobStoreContract(() => store);

  it('signs requests (a wrong secret is refused) and skips the PUT of bytes already stored', async () => {
    const bytes = Buffer.from('signed bytes');
    const stored = await store.put(bytes);
    expect(s3.objects.get(stored.key)?.equals(bytes)).toBe(true);
    const puts = s3.requests.filter((r) => r.method === 'PUT').length;
    await store.put(bytes);
    expect(s3.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
    expect(fs.readdirSync(stagingDir)).toHaveLength(0);

    const wrong = createS3BlobStore(
      { endpoint: s3.url, bucket: s3.bucket, region: s3.region, accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'wrong' },
      { stagingDir },
    );
    await expect(wrong.has(stored.key)).rejects.toThrow(/403/);
  });

  it('needs credentials when a bucket is configured', () => {
    expect(s3SettingsFromEnv({})).toBeNull();
    expect(() => s3SettingsFromEnv({ LISTO_S3_BUCKET: 'b' })).toThrow(/ACCESS_KEY/);
  });
});
