/**
 * Comments being written, per task, kept for the tab's session (closing the task's details or reloading does not
 * lose them). sessionStorage, so they stay on this device and go with the tab; unavailable storage keeps nothing.
 */
const keyOf = (taskId: string) => `listo:comment-draft:${taskId}`;

export const commentDrafts = {
  read(taskId: string): string {
    try {
      return sessionStorage.getItem(keyOf(taskId)) ?? '';
    } catch {
      return '';
    }
  },
  write(taskId: string, text: string): void {
    try {
      if (text.trim() === '') sessionStorage.removeItem(keyOf(taskId));
      else sessionStorage.setItem(keyOf(taskId), text);
    } catch {
      // storage full or off: the draft lives only in the open box
    }
  },
};
