/**
 * Rich content in Chromium against a real server serving the built web app: A pastes an animated GIF into a task
 * (a real `paste` event carrying a File), watches it upload with a progress bar, and the GIF block appears; B, a
 * collaborator, gets it live and it animates (the GIF itself, served as image/gif), with its still poster instead
 * when B prefers reduced motion. Then the editor: the `/` and + menus by keyboard, a text block, an image in a
 * lightbox, a dropped file as a chip, reordering, and an upload the server refuses; a code block written from the `/`
 * menu in its own editor (and a quote), which B sees live, then changed in place. Last, a GIF dropped on a task's
 * row in the list: highlighted while over it, uploaded with progress, shown as the row's thumbnail (live for B too);
 * a viewer's rows take no files. Animated images (WebP, APNG): their lightbox plays them, or, in a browser asking for
 * reduced motion, shows the still thumbnail with a Play toggle; there, a GIF search result without a still shows its
 * title. Needs `dist/web`.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/core/content-types/definition.js';
import { corruptLargePng, makeAnimatedWebp, makeApng, makeGif, makeNoisyGif, makePng } from '../support/images.js';
import {
  addTask,
  allowConsoleErrors,
  createList,
  hasChromium,
  launchChromium,
  listPage,
  newE2ePage,
  requireChromium,
  signUp,
  startE2eServer,
  watchConsole,
  withScreenshot,
  type E2eServer,
} from './support.js';

requireChromium();

/** Dispatches a real `paste` (or `drop`) event carrying files, as the browser does for Ctrl+V of a copied image. */
async function sendFiles(
  page: Page,
  kind: 'paste' | 'drop',
  files: { name: string; type: string; bytes: Buffer }[],
  target: Locator | null = null,
): Promise<boolean> {
  const payload = files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') }));
  const handle = target ? await target.elementHandle() : null;
  return page.evaluate(
    ({ kind, payload, element }) => {
      const data = new DataTransfer();
      for (const file of payload) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        data.items.add(new File([bytes], file.name, { type: file.type }));
      }
      const at = (element as Element | null) ?? document.activeElement ?? document.body;
      if (kind === 'paste') {
        const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        at.dispatchEvent(event);
        return event.defaultPrevented;
      }
      for (const type of ['dragenter', 'dragover']) at.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true });
      at.dispatchEvent(drop);
      return drop.defaultPrevented;
    },
    { kind, payload, element: handle },
  );
}

/** A `DataTransfer` in the page carrying files, or (without files) the text a row-reordering drag carries. */
function dataTransferIn(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  const payload = files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') }));
  return page.evaluateHandle((payload) => {
    const data = new DataTransfer();
    for (const file of payload) data.items.add(new File([Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0))], file.name, { type: file.type }));
    if (payload.length === 0) data.setData('text/plain', 'some-task-id');
    return data;
  }, payload);
}

/** Dispatches one drag event (bubbling, cancelable) with `data` on `target`; tells whether a listener accepted it. */
const dispatchDrag = (target: Locator, type: 'dragenter' | 'dragover' | 'dragleave' | 'drop', data: Awaited<ReturnType<typeof dataTransferIn>>) =>
  target.evaluate(
    (element, { type, data }) => {
      const event = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true });
      element.dispatchEvent(event);
      return event.defaultPrevented;
    },
    { type, data },
  );

/** What an `<img>` shows: its source, and whether it loaded. */
const imageState = (image: Locator) =>
  image.evaluate((element) => {
    const img = element as HTMLImageElement;
    return { src: img.getAttribute('src'), currentSrc: img.currentSrc, complete: img.complete, naturalWidth: img.naturalWidth };
  });

describe.skipIf(!hasChromium)('rich content in Chromium', () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let listId: string;
  const stamp = Date.now();
  const password = 'correct horse battery';
  const ada = { name: 'Ada Lovelace', email: `ada.content.${stamp}@example.com`, password };
  const bea = { name: 'Bea Baker', email: `bea.content.${stamp}@example.com`, password };

  const newPage = () => newE2ePage(browser!, { width: 1280, height: 900 }, contexts);

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    a = await newPage();
    b = await newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const details = (page: Page, title: string) => page.getByRole('dialog', { name: title });
  const saved = (page: Page) => expect.poll(() => listPage(page).syncState()).toBe('All changes saved');

  it('A pastes an animated GIF: it uploads with progress; B sees it live, animated, and still with reduced motion', async () => {
    await withScreenshot('content-gif', { a, b }, async () => {
      await signUp(b, server!.baseUrl, bea);
      await signUp(a, server!.baseUrl, ada);

      // A: a list with a task.
      await createList(a, 'Party');
      await addTask(a, 'Dance');
      await expect.poll(listPage(a).titles).toEqual(['Dance']);
      await saved(a);
      listId = /\/lists\/([0-9a-f-]{36})$/.exec(a.url())![1]!;

      // Share through the API: A invites B as editor, B accepts, B opens the list.
      const invited = await a.evaluate(
        async ({ listId, email }) => {
          const response = await fetch(`/api/v1/lists/${listId}/members`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, role: 'editor' }),
          });
          return { status: response.status, body: await response.json() };
        },
        { listId, email: bea.email },
      );
      expect(invited.status, JSON.stringify(invited.body)).toBe(201);
      const accepted = await b.evaluate(
        async (id) => (await fetch(`/api/v1/invitations/${id}/accept`, { method: 'POST' })).status,
        invited.body.invitation.id as string,
      );
      expect(accepted).toBe(200);
      await b.goto(`${server!.baseUrl}/lists/${listId}`);
      await b.getByRole('heading', { level: 1, name: 'Party' }).waitFor();
      await expect.poll(listPage(b).titles).toEqual(['Dance']);

      // A opens the task. Uploads are slowed down (as on a phone) so the progress bar has something to show.
      await a.getByRole('button', { name: 'Details of “Dance”' }).click();
      const panel = details(a, 'Dance');
      await panel.getByRole('heading', { name: 'Content' }).waitFor();
      const cdp = await a.context().newCDPSession(a);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
      // Every value the progress bar takes, seen from inside the page.
      await a.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { progressSeen: number[] }).progressSeen = seen;
        const record = () => document.querySelectorAll('progress.upload-progress').forEach((bar) => seen.push((bar as HTMLProgressElement).value));
        new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
      });

      // Ctrl+V of a GIF: a paste event with the file on its clipboard data.
      const gif = await makeNoisyGif(4, 160, 120);
      expect(gif.length).toBeGreaterThan(60_000);
      expect(await sendFiles(a, 'paste', [{ name: 'party.gif', type: 'image/gif', bytes: gif }])).toBe(true);
      await panel.getByRole('progressbar', { name: 'Uploading party.gif' }).waitFor();
      const media = panel.locator('img.block-gif-media');
      await media.waitFor({ timeout: 15_000 });
      await panel.getByRole('progressbar').waitFor({ state: 'detached' });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      const progress = await a.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
      expect(
        progress.some((value) => value > 0 && value < 100),
        `progress values: ${progress.join(', ')}`,
      ).toBe(true);
      const gifUrl = (await media.getAttribute('src'))!;
      expect(gifUrl).toMatch(/^\/api\/v1\/uploads\/[0-9a-f-]{36}\/content$/);
      await saved(a);

      // B gets it live: the row's thumbnail (a still), then the task's details, where the GIF itself plays.
      const thumb = listPage(b).row('Dance').locator('img.task-thumb');
      await thumb.waitFor({ timeout: 5_000 });
      expect(await thumb.getAttribute('src')).toBe(gifUrl.replace(/\/content$/, '/thumbnail'));
      expect(await thumb.getAttribute('alt')).toBe('party.gif');
      await expect.poll(() => imageState(thumb).then((state) => state.complete && state.naturalWidth > 0)).toBe(true);

      await b.getByRole('button', { name: 'Details of “Dance”' }).click();
      const panelB = details(b, 'Dance');
      const mediaB = panelB.getByRole('img', { name: 'party.gif' });
      await mediaB.waitFor();
      await expect.poll(() => imageState(mediaB)).toMatchObject({ src: gifUrl, complete: true });
      const state = await imageState(mediaB);
      expect(state.currentSrc).toBe(`${server!.baseUrl}${gifUrl}`);
      expect(state.naturalWidth).toBe(160);
      // Served as a GIF, and an animated one (more than one frame).
      const served = await b.evaluate(async (url) => {
        const response = await fetch(url);
        const bytes = await response.arrayBuffer();
        let frames: number | null = null;
        const Decoder = (
          window as unknown as {
            ImageDecoder?: new (init: { data: ArrayBuffer; type: string }) => {
              tracks: { ready: Promise<void>; selectedTrack: { frameCount: number } | null };
            };
          }
        ).ImageDecoder;
        if (Decoder) {
          const decoder = new Decoder({ data: bytes, type: 'image/gif' });
          await decoder.tracks.ready;
          frames = decoder.tracks.selectedTrack?.frameCount ?? null;
        }
        return { type: response.headers.get('content-type'), nosniff: response.headers.get('x-content-type-options'), frames };
      }, gifUrl);
      expect(served.type).toBe('image/gif');
      expect(served.nosniff).toBe('nosniff');
      expect(served.frames).toBe(4);
      await panelB.getByRole('button', { name: 'Pause party.gif' }).waitFor();

      // Reduced motion: the still poster instead of the animation; Play shows the GIF again.
      await b.emulateMedia({ reducedMotion: 'reduce' });
      const posterUrl = gifUrl.replace(/\/content$/, '/poster');
      await expect.poll(() => imageState(mediaB)).toMatchObject({ src: posterUrl, complete: true });
      expect((await imageState(mediaB)).naturalWidth).toBe(160);
      expect(await b.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), posterUrl)).not.toBe('image/gif');
      await panelB.getByRole('button', { name: 'Play party.gif' }).click();
      await expect.poll(() => imageState(mediaB)).toMatchObject({ src: gifUrl });
      await b.emulateMedia({ reducedMotion: 'no-preference' });
      await b.keyboard.press('Escape');
      await panelB.waitFor({ state: 'detached' });
    });
  }, 60_000);

  it('edits blocks: the / and + menus by keyboard, text, an image lightbox, a dropped file, reordering, a refused upload', async () => {
    allowConsoleErrors(/status of 415/); // the refused upload
    await withScreenshot('content-editor', { a }, async () => {
      const panel = details(a, 'Dance');
      await panel.waitFor();

      // + opens the menu with the focus in it: the registry's types; ↓ and Enter choose Text.
      const add = panel.getByRole('button', { name: 'Add block' });
      await add.click();
      const menu = panel.getByRole('listbox', { name: 'Block types' });
      await expect.poll(() => menu.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await menu.getByRole('option').allTextContents()).toEqual([
        expect.stringMatching(/^Text/),
        expect.stringMatching(/^Link/),
        expect.stringMatching(/^Image/),
        expect.stringMatching(/^GIF/),
        expect.stringMatching(/^File/),
        expect.stringMatching(/^Quote/),
        expect.stringMatching(/^Code/),
      ]);
      await a.keyboard.press('ArrowDown');
      await a.keyboard.press('ArrowUp');
      await a.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      await expect.poll(() => a.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Add block');
      await a.keyboard.press('Enter');
      await expect.poll(() => menu.evaluate((element) => element === document.activeElement)).toBe(true);
      await a.keyboard.press('Enter');
      const box = panel.getByRole('textbox', { name: 'Text block' });
      await expect.poll(() => box.evaluate((element) => element === document.activeElement)).toBe(true);

      // `/` in the empty text block opens the menu, filtered as you type; Escape closes only the menu.
      await a.keyboard.type('/gi');
      expect(await menu.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^GIF/)]);
      await a.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      await panel.waitFor();
      await box.fill('');
      await a.keyboard.type('/');
      await menu.waitFor();
      await a.keyboard.press('ArrowDown'); // Link
      await a.keyboard.press('Enter');
      await panel.getByLabel('Link address').fill('javascript:alert(1)');
      await panel.getByRole('button', { name: 'Add link' }).click();
      await panel.getByRole('alert').filter({ hasText: 'http' }).waitFor();
      await panel.getByLabel('Link address').fill('https://example.com/playlist');
      await panel.getByLabel('Title (optional)').fill('Playlist');
      await panel.getByRole('button', { name: 'Add link' }).click();
      const link = panel.getByRole('link', { name: 'Playlist' });
      await link.waitFor();
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await link.getAttribute('target')).toBe('_blank');

      // A text block in Markdown; raw HTML is not rendered.
      await add.click();
      await expect.poll(() => menu.evaluate((element) => element === document.activeElement)).toBe(true);
      await a.keyboard.press('Enter');
      await a.keyboard.type('Bring **snacks** <img src=x onerror=alert(1)>');
      await a.keyboard.press('Control+Enter');
      await panel.locator('.block-text strong', { hasText: 'snacks' }).waitFor();
      expect(await panel.locator('.block-text img').count()).toBe(0);

      // Reordering: the text block moves above the link, and keeps the focus on its button.
      const kinds = () => panel.locator('.block-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-block-type')));
      await expect.poll(kinds).toEqual(['gif', 'link', 'text']);
      await panel
        .getByRole('button', { name: /^Move “Bring snacks/ })
        .filter({ hasText: '↑' })
        .click();
      await expect.poll(kinds).toEqual(['gif', 'text', 'link']);
      await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Move “Bring snacks.*” up$/);

      // An image: a thumbnail that opens a lightbox; Escape closes it and the focus returns to the thumbnail.
      expect(await sendFiles(a, 'paste', [{ name: 'photo.png', type: 'image/png', bytes: await makePng(320, 240) }])).toBe(true);
      const open = panel.getByRole('button', { name: 'Open image photo.png' });
      await open.waitFor();
      await open.click();
      const lightbox = a.getByRole('dialog', { name: 'photo.png' });
      // A still image has nothing to play: the focus starts on the lightbox's own Close (not Download, nor the details' Close).
      await expect.poll(() => lightbox.getByRole('button', { name: 'Close' }).evaluate((button) => button === document.activeElement)).toBe(true);
      const full = lightbox.getByRole('img', { name: 'photo.png' });
      await expect.poll(() => imageState(full)).toMatchObject({ complete: true, naturalWidth: 320 });
      expect(await full.getAttribute('src')).toMatch(/\/content$/);
      await a.keyboard.press('Escape');
      await lightbox.waitFor({ state: 'detached' });
      await panel.waitFor();
      await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open image photo.png');

      // A dropped file (an SVG: never shown inline) becomes a chip with its size and a download link.
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
      expect(await sendFiles(a, 'drop', [{ name: 'drawing.svg', type: 'image/svg+xml', bytes: svg }], panel.locator('.details-context'))).toBe(true);
      const download = panel.getByRole('link', { name: `Download drawing.svg (${svg.length} bytes)` });
      await download.waitFor();
      expect(await panel.locator('img[alt="drawing.svg"]').count()).toBe(0);
      const served = await a.evaluate(async (url) => (await fetch(url)).headers.get('content-disposition'), (await download.getAttribute('href'))!);
      expect(served).toMatch(/^attachment; filename="drawing.svg"/);

      // A PNG named .gif is refused (415): the server's reason is shown, and nothing is added.
      const blocksBefore = await kinds();
      expect(await sendFiles(a, 'paste', [{ name: 'broken.gif', type: 'image/gif', bytes: await makePng(8, 8) }])).toBe(true);
      const refusal = panel.getByRole('alert').filter({ hasText: 'broken.gif' });
      await refusal.waitFor();
      const problem = await a.evaluate(
        async (bytes) => {
          const form = new FormData();
          form.append('file', new File([Uint8Array.from(atob(bytes), (char) => char.charCodeAt(0))], 'broken.gif'));
          const response = await fetch('/api/v1/uploads', { method: 'POST', body: form });
          return { status: response.status, detail: ((await response.json()) as { detail: string }).detail };
        },
        (await makePng(8, 8)).toString('base64'),
      );
      expect(problem.status).toBe(415);
      expect(await refusal.textContent()).toBe(`broken.gif: ${problem.detail}`);
      await panel.getByRole('button', { name: 'Dismiss the error about broken.gif' }).click();
      await refusal.waitFor({ state: 'detached' });
      expect(await kinds()).toEqual(blocksBefore);
      await saved(a);

      // All of it is on the server: after a reload, the same blocks in the same order.
      await a.reload();
      await a.getByRole('heading', { level: 1, name: 'Party' }).waitFor();
      await a.getByRole('button', { name: 'Details of “Dance”' }).click();
      await expect.poll(kinds).toEqual(['gif', 'text', 'link', 'image', 'file']);
    });
  }, 60_000);

  it('writes a code block from the / menu in its editor: refused inline when empty, rendered in <pre><code>, live for B; then changed', async () => {
    await withScreenshot('content-code', { a, b }, async () => {
      const panel = details(a, 'Dance');
      await panel.waitFor();
      const focused = (locator: Locator) => expect.poll(() => locator.evaluate((element) => element === document.activeElement)).toBe(true);
      // B, a collaborator, has the task open too.
      await b.getByRole('button', { name: 'Details of “Dance”' }).click();
      const panelB = details(b, 'Dance');
      await panelB.getByRole('heading', { name: 'Content' }).waitFor();

      // A: a text block, `/co` in it, Enter: the code editor, its box focused and monospaced; the `/co` is not kept.
      await panel.getByRole('button', { name: 'Add block' }).click();
      const menu = panel.getByRole('listbox', { name: 'Block types' });
      await focused(menu);
      await a.keyboard.press('Enter');
      await focused(panel.getByRole('textbox', { name: 'Text block' }));
      await a.keyboard.type('/co');
      expect(await menu.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^Code/)]);
      await a.keyboard.press('Enter');
      const form = panel.getByRole('form', { name: 'Code block' });
      const box = form.getByRole('textbox', { name: 'Code', exact: true });
      const language = form.getByRole('textbox', { name: 'Language (optional)' });
      await focused(box);
      expect(await panel.getByRole('textbox', { name: 'Text block' }).count()).toBe(0);
      expect(await box.evaluate((element) => getComputedStyle(element).fontFamily)).toMatch(/mono|Menlo|Consolas/i);

      // Ctrl+Enter with nothing written: core's refusal under the field, tied to it, and nothing saved.
      await a.keyboard.press('Control+Enter');
      const refusal = form.getByRole('alert');
      await expect.poll(() => refusal.textContent()).toBe('Code must not be empty.');
      expect(await box.getAttribute('aria-invalid')).toBe('true');
      expect(await box.getAttribute('aria-describedby')).toBe(await refusal.getAttribute('id'));
      await focused(box);

      // Enter is a new line (indentation kept); Ctrl+Enter from the language field saves.
      await a.keyboard.type('function greet(name) {');
      await refusal.waitFor({ state: 'detached' });
      await a.keyboard.press('Enter');
      await a.keyboard.type('  return `<b>${name}</b>`;');
      await a.keyboard.press('Enter');
      await a.keyboard.type('}');
      await language.fill('JavaScript');
      await language.press('Control+Enter');
      await form.waitFor({ state: 'detached' });
      const source = 'function greet(name) {\n  return `<b>${name}</b>`;\n}';
      const code = panel.locator('.block-item-code pre > code');
      await expect.poll(() => code.textContent()).toBe(source);
      expect(await panel.locator('.block-item-code b').count()).toBe(0);
      await saved(a);
      const stored = await a.evaluate(async (id) => {
        const tasks = (await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { title: string; blocks: { type: string }[] }[] };
        return tasks.items.find((task) => task.title === 'Dance')!.blocks.filter((block) => block.type === 'code');
      }, listId);
      expect(stored).toEqual([{ type: 'code', code: source, language: 'JavaScript' }]);

      // B sees it live, in a <pre><code>, with its language.
      const codeB = panelB.locator('.block-item-code pre > code');
      await expect.poll(() => codeB.textContent()).toBe(source);
      expect(await panelB.locator('.block-item-code .block-code-language').textContent()).toBe('JavaScript');

      // Changing it in place: the editor holds the block; Escape cancels (the details stay open); Save saves.
      const edit = panel.getByRole('button', { name: /^Edit “function greet/ });
      await edit.click();
      const editor = panel.getByRole('form', { name: 'Code block' });
      expect(await editor.getByRole('textbox', { name: 'Code', exact: true }).inputValue()).toBe(source);
      await a.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
      await panel.waitFor();
      await edit.click();
      await editor.getByRole('textbox', { name: 'Language (optional)' }).fill('TypeScript');
      await editor.getByRole('button', { name: 'Save code' }).click();
      await editor.waitFor({ state: 'detached' });
      await expect.poll(() => panelB.locator('.block-item-code .block-code-language').textContent()).toBe('TypeScript');
      expect(await panelB.locator('.block-item-code').count()).toBe(1);

      // A quote, from the + menu, with its source.
      await panel.getByRole('button', { name: 'Add block' }).click();
      await focused(menu);
      await a.keyboard.press('End');
      await a.keyboard.press('ArrowUp');
      await a.keyboard.press('Enter');
      const quoteForm = panel.getByRole('form', { name: 'Quote block' });
      await focused(quoteForm.getByRole('textbox', { name: 'Quote', exact: true }));
      await a.keyboard.type('Less is more.');
      await quoteForm.getByRole('textbox', { name: 'Source (optional)' }).fill('Mies');
      await quoteForm.getByRole('button', { name: 'Add quote' }).click();
      await panelB.locator('.block-item-quote blockquote', { hasText: 'Less is more.' }).waitFor();
      expect(await panelB.locator('.block-item-quote cite').textContent()).toBe('Mies');
      await saved(a);
      await b.keyboard.press('Escape');
      await panelB.waitFor({ state: 'detached' });
    });
  }, 40_000);

  it('picks a GIF from search when the server has a provider (search and media answered by stand-ins)', async () => {
    await withScreenshot('content-gif-search', { a }, async () => {
      const media = 'https://media2.giphy.com/media/abc123';
      const animated = await makeGif(3, 48, 36);
      const still = await makePng(48, 36);
      await a.route('**/api/v1/gifs/config', (route) => route.fulfill({ json: { enabled: true, provider: 'giphy' } }));
      await a.route('**/api/v1/gifs/search?*', (route) => {
        const q = new URL(route.request().url()).searchParams.get('q');
        return route.fulfill({
          json: {
            items: [
              {
                provider: 'giphy',
                providerId: 'abc123',
                url: `${media}/giphy.gif`,
                width: 48,
                height: 36,
                previewUrl: `${media}/200w.gif`,
                posterUrl: `${media}/giphy_s.gif`,
                title: `Dancing ${q}`,
              },
            ],
          },
        });
      });
      await a.route(`${media}/*`, (route) =>
        route.fulfill(route.request().url().endsWith('_s.gif') ? { body: still, contentType: 'image/png' } : { body: animated, contentType: 'image/gif' }),
      );
      try {
        const panel = details(a, 'Dance');
        await panel.getByRole('button', { name: 'Add block' }).click();
        const menu = panel.getByRole('listbox', { name: 'Block types' });
        await expect.poll(() => menu.evaluate((element) => element === document.activeElement)).toBe(true);
        for (let i = 0; i < 3; i++) await a.keyboard.press('ArrowDown');
        expect(await menu.getAttribute('aria-activedescendant')).toMatch(/-gif$/);
        await a.keyboard.press('Enter');
        const picker = a.getByRole('dialog', { name: 'Add a GIF' });
        const search = picker.getByRole('searchbox', { name: 'Search GIFs' });
        await expect.poll(() => search.evaluate((element) => element === document.activeElement)).toBe(true);
        await a.keyboard.type('cat');
        await picker.getByRole('button', { name: 'Dancing cat' }).click();
        await picker.waitFor({ state: 'detached' });
        const picked = panel.getByRole('img', { name: 'Dancing cat' });
        await expect.poll(() => imageState(picked)).toMatchObject({ src: `${media}/giphy.gif`, complete: true, naturalWidth: 48 });
        await panel.getByText('via GIPHY').waitFor();
        await saved(a);
        // Stored by reference on the server.
        const stored = await a.evaluate(async (id) => {
          const tasks = (await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as {
            items: { blocks: { type: string; provider?: string; url: string }[] }[];
          };
          return tasks.items[0]!.blocks.at(-1);
        }, listId);
        expect(stored).toMatchObject({ type: 'gif', provider: 'giphy', url: `${media}/giphy.gif` });
      } finally {
        await a.unrouteAll({ behavior: 'ignoreErrors' });
      }
    });
  }, 30_000);
  it('drops a GIF on a task row: highlighted while over it, uploaded with progress, the row shows it; not for viewers', async () => {
    allowConsoleErrors(/status of 415/); // the refused upload
    await withScreenshot('content-row-drop', { a, b }, async () => {
      const panel = details(a, 'Dance');
      if (await panel.isVisible()) {
        await a.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
      }
      await addTask(a, 'Photos');
      await expect.poll(listPage(a).titles).toEqual(['Dance', 'Photos']);
      await saved(a);
      const row = listPage(a).row('Photos');
      const title = row.getByRole('textbox', { name: 'Task title' });
      const gif = await makeNoisyGif(3, 150, 100);
      const withGif = await dataTransferIn(a, [{ name: 'row.gif', type: 'image/gif', bytes: gif }]);

      // A row-reordering drag (text, no files) is not a file target.
      const reorder = await dataTransferIn(a, []);
      expect(await dispatchDrag(title, 'dragenter', reorder)).toBe(false);
      expect(await row.getAttribute('class')).not.toContain('is-file-target');
      await dispatchDrag(title, 'dragleave', reorder);

      // Files over the row (entering a child of it): highlighted, and named in words for screen readers.
      expect(await dispatchDrag(title, 'dragenter', withGif)).toBe(true);
      expect(await dispatchDrag(title, 'dragover', withGif)).toBe(true);
      await expect.poll(() => row.getAttribute('class')).toContain('is-file-target');
      expect(await row.getByRole('status').textContent()).toBe('Drop to add to “Photos”');
      const highlight = () =>
        row.evaluate((element) => ({ animation: getComputedStyle(element).animationName, outline: getComputedStyle(element).outlineStyle }));
      expect(await highlight()).toEqual({ animation: 'file-target-pulse', outline: 'dashed' });
      // Reduced motion: the same highlight, still.
      await a.emulateMedia({ reducedMotion: 'reduce' });
      expect(await highlight()).toEqual({ animation: 'none', outline: 'dashed' });
      await a.emulateMedia({ reducedMotion: 'no-preference' });

      // The drop: uploaded (slowed down, so the row's progress bar shows), then the row's thumbnail.
      const cdp = await a.context().newCDPSession(a);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
      try {
        expect(await dispatchDrag(title, 'drop', withGif)).toBe(true);
        await row.getByRole('progressbar', { name: 'Uploading row.gif' }).waitFor();
        expect(await row.getAttribute('class')).not.toContain('is-file-target');
        expect(await row.getByRole('status').count()).toBe(0);
        await row.getByRole('progressbar').waitFor({ state: 'detached', timeout: 15_000 });
      } finally {
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        await cdp.detach();
      }
      const thumb = row.locator('img.task-thumb');
      await thumb.waitFor();
      expect(await thumb.getAttribute('alt')).toBe('row.gif');
      await expect.poll(() => imageState(thumb).then((state) => state.complete && state.naturalWidth > 0)).toBe(true);
      await expect.poll(() => a.locator('.visually-hidden[aria-live]').allTextContents()).toContain('Added “row.gif” to “Photos”.');
      await saved(a);

      // On the server: the task's one block is the GIF (the type sniffed from the bytes), its thumbnail the row's.
      const stored = await a.evaluate(async (id) => {
        const tasks = (await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as {
          items: { title: string; blocks: { type: string; name?: string; frames?: number; url?: string }[] }[];
        };
        return tasks.items.find((task) => task.title === 'Photos')!.blocks;
      }, listId);
      expect(stored).toEqual([expect.objectContaining({ type: 'gif', name: 'row.gif', frames: 3 })]);
      expect(await thumb.getAttribute('src')).toBe(stored[0]!.url!.replace(/\/content$/, '/thumbnail'));
      // B, a collaborator, gets it live.
      await listPage(b).row('Photos').locator('img.task-thumb[alt="row.gif"]').waitFor();

      // A file the server refuses (a PNG named .gif, 415): its reason under the row, and nothing is added.
      const spoofed = await dataTransferIn(a, [{ name: 'fake.gif', type: 'image/gif', bytes: await makePng(8, 8) }]);
      await dispatchDrag(title, 'dragenter', spoofed);
      expect(await dispatchDrag(title, 'drop', spoofed)).toBe(true);
      const refusal = row.getByRole('alert').filter({ hasText: 'fake.gif' });
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/^fake\.gif: .+/);
      await row.getByRole('button', { name: 'Dismiss the error about fake.gif' }).click();
      await refusal.waitFor({ state: 'detached' });
      await saved(a);
      expect(
        await a.evaluate(async (id) => {
          const tasks = (await (await fetch(`/api/v1/lists/${id}/tasks`)).json()) as { items: { title: string; blocks: unknown[] }[] };
          return tasks.items.find((task) => task.title === 'Photos')!.blocks.length;
        }, listId),
      ).toBe(1);

      // B becomes a viewer: B's rows are no drop target (nothing highlights, the drop is not taken).
      const changed = await a.evaluate(
        async ({ listId, email }) => {
          const members = (await (await fetch(`/api/v1/lists/${listId}/members`)).json()) as { items: { userId: string; email: string }[] };
          const userId = members.items.find((member) => member.email === email)!.userId;
          const response = await fetch(`/api/v1/lists/${listId}/members/${userId}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'viewer' }),
          });
          return response.status;
        },
        { listId, email: bea.email },
      );
      expect(changed).toBe(200);
      await b.reload();
      await b.getByRole('heading', { level: 1, name: 'Party' }).waitFor();
      const rowB = listPage(b).row('Dance');
      await rowB.waitFor();
      expect(await rowB.getByRole('button', { name: 'Move “Dance”' }).count()).toBe(0);
      const titleB = rowB.getByRole('textbox', { name: 'Task title' });
      const forB = await dataTransferIn(b, [{ name: 'nope.gif', type: 'image/gif', bytes: gif }]);
      expect(await dispatchDrag(titleB, 'dragenter', forB)).toBe(false);
      expect(await dispatchDrag(titleB, 'dragover', forB)).toBe(false);
      expect(await rowB.getAttribute('class')).not.toContain('is-file-target');
      expect(await rowB.getByRole('status').count()).toBe(0);
      expect(await dispatchDrag(titleB, 'drop', forB)).toBe(false);
      expect(await rowB.getByRole('progressbar').count()).toBe(0);
    });
  }, 60_000);
  it('animated images (WebP, APNG) stay still with reduced motion, with Play, in the lightbox; GIF results without a still show their title', async () => {
    const dee = { name: 'Dee Motion', email: `dee.motion.${stamp}@example.com`, password };
    const moving = await newPage();
    await signUp(moving, server!.baseUrl, dee);
    // The same person in a browser asking for reduced motion from the start.
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
      storageState: await moving.context().storageState(),
    });
    contexts.push(context);
    const still = await context.newPage();
    still.setDefaultTimeout(5_000);
    watchConsole(still);
    await withScreenshot('content-reduced-motion', { moving, still }, async () => {
      const origin = { origin: server!.baseUrl };
      const upload = async (name: string, mimeType: string, bytes: Buffer) => {
        const response = await moving.request.post(`${server!.baseUrl}/api/v1/uploads`, {
          headers: origin,
          multipart: { file: { name, mimeType, buffer: bytes } },
        });
        expect(response.status()).toBe(201);
        return (await response.json()) as { id: string; frames?: number; thumbnailUrl?: string };
      };
      const webp = await upload('spin.webp', 'image/webp', await makeAnimatedWebp(3, 64, 48));
      const apng = await upload('blink.png', 'image/png', makeApng(3, 64, 48));
      const flat = await upload('flat.png', 'image/png', await makePng(64, 48));
      expect([webp.frames, apng.frames, flat.frames]).toEqual([3, 3, 1]);
      const list = (await (await moving.request.post(`${server!.baseUrl}/api/v1/lists`, { headers: origin, data: { name: 'Motion' } })).json()) as {
        id: string;
      };
      const created = await moving.request.post(`${server!.baseUrl}/api/v1/lists/${list.id}/tasks`, {
        headers: origin,
        data: { title: 'Moving pictures', blocks: [webp, apng, flat].map((item) => ({ type: 'image', uploadId: item.id })) },
      });
      expect(created.status()).toBe(201);

      const openTask = async (page: Page) => {
        await page.goto(`${server!.baseUrl}/lists/${list.id}`);
        await page.getByRole('heading', { level: 1, name: 'Motion' }).waitFor();
        await page.getByRole('button', { name: 'Details of “Moving pictures”' }).click();
        const panel = details(page, 'Moving pictures');
        await panel.getByRole('heading', { name: 'Content' }).waitFor();
        return panel;
      };
      const lightboxOf = async (page: Page, panel: Locator, name: string) => {
        await panel.getByRole('button', { name: `Open image ${name}` }).click();
        const lightbox = page.getByRole('dialog', { name });
        await lightbox.waitFor();
        return lightbox;
      };
      const close = async (page: Page, lightbox: Locator) => {
        await page.keyboard.press('Escape');
        await lightbox.waitFor({ state: 'detached' });
      };
      /** How many frames the page's browser finds in the bytes at `url`. */
      const framesAt = (page: Page, url: string) =>
        page.evaluate(async (url) => {
          const response = await fetch(url);
          const Decoder = (
            window as unknown as {
              ImageDecoder: new (init: { data: ArrayBuffer; type: string }) => {
                tracks: { ready: Promise<void>; selectedTrack: { frameCount: number } | null };
              };
            }
          ).ImageDecoder;
          const decoder = new Decoder({ data: await response.arrayBuffer(), type: response.headers.get('content-type')! });
          await decoder.tracks.ready;
          return decoder.tracks.selectedTrack?.frameCount ?? null;
        }, url);
      const contentUrl = (id: string) => `/api/v1/uploads/${id}/content`;
      const thumbnailUrl = (id: string) => `/api/v1/uploads/${id}/thumbnail`;

      // The bytes are animations; the block's inline thumbnail is a still (one frame), with or without reduced motion.
      expect(await framesAt(moving, contentUrl(webp.id))).toBe(3);
      expect(await framesAt(moving, contentUrl(apng.id))).toBe(3);
      expect(await framesAt(moving, thumbnailUrl(webp.id))).toBe(1);
      expect(await framesAt(moving, thumbnailUrl(apng.id))).toBe(1);

      // Without reduced motion, as before: the lightbox plays the animation itself, with a Pause toggle.
      const panelM = await openTask(moving);
      for (const [name, item] of [
        ['spin.webp', webp],
        ['blink.png', apng],
      ] as const) {
        expect(await panelM.getByRole('img', { name }).getAttribute('src')).toBe(thumbnailUrl(item.id));
        const lightbox = await lightboxOf(moving, panelM, name);
        await expect.poll(() => imageState(lightbox.getByRole('img', { name }))).toMatchObject({ src: contentUrl(item.id), complete: true, naturalWidth: 64 });
        const pause = lightbox.getByRole('button', { name: `Pause ${name}` });
        expect(await pause.getAttribute('aria-pressed')).toBe('true');
        await close(moving, lightbox);
      }

      // With reduced motion: the lightbox shows the still (the thumbnail), and Play, which the focus starts on, plays it.
      const panelS = await openTask(still);
      for (const [name, item] of [
        ['spin.webp', webp],
        ['blink.png', apng],
      ] as const) {
        expect(await panelS.getByRole('img', { name }).getAttribute('src')).toBe(thumbnailUrl(item.id));
        const lightbox = await lightboxOf(still, panelS, name);
        const image = lightbox.getByRole('img', { name });
        await expect.poll(() => imageState(image)).toMatchObject({ src: thumbnailUrl(item.id), complete: true });
        const play = lightbox.getByRole('button', { name: `Play ${name}` });
        expect(await play.isVisible()).toBe(true);
        expect(await play.getAttribute('aria-pressed')).toBe('false');
        await expect.poll(() => still.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Play ${name}`);
        await still.keyboard.press('Enter');
        await expect.poll(() => imageState(image)).toMatchObject({ src: contentUrl(item.id), complete: true, naturalWidth: 64 });
        expect(await lightbox.getByRole('button', { name: `Pause ${name}` }).getAttribute('aria-pressed')).toBe('true');
        await still.keyboard.press('Enter');
        await expect.poll(() => imageState(image)).toMatchObject({ src: thumbnailUrl(item.id) });
        await close(still, lightbox);
      }
      // A still image has nothing to play: the full image, no toggle.
      const flatBox = await lightboxOf(still, panelS, 'flat.png');
      await expect.poll(() => imageState(flatBox.getByRole('img', { name: 'flat.png' }))).toMatchObject({ src: contentUrl(flat.id), complete: true });
      expect(await flatBox.getByRole('button', { name: /^(Play|Pause) / }).count()).toBe(0);
      await close(still, flatBox);

      // GIF search (stand-ins): a result without a still shows its title with reduced motion, its animated preview without.
      const media = 'https://media2.giphy.com/media/nostill';
      const animated = await makeGif(3, 48, 36);
      for (const page of [moving, still]) {
        await page.route('**/api/v1/gifs/config', (route) => route.fulfill({ json: { enabled: true, provider: 'giphy' } }));
        await page.route('**/api/v1/gifs/search?*', (route) =>
          route.fulfill({
            json: {
              items: [
                {
                  provider: 'giphy',
                  providerId: 'nostill',
                  url: `${media}/giphy.gif`,
                  width: 48,
                  height: 36,
                  previewUrl: `${media}/200w.gif`,
                  title: 'Spinning top',
                },
              ],
            },
          }),
        );
        await page.route(`${media}/*`, (route) => route.fulfill({ body: animated, contentType: 'image/gif' }));
      }
      const resultOf = async (page: Page, panel: Locator) => {
        await panel.getByRole('button', { name: 'Add block' }).click();
        await panel.getByRole('listbox', { name: 'Block types' }).getByRole('option', { name: /^GIF/ }).click();
        const picker = page.getByRole('dialog', { name: 'Add a GIF' });
        await picker.getByRole('searchbox', { name: 'Search GIFs' }).fill('top');
        const result = picker.getByRole('button', { name: 'Spinning top' });
        await result.waitFor();
        return { picker, result };
      };
      try {
        const withMotion = await resultOf(moving, panelM);
        await expect.poll(() => imageState(withMotion.result.locator('img'))).toMatchObject({ src: `${media}/200w.gif`, complete: true });
        await withMotion.picker.getByRole('button', { name: 'Close' }).click();
        await withMotion.picker.waitFor({ state: 'detached' });
        const reduced = await resultOf(still, panelS);
        expect(await reduced.result.locator('img').count()).toBe(0);
        expect(await reduced.result.textContent()).toBe('Spinning top');
        await reduced.picker.getByRole('button', { name: 'Close' }).click();
        await reduced.picker.waitFor({ state: 'detached' });
      } finally {
        await moving.unrouteAll({ behavior: 'ignoreErrors' });
        await still.unrouteAll({ behavior: 'ignoreErrors' });
      }
    });
  }, 60_000);
  it("shows what fills a workspace's storage, and deletes a file no task shows to make room at once", async () => {
    const cy = { name: 'Cy Storage', email: `cy.storage.${stamp}@example.com`, password };
    const c = await newPage();
    await withScreenshot('storage', c, async () => {
      await signUp(c, server!.baseUrl, cy);
      const origin = { origin: server!.baseUrl };
      const upload = async (name: string, bytes: Buffer) =>
        (await (
          await c.request.post(`${server!.baseUrl}/api/v1/uploads`, { headers: origin, multipart: { file: { name, mimeType: 'image/png', buffer: bytes } } })
        ).json()) as { id: string; size: number };
      const big = await upload('big.png', await makePng(400, 300));
      const small = await upload('small.png', await makePng(20, 10));
      const list = (await (await c.request.post(`${server!.baseUrl}/api/v1/lists`, { headers: origin, data: { name: 'Photos' } })).json()) as { id: string };
      await c.request.post(`${server!.baseUrl}/api/v1/lists/${list.id}/tasks`, {
        headers: origin,
        data: { title: 'Shows the small one', blocks: [{ type: 'image', uploadId: small.id }] },
      });

      await c.getByRole('button', { name: /^Storage in / }).click();
      const dialog = c.getByRole('dialog', { name: /^Storage in / });
      await dialog.getByText(`${formatBytes(big.size + small.size)} of 1024 MB used`).waitFor();
      const rows = dialog.getByRole('listitem');
      expect(await rows.allTextContents()).toEqual([`big.png${formatBytes(big.size)}In no taskDelete`, `small.png${formatBytes(small.size)}In a task`]);

      await dialog.getByRole('button', { name: 'Delete big.png' }).click();
      await c.getByRole('dialog', { name: 'Delete big.png?' }).getByRole('button', { name: 'Delete' }).click();
      await dialog.getByText(`${formatBytes(small.size)} of 1024 MB used`).waitFor();
      expect(await rows.allTextContents()).toEqual([`small.png${formatBytes(small.size)}In a task`]);
      expect((await c.request.get(`${server!.baseUrl}/api/v1/uploads/${big.id}`)).status()).toBe(404);
    });
  });
  it('an image the server could not decode shows as a file to download, not a broken picture, in the row and the details', async () => {
    allowConsoleErrors(/status of 404/); // the thumbnails it asks for, refused as undecodable
    const eve = { name: 'Eve Broken', email: `eve.broken.${stamp}@example.com`, password };
    const page = await newPage();
    await withScreenshot('content-undecodable', page, async () => {
      await signUp(page, server!.baseUrl, eve);
      const origin = { origin: server!.baseUrl };
      const bytes = corruptLargePng(2100, 2000); // stored (too big to decode before answering), then fails to decode
      const uploaded = await page.request.post(`${server!.baseUrl}/api/v1/uploads`, {
        headers: origin,
        multipart: { file: { name: 'scan.png', mimeType: 'image/png', buffer: bytes } },
      });
      expect(uploaded.status()).toBe(201);
      const { id } = (await uploaded.json()) as { id: string };
      const list = (await (await page.request.post(`${server!.baseUrl}/api/v1/lists`, { headers: origin, data: { name: 'Scans' } })).json()) as { id: string };
      const created = await page.request.post(`${server!.baseUrl}/api/v1/lists/${list.id}/tasks`, {
        headers: origin,
        data: { title: 'Tax papers', blocks: [{ type: 'image', uploadId: id }] },
      });
      expect(created.status()).toBe(201);

      await page.goto(`${server!.baseUrl}/lists/${list.id}`);
      await page.getByRole('heading', { level: 1, name: 'Scans' }).waitFor();
      const open = page.getByRole('button', { name: 'Details of “Tax papers”' });
      await open.waitFor();
      await expect.poll(() => page.locator('img.task-thumb').count()).toBe(0);
      await open.click();
      const panel = details(page, 'Tax papers');
      const download = panel.getByRole('link', { name: /^Download scan\.png / });
      await download.waitFor();
      expect(await download.getAttribute('href')).toBe(`/api/v1/uploads/${id}/content`);
      expect(await panel.getByRole('button', { name: 'Open image scan.png' }).count()).toBe(0);
    });
  });
});
