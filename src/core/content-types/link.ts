/** `link`: a URL with an optional title. Only http and https, and no credentials in the URL. */
import { z } from 'zod';
import { defineContentType } from './definition.js';
import { labelText } from '../schemas/common.js';

const maxUrl = 2048;
const maxTitle = 300;

export const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .max(maxUrl, { message: `must be at most ${maxUrl} characters` })
  .refine(
    (url) => {
      // Runs even when the URL check above failed: never throw on what it refused.
      const parsed = URL.canParse(url) ? new URL(url) : null;
      return parsed === null || (parsed.username === '' && parsed.password === '');
    },
    { message: 'must not contain a user name or password' },
  );

export const link = defineContentType({
  id: 'link',
  payloadSchema: z.strictObject({
    type: z.literal('link'),
    url: httpUrl,
    title: labelText(maxTitle).pipe(z.string().min(1)).optional(),
  }),
  blockSchema: z.object({ type: z.literal('link'), url: z.string(), title: z.string().optional() }),
  limits: { maxUrl, maxTitle },
  summary: (block) => (block.title ? `${block.title} (${block.url})` : block.url),
});
