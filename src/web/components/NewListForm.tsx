import { useState, type FormEvent } from 'react';
import { limits } from '../../core/limits.js';
import { Icon } from './Icon.js';

/** Name + Enter creates a list. */
export function NewListForm({ onCreate, label = 'New list name' }: { onCreate: (name: string) => void; label?: string }) {
  const [name, setName] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    onCreate(trimmed);
    setName('');
  }

  return (
    <form className="new-list" onSubmit={submit}>
      <input
        type="text"
        aria-label={label}
        placeholder="New list"
        autoComplete="off"
        maxLength={limits.listNameMax}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="icon-button" aria-label="Create list" title="Create list" disabled={!name.trim()}>
        <Icon name="plus" />
      </button>
    </form>
  );
}
