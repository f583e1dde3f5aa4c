import { useEffect, useId, useRef, useState } from 'react';
import {
  summarizeBlock,
  uploadContentTypeIds,
  uploadRuleOf,
  type Block,
  type ContentTypeId,
  type UploadContentTypeId,
} from '../../core/content-types/index.js';
import { truncate } from '../../core/text.js';
import { BlockEditorView, blockMenuItems, blockTypeLabel, BlockView, hasEditor } from '../content-types/index.js';
import { acceptFor } from '../content-types/menu.js';
import { filesOf, useFileDrop } from '../hooks/useFileDrop.js';
import { useCommitBlocks, useTaskUploads } from '../hooks/useTaskUploads.js';
import type { TaskView } from '../state/list-tasks.store.js';
import { toastStore } from '../state/toasts.store.js';
import { BlockTypeMenu } from './BlockTypeMenu.js';
import { GifPicker } from './GifPicker.js';
import { Icon } from './Icon.js';
import { UploadProgress } from './UploadProgress.js';

/** The editor open: of a new block of `type` (added at the end), or of the block that was `original` at `index`. */
type Draft = { type: ContentTypeId; index: number | null; original: Block | null };

/** Copies with one element removed, replaced or inserted (the ES2023 array methods are too new for some browsers). */
const without = <T,>(items: readonly T[], index: number): T[] => [...items.slice(0, index), ...items.slice(index + 1)];
const replaced = <T,>(items: readonly T[], index: number, item: T): T[] => items.map((current, at) => (at === index ? item : current));
const inserted = <T,>(items: readonly T[], index: number, item: T): T[] => [...items.slice(0, index), item, ...items.slice(index)];

const sameBlock = (a: Block, b: Block) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Where `block` is now: at `hint` if it is still there, else wherever an identical block is (someone else may have changed the list). */
function locate(blocks: readonly Block[], block: Block, hint: number): number {
  const same = (candidate: Block | undefined) => candidate !== undefined && sameBlock(candidate, block);
  return same(blocks[hint]) ? hint : blocks.findIndex(same);
}

const isUploadType = (id: ContentTypeId): id is UploadContentTypeId => (uploadContentTypeIds as readonly string[]).includes(id);

const isTextField = (element: EventTarget | null) =>
  element instanceof HTMLTextAreaElement ||
  (element instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'file'].includes(element.type)) ||
  (element instanceof HTMLElement && element.isContentEditable);

/** Keys that follow a block when it moves (so its controls keep their state); repeats are numbered. */
function blockKeys(blocks: readonly Block[]): string[] {
  const seen = new Map<string, number>();
  return blocks.map((block) => {
    const identity = 'uploadId' in block ? block.uploadId : summarizeBlock(block);
    const key = `${block.type}:${identity}`;
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    return `${key}#${count}`;
  });
}

const shortName = (block: Block) => {
  const summary = summarizeBlock(block).replace(/\s+/g, ' ').trim() || blockTypeLabel(block.type);
  return truncate(summary, 40);
};

/**
 * A task's content blocks in its details: each shown by its type's renderer; for editors, add from the + menu
 * or `/` in a text block (written in the type's editor, from its renderer module, or uploaded for upload-backed
 * types), change a block in its editor, paste or drop files anywhere in the details to upload them (with progress),
 * pick a GIF, reorder and remove. Every change replaces the task's `blocks` through the list's store (optimistic,
 * queued).
 */
export function TaskBlocks({ task, canEdit }: { task: TaskView; canEdit: boolean }) {
  const id = useId();
  const menuId = `${id}-menu`;
  const root = useRef<HTMLElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuActive, setMenuActive] = useState(0);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [gifPicker, setGifPicker] = useState(false);
  /** After a move, the control to focus again (the block moved under it). */
  const [refocus, setRefocus] = useState<{ index: number; action: 'up' | 'down' } | null>(null);

  const commit = useCommitBlocks(task);
  const uploads = useTaskUploads(task);
  const startUploads = uploads.start;

  // Paste (Ctrl/⌘+V of an image, a GIF or a file) anywhere in the task's details uploads it; text pastes into a field stay text.
  useEffect(() => {
    if (!canEdit) return;
    const onPaste = (event: ClipboardEvent) => {
      const files = filesOf(event.clipboardData);
      if (files.length === 0) return;
      if (isTextField(event.target) && event.clipboardData?.types.includes('text/plain')) return;
      const scope = root.current?.closest('dialog') ?? root.current;
      if (scope && event.target instanceof Node && event.target !== document.body && !scope.contains(event.target)) return;
      event.preventDefault();
      startUploads(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [canEdit, startUploads]);

  // Files dropped anywhere on the details are uploaded too.
  const dragging = useFileDrop(() => root.current?.closest('dialog') ?? root.current, canEdit, startUploads);

  useEffect(() => {
    if (!refocus) return;
    setRefocus(null);
    const item = root.current?.querySelector(`[data-block-index="${refocus.index}"]`);
    const button =
      item?.querySelector<HTMLButtonElement>(`[data-action="${refocus.action}"]:not(:disabled)`) ??
      item?.querySelector<HTMLButtonElement>('[data-action]:not(:disabled)');
    button?.focus();
  }, [refocus]);

  /** When an editor or menu closes with the focus inside it, the focus goes back to the + button. */
  const focusAddButtonIfLost = () =>
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) addButton.current?.focus();
    });

  function chooseFiles(type: UploadContentTypeId) {
    const input = fileInput.current;
    if (!input) return;
    const accept = acceptFor(uploadRuleOf(type).accepts);
    if (accept) input.accept = accept;
    else input.removeAttribute('accept');
    input.click();
  }

  function pickType(type: ContentTypeId) {
    setMenuOpen(false);
    setDraft(null);
    if (hasEditor(type)) setDraft({ type, index: null, original: null });
    else if (type === 'gif') setGifPicker(true);
    else if (isUploadType(type)) chooseFiles(type);
  }

  /** What an editor's save does: add the new block, replace the block it changed, or (`null`) remove it. */
  function save(current: Draft, block: Block | null) {
    setDraft(null);
    focusAddButtonIfLost();
    const { index, original } = current;
    if (index === null || original === null) {
      if (block) commit((blocks) => [...blocks, block]);
      return;
    }
    if (block && sameBlock(block, original)) return;
    commit((blocks) => {
      // Someone else may have moved or changed it meanwhile: it is wherever the block as it was is now.
      const at = locate(blocks, original, index);
      if (at < 0) return block ? [...blocks, block] : null;
      return block ? replaced(blocks, at, block) : without(blocks, at);
    });
  }

  /** The props every editor gets, wired to `current`. */
  const editorProps = (current: Draft) => ({
    onSave: (block: Block | null) => save(current, block),
    onCancel: () => {
      setDraft(null);
      focusAddButtonIfLost();
    },
    blockMenu: {
      items: blockMenuItems,
      onPick: (type: ContentTypeId) => {
        const { index, original } = current;
        // A block emptied to type `/` in it makes way for the chosen type.
        if (index !== null && original !== null) {
          commit((blocks) => {
            const at = locate(blocks, original, index);
            return at < 0 ? null : without(blocks, at);
          });
        }
        pickType(type);
      },
    },
  });

  function move(index: number, offset: -1 | 1) {
    const moved = task.blocks[index];
    if (!moved) return;
    commit((blocks) => {
      const at = locate(blocks, moved, index);
      const target = at + offset;
      if (at < 0 || target < 0 || target >= blocks.length) return null;
      return inserted(without(blocks, at), target, blocks[at]!);
    });
    setRefocus({ index: index + offset, action: offset < 0 ? 'up' : 'down' });
  }

  function remove(index: number) {
    const removed = task.blocks[index];
    if (!removed) return;
    commit((blocks) => {
      const at = locate(blocks, removed, index);
      return at < 0 ? null : without(blocks, at);
    });
    focusAddButtonIfLost();
    const toastId = toastStore.show({
      message: `Removed “${shortName(removed)}”`,
      action: {
        label: 'Undo',
        run: () => {
          toastStore.dismiss(toastId);
          commit((blocks) => inserted(blocks, Math.min(index, blocks.length), removed));
        },
      },
      timeoutMs: 8000,
    });
  }

  const blocks = task.blocks;
  if (!canEdit && blocks.length === 0) return null;
  const keys = blockKeys(blocks);

  return (
    <section ref={root} className={`task-blocks${dragging ? ' is-drop-target' : ''}`} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="details-heading">
        Content
      </h3>
      {blocks.length > 0 ? (
        <ol className="block-list">
          {blocks.map((block, index) => {
            const editing = draft !== null && draft.index === index ? draft : null;
            const name = shortName(block);
            return (
              <li key={keys[index]} className={`block-item block-item-${block.type}`} data-block-index={index} data-block-type={block.type}>
                {editing ? (
                  <BlockEditorView type={editing.type} block={editing.original} {...editorProps(editing)} />
                ) : (
                  <div className="block-content">
                    <BlockView block={block} />
                  </div>
                )}
                {canEdit && !editing ? (
                  <div className="block-tools" role="group" aria-label={`Block ${index + 1}: ${name}`}>
                    {hasEditor(block.type) ? (
                      <button
                        type="button"
                        className="icon-button block-tool"
                        aria-label={`Edit “${name}”`}
                        title="Edit"
                        onClick={() => setDraft({ type: block.type, index, original: block })}
                      >
                        <Icon name="pencil" size={15} />
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="icon-button block-tool"
                      data-action="up"
                      aria-label={`Move “${name}” up`}
                      title="Move up"
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <span aria-hidden="true">↑</span>
                    </button>
                    <button
                      type="button"
                      className="icon-button block-tool"
                      data-action="down"
                      aria-label={`Move “${name}” down`}
                      title="Move down"
                      disabled={index === blocks.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <span aria-hidden="true">↓</span>
                    </button>
                    <button
                      type="button"
                      className="icon-button icon-button-danger block-tool"
                      aria-label={`Remove “${name}”`}
                      title="Remove"
                      onClick={() => remove(index)}
                    >
                      <Icon name="trash" size={15} />
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}

      {draft !== null && draft.index === null ? <BlockEditorView type={draft.type} block={null} {...editorProps(draft)} /> : null}

      <UploadProgress items={uploads.items} onCancel={uploads.cancel} onDismiss={uploads.dismiss} />

      {canEdit ? (
        <div className="block-add">
          <button
            ref={addButton}
            type="button"
            className="button button-small block-add-button"
            aria-haspopup="listbox"
            aria-expanded={menuOpen}
            aria-controls={menuOpen ? menuId : undefined}
            onClick={() => {
              setMenuActive(0);
              setMenuOpen((open) => !open);
            }}
          >
            <Icon name="plus" size={15} /> Add block
          </button>
          {menuOpen ? (
            <BlockTypeMenu
              id={menuId}
              items={blockMenuItems}
              active={menuActive}
              onActiveChange={setMenuActive}
              onPick={pickType}
              onClose={(restoreFocus) => {
                setMenuOpen(false);
                if (restoreFocus) addButton.current?.focus();
              }}
              focus="own"
            />
          ) : null}
          <span className="block-add-hint">{dragging ? 'Drop the files to add them to this task.' : 'Paste or drop images, GIFs and files here.'}</span>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            tabIndex={-1}
            aria-label="Files to add to the task"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length) startUploads(files);
              addButton.current?.focus();
            }}
          />
        </div>
      ) : null}

      {gifPicker ? (
        <GifPicker
          onPick={(block) => {
            setGifPicker(false);
            commit((current) => [...current, block]);
          }}
          onUpload={() => {
            setGifPicker(false);
            chooseFiles('gif' as UploadContentTypeId);
          }}
          onClose={() => setGifPicker(false)}
        />
      ) : null}
    </section>
  );
}
