import { useCallback, useEffect, useRef, useState } from 'react';
import type { Upload } from '../../core/schemas/uploads.js';
import { toApiError } from '../api/client.js';
import { uploadFile, type UploadDestination } from '../api/uploads.js';

/** One file on its way to the server, or refused by it. */
export interface UploadItem {
  id: string;
  name: string;
  size: number;
  loaded: number;
  status: 'uploading' | 'failed';
  /** Why it failed (the server's `detail`). */
  error?: string;
}

export interface Uploads {
  items: readonly UploadItem[];
  start(files: readonly File[]): void;
  cancel(id: string): void;
  dismiss(id: string): void;
}

let counter = 0;

/**
 * Uploads files one request each (to `destination`; the user's personal workspace if none), with progress; `onUploaded` gets each finished upload (in the order they
 * finish). An upload still running when the screen goes away finishes, and is still reported.
 */
export function useUploads(destination: UploadDestination | undefined, onUploaded: (upload: Upload) => void): Uploads {
  const [items, setItems] = useState<readonly UploadItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const latest = useRef(onUploaded);
  useEffect(() => {
    latest.current = onUploaded;
  });

  const update = (id: string, change: Partial<UploadItem> | null) =>
    setItems((current) => (change ? current.map((item) => (item.id === id ? { ...item, ...change } : item)) : current.filter((item) => item.id !== id)));

  const start = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        const id = `upload-${++counter}`;
        const controller = new AbortController();
        controllers.current.set(id, controller);
        setItems((current) => [...current, { id, name: file.name || 'file', size: file.size, loaded: 0, status: 'uploading' }]);
        uploadFile(file, { ...(destination ? { to: destination } : {}), signal: controller.signal, onProgress: (loaded) => update(id, { loaded }) })
          .then((upload) => {
            update(id, null);
            latest.current(upload);
          })
          .catch((error: unknown) => {
            if (error instanceof DOMException && error.name === 'AbortError') update(id, null);
            else update(id, { status: 'failed', error: toApiError(error).detail });
          })
          .finally(() => controllers.current.delete(id));
      }
    },
    [destination],
  );

  const cancel = useCallback((id: string) => controllers.current.get(id)?.abort(), []);
  const dismiss = useCallback((id: string) => update(id, null), []);
  return { items, start, cancel, dismiss };
}
