import { useId, useRef, useState, type DragEvent } from 'react';
import type { ListTasks } from '../hooks/useListTasks.js';
import { useRovingFocus } from '../hooks/useRovingFocus.js';
import { localDateString } from '../lib/due-dates.js';
import { showNextOccurrence, undoneCompletion } from '../lib/repeat-toast.js';
import { TaskItem } from './TaskItem.js';

const primaryCells = ['check', 'title'] as const;

interface DropTarget {
  taskId: string;
  edge: 'before' | 'after';
}

/**
 * The tasks of a list, in order; reorder by dragging the handle or with Alt+↑/↓; drop files on a row to add them to
 * that task. With `hideCompleted`, done tasks are left out, and moves go past the visible neighbours. The list is one
 * Tab stop: ↑/↓ or j/k go from task to task, ←/→ through a task's controls (`useRovingFocus`).
 */
export function TaskList(props: { tasks: ListTasks; hideCompleted?: boolean; canEdit: boolean; canComplete: boolean; label: string }) {
  const { tasks, hideCompleted = false, canEdit, canComplete, label } = props;
  const [draggedId, setDraggedId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const hintId = useId();
  const keyboardHintId = useId();
  const list = useRef<HTMLUListElement>(null);
  // A task's checkbox first: Space completes it, Enter opens it; a viewer, who may not complete, lands on the title.
  const onListKeyDown = useRovingFocus(list, { primaryCells });
  const items = hideCompleted ? tasks.tasks.filter((task) => !task.done) : tasks.tasks;

  function remove(taskId: string) {
    const index = items.findIndex((task) => task.id === taskId);
    const hadFocus = list.current?.children[index]?.contains(document.activeElement) ?? false;
    tasks.deleteTask(taskId);
    if (!hadFocus) return;
    // The list puts the focus on the next row's delete button, else the previous row's; the last task gone, the
    // list is too, and "Add a task" takes it.
    requestAnimationFrame(() => {
      if (document.activeElement === null || document.activeElement === document.body) document.querySelector<HTMLElement>('.new-task input')?.focus();
    });
  }

  function moveBy(taskId: string, offset: number) {
    const index = items.findIndex((task) => task.id === taskId);
    const task = items[index];
    // Moving may re-insert the row, which takes its focus: the list gives it back (`useRovingFocus`).
    if (!task) return;
    if (hideCompleted) {
      // Past the neighbour one sees, not a hidden done task between them.
      const anchor = items[index + offset];
      if (!anchor) return;
      tasks.moveTask(taskId, offset < 0 ? { beforeId: anchor.id } : { afterId: anchor.id });
    } else if (!tasks.moveTaskBy(taskId, offset)) {
      return;
    }
    const position = Math.max(0, Math.min(items.length - 1, index + offset)) + 1;
    setAnnouncement(`Moved “${task.title}” to position ${position} of ${items.length}.`);
  }

  function dragStart(event: DragEvent<HTMLElement>, taskId: string) {
    const row = event.currentTarget.closest('li');
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', taskId); // Firefox starts a drag only with data
    if (row) event.dataTransfer.setDragImage(row, 24, row.offsetHeight / 2);
    setDraggedId(taskId);
  }

  function dragOver(event: DragEvent<HTMLLIElement>, taskId: string) {
    if (!draggedId) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const box = event.currentTarget.getBoundingClientRect();
    const edge = event.clientY < box.top + box.height / 2 ? 'before' : 'after';
    if (dropTarget?.taskId !== taskId || dropTarget.edge !== edge) setDropTarget({ taskId, edge });
  }

  function drop(event: DragEvent<HTMLLIElement>) {
    if (!draggedId) return; // files from outside: the row uploads them
    event.preventDefault();
    const target = dropTarget;
    const moved = items.find((task) => task.id === draggedId);
    endDrag();
    if (!target || !moved || target.taskId === moved.id) return;
    tasks.moveTask(moved.id, target.edge === 'before' ? { beforeId: target.taskId } : { afterId: target.taskId });
    const anchor = items.find((task) => task.id === target.taskId);
    if (anchor) setAnnouncement(`Moved “${moved.title}” ${target.edge} “${anchor.title}”.`);
  }

  function endDrag() {
    setDraggedId(null);
    setDropTarget(null);
  }

  return (
    <>
      <ul className="tasks" aria-label={label} ref={list} onKeyDown={onListKeyDown}>
        {items.map((task) => (
          <TaskItem
            key={task.key}
            task={task}
            canEdit={canEdit}
            canComplete={canComplete}
            reorderHintId={hintId}
            keyboardHintId={keyboardHintId}
            onChange={(changes) => {
              // A repeating task stays open on its next date: say where it went (the toasts are a polite live region).
              const answered =
                changes.done === true ? showNextOccurrence(task, localDateString(new Date()), () => tasks.updateTask(task.id, undoneCompletion(task))) : null;
              tasks.updateTask(task.id, changes, answered ?? undefined);
              if (answered) return;
              if (hideCompleted && changes.done === true) setAnnouncement(`Completed “${task.title}”; completed tasks are hidden.`);
            }}
            onDelete={() => remove(task.id)}
            onMoveBy={(offset) => moveBy(task.id, offset)}
            dragging={draggedId === task.id}
            dropEdge={dropTarget?.taskId === task.id && draggedId !== task.id ? dropTarget.edge : null}
            onDragStart={(event) => dragStart(event, task.id)}
            onDragEnd={endDrag}
            onDragOver={(event) => dragOver(event, task.id)}
            onDrop={drop}
            onFileAdded={(name) => setAnnouncement(`Added “${name}” to “${task.title}”.`)}
          />
        ))}
      </ul>
      <p id={hintId} className="visually-hidden">
        Drag, or press Alt+Up or Alt+Down (arrow keys alone on this button), to reorder.
      </p>
      <p id={keyboardHintId} className="visually-hidden">
        Up and Down arrows go to the other tasks, Left and Right to this task’s other controls; Enter opens the details, F2 edits the title, Alt+Up or Alt+Down
        reorders.
      </p>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
