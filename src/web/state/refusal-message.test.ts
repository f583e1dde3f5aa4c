import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { refusalMessage } from './refusal-message.js';

describe('refusalMessage', () => {
  it('names the task that was deleted meanwhile', () => {
    const error = new ApiError('task_deleted', 422, 'This task was deleted; restore it before editing');
    expect(refusalMessage(error, { title: 'Milk' })).toBe('“Milk” was deleted by someone else, so your change was not saved.');
    expect(refusalMessage(error)).toBe('This task was deleted by someone else, so your change was not saved.');
    expect(refusalMessage(error, { title: 'x'.repeat(60) })).toMatch(/^“x{39}…” was deleted/);
  });

  it('uses the API’s own words otherwise', () => {
    expect(refusalMessage(new ApiError('forbidden', 403, 'Your role (viewer) cannot edit tasks'), { title: 'Milk' })).toBe(
      'Your role (viewer) cannot edit tasks',
    );
  });
});
