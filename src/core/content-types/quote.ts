/** `quote`: a quotation, with an optional source. Plain text (no Markdown), shown as a block quote. */
import { z } from 'zod';
import { defineContentType } from './definition.js';
import { labelText } from '../schemas/common.js';

const maxChars = 2_000;
const maxSource = 200;

export const quote = defineContentType({
  id: 'quote',
  payloadSchema: z.strictObject({
    type: z.literal('quote'),
    text: z
      .string()
      .trim()
      .min(1, { message: 'must not be empty' })
      .max(maxChars, { message: `must be at most ${maxChars} characters` }),
    source: labelText(maxSource).pipe(z.string().min(1)).optional(),
  }),
  blockSchema: z.object({ type: z.literal('quote'), text: z.string(), source: z.string().optional() }),
  limits: { maxChars, maxSource },
  summary: (block) => (block.source ? `“${block.text}” — ${block.source}` : `“${block.text}”`),
});
