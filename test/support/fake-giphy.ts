/** A local server answering `GET /v1/gifs/search` in Giphy's documented response format, for the GIF search client. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGiphy {
  url: string;
  requests: URL[];
  /** Status to answer with (200 by default). */
  status: number;
  close(): Promise<void>;
}

const rendition = (url: string, width: number, height: number) => ({ url, width: String(width), height: String(height), size: '123456' });

function gif(id: string, title: string) {
  const base = `https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/${id}`;
  return {
    type: 'gif',
    id,
    url: `https://giphy.com/gifs/${id}`,
    slug: `funny-${id}`,
    title,
    rating: 'g',
    images: {
      original: {
        ...rendition(`${base}/giphy.gif?cid=790b7611&rid=giphy.gif&ct=g`, 480, 270),
        frames: '35',
        mp4: `${base}/giphy.mp4`,
        webp: `${base}/giphy.webp`,
      },
      fixed_width: rendition(`${base}/200w.gif?cid=790b7611&rid=200w.gif&ct=g`, 200, 113),
      fixed_width_still: rendition(`${base}/200w_s.gif`, 200, 113),
      original_still: rendition(`${base}/giphy_s.gif`, 480, 270),
    },
  };
}

export async function startFakeGiphy(apiKey: string): Promise<FakeGiphy> {
  const requests: URL[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/v1/gifs/search') return send(404, { meta: { status: 404, msg: 'Not Found' } });
    if (url.searchParams.get('api_key') !== apiKey) return send(401, { meta: { status: 401, msg: 'No API key found in request.' } });
    if (state.status !== 200) return send(state.status, { meta: { status: state.status, msg: 'Error' } });
    const q = url.searchParams.get('q') ?? '';
    const data = [
      gif('xT4uQulxzV39haRFjG', `${q} GIF`),
      gif('3o7TKSjRrfIPjeiVyM', `Another ${q}`),
      { ...gif('EvilHost1', 'elsewhere'), images: { original: rendition('https://tracker.example/pixel.gif', 1, 1) } },
      { id: 42, broken: true },
      // A title that reads backwards, with a line break in it; and dimensions no GIF block takes.
      gif('R1ghtToLeft', `${q}\u202Etac\n GIF`),
      { ...gif('TooWide1', 'wide'), images: { original: rendition('https://media2.giphy.com/media/v1.Y2lkPTc5MGI3NjEx/TooWide1/giphy.gif', 200_000, 10) } },
    ];
    send(200, {
      data,
      pagination: { total_count: 2, count: data.length, offset: Number(url.searchParams.get('offset') ?? 0) },
      meta: { status: 200, msg: 'OK', response_id: 'abc' },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
