/**
 * What the bytes are, never what the name or the client's header claims: magic numbers (file-type), plus the
 * text formats a browser could be tricked into running (SVG, HTML). A name whose extension is a known format other
 * than what the bytes are is refused.
 */
import { fileTypeFromBuffer, supportedExtensions } from 'file-type';
import { AppError } from '../../core/errors.js';

export interface Sniffed {
  mime: string;
  /** Name extensions that agree with these bytes. */
  extensions: readonly string[];
  /** The bytes are text (XML, HTML, SVG or any other), not a binary format. */
  text: boolean;
}

/** How many leading bytes are sniffed. */
export const sniffBytes = 64 * 1024;

const zipFamily = [
  'zip',
  'docx',
  'xlsx',
  'pptx',
  'docm',
  'dotx',
  'dotm',
  'xlsm',
  'xltx',
  'xltm',
  'potx',
  'potm',
  'pptm',
  'ppsx',
  'ppsm',
  'vsdx',
  'odt',
  'ods',
  'odp',
  'odg',
  'ott',
  'ots',
  'otp',
  'otg',
  'epub',
  'jar',
  'apk',
  'xpi',
  '3mf',
  'ipa',
  'aar',
  'war',
  'ear',
  'kmz',
  'whl',
  'nupkg',
];
const aliasGroups: readonly (readonly string[])[] = [
  ['jpg', 'jpeg', 'jpe', 'jfif', 'pjpeg', 'pjp'],
  ['png', 'apng'],
  ['tif', 'tiff'],
  ['mp4', 'm4v', 'm4a', 'm4b', 'm4p', 'mov', '3gp', '3g2', 'f4v', 'f4a', 'f4b', 'f4p'],
  ['ogg', 'oga', 'ogv', 'ogx', 'ogm', 'opus', 'spx'],
  ['mkv', 'webm', 'mka'],
  ['mpg', 'mpeg', 'mp2', 'm2v'],
  ['gz', 'tgz'],
  ['cfb', 'doc', 'xls', 'ppt', 'msi', 'msg', 'vsd', 'pub'],
  ['html', 'htm', 'xhtml'],
  ['svg', 'svgz'],
  ['xml', 'xsd', 'xsl', 'rss', 'atom', 'plist', 'gpx', 'kml'],
  zipFamily,
];
/**
 * Generic or text extensions file-type happens to know: their bytes vary too much to judge. Some name common text as
 * well: `mts` is an MPEG transport stream to file-type and a TypeScript module to everyone else (`ts` and `cts` it does
 * not know); FBX and PGP have text forms (ASCII FBX, armored keys and signatures) beside the binary one it recognises,
 * and binary STL has no magic number at all (it recognises only ASCII STL).
 */
const notJudged = new Set(['dat', 'xml', 'vtt', 'ics', 'vcf', 'reg', 'sav', 'tar.gz', 'z', 'ps', 'eps', 'txt', 'mts', 'fbx', 'pgp', 'stl']);
/**
 * Text formats judged only as text: templates (`{% extends %}`), fragments (an Angular `app.component.html`), an
 * `.xhtml` that opens with `<?xml`, an SVG with an internal DOCTYPE subset all take many shapes no pattern sees. Any
 * text is accepted under these names (and gzip for `.svgz`); a different binary format is refused. Served as
 * sandboxed attachments whatever they are.
 */
const textExtensions: ReadonlyMap<string, readonly string[]> = new Map([
  ['html', []],
  ['htm', []],
  ['xhtml', []],
  ['svg', []],
  ['svgz', ['application/gzip']],
]);
/** Extensions whose bytes we recognise: a name ending in one of them must match its bytes. */
const judgedExtensions = new Set(
  [...[...supportedExtensions].map((ext) => ext.toLowerCase()), 'svg', 'svgz', 'html', 'htm', 'xhtml'].filter((ext) => !notJudged.has(ext)),
);

function extensionsOf(ext: string): string[] {
  const group = aliasGroups.find((g) => g.includes(ext));
  return group ? [...new Set([ext, ...group])] : [ext];
}

/**
 * An XML/HTML comment, matched one way only: its body cannot hold `-->`. A lazy `<!--[\s\S]*?-->` could also swallow
 * the next comments, so a head of 40 empty comments before anything else had 2^40 ways to be split: the upload held the
 * event loop for hours (30 took 8 s).
 */
const comment = String.raw`<!--(?:[^-]|-(?!->))*-->`;
/** A DOCTYPE, with an internal subset (`[<!ENTITY … >]`, as Illustrator writes) matched one way only. */
const doctype = String.raw`<!doctype[^>[]*(?:\[[^\]]*\][^>[]*)?>`;
const svgPattern = new RegExp(String.raw`^(?:\s|<\?xml[^>]*>|${comment}|${doctype})*<svg[\s>/]`, 'i');
const htmlPattern = new RegExp(String.raw`^(?:\s|${comment})*<(?:!doctype\s+html|html|head|body|script|iframe|meta|title)[\s>]`, 'i');

function asText(head: Uint8Array): string | null {
  if (head.includes(0)) return null;
  // The head may end inside a multi-byte character: judge all but the last 3 bytes strictly.
  const cut = head.length > 3 ? head.subarray(0, head.length - 3) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(cut);
  } catch {
    return null;
  }
  return new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
}

/**
 * `utf-16le` or `utf-16be` for text that starts with a UTF-16 byte order mark and reads as UTF-16 text (no control
 * characters but whitespace). file-type takes FF FE for an MPEG audio frame header, so this comes first.
 */
function utf16Of(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : null;
  if (!encoding) return null;
  // The head may end inside a character or a surrogate pair: judge all but the last 4 bytes strictly.
  const cut = head.subarray(2, Math.max(2, head.length - ((head.length - 2) % 2) - 4));
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(cut);
    return /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text) ? null : encoding;
  } catch {
    return null;
  }
}

export async function sniff(head: Uint8Array): Promise<Sniffed> {
  const utf16 = utf16Of(head);
  if (utf16) return { mime: `text/plain; charset=${utf16}`, extensions: [], text: true };
  const detected = await fileTypeFromBuffer(head);
  if (detected && detected.mime !== 'application/xml') {
    // An animated PNG is a PNG: same decoders, same extension.
    const mime = detected.mime === 'image/apng' ? 'image/png' : detected.mime;
    return { mime, extensions: extensionsOf(detected.ext), text: false };
  }
  const text = asText(head);
  if (text !== null) {
    if (svgPattern.test(text)) return { mime: 'image/svg+xml', extensions: extensionsOf('svg'), text: true };
    if (htmlPattern.test(text)) return { mime: 'text/html', extensions: extensionsOf('html'), text: true };
    if (detected) return { mime: 'application/xml', extensions: extensionsOf('xml'), text: true };
    return { mime: 'text/plain', extensions: [], text: true };
  }
  return { mime: detected?.mime ?? 'application/octet-stream', extensions: detected ? extensionsOf(detected.ext) : [], text: false };
}

/** The lower-case extension of a file name, if it has one. */
export function extensionOf(name: string): string | null {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match ? match[1]!.toLowerCase() : null;
}

/** Refuses (415) a name whose known extension disagrees with the bytes: PNG bytes named `.gif`, a ZIP named `.png`. */
export function assertExtensionMatches(name: string, sniffed: Sniffed): void {
  const ext = extensionOf(name);
  if (!ext || sniffed.extensions.includes(ext) || !judgedExtensions.has(ext)) return;
  const alsoAccepted = textExtensions.get(ext);
  if (alsoAccepted && (sniffed.text || alsoAccepted.includes(sniffed.mime))) return;
  throw new AppError('unsupported_media_type', `The file is named .${ext} but its contents are ${sniffed.mime}; rename it or upload the right file`, {
    extensions: { reason: 'extension_mismatch', sniffedType: sniffed.mime },
  });
}
