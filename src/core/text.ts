/** Text helpers shared by the server and the web app. */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` characters as people see them, with `…` when cut. Counted and cut by grapheme
 * clusters, never inside one: cutting UTF-16 code units split emoji (a lone surrogate shows as �), flags and
 * accented letters written with combining marks.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text; // at most `max` code units: at most `max` graphemes, nothing to cut
  const kept: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length === max) return `${kept.slice(0, max - 1).join('')}…`;
    kept.push(segment);
  }
  return text;
}
