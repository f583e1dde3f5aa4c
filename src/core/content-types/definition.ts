/**
 * What a content type is: one definition per file in this folder, listed in `index.ts`.
 * Core only: no node:*, no React, no database.
 */
import type { z } from 'zod';

/** Sniffed MIME types an upload-backed type takes, and its default size limit (a workspace may change it). */
export interface UploadRule {
  /** MIME types sniffed from the bytes; `*` takes whatever no other type takes. */
  readonly accepts: readonly string[];
  readonly maxBytes: number;
  /** Still images the server makes once per content: `thumbnail` (small, for lists), `poster` (first frame, full size). */
  readonly previews: readonly ('thumbnail' | 'poster')[];
}

/**
 * One content type. `payloadSchema` is a block as the client sends it (`type` included, unknown fields refused);
 * `blockSchema` is a block as the API returns it. `summary` is the plain text used by search, notifications and exports.
 */
export interface ContentTypeDefinition<Id extends string, Payload extends z.ZodType, Block extends z.ZodType> {
  readonly id: Id;
  readonly payloadSchema: Payload;
  readonly blockSchema: Block;
  readonly limits: Readonly<Record<string, number>>;
  readonly upload?: UploadRule;
  summary(block: z.output<Block>): string;
}

/** Identity with inference: keeps each definition's literal id and schema types. */
export function defineContentType<const Id extends string, Payload extends z.ZodType, Block extends z.ZodType, Extra extends object = object>(
  definition: ContentTypeDefinition<Id, Payload, Block> & Extra,
): ContentTypeDefinition<Id, Payload, Block> & Extra {
  return definition;
}

const MiB = 1024 * 1024;
export const mebibytes = (n: number) => n * MiB;

/** "2.4 MB"-style sizes for summaries. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MB`;
}
