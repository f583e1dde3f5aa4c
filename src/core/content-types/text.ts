/** `text`: a safe Markdown subset. Rendered without raw HTML: only the elements below, links to http(s)/mailto only. */
import { z } from 'zod';
import { defineContentType } from './definition.js';

const maxChars = 20_000;

/** Markdown with inline code, emphasis, links and list markers reduced to the words a person reads. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '') // code fences (the code itself stays)
    .replace(/<[^>]*>/g, '') // raw HTML is never rendered, so it is not part of the text either
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: their alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)/gm, '') // headings, quotes, list markers
    .replace(/^\s{0,3}([-*_])(\s*\1){2,}\s*$/gm, '') // thematic breaks
    .replace(/(\*\*|__|~~|\*|_|`)(?=\S)([\s\S]*?\S)\1/g, '$2') // emphasis, strike, inline code
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1') // escapes
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

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
