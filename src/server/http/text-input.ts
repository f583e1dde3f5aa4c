/**
 * What every string of a request (body, query, path) must be, before any route's schema reads it:
 * - no U+0000. PostgreSQL cannot store it in text (it answered 500) while SQLite stored it: no name, title or note
 *   needs it, so both answer the same 400.
 * - well-formed Unicode: no unpaired surrogate (`"\ud800"` in JSON). Each database stored one as a different
 *   replacement, so a title read back differently from what was sent, and differently on each.
 * - nested at most `maxDepth` deep. The walk is a loop, not recursion: a body of 10,000 nested arrays (20 KB)
 *   overflowed the stack, a 500 on every JSON route, signup included.
 */
import type { FastifyInstance } from 'fastify';
import { invalidField } from '../../core/errors.js';

/** Deeper than any request Listo takes (a task's blocks are about five levels). */
const maxDepth = 32;

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem with the first bad string (its path and what is wrong), or null. */
function findMalformed(root: unknown, rootPath: string): { path: string; message: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'must not contain the NUL character (U+0000)' };
      if (unpairedSurrogate.test(value)) return { path, message: 'must be well-formed Unicode text (it holds half of a surrogate pair)' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return { path, message: `is nested too deeply (more than ${maxDepth} levels)` };
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      stack.push({ value: item, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

export function refuseMalformedText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = findMalformed(request.params, '') ?? findMalformed(request.query, '') ?? findMalformed(request.body, '');
    if (problem !== null) throw invalidField(problem.path || 'body', problem.message);
  });
}
