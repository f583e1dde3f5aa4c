import { describe, expect, it } from 'vitest';
import { contentDisposition, sanitizeFileName } from './file-name.js';

describe('file names', () => {
  it('keep the last path segment only and strip controls, bidi overrides and leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(sanitizeFileName('a\u0000b\r\nc\u0007.txt')).toBe('abc.txt');
    expect(sanitizeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(sanitizeFileName('.htaccess')).toBe('htaccess');
    expect(sanitizeFileName('   ')).toBe('file');
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('..')).toBe('file');
  });

  it('treat the compatibility forms of separators and dots (full-width, small, ligatures) as what they fold to', () => {
    expect(sanitizeFileName('．．／．．／etc／passwd．txt')).toBe('passwd．txt');
    expect(sanitizeFileName('ａ＼ｂ／ｃ.pdf')).toBe('ｃ.pdf');
    expect(sanitizeFileName('..\uFE68..\uFE68boot.ini')).toBe('boot.ini'); // small reverse solidus
    expect(sanitizeFileName('report \u2100 budget.xlsx')).toBe('budget.xlsx'); // ℀ is "a/c"
    expect(sanitizeFileName('\u2025\u2026\uFE52\u2024\u3000hidden')).toBe('hidden'); // ‥ … ﹒ ․ and an ideographic space
    expect(sanitizeFileName('\uFF0E\uFF0E')).toBe('file');
    expect(sanitizeFileName('ＲＥＡＤＭＥ．ｍｄ')).toBe('ＲＥＡＤＭＥ．ｍｄ'); // kept as written, only cleaned
  });

  it('shorten very long names but keep the extension, without splitting a character', () => {
    const long = sanitizeFileName(`${'😀'.repeat(500)}.png`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('😀.png')).toBe(true);
  });

  it('build an RFC 6266 header with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'Résumé "final".pdf')).toBe(
      `attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_.pdf`,
    );
    const header = contentDisposition('inline', 'a\r\nSet-Cookie: x=1;\u202E.png');
    expect(header).not.toMatch(/[\r\n\u202E]/);
    expect(header).not.toContain('%E2%80%AE');
    expect(header.startsWith('inline; filename="aSet-Cookie_ x=1_.png"')).toBe(true);
  });

  it('fold the ASCII fallback before cleaning it, so no compatibility form becomes a path in either name', () => {
    expect(contentDisposition('attachment', '．．／．．／etc／passwd．txt')).toBe(`attachment; filename="passwd.txt"; filename*=UTF-8''passwd%EF%BC%8Etxt`);
    expect(contentDisposition('attachment', 'ａ＼ｂ／ｃ.pdf')).toBe(`attachment; filename="c.pdf"; filename*=UTF-8''%EF%BD%83.pdf`);
    const hostile = [
      '．．／．．／etc／passwd．txt',
      '‥／‥／x.sh',
      '…etc',
      '．ｂａｓｈｒｃ',
      'a\uFE68..\uFE68b.bat',
      '℀.txt',
      'ｘ＂；ｙ％.txt',
      '＜ｓ＞：＊？｜.txt',
    ];
    for (const name of hostile) {
      const header = contentDisposition('attachment', name);
      const ascii = /filename="([^"]*)"/.exec(header)![1]!;
      expect(ascii, name).not.toMatch(/[/\\"%;<>:*?|]|^\.|\.\./);
      const exact = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!);
      expect(exact.normalize('NFKC'), name).not.toMatch(/[/\\]|^\./);
    }
    expect(contentDisposition('inline', 'ｐｈｏｔｏ．ｐｎｇ')).toMatch(/^inline; filename="photo\.png";/);
    expect(contentDisposition('attachment', '…etc')).toMatch(/^attachment; filename="etc";/);
  });

  it('keep the extension in the ASCII fallback of a long name, and call a name with no ASCII "file"', () => {
    expect(contentDisposition('attachment', `${'a'.repeat(500)}.txt`)).toMatch(new RegExp(`^attachment; filename="a{146}\\.txt";`));
    expect(contentDisposition('attachment', `${'😀'.repeat(250)}.pdf`)).toMatch(/^attachment; filename="file\.pdf";/);
    expect(contentDisposition('attachment', '日本語')).toMatch(/^attachment; filename="file";/);
  });
});
