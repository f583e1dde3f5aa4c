/**
 * The logic of the editors built on `parts/block-form.tsx` (link, quote, code): the block a form's fields make,
 * checked with core's payload schema (the one the server uses), each refusal put under the field it is about; and
 * what a key does in such a form.
 */
import type { z } from 'zod';

/** One field of an editor's form. */
export interface BlockFieldSpec<Name extends string> {
  /** The block's property this field fills. */
  readonly name: Name;
  /** Its label; also how messages about it start ("Code must not be empty"). */
  readonly label: string;
  /**
   * `line`: one line (Enter saves); `url`: one line, a web address (trimmed); `lines`: several lines (Enter is a new
   * line); `code`: several lines in a monospaced font, kept exactly as typed, no spelling check.
   */
  readonly kind?: 'line' | 'url' | 'lines' | 'code';
  /** Left out of the block when blank (the schemas refuse an empty optional field); labelled "(optional)". */
  readonly optional?: boolean;
  readonly maxLength?: number;
  readonly placeholder?: string;
}

export const isMultiline = (field: BlockFieldSpec<string>) => field.kind === 'lines' || field.kind === 'code';

/**
 * The block the fields make: `{type, ...fields}`, a blank optional field left out and an address trimmed; the rest as
 * typed, for the schema to trim what it trims (code keeps its indentation).
 */
export function blockCandidate<Name extends string>(
  type: string,
  fields: readonly BlockFieldSpec<Name>[],
  values: Readonly<Record<Name, string>>,
): Record<string, string> {
  const candidate: Record<string, string> = { type };
  for (const field of fields) {
    const value = values[field.name];
    if (field.optional && value.trim() === '') continue;
    candidate[field.name] = field.kind === 'url' ? value.trim() : value;
  }
  return candidate;
}

export type BlockCheck<Output> = { readonly ok: true; readonly block: Output } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/**
 * The candidate parsed with the type's payload schema, or one message per field it refuses (the first refusal of
 * each), as a sentence naming the field; a refusal about no field of the form is under `''`.
 */
export function checkBlock<Output, Name extends string>(
  schema: z.ZodType<Output>,
  candidate: unknown,
  fields: readonly BlockFieldSpec<Name>[],
): BlockCheck<Output> {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return { ok: true, block: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = fields.find((candidateField) => candidateField.name === issue.path[0]);
    const key = field ? field.name : '';
    if (errors[key] !== undefined) continue;
    const subject = field ? field.label : 'This block';
    // Core's messages are written to follow the field's name ("must not be empty"); zod's own are sentences.
    errors[key] = /^[a-z]/.test(issue.message) ? `${subject} ${issue.message}.` : `${subject}: ${issue.message}`;
  }
  return { ok: false, errors };
}

/**
 * What a key does in an editor's form: Escape cancels, Ctrl/⌘+Enter saves. A plain Enter is left to the browser: a
 * new line in a multi-line field, submitting the form from a one-line field.
 */
export function formKeyAction(event: {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly isComposing?: boolean;
}): 'save' | 'cancel' | null {
  if (event.isComposing) return null;
  if (event.key === 'Escape') return 'cancel';
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) return 'save';
  return null;
}

/** The modifier of the save shortcut, as the keyboard shows it. */
export const saveShortcut = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘+Enter' : 'Ctrl+Enter';
