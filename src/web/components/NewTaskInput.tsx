import { useEffect, useRef, useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { Icon } from './Icon.js';

/**
 * "Add a task" field: Enter adds the task and leaves the field ready for the next one. It takes typing from the moment
 * its list is shown, also while the list is still being created: the list's panel stays mounted when the list gets its
 * server id, so the draft and the focus stay; the tasks added meanwhile wait in the lists store until the list exists
 * (`ListsStore.addTask`), so opening another list meanwhile loses none.
 */
export function NewTaskInput({ onAdd, autoFocus = false, disabled = false }: { onAdd: (title: string) => void; autoFocus?: boolean; disabled?: boolean }) {
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
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
        placeholder="Add a task…"
        autoComplete="off"
        enterKeyHint="done"
        maxLength={limits.taskTitleMax}
        value={title}
        disabled={disabled}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" className="button button-primary button-small" disabled={disabled || !title.trim()}>
        Add
      </button>
    </form>
  );
}
