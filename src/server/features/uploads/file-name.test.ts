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

  it('keep the extension in the ASCII fallback of a long name, and call a name with no ASCII "file"', () => {
    expect(contentDisposition('attachment', `${'a'.repeat(500)}.txt`)).toMatch(new RegExp(`^attachment; filename="a{146}\\.txt";`));
    expect(contentDisposition('attachment', `${'😀'.repeat(250)}.pdf`)).toMatch(/^attachment; filename="file\.pdf";/);
    expect(contentDisposition('attachment', '日本語')).toMatch(/^attachment; filename="file";/);
  });
});
