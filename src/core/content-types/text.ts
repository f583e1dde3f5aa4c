/** `text`: a safe Markdown subset. Rendered without raw HTML: only the elements below, links to http(s)/mailto only. */
import { z } from 'zod';
import { defineContentType } from './definition.js';

const maxChars = 20_000;

/**
 * Markdown with inline code, emphasis, links and list markers reduced to the words a person reads.
 *
 * Every pattern runs in time linear in the text, whatever it holds: each scan stops at the next character that could
 * start or end another match (the next `<`, bracket, parenthesis or delimiter), never at "anywhere later". The server
 * runs this on every edit (search text) and the web app on every render, on up to 20,000 characters a block; with
 * open-ended scans, 20,000 `[` took 0.6 s and one PATCH of 50 such blocks held the server for 28 s.
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '') // code fences (the code itself stays)
    .replace(/<[^<>]*>/g, '') // raw HTML is never rendered, so it is not part of the text either
    .replace(linkOrImage, '$1') // links and images: their text
    .replace(/^[ \t]{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)/gm, '') // headings, quotes, list markers
    .replace(/^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$/gm, '') // thematic breaks
    .replace(/(\*\*|__|~~|\*|_|`)(?=\S)((?:(?!\1)[\s\S])*?\S)\1/g, '$2') // emphasis, strike, inline code: never across the next delimiter
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1') // escapes
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim();
}

/** `[text](destination "title")`, `!` for an image: a destination has no spaces, and parentheses one level deep. */
const linkOrImage = /!?\[([^[\]]*)\]\([ \t]*[^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+"[^"\n]*")?[ \t]*\)/g;

export const text = defineContentType({
  id: 'text',
  payloadSchema: z.strictObject({
    type: z.literal('text'),
    text: z.string().max(maxChars, { message: `must be at most ${maxChars} characters` }),
  }),
  blockSchema: z.object({ type: z.literal('text'), text: z.string() }),
  limits: { maxChars },
  /** For the web renderer (react-markdown without raw HTML): what it may produce. */
  markdown: {
    allowedElements: ['p', 'br', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr'],
    linkProtocols: ['http', 'https', 'mailto'],
  },
  summary: (block) => markdownToPlainText(block.text),
});
