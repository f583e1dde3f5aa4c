/**
 * Client-supplied file names are display text only, never paths (blobs are stored by hash). They are cleaned before
 * being stored, and encoded per RFC 6266 / RFC 8187 when sent back in Content-Disposition.
 */

const maxNameLength = 200;
// C0/C1 controls, and invisible or direction-changing format characters (U+202E turns "gpj.exe" into "exe.jpg").
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/g;

/**
 * What a character is once a client folds compatibility forms (NFKC), as some do when saving a file: full-width
 * `／` and `＼`, `℅` ("c/o") are path separators then, and `．`, `‥` or `…` are dots.
 */
const folds = (character: string, pattern: RegExp) => pattern.test(character.normalize('NFKC'));
const separator = /[/\\]/;
const onlyDotsOrSpaces = /^[\s.]*$/;

/** Drops leading (or trailing) characters that are, or fold to, dots and spaces. */
function trimDots(characters: string[]): string[] {
  const start = characters.findIndex((c) => !folds(c, onlyDotsOrSpaces));
  if (start === -1) return [];
  let end = characters.length;
  while (folds(characters[end - 1]!, onlyDotsOrSpaces)) end--;
  return characters.slice(start, end);
}

/**
 * A safe display name: last path segment, no controls or bidi overrides, no leading dots, at most 200 characters.
 * Separators and dots count also in their compatibility forms (`．．／etc／passwd` is `passwd`), which are otherwise
 * kept as written: a full-width name stays full-width.
 */
export function sanitizeFileName(raw: string | undefined | null, fallback = 'file'): string {
  const characters = Array.from((raw ?? '').normalize('NFC').replace(unsafeCharacters, ''));
  const lastSeparator = characters.findLastIndex((c) => folds(c, separator));
  const segment = characters
    .slice(lastSeparator + 1)
    .join('')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ');
  const name = trimDots(Array.from(segment)).join('');
  if (name === '') return fallback;
  return shortened(name, maxNameLength);
}

/** At most `max` characters, cut from the stem so a short extension (".pdf") stays: it tells what the file is. */
function shortened(name: string, max: number): string {
  if (Array.from(name).length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : '';
  return (
    Array.from(name.slice(0, name.length - extension.length))
      .slice(0, max - Array.from(extension).length)
      .join('')
      .trimEnd() + extension
  );
}

/** RFC 8187 `value-chars`: attr-char stays, everything else is percent-encoded UTF-8. */
const encodeExtValue = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `inline` or `attachment` with both an ASCII `filename` (for old clients; quotes, backslashes and non-ASCII
 * replaced) and the exact UTF-8 name in `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const clean = sanitizeFileName(name);
  // Folded first, then cleaned again: folding is what makes `／` a `/` and `‥` a `..`.
  const folded = sanitizeFileName(clean.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  // A name with no ASCII in its stem folds to underscores: old clients get "file" and the extension instead.
  const stem = folded.replace(/\.[^.]*$/, '');
  const ascii = shortened(/^[_\s]*$/.test(stem) ? `file${folded.slice(stem.length)}` : folded, 150);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(clean)}`;
}
