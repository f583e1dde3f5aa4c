import { useEffect, useSyncExternalStore } from 'react';
import { useCollaboration } from '../hooks/useCollaboration.js';
import type { ListTasks } from '../hooks/useListTasks.js';
import type { ListView } from '../state/lists.store.js';
import { listHeading } from '../lib/focus.js';
import { Modal } from './Modal.js';
import { TaskDetails } from './TaskDetails.js';

/** Shows the details of the open task when it belongs to this list (opened from its row or a notification). */
export function TaskDetailsHost({ list, tasks }: { list: ListView; tasks: ListTasks }) {
  const { taskDetails } = useCollaboration();
  const open = useSyncExternalStore(taskDetails.subscribe, taskDetails.getSnapshot);

  // Leaving the list closes its task's details.
  useEffect(
    () => () => {
      if (taskDetails.getSnapshot()?.listId === list.id) taskDetails.close();
    },
    [taskDetails, list.id],
  );

  if (!open || open.listId !== list.id) return null;
  const task = tasks.tasks.find((candidate) => candidate.id === open.taskId || candidate.key === open.taskId);
  if (!task) {
    if (tasks.status === 'loading') return null;
    return (
      <Modal title="Task not found" onClose={() => taskDetails.close()} returnFocus={listHeading}>
        <p className="muted-note">This task is no longer in the list: it was deleted or moved.</p>
      </Modal>
    );
  }
  return <TaskDetails key={task.key} list={list} task={task} tasks={tasks} onClose={() => taskDetails.close()} />;
}
