// The uploading side of bench/upload.bench.ts, in its own process so that it shares neither the server's event loop
// nor its memory. For each file it is sent, it builds the whole multipart body in memory first (before the request
// starts, so none of this is in the server's time), then writes it with node:http in one `end(body)`: the kernel
// takes bytes as fast as the server reads them, and the client never makes the server wait. (A slow client, such as
// FormData through fetch, would turn part of the "server time" into the client's speed. The previous client, which
// streamed the file through an async generator, was measured not to be slow: Listo's times were the same with both.)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function upload({ url, route, cookie, file, name }) {
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, fs.readFileSync(file), tail]);
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${route}`, {
      method: 'POST',
      agent,
      headers: { cookie, origin: url, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

process.on('message', async (job) => {
  try {
    process.send(await upload(job));
  } catch (error) {
    process.send({ status: 0, body: String(error) });
  }
});
