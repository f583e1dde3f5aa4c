import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url.js';

describe('safeUrl', () => {
  it('keeps http, https, mailto and links within the app', () => {
    for (const url of ['https://example.com/a?b#c', 'http://example.com', 'mailto:ada@example.com', 'HTTPS://EXAMPLE.COM', '/lists/1', '#top', 'page?x=a:b']) {
      expect(safeUrl(url)).toBe(url);
    }
  });

  it('drops every other scheme, however it is disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example/x',
      'ftp://x',
    ]) {
      expect(safeUrl(url)).toBe('');
    }
  });
});
