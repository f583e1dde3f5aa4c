// The uploading side of bench/upload.bench.ts, in its own process so that it shares neither the server's event loop
// nor its memory. Streams each file it is sent as a multipart upload and reports the status and body.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

function upload({ url, cookie, file, name }) {
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + fs.statSync(file).size + tail.length;
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie, origin: url, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('error', reject);
    pipeline(
      Readable.from(
        (async function* () {
          yield head;
          yield* fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
          yield tail;
        })(),
      ),
      request,
    ).catch(reject);
  });
}

process.on('message', async (job) => {
  try {
    process.send(await upload(job));
  } catch (error) {
    process.send({ status: 0, body: String(error) });
  }
});
