import { useEffect, useLayoutEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { limits } from '../../core/limits.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import { useFileDrop } from '../hooks/useFileDrop.js';
import { useOpenDraft } from '../hooks/useOpenDraft.js';
import { useTaskUploads } from '../hooks/useTaskUploads.js';
import { describeDueDate, dueDateInputValue, withDate } from '../lib/due-dates.js';
import { recurrenceOf } from '../lib/repeat-rules.js';
import type { TaskChanges, TaskView } from '../state/list-tasks.store.js';
import { AssigneeAvatar } from './AssigneeAvatar.js';
import { Icon } from './Icon.js';
import { RepeatMark } from './RepeatMark.js';
import { TaskDetailsButton } from './TaskDetailsButton.js';
import { TaskThumbnail } from './TaskThumbnail.js';
import { UploadProgress } from './UploadProgress.js';

export const priorityNames: Record<number, string> = { 1: 'Urgent', 2: 'High', 3: 'Medium', 4: 'None' };

export interface TaskItemProps {
  task: TaskView;
  canEdit: boolean;
  canComplete: boolean;
  /** Id of the hint telling how to reorder with the keyboard. */
  reorderHintId: string;
  /** Id of the hint telling how to move through the list with the keyboard (on the row's checkbox). */
  keyboardHintId: string;
  onChange: (changes: TaskChanges) => void;
  onDelete: () => void;
  /** Moves the task by `offset` places; the item keeps keyboard focus. */
  onMoveBy: (offset: number) => void;
  dragging: boolean;
  dropEdge: 'before' | 'after' | null;
  onDragStart: (event: DragEvent<HTMLElement>) => void;
  onDragEnd: () => void;
  onDragOver: (event: DragEvent<HTMLLIElement>) => void;
  onDrop: (event: DragEvent<HTMLLIElement>) => void;
  /** A file dropped on the row was uploaded and added to the task (`name` is the file's). */
  onFileAdded?: (name: string) => void;
}

const dateCommitDelayMs = 700;

/**
 * One task row: handle, checkbox, editable title, due date, priority, delete. Alt+↑/↓ moves it; on the checkbox
 * Space completes it and Enter opens its details; F2 edits its title. Moving between rows and controls is the list's
 * (`useRovingFocus`, which finds the controls by `data-cell`). For editors, files dropped on the row are uploaded
 * into the task's content, as they are when dropped on its details.
 */
export function TaskItem(props: TaskItemProps) {
  const { task, canEdit, onChange } = props;
  // What the user has typed in the title and not yet saved; null shows the task's title as it is now, collaborators'
  // renames included. Only a changed draft is saved, so a field merely focused never writes an old title back.
  const [titleDraft, setTitleDraftState] = useState<string | null>(null);
  const titleDraftRef = useRef<string | null>(null);
  const setTitleDraft = (draft: string | null) => {
    titleDraftRef.current = draft;
    setTitleDraftState(draft);
  };
  const [dueDraft, setDueDraft] = useState<string | null>(null);
  const dueTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const row = useRef<HTMLLIElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);
  const titleField = useRef<HTMLInputElement>(null);
  const { taskDetails } = useCollaboration();
  // A task not yet saved has no id the server knows (its details cannot open either).
  const canAttach = canEdit && !task.id.startsWith('local:');
  const uploads = useTaskUploads(task, (upload) => props.onFileAdded?.(upload.name));
  const filesOver = useFileDrop(() => row.current, canAttach, uploads.start);

  // A date or title still waiting to be saved when the row goes away (another list opened) is saved now.
  const unsavedDue = useRef<string | null>(null);
  const commitDueRef = useRef<(value: string) => void>(() => undefined);
  const commitTitleRef = useRef<() => void>(() => undefined);
  useEffect(
    () => () => {
      clearTimeout(dueTimer.current);
      if (unsavedDue.current !== null) commitDueRef.current(unsavedDue.current);
      commitTitleRef.current();
    },
    [],
  );

  function commitTitle() {
    const draft = titleDraftRef.current;
    if (draft === null) return;
    setTitleDraft(null);
    const trimmed = draft.trim();
    if (trimmed && trimmed !== task.title) onChange({ title: trimmed });
  }

  function commitDue(value: string) {
    clearTimeout(dueTimer.current);
    unsavedDue.current = null;
    setDueDraft(null);
    if (value !== dueDateInputValue(task.dueDate)) onChange({ dueDate: withDate(task.dueDate, value) });
  }
  useLayoutEffect(() => {
    commitDueRef.current = commitDue;
    commitTitleRef.current = commitTitle;
  });
  // And before the page is left (a reload, closing the tab): the leave-page warning counts it then.
  useOpenDraft(titleDraft !== null || dueDraft !== null, () => {
    if (unsavedDue.current !== null) commitDue(unsavedDue.current);
    commitTitle();
  });

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>) {
    const target = event.target as HTMLElement;
    const onHandle = target.classList.contains('task-handle');
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && (event.altKey || onHandle) && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      props.onMoveBy(event.key === 'ArrowUp' ? -1 : 1);
    } else if (event.key === 'F2' && target !== titleField.current && titleField.current) {
      // F2 edits, as in a grid or a file manager: the caret at the end of the title.
      event.preventDefault();
      const field = titleField.current;
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    }
  }

  const canOpenDetails = !task.id.startsWith('local:');

  const due = task.dueDate ? describeDueDate(task.dueDate, new Date()) : null;
  const dueValue = dueDraft ?? dueDateInputValue(task.dueDate);
  const classes = [
    'task',
    task.done ? 'is-done' : '',
    props.dragging ? 'is-dragging' : '',
    props.dropEdge ? `drop-${props.dropEdge}` : '',
    filesOver ? 'is-file-target' : '',
  ];

  return (
    <li
      ref={row}
      data-key={task.key}
      className={classes.filter(Boolean).join(' ')}
      onKeyDown={onKeyDown}
      onDragOver={props.onDragOver}
      onDrop={props.onDrop}
      data-pending={task.pending || undefined}
    >
      {canEdit ? (
        <button
          type="button"
          className="task-handle icon-button"
          data-cell="handle"
          aria-label={`Move “${task.title}”`}
          aria-describedby={props.reorderHintId}
          draggable
          onDragStart={props.onDragStart}
          onDragEnd={props.onDragEnd}
        >
          <Icon name="grip" size={16} />
        </button>
      ) : (
        <span className="task-handle" aria-hidden="true" />
      )}
      <input
        ref={checkbox}
        type="checkbox"
        className="task-check"
        data-cell="check"
        aria-label={`Complete “${task.title}”`}
        aria-describedby={props.keyboardHintId}
        aria-keyshortcuts="Enter F2 Alt+ArrowUp Alt+ArrowDown"
        checked={task.done}
        disabled={!props.canComplete}
        onChange={(event) => onChange({ done: event.target.checked })}
        onKeyDown={(event) => {
          // Space completes (the checkbox's own key); Enter, which a checkbox leaves unused, opens, as in a mail list.
          if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && canOpenDetails) {
            event.preventDefault();
            taskDetails.open(task.listId, task.id);
          }
        }}
      />
      <input
        ref={titleField}
        type="text"
        className="task-title"
        data-cell="title"
        aria-label="Task title"
        // A Hebrew or Arabic title reads, and is cut (its ellipsis), from the right: the browser tells by its first letter.
        dir="auto"
        value={titleDraft ?? task.title}
        maxLength={limits.taskTitleMax}
        readOnly={!canEdit}
        onBlur={commitTitle}
        onChange={(event) => setTitleDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commitTitle();
          } else if (event.key === 'Escape') {
            // Cancel: the title as it is, nothing saved, and the field let go, for the row's checkbox (the place in
            // the list is kept; blurring would drop the keyboard user at the top of the page).
            setTitleDraft(null);
            if (checkbox.current && !checkbox.current.disabled) checkbox.current.focus();
            else event.currentTarget.blur();
          }
        }}
      />
      <div className="task-meta">
        <TaskThumbnail blocks={task.blocks} />
        <AssigneeAvatar listId={task.listId} assigneeId={task.assigneeId} />
        <RepeatMark rule={recurrenceOf(task)} />
        <div
          className={`due${dueValue ? '' : ' is-empty'}${due?.overdue && !task.done ? ' is-overdue' : ''}${due?.today ? ' is-today' : ''}`}
          title={due?.long}
        >
          <span className="due-label" aria-hidden="true">
            <Icon name="calendar" size={15} />
            {due ? <span>{due.short}</span> : null}
          </span>
          <input
            type="date"
            data-cell="due"
            aria-label={`Due date for “${task.title}”`}
            value={dueValue}
            disabled={!canEdit}
            onClick={(event) => {
              try {
                event.currentTarget.showPicker();
              } catch {
                // not supported, or not allowed now: the field still takes typing
              }
            }}
            onChange={(event) => {
              const value = event.target.value;
              setDueDraft(value);
              unsavedDue.current = value;
              clearTimeout(dueTimer.current);
              // Typing a year fires a change per digit: save once the value settles.
              dueTimer.current = setTimeout(() => commitDue(value), dateCommitDelayMs);
            }}
            onBlur={() => {
              if (dueDraft !== null) commitDue(dueDraft);
            }}
          />
        </div>
        <div className={`priority priority-${task.priority}`} title={`Priority: ${priorityNames[task.priority]}`}>
          <span className="priority-label" aria-hidden="true">
            <Icon name="flag" size={15} />
            {task.priority < 4 ? <span>P{task.priority}</span> : null}
          </span>
          <select
            data-cell="priority"
            aria-label={`Priority for “${task.title}”`}
            value={task.priority}
            disabled={!canEdit}
            onChange={(event) => onChange({ priority: Number(event.target.value) })}
          >
            {[1, 2, 3, 4].map((priority) => (
              <option key={priority} value={priority}>
                P{priority} · {priorityNames[priority]}
              </option>
            ))}
          </select>
        </div>
        <TaskDetailsButton listId={task.listId} taskId={task.id} title={task.title} />
      </div>
      {canEdit ? (
        <button type="button" className="task-delete icon-button" data-cell="delete" aria-label={`Delete “${task.title}”`} onClick={props.onDelete}>
          <Icon name="trash" size={17} />
        </button>
      ) : null}
      <UploadProgress
        className="task-uploads"
        label={`Uploads to “${task.title}”`}
        items={uploads.items}
        onCancel={uploads.cancel}
        onDismiss={uploads.dismiss}
      />
      {filesOver ? (
        <span className="task-drop-label" role="status">
          Drop to add to “{task.title}”
        </span>
      ) : null}
    </li>
  );
}
