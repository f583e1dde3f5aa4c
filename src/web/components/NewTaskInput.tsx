import { useEffect, useRef, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { Icon } from './Icon.js';

/**
 * "Add a task" field: Enter adds the task and leaves the field ready for the next one. While `waiting` (the list is
 * still being created: the server knows no id to add to, and the screen is made anew with its id) it is read-only and
 * says so, rather than take a title that would be lost or refused.
 */
export function NewTaskInput({
  onAdd,
  autoFocus = false,
  disabled = false,
  waiting = false,
}: {
  onAdd: (title: string) => void;
  autoFocus?: boolean;
  disabled?: boolean;
  waiting?: boolean;
}) {
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed || waiting) return;
    onAdd(trimmed);
    setTitle('');
  }

  return (
    <form className="new-task" onSubmit={submit}>
      <Icon name="plus" className="new-task-icon" />
      <input
        ref={input}
        type="text"
        aria-label="Add a task"
        placeholder={waiting ? 'Saving the list…' : 'Add a task…'}
        readOnly={waiting}
        autoComplete="off"
        enterKeyHint="done"
        maxLength={limits.taskTitleMax}
        value={title}
        disabled={disabled}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button
        type="submit"
        className="button button-primary button-small"
        disabled={disabled || waiting || !title.trim()}
        title={waiting ? 'Saving the list…' : undefined}
      >
        Add
      </button>
    </form>
  );
}
