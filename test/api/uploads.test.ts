import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/server/blobs/blob-store.js';
import { createFsBlobStore } from '../../src/server/blobs/fs-blob-store.js';
import { createS3BlobStore } from '../../src/server/blobs/s3-blob-store.js';
import { setStorageLimits } from '../../src/server/features/uploads/upload.repository.js';
import { runMaintenance } from '../../src/server/jobs/maintenance.js';
import { createList, createTask, createUser, type ApiClient, type ApiResponse } from '../support/client.js';
import { testDialects } from '../support/dialects.js';
import { startFakeS3 } from '../support/fake-s3.js';
import sharp from 'sharp';
import {
  corrupt,
  makeApngFrameBomb,
  makeGif,
  makeNoisyGif,
  makeGifFrameBomb,
  makeJpeg,
  makePng,
  makePngBomb,
  makeWebp,
  makeWebpFrameBomb,
  makeZip,
  svgWithScript,
} from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addToWorkspace, createTeamWorkspace, shareList } from '../support/sharing.js';
import { download, multipart, streamingUpload, upload } from '../support/uploads.js';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Files under a directory, recursively (relative paths). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** A PNG that is valid as far as it goes: signature, IHDR, then an IDAT chunk claiming to be huge. */
function pngHeadWithHugeIdat(): Buffer {
  const head = makePngBomb(1000, 1000).subarray(0, 33);
  const idat = Buffer.alloc(8);
  idat.writeUInt32BE(0x7fff0000, 0);
  idat.write('IDAT', 4, 'latin1');
  return Buffer.concat([head, idat]);
}

describe.each(testDialects())('uploads on %s', (dialect) => {
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let workspaceId: string;
  let png: Buffer;
  let gif: Buffer;

  const db = () => server.app.listo.db.kysely;
  const stagingFiles = () => filesUnder(path.join(server.config.dataDir, 'blobs', '.tmp'));
  const contentBlobs = () => filesUnder(path.join(server.config.dataDir, 'blobs', 'content'));
  const usage = async (id: string) =>
    Number((await db().selectFrom('workspace_storage').select('used_bytes').where('workspace_id', '=', id).executeTakeFirst())?.used_bytes ?? 0);
  const expectProblem = (response: { status: number; body: any }, status: number, code: string, reason?: string) => {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body).toMatchObject({ status, code });
    if (reason) expect(response.body.reason).toBe(reason);
  };

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server.url, 'Owner');
    workspaceId = (await owner.client.get('/api/v1/me')).body.workspaces[0].id;
    png = await makePng(64, 48);
    gif = await makeGif(5, 40, 30);
  });
  afterAll(() => server.close());

  it('stores PNG, JPEG, WebP and animated GIF, sniffed from the bytes, and serves them back with safe headers', async () => {
    const cases = [
      { bytes: png, name: 'photo.png', mime: 'image/png', kind: 'image' },
      { bytes: await makeJpeg(64, 48), name: 'photo.jpeg', mime: 'image/jpeg', kind: 'image' },
      { bytes: await makeWebp(64, 48), name: 'photo.webp', mime: 'image/webp', kind: 'image' },
    ];
    for (const { bytes, name, mime, kind } of cases) {
      const created = await upload(owner.client, bytes, name, { contentType: 'text/html' }); // the client's header is ignored
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        workspaceId,
        kind,
        mimeType: mime,
        size: bytes.length,
        name,
        width: 64,
        height: 48,
        frames: 1,
        url: `/api/v1/uploads/${created.body.id}/content`,
        thumbnailUrl: `/api/v1/uploads/${created.body.id}/thumbnail`,
        createdAt: expect.any(String),
      });
      const served = await download(owner.client, created.body.url);
      expect(served.status).toBe(200);
      expect(served.bytes.equals(bytes)).toBe(true);
      expect(served.headers.get('content-type')).toBe(mime);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('content-security-policy')).toContain('sandbox');
      expect(served.headers.get('content-disposition')).toBe(`inline; filename="${name}"; filename*=UTF-8''${name}`);
      const thumbnail = await download(owner.client, created.body.thumbnailUrl);
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers.get('content-type')).toBe('image/webp');
      expect(thumbnail.bytes.subarray(8, 12).toString()).toBe('WEBP');
      const etag = served.headers.get('etag')!;
      expect((await download(owner.client, created.body.url, { 'if-none-match': etag })).status).toBe(304);
    }

    const animated = await upload(owner.client, gif, 'dance.gif');
    expect(animated.body).toMatchObject({
      kind: 'gif',
      mimeType: 'image/gif',
      width: 40,
      height: 30,
      frames: 5,
      posterUrl: `/api/v1/uploads/${animated.body.id}/poster`,
    });
    expect((await download(owner.client, animated.body.url)).bytes.equals(gif)).toBe(true); // as uploaded: still animated
    const poster = await download(owner.client, animated.body.posterUrl);
    expect(poster.status).toBe(200);
    expect(poster.bytes.subarray(8, 12).toString()).toBe('WEBP');
    expect((await download(owner.client, `/api/v1/uploads/${animated.body.id}/thumbnail`)).status).toBe(200);
    expect((await owner.client.get(`/api/v1/uploads/${animated.body.id}`)).body).toEqual(animated.body);
  });

  it('makes previews of large GIFs once, in the background, or on demand if asked for first', async () => {
    const large = await makeNoisyGif(10, 360, 280);
    expect(large.length).toBeGreaterThan(MiB);
    const uploaded = await upload(owner.client, large, 'big.gif');
    expect(uploaded.status).toBe(201);
    const poster = await download(owner.client, uploaded.body.posterUrl); // made now if the queue has not got to it
    expect(poster.status).toBe(200);
    expect(await sharp(poster.bytes).metadata()).toMatchObject({ format: 'webp', width: 360, height: 280 });
    const again = await upload(owner.client, large, 'same-bytes.gif');
    const row = await db().selectFrom('uploads').select(['poster_key', 'thumbnail_key']).where('id', '=', again.body.id).executeTakeFirstOrThrow();
    expect(row.poster_key).toMatch(/^preview\//); // shared with the first upload of these bytes, not made again
  });

  it('deleting an upload whose previews are still being made leaves none of its files behind', async () => {
    const leftovers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const large = await makeNoisyGif(10, 360, 280); // over 1 MiB: its previews are made in the background
      const uploaded = await upload(owner.client, large, `gone-${i}.gif`);
      expect((await owner.client.delete(`/api/v1/uploads/${uploaded.body.id}`)).status).toBe(204);
      await server.app.uploads.drain();
      leftovers.push(...filesUnder(path.join(server.config.dataDir, 'blobs')).filter((file) => file.includes(sha256(large))));
    }
    expect(leftovers).toEqual([]);
  });

  it('stores identical bytes once; a workspace pays for them once; another workspace pays for its own', async () => {
    const bytes = await makePng(33, 33);
    const before = await usage(workspaceId);
    const blobsBefore = contentBlobs().length;
    const first = await upload(owner.client, bytes, 'one.png');
    const second = await upload(owner.client, bytes, 'two.png');
    expect(first.body.id).not.toBe(second.body.id);
    expect(second.body.name).toBe('two.png');
    expect(contentBlobs().length).toBe(blobsBefore + 1);
    expect(contentBlobs().some((file) => file.endsWith(sha256(bytes)))).toBe(true);
    expect(await usage(workspaceId)).toBe(before + bytes.length);

    const other = await createUser(server.url);
    const otherWorkspace = (await other.client.get('/api/v1/me')).body.workspaces[0].id;
    expect((await upload(other.client, bytes, 'mine.png')).status).toBe(201);
    expect(await usage(otherWorkspace)).toBe(bytes.length);
    expect(contentBlobs().length).toBe(blobsBefore + 1);
  });

  it('refuses a declared oversized body (413) without reading it', async () => {
    const result = await streamingUpload(owner.client, { head: png, totalBytes: 30 * MiB, declareLength: true });
    expectProblem(result, 413, 'payload_too_large');
    expect(result.bytesSent).toBeLessThan(8 * MiB); // what the socket buffers hold; the server read one chunk
    expect(stagingFiles()).toEqual([]);
  });

  it('cuts a streamed oversized image at the image limit (413), leaving no partial file', async () => {
    const result = await streamingUpload(owner.client, { head: pngHeadWithHugeIdat(), totalBytes: 30 * MiB, declareLength: false, filename: 'huge.png' });
    expectProblem(result, 413, 'payload_too_large');
    expect(result.body.detail).toContain('10 MB');
    expect(result.bytesSent).toBeLessThan(20 * MiB); // 10 MiB read, a few more in socket buffers, never the 30
    expect(stagingFiles()).toEqual([]);
  });

  it('applies per-workspace limits (plans can change them), streamed or not', async () => {
    const person = await createUser(server.url);
    const personal = (await person.client.get('/api/v1/me')).body.workspaces[0].id;
    await setStorageLimits(db(), personal, { file_max_bytes: MiB });
    const result = await streamingUpload(person.client, {
      head: Buffer.from('plain text, then zeros'),
      totalBytes: 30 * MiB,
      declareLength: false,
      filename: 'big.bin',
    });
    expectProblem(result, 413, 'payload_too_large');
    expect(result.bytesSent).toBeLessThan(10 * MiB);
    const photo = await makeNoisyGif(1, 200, 200); // about 44 KB of GIF… limit it below that
    await setStorageLimits(db(), personal, { image_max_bytes: 20_000 });
    const refused = await upload(person.client, photo, 'photo.gif');
    expectProblem(refused, 413, 'payload_too_large');
    expect(refused.body.detail).toContain('the limit for GIFs in this workspace');
    expect((await upload(person.client, Buffer.alloc(900_000, 7), 'zeros.bin')).status).toBe(201);
    expect(stagingFiles()).toEqual([]);
  });

  it('an image over the image limit is refused even though files may be larger', async () => {
    const bytes = Buffer.concat([pngHeadWithHugeIdat(), Buffer.alloc(11 * MiB)]);
    expectProblem(await upload(owner.client, bytes, 'big.png'), 413, 'payload_too_large');
  });

  it('refuses bytes that disagree with the name (415); the client header never decides', async () => {
    expectProblem(await upload(owner.client, png, 'cat.gif', { contentType: 'image/gif' }), 415, 'unsupported_media_type', 'extension_mismatch');
    expectProblem(await upload(owner.client, makeZip(), 'cat.png', { contentType: 'image/png' }), 415, 'unsupported_media_type', 'extension_mismatch');
    expectProblem(await upload(owner.client, svgWithScript, 'cat.png'), 415, 'unsupported_media_type', 'extension_mismatch');
    expectProblem(await upload(owner.client, gif, 'cat.jpg'), 415, 'unsupported_media_type', 'extension_mismatch');
    const zip = await upload(owner.client, makeZip(), 'archive.zip', { contentType: 'image/png' });
    expect(zip.body).toMatchObject({ kind: 'file', mimeType: 'application/zip' });
    const unnamed = await upload(owner.client, png, 'no-extension');
    expect(unnamed.body).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    expect(stagingFiles()).toEqual([]);
  });

  it('takes text and formats file-type cannot judge under extensions it knows for something else (TypeScript .mts, ASCII FBX, binary STL)', async () => {
    const cases: [string, Buffer, string][] = [
      ['config.mts', Buffer.from('export const port: number = 8080;\n'), 'text/plain'],
      ['config.cts', Buffer.from('module.exports = { port: 8080 } satisfies object;\n'), 'text/plain'],
      ['index.ts', Buffer.from('import { x } from "./x.js";\nexport default x;\n'), 'text/plain'],
      ['model.fbx', Buffer.from('; FBX 7.3.0 project file\nFBXHeaderExtension:  {\n}\n'), 'text/plain'],
      ['key.pgp', Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGVx\n-----END PGP PUBLIC KEY BLOCK-----\n'), 'text/plain'],
      // Binary STL: an 80-byte header of anything, a triangle count, triangles. No magic number to sniff.
      [
        'part.stl',
        Buffer.concat([Buffer.from('exported by a CAD tool'.padEnd(80)), Buffer.from([1, 0, 0, 0]), Buffer.alloc(50, 0)]),
        'application/octet-stream',
      ],
    ];
    for (const [name, bytes, mimeType] of cases) {
      const created = await upload(owner.client, bytes, name);
      expect(created.status, `${name}: ${JSON.stringify(created.body)}`).toBe(201);
      expect(created.body).toMatchObject({ kind: 'file', mimeType, name });
      expect((await download(owner.client, created.body.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
    }
    // Still judged where the name promises a format the bytes are not.
    expectProblem(await upload(owner.client, Buffer.from('export const x = 1;\n'), 'clip.mp4'), 415, 'unsupported_media_type', 'extension_mismatch');
  });

  it('refuses polyglots, truncated and corrupt images (422)', async () => {
    expectProblem(await upload(owner.client, Buffer.concat([png, makeZip()]), 'poly.png'), 422, 'unprocessable', 'trailing_data');
    expectProblem(
      await upload(owner.client, Buffer.concat([gif, Buffer.from('<script>alert(1)</script>')]), 'poly.gif'),
      422,
      'unprocessable',
      'trailing_data',
    );
    expectProblem(await upload(owner.client, png.subarray(0, png.length - 30), 'cut.png'), 422, 'unprocessable', 'truncated');
    expectProblem(await upload(owner.client, gif.subarray(0, gif.length - 40), 'cut.gif'), 422, 'unprocessable', 'truncated');
    expectProblem(await upload(owner.client, corrupt(await makePng(300, 200)), 'bad.png'), 422, 'unprocessable', 'corrupt');
    const jpeg = await makeJpeg(64, 48);
    expectProblem(await upload(owner.client, jpeg.subarray(0, jpeg.length - 2), 'cut.jpg'), 422, 'unprocessable', 'truncated');
    expect(stagingFiles()).toEqual([]);
  });

  it('refuses pixel and frame bombs from their headers, before decoding anything', async () => {
    const started = performance.now();
    expectProblem(await upload(owner.client, makePngBomb(100_000, 100_000), 'bomb.png'), 422, 'unprocessable', 'too_many_pixels');
    expectProblem(await upload(owner.client, makeGifFrameBomb(600), 'frames.gif'), 422, 'unprocessable', 'too_many_frames');
    expectProblem(await upload(owner.client, makeGifFrameBomb(1, 65_535, 65_535), 'canvas.gif'), 422, 'unprocessable', 'too_many_pixels');
    // Each frame and the frame count within their own limits, 24.5 gigapixels in all: refused for the total.
    for (const [bytes, name] of [
      [makeGifFrameBomb(500, 7000, 7000), 'frames.gif'],
      [makeApngFrameBomb(500, 7000, 7000), 'frames.png'],
      [makeApngFrameBomb(500, 7000, 7000, 1), 'lying.png'],
      [makeWebpFrameBomb(500, 7000, 7000), 'frames.webp'],
    ] as const) {
      const refused = await upload(owner.client, bytes, name);
      expectProblem(refused, 422, 'unprocessable', 'too_many_pixels');
      expect(refused.body.detail).toMatch(/in all/);
    }
    expect(performance.now() - started).toBeLessThan(2000); // decoding 10 gigapixels would take minutes
    // The bomb's header arrives first; the rest of a large body is never read.
    const streamed = await streamingUpload(owner.client, {
      head: makePngBomb(100_000, 100_000).subarray(0, 33),
      totalBytes: 9 * MiB,
      declareLength: false,
      filename: 'bomb.png',
    });
    expectProblem(streamed, 422, 'unprocessable', 'too_many_pixels');
    expect(stagingFiles()).toEqual([]);
  });

  it('stores SVG (with script) and HTML as files, served only as sandboxed attachments', async () => {
    const svg = await upload(owner.client, svgWithScript, 'drawing.svg', { contentType: 'image/svg+xml' });
    expect(svg.body).toMatchObject({ kind: 'file', mimeType: 'image/svg+xml' });
    expect(svg.body.thumbnailUrl).toBeUndefined();
    const served = await download(owner.client, svg.body.url);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="drawing.svg"/);
    expect(served.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download(owner.client, `/api/v1/uploads/${svg.body.id}/thumbnail`)).status).toBe(404);
    const html = await upload(owner.client, Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.html');
    expect(html.body).toMatchObject({ kind: 'file', mimeType: 'text/html' });
    expect((await download(owner.client, html.body.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('neutralises hostile file names: never a path, safe in Content-Disposition', async () => {
    const names: [string | Buffer, string][] = [
      ['../../../../etc/passwd.png', 'passwd.png'],
      ['C:\\fakepath\\..\\evil.png', 'evil.png'],
      [Buffer.from('a\u0001b\u007fc\u0000d.png'), 'abcd.png'],
      ['invoice\u202Egnp.png', 'invoicegnp.png'],
      ['..', 'file'],
      ['．．／．．／etc／passwd．png', 'passwd．png'],
      [`${'x'.repeat(5000)}.png`, `${'x'.repeat(196)}.png`],
    ];
    for (const [raw, expected] of names) {
      const created = await upload(owner.client, png, raw);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.name).toBe(expected);
      const header = (await download(owner.client, created.body.url)).headers.get('content-disposition')!;
      expect(header).not.toMatch(/[\u0000-\u001f\u007f\u202e]|%E2%80%AE|\.\.\/|\\/);
      expect(header).not.toMatch(/%EF%BC%8F|filename="[^"]*\//); // no ／, and no / once folded
      expect(header.length).toBeLessThan(1000);
    }
    const top = fs.readdirSync(server.config.dataDir);
    expect(top.filter((entry) => !entry.startsWith('listo.db'))).toEqual(['blobs']);
    expect(filesUnder(path.join(server.config.dataDir, 'blobs')).every((file) => /^(content|preview)\//.test(file))).toBe(true);
  });

  it('only the uploader, and members of a list that shows the upload, can read it', async () => {
    const stranger = await createUser(server.url);
    const friend = await createUser(server.url);
    const photo = await upload(owner.client, await makePng(20, 20), 'private.png');
    expect((await download(stranger.client, photo.body.url)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/uploads/${photo.body.id}`)).status).toBe(404);
    expect((await download(friend.client, photo.body.thumbnailUrl)).status).toBe(404);

    const list = await createList(owner.client, 'Shared');
    await shareList(owner.client, list.id, friend, 'viewer');
    const task = await createTask(owner.client, list.id, 'With a photo');
    expect((await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [{ type: 'image', uploadId: photo.body.id }] })).status).toBe(200);
    expect((await download(friend.client, photo.body.url)).status).toBe(200);
    expect((await download(friend.client, photo.body.thumbnailUrl)).status).toBe(200);
    expect((await download(stranger.client, photo.body.url)).status).toBe(404);

    await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] });
    expect((await download(friend.client, photo.body.url)).status).toBe(404);
    expect((await download(owner.client, photo.body.url)).status).toBe(200);
    expect((await download({ ...owner.client, cookie: null } as ApiClient, photo.body.url)).status).toBe(401);
  });

  it('a browser asks again before reusing a file: someone removed from the list gets a 404, not their cached copy', async () => {
    const member = await createUser(server.url);
    const leaver = await createUser(server.url);
    const photo = await upload(owner.client, await makePng(24, 24), 'team.png');
    const list = await createList(owner.client, 'Team photos');
    await shareList(owner.client, list.id, member, 'viewer');
    await shareList(owner.client, list.id, leaver, 'viewer');
    await createTask(owner.client, list.id, 'Photo', { blocks: [{ type: 'image', uploadId: photo.body.id }] });

    for (const url of [photo.body.url, photo.body.thumbnailUrl]) {
      const served = await download(leaver.client, url);
      expect(served.status).toBe(200);
      // no-cache: stored, but never reused without asking the server, whose access check runs every time.
      expect(served.headers.get('cache-control')).toBe('private, no-cache');
      const etag = served.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{64}(-thumbnail)?"$/);
      expect((await download(leaver.client, url, { 'if-none-match': etag })).status).toBe(304);
      expect((await download(member.client, url, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    }

    expect((await owner.client.delete(`/api/v1/lists/${list.id}/members/${leaver.user.id}`)).status).toBe(204);
    for (const url of [photo.body.url, photo.body.thumbnailUrl]) {
      const etag = (await download(owner.client, url)).headers.get('etag')!;
      const refused = await download(leaver.client, url, { 'if-none-match': etag });
      expect(refused.status).toBe(404);
      expect(refused.headers.get('etag')).toBeNull();
      expect((await download(leaver.client, url, { 'if-none-match': '*' })).status).toBe(404);
      const revalidated = await download(member.client, url, { 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      expect(revalidated.bytes).toHaveLength(0);
      expect(revalidated.headers.get('cache-control')).toBe('private, no-cache');
    }
  });

  it('uploads go to a workspace the caller is a member of (not a guest), by query or form field', async () => {
    const team = await createTeamWorkspace(owner.client);
    const member = await createUser(server.url);
    const guest = await createUser(server.url);
    const outsider = await createUser(server.url);
    await addToWorkspace(owner.client, team.id, member, 'member');
    await addToWorkspace(owner.client, team.id, guest, 'guest');
    expect((await upload(member.client, png, 'team.png', { query: `?workspaceId=${team.id}` })).body.workspaceId).toBe(team.id);
    expect((await upload(member.client, png, 'team.png', { fields: { workspaceId: team.id } })).body.workspaceId).toBe(team.id);
    expectProblem(await upload(guest.client, png, 'team.png', { query: `?workspaceId=${team.id}` }), 403, 'forbidden');
    expectProblem(await upload(outsider.client, png, 'team.png', { query: `?workspaceId=${team.id}` }), 404, 'not_found');
    expectProblem(await upload(member.client, png, 'x.png', { query: '?workspaceId=nope' }), 400, 'validation_failed');
    // An ambiguous workspace is refused, not guessed.
    const personal = (await upload(member.client, png, 'mine.png')).body.workspaceId;
    for (const ambiguous of [
      await upload(member.client, png, 'x.png', { fields: { workspaceId: [team.id, personal] } }),
      await upload(member.client, png, 'x.png', { query: `?workspaceId=${team.id}`, fields: { workspaceId: personal } }),
    ]) {
      expectProblem(ambiguous, 400, 'validation_failed');
      expect(ambiguous.body.errors).toEqual([expect.objectContaining({ field: 'workspaceId' })]);
    }
  });

  it("an Idempotency-Key never answers a second, different file with the first file's upload", async () => {
    const gif = await makeGif(2, 8, 8);
    const key = { 'idempotency-key': `upload-${Date.now()}` };
    const first = await upload(owner.client, png, 'first.png', { headers: key });
    const second = await upload(owner.client, gif, 'second.gif', { headers: key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.mimeType).toBe('image/gif');
  });

  it('rejects requests that carry no file: missing field, empty file, not multipart', async () => {
    expectProblem(await upload(owner.client, png, 'x.png', { field: 'attachment' }), 400, 'validation_failed');
    expectProblem(await upload(owner.client, Buffer.alloc(0), 'empty.txt'), 400, 'validation_failed');
    expectProblem(await owner.client.post('/api/v1/uploads', { file: 'x' }), 415, 'unsupported_media_type');
  });

  it('a malformed multipart body is a 400 naming the problem: no boundary, a body that is not multipart, one cut off mid-file', async () => {
    const send = (contentType: string, body: string) => owner.client.request('POST', '/api/v1/uploads', body, { 'content-type': contentType });
    const { body: whole, contentType } = multipart([{ name: 'file', filename: 'cut.png', contentType: 'image/png', data: png }]);
    const cut = whole.subarray(0, whole.length - 200).toString('latin1');
    for (const [type, body] of [
      ['multipart/form-data', 'garbage'],
      ['multipart/form-data; boundary=zzz', 'garbage'],
      [contentType, cut],
    ] as const) {
      const answer = await send(type, body);
      expectProblem(answer, 400, 'validation_failed');
      expect(answer.body.detail).toContain('multipart body is malformed');
    }
    expect(stagingFiles()).toEqual([]);
  });

  it('an interrupted upload leaves no file, no row and no usage', async () => {
    const person = await createUser(server.url);
    const personal = (await person.client.get('/api/v1/me')).body.workspaces[0].id;
    const rows = async () => (await db().selectFrom('uploads').select('id').where('workspace_id', '=', personal).execute()).length;
    const request = http.request(new URL('/api/v1/uploads', server.url), {
      method: 'POST',
      headers: { cookie: person.client.cookie!, origin: server.url, 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    request.on('error', () => {});
    request.write('--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\n\r\n');
    request.write(Buffer.alloc(2 * MiB, 3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    request.destroy();
    await expect.poll(() => stagingFiles(), { timeout: 3000 }).toEqual([]);
    expect(await rows()).toBe(0);
    expect(await usage(personal)).toBe(0);
  });
});

describe.each(testDialects())('uploads no task shows any more, on %s', (dialect) => {
  const hour = 3_600_000;
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let workspaceId: string;
  let listId: string;
  let side = 10;

  const db = () => server.app.listo.db.kysely;
  const contentBlobs = () => filesUnder(path.join(server.config.dataDir, 'blobs', 'content'));
  const hasBytes = (bytes: Buffer) => contentBlobs().some((file) => file.endsWith(sha256(bytes)));
  const usage = async () =>
    Number((await db().selectFrom('workspace_storage').select('used_bytes').where('workspace_id', '=', workspaceId).executeTakeFirst())?.used_bytes ?? 0);
  /** Bytes no other test uploaded: a PNG of a size not used before. */
  const freshPng = () => makePng(++side, 7);
  const maintenance = () => runMaintenance(server.app.listo, server.app.uploads);
  const show = (taskId: string, ...uploadIds: string[]) =>
    owner.client.patch(`/api/v1/tasks/${taskId}`, { blocks: uploadIds.map((uploadId) => ({ type: 'image', uploadId })) });

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server.url, 'Owner');
    workspaceId = (await owner.client.get('/api/v1/me')).body.workspaces[0].id;
    listId = (await createList(owner.client, 'Photos')).id;
  });
  afterAll(() => server.close());

  it('are deleted a day after the last task stopped showing them, giving their storage back; shown ones stay', async () => {
    const neverShownBytes = await freshPng();
    const shownBytes = await freshPng();
    const before = await usage();
    const neverShown = (await upload(owner.client, neverShownBytes, 'draft.png')).body;
    const shown = (await upload(owner.client, shownBytes, 'kept.png')).body;
    const task = await createTask(owner.client, listId, 'With a photo', { blocks: [{ type: 'image', uploadId: shown.id }] });
    expect(await usage()).toBe(before + neverShownBytes.length + shownBytes.length);

    server.clock.advance(20 * hour);
    expect((await show(task.id)).status).toBe(200); // the photo leaves the task: its day starts now
    server.clock.advance(5 * hour);
    await maintenance();
    expect((await owner.client.get(`/api/v1/uploads/${neverShown.id}`)).status).toBe(404);
    expect(hasBytes(neverShownBytes)).toBe(false);
    expect((await download(owner.client, shown.url)).status).toBe(200);
    expect(await usage()).toBe(before + shownBytes.length);

    // Shown again before its day is out (an undo): kept for as long as a task shows it.
    expect((await show(task.id, shown.id)).status).toBe(200);
    server.clock.advance(48 * hour);
    await maintenance();
    expect((await download(owner.client, shown.url)).status).toBe(200);
    expect(hasBytes(shownBytes)).toBe(true);

    // Shown by two tasks: kept while either does.
    const other = await createTask(owner.client, listId, 'Same photo', { blocks: [{ type: 'image', uploadId: shown.id }] });
    expect((await show(task.id)).status).toBe(200);
    server.clock.advance(25 * hour);
    await maintenance();
    expect((await download(owner.client, shown.url)).status).toBe(200);
    expect((await show(other.id)).status).toBe(200);
    server.clock.advance(25 * hour);
    await maintenance();
    expect((await download(owner.client, shown.url)).status).toBe(404);
    expect(hasBytes(shownBytes)).toBe(false);
    expect(await usage()).toBe(before);
  });

  it('a task emptied from the trash releases its uploads, deleted a day later', async () => {
    const bytes = await freshPng();
    const photo = (await upload(owner.client, bytes, 'trashed.png')).body;
    const task = await createTask(owner.client, listId, 'Deleted soon', { blocks: [{ type: 'image', uploadId: photo.id }] });
    expect((await owner.client.delete(`/api/v1/tasks/${task.id}`)).status).toBe(204);
    server.clock.advance(10 * 24 * hour);
    await maintenance();
    expect((await download(owner.client, photo.url)).status).toBe(200); // in the trash: a restore brings it back

    server.clock.advance(21 * 24 * hour); // the trash keeps tasks 30 days
    await maintenance();
    expect((await owner.client.post('/api/v1/auth/login', { email: owner.email, password: owner.password })).status).toBe(200); // a month on
    expect((await owner.client.get(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await download(owner.client, photo.url)).status).toBe(200);
    server.clock.advance(25 * hour);
    await maintenance();
    expect((await download(owner.client, photo.url)).status).toBe(404);
    expect(hasBytes(bytes)).toBe(false);
  });

  it('an upload a task shows is kept even when its release mark is stale (two tasks changing at once)', async () => {
    const photo = (await upload(owner.client, await freshPng(), 'marked.png')).body;
    await createTask(owner.client, listId, 'Shows it', { blocks: [{ type: 'image', uploadId: photo.id }] });
    // What two concurrent edits on PostgreSQL can leave: released, yet shown.
    await db().updateTable('uploads').set({ released_at: server.clock.now().toISOString() }).where('id', '=', photo.id).execute();
    server.clock.advance(25 * hour);
    await maintenance();
    expect((await download(owner.client, photo.url)).status).toBe(200);
    const row = await db().selectFrom('uploads').select('released_at').where('id', '=', photo.id).executeTakeFirstOrThrow();
    expect(row.released_at).toBeNull();
  });

  it('the uploader deletes an unused upload at once; identical bytes stay, paid for by the upload that remains', async () => {
    const bytes = await freshPng();
    const before = await usage();
    const first = (await upload(owner.client, bytes, 'one.png')).body;
    const second = (await upload(owner.client, bytes, 'two.png')).body;
    expect(await usage()).toBe(before + bytes.length);

    expect((await owner.client.delete(`/api/v1/uploads/${first.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/v1/uploads/${first.id}`)).status).toBe(404);
    expect(await usage()).toBe(before + bytes.length);
    expect((await download(owner.client, second.url)).status).toBe(200);

    expect((await owner.client.delete(`/api/v1/uploads/${second.id}`)).status).toBe(204);
    expect(await usage()).toBe(before);
    expect(hasBytes(bytes)).toBe(false);
    expect((await owner.client.delete(`/api/v1/uploads/${second.id}`)).status).toBe(404);
  });

  it("refuses to delete an upload a task shows (409), someone else's (403, or 404 when out of sight), or a bad id (400)", async () => {
    const friend = await createUser(server.url);
    const stranger = await createUser(server.url);
    const shared = await createList(owner.client, 'Shared');
    await shareList(owner.client, shared.id, friend, 'editor');
    const photo = (await upload(owner.client, await freshPng(), 'shown.png')).body;
    const task = await createTask(owner.client, shared.id, 'Shown', { blocks: [{ type: 'image', uploadId: photo.id }] });
    const before = await usage();

    const inUse = await owner.client.delete(`/api/v1/uploads/${photo.id}`);
    expect(inUse.status, JSON.stringify(inUse.body)).toBe(409);
    expect(inUse.body).toMatchObject({ code: 'conflict', reason: 'in_use' });
    expect((await friend.client.delete(`/api/v1/uploads/${photo.id}`)).status).toBe(403);
    expect((await stranger.client.delete(`/api/v1/uploads/${photo.id}`)).status).toBe(404);
    expect((await owner.client.delete('/api/v1/uploads/not-an-id')).status).toBe(400);
    expect((await download(friend.client, photo.url)).status).toBe(200);
    expect(await usage()).toBe(before);

    // Off the task, it can go.
    expect((await owner.client.patch(`/api/v1/tasks/${task.id}`, { blocks: [] })).status).toBe(200);
    expect((await owner.client.delete(`/api/v1/uploads/${photo.id}`)).status).toBe(204);
  });

  it('an upload deleted while a task is edited to show it: either the edit wins (409) or the delete does (422), never both', async () => {
    const task = await createTask(owner.client, listId, 'Racing');
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const photo = (await upload(owner.client, await freshPng(), 'racing.png')).body;
      const [edited, deleted] = await Promise.all([show(task.id, photo.id), owner.client.delete(`/api/v1/uploads/${photo.id}`)]);
      const readable = (await download(owner.client, photo.url)).status;
      outcomes.add(`${edited.status}/${deleted.status}`);
      if (edited.status === 200) {
        expect(deleted.status, 'the task shows it: not deleted').toBe(409);
        expect(readable).toBe(200);
      } else {
        expect(edited.status, JSON.stringify(edited.body)).toBe(422);
        expect(deleted.status).toBe(204);
        expect(readable).toBe(404);
      }
      await show(task.id);
    }
    console.log(`[uploads] edit/delete race outcomes on ${dialect}: ${[...outcomes].join(', ')}`);
  });

  it('a new upload of bytes being deleted keeps them: every upload that exists can be read, with its preview', async () => {
    for (let round = 0; round < 6; round++) {
      const bytes = await freshPng();
      const old = (await upload(owner.client, bytes, 'old.png')).body;
      const [deleted, again] = await Promise.all([owner.client.delete(`/api/v1/uploads/${old.id}`), upload(owner.client, bytes, 'again.png')]);
      expect(deleted.status).toBe(204);
      expect(again.status).toBe(201);
      expect((await download(owner.client, again.body.url)).status).toBe(200);
      expect((await download(owner.client, again.body.thumbnailUrl)).status).toBe(200);
      expect(hasBytes(bytes)).toBe(true);
    }
  });
});

/**
 * A store whose commits (inside the upload transaction) wait for each other, up to a timeout: two uploads then hold
 * their transactions open at the same time, which is exactly when an unlocked quota check would let both through.
 */
function overlappingCommits(inner: BlobStore): BlobStore {
  let waiting: (() => void)[] = [];
  const barrier = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length >= 2) {
        for (const release of waiting) release();
        waiting = [];
      } else {
        setTimeout(() => {
          waiting = waiting.filter((release) => release !== resolve);
          resolve();
        }, 400);
      }
    });
  return {
    ...inner,
    async create() {
      const writer = await inner.create();
      return {
        ...writer,
        get size() {
          return writer.size;
        },
        stagedPath: writer.stagedPath,
        commit: async (key?: string) => (await barrier(), writer.commit(key)),
      };
    },
  };
}

describe.each(testDialects())('the storage quota under concurrent uploads on %s', (dialect) => {
  it('of two concurrent uploads that together exceed the quota, exactly one succeeds', async () => {
    const blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-race-'));
    const server = await startTestServer(dialect, {}, { blobs: overlappingCommits(createFsBlobStore(blobRoot)) });
    try {
      for (let round = 0; round < 3; round++) {
        const person = await createUser(server.url);
        const personal = (await person.client.get('/api/v1/me')).body.workspaces[0].id;
        await setStorageLimits(server.app.listo.db.kysely, personal, { quota_bytes: 500_000 });
        const [a, b] = [Buffer.alloc(300_000, 1 + round), Buffer.alloc(300_000, 100 + round)];
        const results = await Promise.all([upload(person.client, a, 'a.bin'), upload(person.client, b, 'b.bin')]);
        expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
        expect(results.find((r) => r.status === 422)?.body.code).toBe('quota_exceeded');
        const used = await server.app.listo.db.kysely
          .selectFrom('workspace_storage')
          .select('used_bytes')
          .where('workspace_id', '=', personal)
          .executeTakeFirstOrThrow();
        expect(Number(used.used_bytes)).toBe(300_000);
        const refused = results[0]!.status === 422 ? a : b;
        expect(filesUnder(path.join(blobRoot, 'content')).some((file) => file.endsWith(sha256(refused)))).toBe(false);
        // Identical bytes are free in the same workspace: the accepted file fits again.
        expect((await upload(person.client, results[0]!.status === 201 ? a : b, 'again.bin')).status).toBe(201);
      }
      expect(filesUnder(path.join(blobRoot, '.tmp'))).toEqual([]);
    } finally {
      await server.close();
      fs.rmSync(blobRoot, { recursive: true, force: true });
    }
  });
});

describe.each(testDialects())("what fills a workspace's storage, on %s", (dialect) => {
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let personal: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server.url, 'Owner');
    personal = (await owner.client.get('/api/v1/me')).body.workspaces[0].id;
  });
  afterAll(() => server.close());

  it("lists the caller's own uploads, largest first and paged, each saying whether a task shows it; deleting one frees its bytes", async () => {
    const team = await createTeamWorkspace(owner.client, 'Storage team');
    const colleague = await createUser(server.url, 'Colleague');
    await addToWorkspace(owner.client, team.id, colleague, 'member');
    const files = [await makePng(30, 20), await makePng(90, 60), await makePng(60, 40)];
    const mine: { id: string; size: number }[] = [];
    for (const [index, bytes] of files.entries())
      mine.push((await upload(owner.client, bytes, `photo-${index}.png`, { query: `?workspaceId=${team.id}` })).body);
    const theirs = (await upload(colleague.client, await makePng(200, 100), 'theirs.png', { query: `?workspaceId=${team.id}` })).body;
    const elsewhere = (await upload(owner.client, await makePng(31, 21), 'personal.png')).body;
    const list = (await owner.client.post('/api/v1/lists', { name: 'Shown', workspaceId: team.id })).body;
    const [, shown, unused] = mine as [unknown, { id: string }, { id: string; size: number }];
    await createTask(owner.client, list.id, 'Shows one', { blocks: [{ type: 'image', uploadId: shown.id }] });

    const storage = await owner.client.get(`/api/v1/workspaces/${team.id}/storage`);
    expect(storage.status, JSON.stringify(storage.body)).toBe(200);
    expect(storage.body).toEqual({
      usedBytes: [...files.map((bytes) => bytes.length), theirs.size].reduce((sum, size) => sum + size, 0),
      quotaBytes: 1024 * MiB,
      maxBytes: { image: 10 * MiB, gif: 10 * MiB, file: 25 * MiB },
    });
    expect((await colleague.client.get(`/api/v1/workspaces/${team.id}/storage`)).body.usedBytes).toBe(storage.body.usedBytes);

    const expected = [...mine].sort((a, b) => b.size - a.size || (b.id < a.id ? -1 : 1)).map((u) => ({ ...u, inUse: u.id === shown.id }));
    const first = await owner.client.get(`/api/v1/uploads?workspaceId=${team.id}&limit=2`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toEqual(expected.slice(0, 2));
    const second = await owner.client.get(`/api/v1/uploads?workspaceId=${team.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: expected.slice(2), nextCursor: null });
    // The personal workspace is the default; the colleague sees only their own.
    expect((await owner.client.get('/api/v1/uploads')).body.items.map((u: { id: string }) => u.id)).toEqual([elsewhere.id]);
    expect((await colleague.client.get(`/api/v1/uploads?workspaceId=${team.id}`)).body.items.map((u: { id: string }) => u.id)).toEqual([theirs.id]);

    expect((await owner.client.delete(`/api/v1/uploads/${unused.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/v1/workspaces/${team.id}/storage`)).body.usedBytes).toBe(storage.body.usedBytes - unused.size);
    expect((await owner.client.get(`/api/v1/uploads?workspaceId=${team.id}`)).body.items.map((u: { id: string }) => u.id)).not.toContain(unused.id);
  });

  it("shows a workspace's own limits, as plans set them", async () => {
    await setStorageLimits(server.app.listo.db.kysely, personal, { quota_bytes: 5 * MiB, image_max_bytes: 2 * MiB });
    expect((await owner.client.get(`/api/v1/workspaces/${personal}/storage`)).body).toMatchObject({
      quotaBytes: 5 * MiB,
      maxBytes: { image: 2 * MiB, gif: 2 * MiB, file: 25 * MiB },
    });
  });

  it("answers 404 outside the caller's workspaces, 400 for a bad id, cursor, limit or parameter, 401 without a session", async () => {
    const stranger = await createUser(server.url, 'Stranger');
    const problem = (response: ApiResponse, status: number) => {
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      return response.body;
    };
    problem(await stranger.client.get(`/api/v1/workspaces/${personal}/storage`), 404);
    problem(await stranger.client.get(`/api/v1/uploads?workspaceId=${personal}`), 404);
    expect(problem(await owner.client.get('/api/v1/workspaces/not-an-id/storage'), 400).detail).toContain('workspaceId');
    expect(problem(await owner.client.get('/api/v1/uploads?workspaceId=nope'), 400).detail).toContain('workspaceId');
    const forged = Buffer.from(JSON.stringify(['big', 'id'])).toString('base64url');
    expect(problem(await owner.client.get(`/api/v1/uploads?cursor=${forged}`), 400).detail).toContain('cursor');
    expect(problem(await owner.client.get('/api/v1/uploads?cursor=%%%'), 400).detail).toContain('cursor');
    expect(problem(await owner.client.get('/api/v1/uploads?limit=0'), 400).detail).toContain('limit');
    expect(problem(await owner.client.get('/api/v1/uploads?sort=name'), 400).detail).toContain('sort');
    const anonymous = await fetch(`${server.url}/api/v1/uploads`);
    expect(anonymous.status).toBe(401);
  });
});

describe('uploads on an S3-compatible store', () => {
  it('stores, dedupes, serves and previews through the object store', async () => {
    const s3 = await startFakeS3();
    const server = await startTestServer(
      'sqlite',
      {},
      {
        blobs: createS3BlobStore(
          { endpoint: s3.url, bucket: s3.bucket, region: s3.region, ...s3.credentials },
          { stagingDir: path.join(process.env.TMPDIR ?? '/tmp', `listo-s3-${process.pid}`) },
        ),
      },
    );
    try {
      const { client } = await createUser(server.url);
      const gif = await makeGif(3);
      const first = await upload(client, gif, 'anim.gif');
      expect(first.status).toBe(201);
      await upload(client, gif, 'again.gif');
      expect([...s3.objects.keys()].filter((key) => key.startsWith('content/'))).toEqual([`content/${sha256(gif).slice(0, 2)}/${sha256(gif)}`]);
      expect((await download(client, first.body.url)).bytes.equals(gif)).toBe(true);
      expect((await download(client, first.body.posterUrl)).status).toBe(200);
      expect([...s3.objects.keys()].some((key) => key.endsWith('/poster.webp'))).toBe(true);
    } finally {
      await server.close();
      await s3.close();
    }
  });
});

describe('shutting down', () => {
  it('a server closing right after serving a file does not wait for the download connection to time out', async () => {
    const server = await startTestServer('sqlite');
    const person = await createUser(server.url);
    // A tiny file: its response is still finishing on the server when the client already has every byte.
    const photo = (await upload(person.client, await makePng(11, 7), 'last.png')).body;
    expect((await download(person.client, photo.url)).status).toBe(200);
    const closed = await Promise.race([server.close().then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 3_000))]);
    expect(closed, 'closed within 3 s (the keep-alive timeout is 72 s)').toBe(true);
  });
});
