/**
 * Tasks added to a list the server has not created yet: shown at once, in order, but not editable, since there is no
 * task to change until the list has its id and the lists store hands them to its tasks store (ListPanel).
 */
export function WaitingTasks({ titles, label }: { titles: readonly string[]; label: string }) {
  return (
    <ul className="tasks" aria-label={label} aria-busy="true">
      {titles.map((title, index) => (
        <li key={index} className="task" data-pending>
          <span className="task-handle" aria-hidden="true" />
          <input type="checkbox" className="task-check" aria-label={`Complete “${title}”`} checked={false} disabled readOnly />
          <input type="text" className="task-title" aria-label="Task title" dir="auto" value={title} readOnly tabIndex={-1} />
        </li>
      ))}
    </ul>
  );
}
