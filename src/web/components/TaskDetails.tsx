import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { limits } from '../../core/limits.js';
import { can } from '../../core/permissions.js';
import { toApiError } from '../api/client.js';
import { collaborationApi } from '../api/collaboration.js';
import { useCollaboration } from '../hooks/useCollaboration.js';
import type { ListTasks } from '../hooks/useListTasks.js';
import { useListMembers } from '../hooks/useListMembers.js';
import { useOpenDraft } from '../hooks/useOpenDraft.js';
import { useStores } from '../hooks/useStores.js';
import { describeDueDate } from '../lib/due-dates.js';
import { listHeading } from '../lib/focus.js';
import { recurrenceOf } from '../lib/repeat-rules.js';
import type { ListView } from '../state/lists.store.js';
import type { TaskView } from '../state/list-tasks.store.js';
import { toastStore } from '../state/toasts.store.js';
import { AssigneePicker } from './AssigneePicker.js';
import { Avatar } from './Avatar.js';
import { CommentThread } from './CommentThread.js';
import { Modal } from './Modal.js';
import { RepeatField } from './RepeatField.js';
import { TaskBlocks } from './TaskBlocks.js';

/** A task's details in a side panel: notes, assignee, and its comments. */
export function TaskDetails({ list, task, tasks, onClose }: { list: ListView; task: TaskView; tasks: ListTasks; onClose: () => void }) {
  const { me } = useCollaboration();
  const stores = useStores();
  const members = useListMembers(list.id);
  const canEdit = can(list.role, 'task.update');
  const [assigning, setAssigning] = useState<{ value: string | null } | null>(null);
  const notesId = useId();
  // Fresh members for the picker and the mention suggestions (people may have joined since the list opened).
  useEffect(() => {
    void members.store.reload();
  }, [members.store]);

  async function assign(assigneeId: string | null) {
    setAssigning({ value: assigneeId });
    try {
      const updated = await collaborationApi.assignTask(task.id, assigneeId);
      stores.tasksOf(list.id).applyServerTask(updated);
    } catch (error) {
      toastStore.error(toApiError(error).detail);
    } finally {
      setAssigning(null);
    }
  }

  const assigneeId = assigning ? assigning.value : task.assigneeId;
  const assignee = assigneeId ? members.byId.get(assigneeId) : undefined;
  const due = task.dueDate ? describeDueDate(task.dueDate, new Date()) : null;

  return (
    <Modal title={task.title} onClose={onClose} variant="side" className="task-details" returnFocus={() => taskRowFocus(task.key)}>
      <p className="details-context">
        In <strong dir="auto">{list.name}</strong>
        {task.done ? ' · Completed' : ''}
        {due ? ` · Due ${due.long}` : ''}
      </p>
      <RepeatField
        rule={recurrenceOf(task)}
        dueDate={task.dueDate}
        done={task.done}
        canEdit={canEdit}
        onChange={(recurrence) => tasks.updateTask(task.id, { recurrence })}
      />
      {canEdit ? (
        <AssigneePicker
          members={members.members}
          meId={me.user.id}
          value={assigneeId}
          disabled={task.pending || assigning !== null}
          onChange={(value) => void assign(value)}
        />
      ) : (
        <p className="details-field details-assignee">
          {assignee ? (
            <>
              <Avatar userId={assignee.userId} name={assignee.name} size={22} /> Assigned to {assignee.userId === me.user.id ? 'you' : assignee.name}
            </>
          ) : (
            'Not assigned'
          )}
        </p>
      )}
      <div className="details-field">
        <label htmlFor={notesId}>Notes</label>
        {canEdit ? (
          <NotesEditor id={notesId} notes={task.notes} onSave={(notes) => tasks.updateTask(task.id, { notes })} />
        ) : (
          <p id={notesId} className="details-notes-readonly" dir="auto">
            {task.notes || 'No notes.'}
          </p>
        )}
      </div>
      <TaskBlocks task={task} canEdit={canEdit} />
      <CommentThread listId={list.id} taskId={task.id} members={members.members} meId={me.user.id} canComment={can(list.role, 'comment.create')} />
    </Modal>
  );
}

/**
 * Where the focus goes when the details close and what opened them is gone (a search result, a notification, a task
 * of "Assigned to me"): the task's details button in its row, else the list's heading.
 */
function taskRowFocus(taskKey: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`li[data-key="${CSS.escape(taskKey)}"] .task-details-button`) ?? listHeading();
}

/**
 * Notes save when the field loses focus (or on Ctrl/⌘+Enter), when the details close without a blur (the browser's
 * Back, another list opened), and before the page is left (`useOpenDraft`: a reload or closing the tab, which then
 * warns while the save is on its way); Escape in the field undoes the typing. Only what was typed is a draft: until
 * then the field shows the notes as they are now, a collaborator's edit included, and leaving it saves nothing.
 */
function NotesEditor({ id, notes, onSave }: { id: string; notes: string; onSave: (notes: string) => void }) {
  const [draft, setDraftState] = useState<string | null>(null);
  const draftRef = useRef<string | null>(null);
  const setDraft = (next: string | null) => {
    draftRef.current = next;
    setDraftState(next);
  };

  const save = () => {
    const typed = draftRef.current;
    if (typed === null) return;
    setDraft(null);
    if (typed !== notes) onSave(typed);
  };
  useOpenDraft(draft !== null, save);
  const saveRef = useRef(save);
  useLayoutEffect(() => {
    saveRef.current = save;
  });
  useEffect(() => () => saveRef.current(), []);

  return (
    <textarea
      id={id}
      className="details-notes"
      dir="auto"
      rows={4}
      value={draft ?? notes}
      maxLength={limits.taskNotesMax}
      placeholder="Add notes…"
      onChange={(event) => setDraft(event.target.value)}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        } else if (event.key === 'Escape' && draft !== null && draft !== notes) {
          event.preventDefault();
          event.stopPropagation();
          setDraft(null);
        }
      }}
    />
  );
}
