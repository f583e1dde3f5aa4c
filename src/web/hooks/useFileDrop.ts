/**
 * Files dragged from the desktop onto an element (a task's details, a task's row): a highlight while they are
 * over it, and the files on drop. Only drags that carry files count, so an in-app drag (reordering rows, which
 * carries `text/plain`) neither highlights nor is swallowed.
 */
import { useEffect, useRef, useState } from 'react';

/** Files of a paste or a drop (a copied image is an item of kind `file`, not always in `files`). */
export function filesOf(data: DataTransfer | null | undefined): File[] {
  if (!data) return [];
  if (data.files.length > 0) return [...data.files];
  return [...data.items].filter((item) => item.kind === 'file').flatMap((item) => item.getAsFile() ?? []);
}

/** Whether a drag carries files (during a drag only the types are readable, not the files themselves). */
export const carriesFiles = (event: Event): boolean => [...((event as DragEvent).dataTransfer?.types ?? [])].includes('Files');

export interface FileDropHandlers {
  /** The files were dropped on the element. */
  onFiles(files: File[]): void;
  /** Files started (true) or stopped (false) being dragged over the element. */
  onOverChange(over: boolean): void;
}

/**
 * Listens on `element` for files dragged over and dropped; returns the function that stops listening.
 * `dragenter`/`dragleave` also fire when the pointer crosses the element's children, so entries are counted
 * and the highlight goes only when the drag has left the element itself.
 */
export function listenForFileDrops(element: EventTarget, handlers: FileDropHandlers): () => void {
  let depth = 0;
  const enter = (event: Event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    if (depth++ === 0) handlers.onOverChange(true);
  };
  const over = (event: Event) => {
    if (!carriesFiles(event)) return;
    // Without this the browser would not allow the drop (and would open the file instead).
    event.preventDefault();
    const data = (event as DragEvent).dataTransfer;
    if (data) data.dropEffect = 'copy';
  };
  const leave = (event: Event) => {
    if (!carriesFiles(event) || depth === 0) return;
    if (--depth === 0) handlers.onOverChange(false);
  };
  const drop = (event: Event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const wasOver = depth > 0;
    depth = 0;
    if (wasOver) handlers.onOverChange(false);
    const files = filesOf((event as DragEvent).dataTransfer);
    if (files.length > 0) handlers.onFiles(files);
  };
  element.addEventListener('dragenter', enter);
  element.addEventListener('dragover', over);
  element.addEventListener('dragleave', leave);
  element.addEventListener('drop', drop);
  return () => {
    element.removeEventListener('dragenter', enter);
    element.removeEventListener('dragover', over);
    element.removeEventListener('dragleave', leave);
    element.removeEventListener('drop', drop);
  };
}

/**
 * Makes the element `target()` returns (read after render) a drop target for files while `enabled`; returns
 * whether files are being dragged over it now. `onFiles` may change between renders.
 */
export function useFileDrop(target: () => EventTarget | null | undefined, enabled: boolean, onFiles: (files: File[]) => void): boolean {
  const [over, setOver] = useState(false);
  const latestTarget = useRef(target);
  const latestOnFiles = useRef(onFiles);
  useEffect(() => {
    latestTarget.current = target;
    latestOnFiles.current = onFiles;
  });

  useEffect(() => {
    const element = enabled ? latestTarget.current() : null;
    if (!element) return;
    const stop = listenForFileDrops(element, { onFiles: (files) => latestOnFiles.current(files), onOverChange: setOver });
    return () => {
      stop();
      setOver(false);
    };
  }, [enabled]);

  return over;
}
