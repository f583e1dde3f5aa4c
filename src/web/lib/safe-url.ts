/** Links in comments: only http(s) and mailto, or links within Listo; anything else is dropped. */
const allowedProtocols = new Set(['http:', 'https:', 'mailto:']);

/** The URL if it is safe to put in an `href`, else an empty string (react-markdown then omits it). */
export function safeUrl(url: string): string {
  const trimmed = url.trim();
  // Control characters and whitespace inside a scheme ("java\tscript:") are how filters get fooled.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return '';
  const colon = trimmed.indexOf(':');
  const firstDelimiter = trimmed.search(/[/?#]/);
  // No scheme: a relative link within Listo.
  if (colon === -1 || (firstDelimiter !== -1 && firstDelimiter < colon)) return trimmed.startsWith('//') ? '' : trimmed;
  return allowedProtocols.has(trimmed.slice(0, colon + 1).toLowerCase()) ? trimmed : '';
}
