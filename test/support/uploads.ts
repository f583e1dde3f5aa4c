/** Upload helpers for API tests: exact multipart bodies (hostile file names byte for byte) and a streaming uploader. */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { ApiClient, ApiResponse } from './client.js';

export interface Part {
  name: string;
  filename?: string;
  /** Written as-is inside the quotes: tests control every byte. */
  rawFilename?: Buffer;
  contentType?: string;
  data: Buffer | string;
}

export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----listo${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.rawFilename ?? (part.filename !== undefined ? Buffer.from(part.filename) : null);
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"`));
    if (filename) chunks.push(Buffer.from('; filename="'), filename, Buffer.from('"'));
    chunks.push(Buffer.from(`\r\n${part.contentType ? `content-type: ${part.contentType}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function headersOf(client: ApiClient): Record<string, string> {
  const headers: Record<string, string> = { origin: client.baseUrl };
  if (client.cookie) headers.cookie = client.cookie;
  return headers;
}

/** POST /api/v1/uploads with one file part (`file`), declared as `contentType` by the "client". */
export async function upload(
  client: ApiClient,
  data: Buffer,
  filename: string | Buffer,
  options: { contentType?: string; query?: string; fields?: Record<string, string | string[]>; field?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const parts: Part[] = Object.entries(options.fields ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((data) => ({ name, data })),
  );
  parts.push({
    name: options.field ?? 'file',
    ...(Buffer.isBuffer(filename) ? { rawFilename: filename } : { filename }),
    contentType: options.contentType ?? 'application/octet-stream',
    data,
  });
  const { body, contentType } = multipart(parts);
  const response = await fetch(`${client.baseUrl}/api/v1/uploads${options.query ?? ''}`, {
    method: 'POST',
    headers: { ...headersOf(client), ...options.headers, 'content-type': contentType },
    body: new Uint8Array(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed as any, headers: response.headers };
}

/** GET with the client's session, keeping the raw bytes. */
export async function download(client: ApiClient, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${client.baseUrl}${path}`, { headers: { ...headersOf(client), ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/**
 * Streams an upload of `totalBytes` (file part `head` then zeros), with or without a declared Content-Length, and
 * reports how far the client got before the server answered: a server that stops reading stalls the sender.
 */
export function streamingUpload(
  client: ApiClient,
  options: { head: Buffer; totalBytes: number; declareLength: boolean; filename?: string },
): Promise<{ status: number; body: any; bytesSent: number }> {
  const boundary = `----listo${randomBytes(8).toString('hex')}`;
  const preamble = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${options.filename ?? 'big.bin'}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = options.totalBytes;
  const total = preamble.length + fileBytes + epilogue.length;
  const url = new URL('/api/v1/uploads', client.baseUrl);
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const request = http.request(url, {
      method: 'POST',
      headers: {
        ...headersOf(client),
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(options.declareLength ? { 'content-length': String(total) } : {}),
      },
    });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep text
        }
        resolve({ status: response.statusCode ?? 0, body, bytesSent });
        request.destroy();
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024);
    (async () => {
      const write = (bytes: Buffer) =>
        new Promise<void>((done) => {
          bytesSent += bytes.length;
          if (request.write(bytes)) done();
          else {
            const check = setInterval(() => answered && (clearInterval(check), done()), 20);
            request.once('drain', () => (clearInterval(check), done()));
          }
        });
      await write(preamble);
      await write(options.head);
      let remaining = fileBytes - options.head.length;
      while (remaining > 0 && !answered && !request.destroyed) {
        const next = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
        await write(next);
        remaining -= next.length;
      }
      if (!answered && !request.destroyed) request.end(epilogue);
    })().catch(() => {});
  });
}

/**
 * Uploads `fileBytes` bytes of text as `notes.txt`, `chunkBytes` every `everyMs` (a slow link), with a declared
 * Content-Length; with `stallAfterBytes`, sends nothing more after that many file bytes. Resolves with the answer
 * (status and parsed body) or, if the connection closed unanswered, status 0.
 */
export function trickleUpload(
  client: ApiClient,
  options: { fileBytes: number; chunkBytes: number; everyMs: number; stallAfterBytes?: number },
): Promise<{ status: number; body: any; elapsedMs: number }> {
  const boundary = `----listo${randomBytes(8).toString('hex')}`;
  const preamble = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="notes.txt"\r\ncontent-type: text/plain\r\n\r\n`);
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const request = http.request(new URL('/api/v1/uploads', client.baseUrl), {
      method: 'POST',
      headers: {
        ...headersOf(client),
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(preamble.length + options.fileBytes + epilogue.length),
      },
    });
    const done = (status: number, body: unknown) => {
      clearInterval(timer);
      resolve({ status, body, elapsedMs: Date.now() - startedAt });
    };
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(response.statusCode ?? 0, JSON.parse(Buffer.concat(chunks).toString() || 'null')));
    });
    request.on('error', () => done(0, null));
    request.write(preamble);
    let sent = 0;
    const timer = setInterval(() => {
      if (options.stallAfterBytes !== undefined && sent >= options.stallAfterBytes) return;
      const size = Math.min(options.chunkBytes, options.fileBytes - sent);
      request.write(Buffer.alloc(size, 'a'));
      sent += size;
      if (sent === options.fileBytes) {
        clearInterval(timer);
        request.end(epilogue);
      }
    }, options.everyMs);
  });
}
