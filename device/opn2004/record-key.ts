// Identity of an uploaded record, for idempotent storage: when a clear fails the scanner sends the same
// records again (with new indexes if anything changed), so the key uses only what the scanner stored —
// device id, original packed timestamp, symbology, barcode bytes — plus which repeat of an identical scan
// it is (two reads of the same tag in the same second are two scans).
import { createHash } from 'node:crypto';

export interface RecordIdentity {
  packedTimestamp: number;
  symbologyId: number;
  /** The barcode bytes as lowercase hex. */
  rawHex: string;
}

/** SHA-256 hex; `occurrence` is 1 for the first of equal records, 2 for the next … */
export function cradleRecordKey(deviceId: string, record: RecordIdentity, occurrence: number): string {
  const fields = ['opn2004-record-v1', deviceId, record.packedTimestamp.toString(16).padStart(8, '0'), String(record.symbologyId), record.rawHex, String(occurrence)];
  return createHash('sha256').update(fields.join('|')).digest('hex');
}

/** The occurrence count of each record among the equal records before it in the list (1-based). */
export function assignOccurrences(records: readonly RecordIdentity[]): number[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const content = `${r.packedTimestamp}|${r.symbologyId}|${r.rawHex}`;
    const occurrence = (seen.get(content) ?? 0) + 1;
    seen.set(content, occurrence);
    return occurrence;
  });
}
