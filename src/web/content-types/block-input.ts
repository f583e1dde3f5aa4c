/**
 * Blocks between the API's two shapes: what `PATCH /tasks/:id {blocks}` takes (`BlockInput`: upload-backed blocks
 * as `{type, uploadId}`, the server refuses any other field) and what it answers (`Block`, with metadata and URLs).
 */
import { presentBlock, type Block, type BlockInput } from '../../core/content-types/index.js';
import type { ProviderGifBlock } from '../../core/content-types/gif.js';
import type { Upload } from '../../core/schemas/uploads.js';

const providerGifFields = ['provider', 'providerId', 'url', 'width', 'height', 'posterUrl', 'title'] as const satisfies readonly (keyof ProviderGifBlock)[];

/** The block as the API takes it back: uploads by id, a GIF from search by its provider fields, others as they are. */
export function blockInputOf(block: Block): BlockInput {
  if ('uploadId' in block) return { type: block.type, uploadId: block.uploadId } as BlockInput;
  if (block.type === 'gif' && 'provider' in block) {
    const input: Record<string, unknown> = { type: 'gif' };
    for (const field of providerGifFields) if (block[field] !== undefined) input[field] = block[field];
    return input as BlockInput;
  }
  return block as BlockInput;
}

/** The block an upload becomes (its kind is the type the server sniffed), presented as the API will present it. */
export function blockFromUpload(upload: Upload): Block {
  return presentBlock({
    type: upload.kind,
    uploadId: upload.id,
    mimeType: upload.mimeType,
    size: upload.size,
    name: upload.name,
    ...(upload.width !== undefined ? { width: upload.width } : {}),
    ...(upload.height !== undefined ? { height: upload.height } : {}),
    ...(upload.frames !== undefined ? { frames: upload.frames } : {}),
  });
}
