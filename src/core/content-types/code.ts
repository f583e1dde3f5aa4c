/**
 * `code`: a snippet shown exactly as typed, in a monospaced block. Plain text: no syntax highlighting, no HTML;
 * the optional language is only a label.
 */
import { z } from 'zod';
import { defineContentType } from './definition.js';

const maxChars = 20_000;
const maxLanguage = 40;

export const code = defineContentType({
  id: 'code',
  payloadSchema: z.strictObject({
    type: z.literal('code'),
    // Not trimmed: leading indentation is part of the code.
    code: z
      .string()
      .max(maxChars, { message: `must be at most ${maxChars} characters` })
      .refine((value) => value.trim() !== '', { message: 'must not be empty' }),
    // A name such as `TypeScript`, `C++`, `C#` or `objective-c`: letters, digits, spaces and + # . _ - / only
    // (no control or bidi characters in a label shown to others).
    language: z
      .string()
      .trim()
      .min(1)
      .max(maxLanguage, { message: `must be at most ${maxLanguage} characters` })
      .regex(/^[\p{L}\p{N} +#._\-/]+$/u, { message: 'must be a language name (letters, digits, spaces and + # . _ - /)' })
      .optional(),
  }),
  blockSchema: z.object({ type: z.literal('code'), code: z.string(), language: z.string().optional() }),
  limits: { maxChars, maxLanguage },
  summary: (block) => block.code.trim(),
});
