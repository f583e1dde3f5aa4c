/** Machine codes of plans and meters: lowercase slugs that are safe in URLs and invoice line keys. */
import { z } from 'zod';

/** Lowercase letters and digits, words joined by `_` or `-`, e.g. `tasks_created`, `team-pro`. */
export const codeSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, { error: 'must be a lowercase slug such as tasks_created' });
