/** Link targets a block may open: absolute URLs with an allowed protocol only, nothing relative, nothing else. */
export function allowedLinkUrl(url: string, protocols: readonly string[]): string | null {
  const trimmed = url.trim();
  // Control characters inside a scheme ("java\tscript:") are how filters get fooled; URL() would strip them.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (!protocols.includes(parsed.protocol.slice(0, -1))) return null;
  if (parsed.username || parsed.password) return null;
  return trimmed;
}
