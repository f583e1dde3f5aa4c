import type { UploadItem } from '../hooks/useUploads.js';
import { humanFileSize } from '../lib/file-size.js';

/** Files on their way up, each with a progress bar (and Cancel), or the reason the server refused it. */
export function UploadProgress({
  items,
  onCancel,
  onDismiss,
  label = 'Uploads',
  className,
}: {
  items: readonly UploadItem[];
  onCancel: (id: string) => void;
  onDismiss: (id: string) => void;
  /** The list's accessible name (name the task when several lists can be on screen). */
  label?: string;
  className?: string;
}) {
  if (items.length === 0) return null;
  return (
    <ul className={className ? `upload-list ${className}` : 'upload-list'} aria-label={label}>
      {items.map((item) => {
        const percent = item.size > 0 ? Math.min(100, Math.round((item.loaded / item.size) * 100)) : 0;
        return (
          <li key={item.id} className={`upload-item${item.status === 'failed' ? ' is-failed' : ''}`}>
            <div className="upload-item-row">
              <span className="upload-item-name" title={item.name}>
                {item.name}
              </span>
              <span className="upload-item-size">{item.status === 'uploading' ? `${percent}% of ${humanFileSize(item.size)}` : humanFileSize(item.size)}</span>
              {item.status === 'uploading' ? (
                <button type="button" className="link-button" aria-label={`Cancel the upload of ${item.name}`} onClick={() => onCancel(item.id)}>
                  Cancel
                </button>
              ) : (
                <button type="button" className="link-button" aria-label={`Dismiss the error about ${item.name}`} onClick={() => onDismiss(item.id)}>
                  Dismiss
                </button>
              )}
            </div>
            {item.status === 'uploading' ? (
              <progress className="upload-progress" max={100} value={percent} aria-label={`Uploading ${item.name}`} />
            ) : (
              <p className="block-error" role="alert">
                {item.name}: {item.error}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
