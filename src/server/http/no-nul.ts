/**
 * Refuses U+0000 in any string of a request's body, query or path. PostgreSQL cannot store it in text (it
 * answered 500) while SQLite stored it: no name, title or note needs it, so both now answer the same 400.
 */
import type { FastifyInstance } from 'fastify';
import { invalidField } from '../../core/errors.js';

/** The path of the first string holding U+0000, or null. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = findNul(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field = findNul(request.params, '') ?? findNul(request.query, '') ?? findNul(request.body, '');
    if (field !== null) throw invalidField(field || 'body', 'must not contain the NUL character (U+0000)');
  });
}
