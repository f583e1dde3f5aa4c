/**
 * Drafts being typed that are in no store yet (a task's title in its row, its notes in its details): each editor
 * with a draft registers how to save it, so leaving the page saves them first, then warns while anything is still on its way
 * (the browser's Back, a reload or closing the tab do not blur the field, which is when a draft is saved otherwise).
 */
export class OpenDrafts {
  private readonly savers = new Set<() => void>();

  /** An editor holds a draft; `save` puts it into its store (a draft equal to what is saved writes nothing). Returns the unregistration. */
  register(save: () => void): () => void {
    this.savers.add(save);
    return () => this.savers.delete(save);
  }

  /** Saves every open draft into its store (then the stores' own unsaved state says what is still on its way). */
  saveAll(): void {
    for (const save of [...this.savers]) save();
  }
}
