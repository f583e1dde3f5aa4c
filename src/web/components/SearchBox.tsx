import { useEffect, useRef, useState } from 'react';
import { Icon } from './Icon.js';

/** Is the key press meant for a field (typing), not for the page's shortcuts? */
const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The search box: results follow the typing (`onSearch(query, false)`); Enter submits (`true`), which on phones
 * also closes the drawer. `/` anywhere outside a field puts the cursor here, as in most web apps.
 */
export function SearchBox({ query, onSearch }: { query: string | null; onSearch: (query: string, submitted: boolean) => void }) {
  const [text, setText] = useState(query ?? '');
  const input = useRef<HTMLInputElement>(null);

  // Leaving the results (opening a list, Back) empties the box; coming back to them (Forward, a link) fills it.
  useEffect(() => {
    setText(query ?? '');
  }, [query]);

  useEffect(() => {
    const focusOnSlash = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.metaKey || event.ctrlKey || event.altKey || typingIn(event.target)) return;
      if (document.querySelector('dialog[open]')) return; // a dialog's own keys
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', focusOnSlash);
    return () => document.removeEventListener('keydown', focusOnSlash);
  }, []);

  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text, true);
      }}
    >
      <Icon name="search" size={16} className="search-box-icon" />
      <input
        ref={input}
        type="search"
        className="search-box-input"
        aria-label="Search tasks"
        placeholder="Search tasks"
        aria-keyshortcuts="/"
        maxLength={200}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onSearch(event.target.value, false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text) {
            // Clear the search; a second Escape is left to close the drawer.
            event.stopPropagation();
            setText('');
            onSearch('', false);
          }
        }}
      />
    </form>
  );
}
