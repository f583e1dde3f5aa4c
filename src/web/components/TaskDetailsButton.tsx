import { useCollaboration } from '../hooks/useCollaboration.js';
import { Icon } from './Icon.js';

/** Opens a task's details (notes, assignee, comments). */
export function TaskDetailsButton({ listId, taskId, title }: { listId: string; taskId: string; title: string }) {
  const { taskDetails } = useCollaboration();
  return (
    <button
      type="button"
      className="icon-button task-details-button"
      aria-label={`Details of “${title}”`}
      title="Details and comments"
      disabled={taskId.startsWith('local:')}
      onClick={() => taskDetails.open(listId, taskId)}
    >
      <Icon name="comment" size={17} />
    </button>
  );
}
