import { uploadRuleOf, uploadUrls, type UploadContentTypeId } from '../../../core/content-types/index.js';
import type { StoredUploadBlock } from '../../../core/content-types/upload-block.js';
import type { Upload } from '../../../core/schemas/uploads.js';
import type { UploadsTable } from '../../db/schema.js';

const optional = <K extends string>(key: K, value: number | null) => (value === null ? {} : ({ [key]: Number(value) } as Record<K, number>));

/** What an upload is, as both the API and a stored block describe it. */
const metadataOf = (row: UploadsTable) => ({
  mimeType: row.mime_type,
  size: Number(row.size),
  name: row.name,
  ...optional('width', row.width),
  ...optional('height', row.height),
  ...optional('frames', row.frames),
});

export function presentUpload(row: UploadsTable): Upload {
  const previews = uploadRuleOf(row.kind as UploadContentTypeId).previews;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    ...metadataOf(row),
    url: uploadUrls.content(row.id),
    ...(previews.includes('thumbnail') ? { thumbnailUrl: uploadUrls.thumbnail(row.id) } : {}),
    ...(previews.includes('poster') ? { posterUrl: uploadUrls.poster(row.id) } : {}),
    createdAt: row.created_at,
  };
}

/** The upload's immutable metadata, as a block stores it. */
export function storedUploadBlock(type: UploadContentTypeId, row: UploadsTable): StoredUploadBlock {
  return {
    type,
    uploadId: row.id,
    ...metadataOf(row),
  };
}
