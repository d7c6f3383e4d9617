// Byte-stream mutations for fuzzing: flip, overwrite, delete, insert, truncate, extend.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; tail: Uint8Array };

const byte = fc.integer({ min: 0, max: 255 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: byte }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: byte }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), tail: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
);

export function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(base);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : ('at' in m ? m.at % bytes.length : 0);
    switch (m.kind) {
      case 'flip':
        if (bytes.length) bytes[at] = bytes[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (bytes.length) bytes[at] = m.value;
        break;
      case 'delete':
        bytes.splice(at, 1);
        break;
      case 'insert':
        bytes.splice(at, 0, m.value);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'extend':
        bytes.push(...m.tail);
        break;
    }
  }
  return Uint8Array.from(bytes);
}

/** Random cut points: the same bytes as a list of reads, as a USB serial port might deliver them. */
export const splitsArb = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 });

export function split(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) break;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  return chunks;
}
