// The canonical encoding and hash rule of docs/event-format.md. verify.mjs (export) re-implements this
// from the document alone, so change neither without changing both and the format version.
import { createHash } from 'node:crypto';

export const FORMAT_VERSION = 1;

/** JSON with object keys sorted by UTF-16 code units, no whitespace; numbers must be safe integers. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON allows only safe integers, got ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

export interface HashedFields {
  seq: number;
  id: string;
  type: string;
  subject: string;
  /** already canonical JSON text */
  data: string;
  actor: string;
  source: string;
  occurred_at: string;
  recorded_at: string;
  idempotency_key: string;
}

/** The canonical bytes of one event: its ten fields (not prev_hash, not hash) in key order. */
export function canonicalEvent(e: HashedFields): string {
  const q = JSON.stringify;
  return `{"actor":${q(e.actor)},"data":${e.data},"id":${q(e.id)},"idempotency_key":${q(e.idempotency_key)},` +
    `"occurred_at":${q(e.occurred_at)},"recorded_at":${q(e.recorded_at)},"seq":${e.seq},"source":${q(e.source)},` +
    `"subject":${q(e.subject)},"type":${q(e.type)}}`;
}

/** hash = lowercase hex SHA-256 of UTF-8( prev_hash ‖ canonical event ). */
export function eventHash(prevHash: string, e: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(e)).digest('hex');
}

/** The first event chains from this value, so two boxes' logs can never be spliced together. */
export function genesisHash(deviceId: string): string {
  return createHash('sha256').update(`assettrack-genesis:${deviceId}`).digest('hex');
}
