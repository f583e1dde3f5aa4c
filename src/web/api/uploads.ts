/**
 * Uploads with progress (`POST /api/v1/uploads`, multipart field `file`) and GIF search. `fetch` cannot report
 * upload progress, so uploads use `XMLHttpRequest`; refusals (413, 415, 422, …) become the same `ApiError` as
 * every other call, with the server's problem+json `detail` to show.
 */
import type { Problem } from '../../core/errors.js';
import {
  gifSearchConfig,
  gifSearchResponse,
  ownUploadsPage,
  uploadSchema,
  workspaceStorageSchema,
  type GifSearchItem,
  type OwnUpload,
  type Upload,
  type WorkspaceStorage,
} from '../../core/schemas/uploads.js';
import type { Page } from '../../core/schemas/common.js';
import { ApiError, apiRequest, type ClientErrorCode } from './client.js';

/** Where an upload goes: a list's workspace (for its tasks; anyone who may edit them may), or a workspace of the user's. */
export type UploadDestination = { listId: string } | { workspaceId: string };

export interface UploadOptions {
  /** Default: the user's personal workspace. */
  to?: UploadDestination;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** What to say when the server answered without a problem document (a proxy, or a connection it closed). */
const statusDetails: Record<number, string> = {
  413: 'The file is larger than this workspace accepts.',
  415: 'This kind of file cannot be uploaded.',
  422: 'The file could not be processed.',
};

function problemError(status: number, body: string): ApiError {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(body) as Partial<Problem>;
  } catch {
    // not JSON
  }
  const code: ClientErrorCode = problem.code ?? (status >= 500 ? 'service_unavailable' : 'internal_error');
  const detail =
    problem.detail ?? statusDetails[status] ?? (status >= 500 ? 'Listo is having trouble right now. Try again in a moment.' : `The upload failed (${status}).`);
  return new ApiError(code, status, detail, Array.isArray(problem.errors) ? problem.errors : []);
}

export function uploadFile(file: File, options: UploadOptions = {}): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const to = options.to;
    const query = !to ? '' : 'listId' in to ? `?listId=${encodeURIComponent(to.listId)}` : `?workspaceId=${encodeURIComponent(to.workspaceId)}`;
    xhr.open('POST', `/api/v1/uploads${query}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 201) {
        try {
          resolve(uploadSchema.parse(JSON.parse(xhr.responseText)));
        } catch {
          reject(new ApiError('internal_error', xhr.status, 'The server’s answer to the upload was not understood.'));
        }
        return;
      }
      reject(problemError(xhr.status, xhr.responseText));
    };
    // The server closes the connection on a refused upload without reading the rest; the browser may then see no answer.
    xhr.onerror = () =>
      reject(
        new ApiError('network_error', 0, 'The upload was interrupted. Check your connection; a very large file may also be more than this workspace accepts.'),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    if (options.signal) {
      if (options.signal.aborted) return reject(new DOMException('The upload was cancelled', 'AbortError'));
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export const gifsApi = {
  config: () => apiRequest('GET', '/gifs/config', { schema: gifSearchConfig }),
  search: async (q: string, signal?: AbortSignal): Promise<GifSearchItem[]> =>
    (await apiRequest('GET', `/gifs/search?q=${encodeURIComponent(q)}&limit=24`, { schema: gifSearchResponse, ...(signal ? { signal } : {}) })).items,
};

/** What fills a workspace's storage: its use and limits, the caller's own uploads (largest first), and deleting one. */
export const storageApi = {
  storage: (workspaceId: string): Promise<WorkspaceStorage> =>
    apiRequest('GET', `/workspaces/${encodeURIComponent(workspaceId)}/storage`, { schema: workspaceStorageSchema }),
  ownUploads: (workspaceId: string, cursor?: string | null): Promise<Page<OwnUpload>> =>
    apiRequest('GET', `/uploads?workspaceId=${encodeURIComponent(workspaceId)}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      schema: ownUploadsPage,
    }),
  deleteUpload: (uploadId: string): Promise<void> => apiRequest('DELETE', `/uploads/${encodeURIComponent(uploadId)}`),
};
