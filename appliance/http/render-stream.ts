// A render result from @lit-labs/ssr as a Node stream, in chunks of about 16 KB. The package's own
// RenderResultReadable pushes every one of the thousands of small strings a page is made of, which costs
// more than rendering them; this walks the result the same way (strings, nested iterables, thunks,
// promises) and pushes a chunk whenever enough text has gathered or the render has to wait.
import { Readable } from 'node:stream';

const CHUNK = 16 * 1024;

type Item = string | (() => unknown) | Iterable<unknown> | PromiseLike<unknown> | undefined;

export class BatchedRenderReadable extends Readable {
  private readonly stack: Iterator<unknown>[];
  private buffer = '';
  private busy = false;

  constructor(result: Iterable<unknown>) {
    super();
    this.stack = [result[Symbol.iterator]()];
  }

  override async _read(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.stack.length > 0) {
        const next = this.stack.at(-1)!.next();
        if (next.done) {
          this.stack.pop();
          continue;
        }
        let value = next.value as Item;
        while (typeof value === 'function') value = value() as Item;
        if (value === undefined) continue;
        if (typeof value === 'string') {
          this.buffer += value;
          if (this.buffer.length >= CHUNK && !this.flush()) return;
        } else if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
          this.stack.push((value as Iterable<unknown>)[Symbol.iterator]());
        } else if (typeof (value as PromiseLike<unknown>).then === 'function') {
          this.flush(); // send what is ready while the render waits
          const resolved = await value;
          this.stack.push([resolved][Symbol.iterator]());
        } else {
          throw new Error(`Unexpected value in a render result: ${String(value)}`);
        }
      }
      this.flush();
      this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      this.busy = false;
    }
  }

  /** Pushes the gathered text; false when the reader wants no more for now. */
  private flush(): boolean {
    if (!this.buffer) return true;
    const chunk = this.buffer;
    this.buffer = '';
    return this.push(chunk);
  }
}
