/**
 * The registry of content types: every type a task block can have, listed explicitly.
 *
 * Adding a type: write `<type>.ts` here (payload schema, block schema, limits, summary), add it to `contentTypes`
 * below, and write its renderer `src/web/content-types/<type>.tsx` (with, optionally, its menu entry and editor), which
 * declares itself in the web registry's `BlockRenderers`; that registry checks it names every `ContentTypeId`, so a
 * type without a renderer does not compile.
 * A type that takes uploads (`upload` in its definition) also needs `src/server/content-types/<type>.server.ts`,
 * listed in that folder's registry, typed the same way over `UploadContentTypeId`.
 */
import { z } from 'zod';
import { code } from './code.js';
import type { UploadRule } from './definition.js';
import { file } from './file.js';
import { gif } from './gif.js';
import { image } from './image.js';
import { link } from './link.js';
import { quote } from './quote.js';
import { text } from './text.js';
import { uploadUrls, type StoredUploadBlock } from './upload-block.js';

export const contentTypes = { text, link, image, gif, file, quote, code } as const;

type Registry = typeof contentTypes;
export type ContentTypeId = keyof Registry;
export const contentTypeIds = Object.keys(contentTypes) as [ContentTypeId, ...ContentTypeId[]];

/** A block as a client sends it, after validation. */
export type BlockInput = { [K in ContentTypeId]: z.output<Registry[K]['payloadSchema']> }[ContentTypeId];
/** A block as the API returns it. */
export type Block = { [K in ContentTypeId]: z.output<Registry[K]['blockSchema']> }[ContentTypeId];
export type BlockOf<K extends ContentTypeId> = Extract<Block, { type: K }>;

/** Types that take uploads: each has a server file in `src/server/content-types/`. */
export type UploadContentTypeId = { [K in ContentTypeId]: Registry[K] extends { upload: UploadRule } ? K : never }[ContentTypeId];
export const uploadContentTypeIds = contentTypeIds.filter((id) => 'upload' in contentTypes[id]) as UploadContentTypeId[];
export const uploadRuleOf = (id: UploadContentTypeId): UploadRule => (contentTypes[id] as { upload: UploadRule }).upload;

/** A block as `tasks.blocks` holds it: upload-backed blocks carry the upload's metadata; URLs are derived. */
export type StoredBlock = Exclude<BlockInput, { uploadId: string }> | StoredUploadBlock;

export const maxBlocksPerTask = 100;

const typeField = z.enum(contentTypeIds, { error: () => `must be a known block type: ${contentTypeIds.join(', ')}` });
const payloadSchemas = contentTypeIds.map((id) => contentTypes[id].payloadSchema);

/** One block of a PATCH/POST body: the `type` is checked first, so an unknown type names `blocks.N.type`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod's input type of a union built from a runtime list
const payloadUnion = z.discriminatedUnion('type', payloadSchemas as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<BlockInput, any>;
export const blockInputSchema = z
  .looseObject({ type: typeField })
  .describe(
    'A content block; its other fields follow its type (see each type in src/core/content-types), e.g. {type: "text", text} or {type: "image", uploadId}',
  )
  .pipe(payloadUnion) as unknown as z.ZodType<BlockInput, unknown>;

export const blocksInputSchema = z.array(blockInputSchema).max(maxBlocksPerTask, { message: `must have at most ${maxBlocksPerTask} blocks` });

/** A block in an API response (documentation; the server builds exactly these shapes). */
export const blockSchema = z.union(
  contentTypeIds.map((id) => contentTypes[id].blockSchema) as unknown as [z.ZodType, ...z.ZodType[]],
) as unknown as z.ZodType<Block>;

/** The stored block as the API presents it: upload-backed blocks gain the URLs of their bytes and previews. */
export function presentBlock(stored: StoredBlock): Block {
  if (!('uploadId' in stored) || !(stored.type in contentTypes)) return stored as Block;
  const definition = contentTypes[stored.type as ContentTypeId] as { upload?: UploadRule };
  const previews = definition.upload?.previews ?? [];
  return {
    ...stored,
    url: uploadUrls.content(stored.uploadId),
    ...(previews.includes('thumbnail') ? { thumbnailUrl: uploadUrls.thumbnail(stored.uploadId) } : {}),
    ...(previews.includes('poster') ? { posterUrl: uploadUrls.poster(stored.uploadId) } : {}),
  } as Block;
}

/** Plain text of one block, for search, notifications and exports. */
export function summarizeBlock(block: Block): string {
  const definition = contentTypes[block.type] as { summary(block: Block): string };
  return definition.summary(block);
}

export const summarizeBlocks = (blocks: readonly Block[]): string => blocks.map(summarizeBlock).filter(Boolean).join('\n');

export { uploadUrls } from './upload-block.js';
export type { ContentTypeDefinition, UploadRule } from './definition.js';
