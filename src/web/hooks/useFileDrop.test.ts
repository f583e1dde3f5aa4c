import { describe, expect, it, vi } from 'vitest';
import { filesOf, listenForFileDrops } from './useFileDrop.js';

/** A drag event as the browser sends it: during the drag only `types` says what is carried; on drop, the files. */
function dragEvent(type: string, data: { types: string[]; files?: File[] }) {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const dataTransfer = { types: data.types, files: data.files ?? [], items: [], dropEffect: 'none' };
  Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
  return { event, dataTransfer };
}

const files = { types: ['Files'] };
const rowReorder = { types: ['text/plain'] };

function setUp() {
  const element = new EventTarget();
  const onFiles = vi.fn();
  const overChanges: boolean[] = [];
  const stop = listenForFileDrops(element, { onFiles, onOverChange: (over) => overChanges.push(over) });
  const send = (type: string, data: { types: string[]; files?: File[] }) => {
    const { event, dataTransfer } = dragEvent(type, data);
    element.dispatchEvent(event);
    return { prevented: event.defaultPrevented, dropEffect: dataTransfer.dropEffect };
  };
  return { send, onFiles, overChanges, stop };
}

describe('listenForFileDrops', () => {
  it('highlights while files are over the element, through its children, and hands over the dropped files', () => {
    const { send, onFiles, overChanges } = setUp();
    expect(send('dragenter', files).prevented).toBe(true);
    // Crossing into a child: enter on the child first, then leave from the element — still over.
    send('dragenter', files);
    send('dragleave', files);
    expect(send('dragover', files)).toEqual({ prevented: true, dropEffect: 'copy' });
    expect(overChanges).toEqual([true]);

    const gif = new File([new Uint8Array([71, 73, 70])], 'party.gif', { type: 'image/gif' });
    expect(send('drop', { types: ['Files'], files: [gif] }).prevented).toBe(true);
    expect(overChanges).toEqual([true, false]);
    expect(onFiles).toHaveBeenCalledExactlyOnceWith([gif]);
  });

  it('drops the highlight when the files are dragged away', () => {
    const { send, onFiles, overChanges } = setUp();
    send('dragenter', files);
    send('dragleave', files);
    expect(overChanges).toEqual([true, false]);
    // A stray leave (the drag started inside) does not count below zero.
    send('dragleave', files);
    send('dragenter', files);
    expect(overChanges).toEqual([true, false, true]);
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('ignores drags that carry no files, such as reordering rows, and leaves them to their own handlers', () => {
    const { send, onFiles, overChanges } = setUp();
    expect(send('dragenter', rowReorder).prevented).toBe(false);
    expect(send('dragover', rowReorder)).toEqual({ prevented: false, dropEffect: 'none' });
    expect(send('drop', rowReorder).prevented).toBe(false);
    expect(overChanges).toEqual([]);
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('stops listening', () => {
    const { send, onFiles, overChanges, stop } = setUp();
    stop();
    expect(send('dragenter', files).prevented).toBe(false);
    expect(send('drop', { types: ['Files'], files: [new File(['x'], 'x.txt')] }).prevented).toBe(false);
    expect(overChanges).toEqual([]);
    expect(onFiles).not.toHaveBeenCalled();
  });
});

describe('filesOf', () => {
  it('takes `files`, or else the items of kind file (a copied image)', () => {
    const file = new File(['x'], 'x.png', { type: 'image/png' });
    expect(filesOf(null)).toEqual([]);
    expect(filesOf({ files: [file], items: [] } as unknown as DataTransfer)).toEqual([file]);
    const items = [
      { kind: 'string', getAsFile: () => null },
      { kind: 'file', getAsFile: () => file },
    ];
    expect(filesOf({ files: [], items } as unknown as DataTransfer)).toEqual([file]);
  });
});
