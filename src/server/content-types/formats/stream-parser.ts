/**
 * Incremental parsing of a byte stream as it arrives, written as a generator that asks for bytes: `read(n)`,
 * `skip(n)`, `some()`… The driver feeds it chunks and never buffers more than one pending read, so an upload is
 * checked (dimensions, frame count, structure) while it streams to disk, and refused at the first bad byte.
 */
import { AppError } from '../../../core/errors.js';

export type ParseStep =
  | { op: 'read'; n: number }
  | { op: 'skip'; n: number; onData?: ((chunk: Buffer) => void) | undefined }
  | { op: 'some' }
  | { op: 'unread'; bytes: Buffer }
  | { op: 'peek'; n: number }
  | { op: 'subBlocks'; remaining: number }
  | { op: 'end' }
  | { op: 'rest' };

/** A format parser: yields steps, receives the bytes they asked for, returns what it learned. */
export type Parser<T> = Generator<ParseStep, T, Buffer>;

export const read = (n: number): ParseStep => ({ op: 'read', n });
export const skip = (n: number, onData?: (chunk: Buffer) => void): ParseStep => ({ op: 'skip', n, onData });
/** Whatever is buffered (at least one byte). */
export const some = (): ParseStep => ({ op: 'some' });
export const unread = (bytes: Buffer): ParseStep => ({ op: 'unread', bytes });
/** Up to `n` bytes without consuming them; fewer only at the end of the stream. */
export const peek = (n: number): ParseStep => ({ op: 'peek', n });
/**
 * Skips a chain of length-prefixed data sub-blocks (a size byte, then that many bytes) through its zero-length
 * terminator, as GIF image data and extensions are stored: done in the driver's loop, not one step per sub-block.
 */
export const subBlocks = (): ParseStep => ({ op: 'subBlocks', remaining: 0 });
/** The stream must end here: anything more is trailing data. */
export const end = (): ParseStep => ({ op: 'end' });
/** Whatever follows is accepted and ignored. */
export const rest = (): ParseStep => ({ op: 'rest' });

const empty = Buffer.alloc(0);

export const corrupt = (what: string, detail: string) =>
  new AppError('unprocessable', `The ${what} is corrupt: ${detail}`, { extensions: { reason: 'corrupt' } });

/**
 * Walks a chain of sub-blocks in `bytes`, the first `owed` of which finish a sub-block begun in earlier bytes. Returns
 * the offset just past the terminator; or, when `bytes` ends first, -1 minus what the next bytes still owe. A small
 * function of its own on purpose: this loop is where the time goes (a 5 MiB GIF is 20,000 sub-blocks). Inside `run`,
 * whose optimised code V8 threw away at each new parser in the server, it ran unoptimised for about half of every
 * upload: 2.7 ms per 5 MiB GIF; on its own it stays optimised: about 0.4 ms.
 */
function walkSubBlocks(bytes: Uint8Array, owed: number): number {
  const length = bytes.length;
  let at = owed;
  while (at < length) {
    const size = bytes[at]!;
    if (size === 0) return at + 1;
    at += size + 1;
  }
  return -1 - (at - length);
}

export class StreamParser<T> {
  private buffer: Buffer = empty;
  private step: ParseStep | null = null;
  private result: { value: T } | null = null;

  constructor(
    private readonly generator: Parser<T>,
    private readonly what: string,
  ) {
    this.advance(empty);
  }

  private advance(value: Buffer): void {
    const next = this.generator.next(value);
    if (next.done) {
      this.result = { value: next.value };
      this.step = null;
    } else {
      this.step = next.value;
    }
  }

  private trailing(): AppError {
    return new AppError('unprocessable', `The ${this.what} has unexpected data after its end (a file disguised as an image?)`, {
      extensions: { reason: 'trailing_data' },
    });
  }

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.run(false);
  }

  private run(atEnd: boolean): void {
    for (;;) {
      const step = this.step;
      if (!step) {
        if (this.buffer.length > 0) throw this.trailing();
        return;
      }
      switch (step.op) {
        case 'read': {
          if (this.buffer.length < step.n) return;
          const bytes = this.buffer.subarray(0, step.n);
          this.buffer = this.buffer.subarray(step.n);
          this.advance(bytes);
          break;
        }
        case 'skip': {
          const take = Math.min(step.n, this.buffer.length);
          if (take > 0) {
            step.onData?.(this.buffer.subarray(0, take));
            this.buffer = this.buffer.subarray(take);
            step.n -= take;
          }
          if (step.n > 0) return;
          this.advance(empty);
          break;
        }
        case 'some': {
          if (this.buffer.length === 0) return;
          const bytes = this.buffer;
          this.buffer = empty;
          this.advance(bytes);
          break;
        }
        case 'subBlocks': {
          const next = walkSubBlocks(this.buffer, step.remaining);
          if (next < 0) {
            step.remaining = -1 - next;
            this.buffer = empty;
            return;
          }
          this.buffer = this.buffer.subarray(next);
          this.advance(empty);
          break;
        }
        case 'unread':
          this.buffer = this.buffer.length === 0 ? step.bytes : Buffer.concat([step.bytes, this.buffer]);
          this.advance(empty);
          break;
        case 'peek':
          if (this.buffer.length < step.n && !atEnd) return;
          this.advance(this.buffer.subarray(0, step.n));
          break;
        case 'end':
          if (this.buffer.length > 0) throw this.trailing();
          if (!atEnd) return;
          this.advance(empty);
          break;
        case 'rest':
          this.buffer = empty;
          if (!atEnd) return;
          this.advance(empty);
          break;
      }
    }
  }

  /** The stream has ended: returns what the parser learned, or throws if the data stopped short. */
  end(): T {
    this.run(true);
    if (!this.result)
      throw new AppError('unprocessable', `The ${this.what} is truncated: it ends before the image does`, { extensions: { reason: 'truncated' } });
    return this.result.value;
  }
}
