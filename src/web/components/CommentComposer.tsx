import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { limits } from '../../core/limits.js';
import { commentDrafts } from '../lib/comment-drafts.js';
import { insertMention, matchMentionCandidates, mentionQueryAt, type MentionCandidate, type MentionQuery } from '../lib/mention-autocomplete.js';
import { Avatar } from './Avatar.js';

export interface CommentComposerProps {
  /** People who can be mentioned (the list's members). */
  candidates: readonly MentionCandidate[];
  meId: string;
  /** The task commented on: what is typed is kept as its draft until sent. */
  taskId: string;
  /** Resolves true when the comment was posted (the box is then emptied). */
  onSend: (body: string) => Promise<boolean>;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The comment box: Markdown, `@email` mentions with suggestions of the list's members, Ctrl/⌘+Enter sends. */
export function CommentComposer({ candidates, meId, taskId, onSend }: CommentComposerProps) {
  const [text, setTextState] = useState(() => commentDrafts.read(taskId));
  const setText = (next: string) => {
    setTextState(next);
    commentDrafts.write(taskId, next);
  };
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once a chosen mention is in the box: set before the next key is handled.
  const pendingCaret = useRef<number | null>(null);
  const id = useId();
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret === null || !textarea.current) return;
    pendingCaret.current = null;
    textarea.current.setSelectionRange(caret, caret);
  }, [text]);
  const listboxId = `${id}-mentions`;

  const suggestions = mention ? matchMentionCandidates(candidates, mention.query, { excludeUserId: meId }) : [];
  const open = suggestions.length > 0;
  const activeIndex = Math.min(active, suggestions.length - 1);

  function track(element: HTMLTextAreaElement) {
    const next = element.selectionStart === element.selectionEnd ? mentionQueryAt(element.value, element.selectionStart) : null;
    if (next?.start !== mention?.start || next?.query !== mention?.query) {
      setMention(next);
      setActive(0);
    }
  }

  function choose(candidate: MentionCandidate) {
    const element = textarea.current;
    if (!element || !mention) return;
    const result = insertMention(text, mention, element.selectionStart, candidate.email);
    pendingCaret.current = result.caret;
    setText(result.text);
    setMention(null);
    element.focus();
  }

  async function send() {
    const body = text;
    if (!body.trim() || sending) return;
    setSending(true);
    try {
      if (await onSend(body)) {
        setText('');
        setMention(null);
      }
    } finally {
      setSending(false);
      textarea.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
      return;
    }
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + suggestions.length) % suggestions.length);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      choose(suggestions[activeIndex]!);
    } else if (event.key === 'Escape') {
      // Close the suggestions, not the dialog around the box.
      event.preventDefault();
      event.stopPropagation();
      setMention(null);
    }
  }

  return (
    <form
      className="comment-composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label htmlFor={`${id}-body`} className="visually-hidden">
        Write a comment
      </label>
      <div className="comment-input">
        <textarea
          ref={textarea}
          id={`${id}-body`}
          rows={3}
          dir="auto"
          value={text}
          maxLength={limits.commentBodyMax}
          placeholder="Write a comment… Type @ to mention someone."
          aria-describedby={`${id}-hint`}
          aria-controls={open ? listboxId : undefined}
          aria-activedescendant={open ? `${listboxId}-${activeIndex}` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            track(event.target);
          }}
          onSelect={(event) => track(event.currentTarget)}
          onKeyDown={onKeyDown}
          onBlur={() => setMention(null)}
        />
        {open ? (
          <ul id={listboxId} role="listbox" aria-label="People to mention" className="mention-list">
            {suggestions.map((candidate, index) => (
              <li
                key={candidate.userId}
                id={`${listboxId}-${index}`}
                role="option"
                aria-selected={index === activeIndex}
                className="mention-option"
                onMouseDown={(event) => {
                  event.preventDefault(); // keep the focus in the box
                  choose(candidate);
                }}
                onMouseEnter={() => setActive(index)}
              >
                <Avatar userId={candidate.userId} name={candidate.name} size={22} />
                <span className="mention-name">{candidate.name}</span>
                <span className="mention-email">{candidate.email}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {open ? `${suggestions.length} ${suggestions.length === 1 ? 'person' : 'people'} to mention; Up and Down to choose, Enter to insert.` : ''}
      </p>
      <div className="comment-composer-footer">
        <span id={`${id}-hint`} className="comment-hint">
          Markdown works. {isMac ? '⌘' : 'Ctrl'}+Enter to send.
        </span>
        <button type="submit" className="button button-primary button-small" disabled={!text.trim() || sending}>
          {sending ? 'Sending…' : 'Comment'}
        </button>
      </div>
    </form>
  );
}
