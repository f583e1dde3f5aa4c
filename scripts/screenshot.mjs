// Takes docs/screenshot.png (the README's picture): a real server with sample lists, in real Chromium.
// Usage: npx vite build && node --import tsx scripts/screenshot.mjs [--phone]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';

const webRoot = path.resolve('dist/web');
if (!fs.existsSync(path.join(webRoot, 'index.html'))) {
  console.error('dist/web/index.html is missing: run `npx vite build` first.');
  process.exit(1);
}
const phone = process.argv.includes('--phone');
const out = phone ? path.resolve('test-results/screenshot-phone.png') : path.resolve('docs/screenshot.png');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'listo-screenshot-'));
const app = await buildApp(loadConfig({ LISTO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { webRoot }));
const base = await app.listen({ port: 0, host: '127.0.0.1' });
let cookie = '';

async function call(method, url, body) {
  const response = await fetch(base + '/api/v1' + url, {
    method,
    headers: { origin: base, cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const setCookie = response.headers.get('set-cookie');
  if (setCookie) cookie = setCookie.split(';')[0];
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const day = (offset) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

let browser;
try {
  await call('POST', '/auth/signup', { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada Lovelace' });
  const trip = await call('POST', '/lists', { name: 'Weekend in Lyon' });
  for (const name of ['Groceries', 'Home projects', 'Reading list']) await call('POST', '/lists', { name });
  const tasks = [
    { title: 'Book the train tickets', priority: 1, dueDate: day(0) },
    { title: 'Reserve a table at Le Bouchon des Filles', priority: 2, dueDate: day(2) },
    { title: 'Pack hiking boots and rain jackets', done: true },
    { title: 'Download offline maps', dueDate: day(1) },
    { title: 'Ask Marie for museum recommendations', priority: 3 },
    { title: 'Charge the camera batteries', done: true },
    { title: 'Water the plants before leaving', dueDate: day(-1) },
  ];
  for (const { done, ...task } of tasks) {
    const created = await call('POST', `/lists/${trip.id}/tasks`, task);
    if (done) await call('PATCH', `/tasks/${created.id}`, { done: true });
  }
  await call('PATCH', `/lists/${(await call('POST', '/lists', { name: 'Taxes 2025' })).id}`, { archived: true });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 800 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true }
      : { viewport: { width: 1200, height: 720 }, deviceScaleFactor: 2 },
  );
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/lists/${trip.id}`);
  await page.getByRole('checkbox', { name: 'Water the plants' }).waitFor();
  await page.getByText('All changes saved').waitFor();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser?.close();
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
