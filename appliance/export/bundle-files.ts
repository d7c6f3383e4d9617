// The text of the bundle's data files: one event as an NDJSON line and as a CSV row, the holdings table,
// and the README for the auditor. Pure functions; write-bundle.ts decides where they go.
import { assetView } from '../queries.ts';
import type { CageState } from '../domain/types.ts';

/** A row of the events table as SQLite holds it (data is already canonical JSON text). */
export type EventRow = [seq: number, id: string, type: string, subject: string, data: string, actor: string, source: string,
  occurred_at: string, recorded_at: string, idempotency_key: string, prev_hash: string, hash: string];

export const EVENT_COLUMNS = 'seq, id, type, subject, data, actor, source, occurred_at, recorded_at, idempotency_key, prev_hash, hash';

/**
 * One event as the canonical JSON of its twelve members (the ten hashed ones plus prev_hash and hash), keys
 * in sorted order. The stored data text is canonical already, so the line is built without re-encoding it.
 */
export function ndjsonLine(r: EventRow): string {
  const q = JSON.stringify;
  return `{"actor":${q(r[5])},"data":${r[4]},"hash":"${r[11]}","id":${q(r[1])},"idempotency_key":${q(r[9])},` +
    `"occurred_at":${q(r[7])},"prev_hash":"${r[10]}","recorded_at":${q(r[8])},"seq":${r[0]},"source":${q(r[6])},` +
    `"subject":${q(r[3])},"type":${q(r[2])}}\n`;
}

export const EVENTS_CSV_HEADER = 'seq,id,type,subject,actor,source,occurred_at,recorded_at,idempotency_key,prev_hash,hash,data\r\n';

export function eventsCsvRow(r: EventRow): string {
  return `${r[0]},${r[1]},${cell(r[2])},${cell(r[3])},${cell(r[5])},${cell(r[6])},${r[7]},${r[8]},${cell(r[9])},${r[10]},${r[11]},${cell(r[4])}\r\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * RFC 4180 quoting. A cell a spreadsheet would run as a formula (a scanned "=HYPERLINK(...)") gets a
 * leading apostrophe: the CSV is for reading; events.ndjson stays the exact record.
 */
export function cell(value: string | number | boolean | null | undefined): string {
  let text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  // Starts with = + - @ TAB or CR: compared by character code, not a regular expression (six cells of every event).
  const first = text.charCodeAt(0);
  if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x09 || first === 0x0d) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** Every asset and who holds it at the exported head (assets in storage have an empty holder). */
export function holdingsCsv(state: CageState): string {
  const header = 'asset_tag,serial_number,equipment_type,make,model,state,missing,condition,holder_id,holder_name,holder_badge,holder_organization,since,slot,home_slot\r\n';
  const rows = [...state.assets.values()]
    .sort((a, b) => a.tag.localeCompare(b.tag, undefined, { numeric: true }))
    .map((a) => {
      const v = assetView(state, a);
      const h = a.holderId ? state.holders.get(a.holderId) : undefined;
      return [v.tag, v.serial, v.type, v.make, v.model, v.state, v.missing ? 'yes' : 'no', v.condition, h?.id, h?.name, h?.badge, h?.org, v.since, v.slot, v.home]
        .map(cell).join(',');
    });
  return header + rows.map((r) => `${r}\r\n`).join('');
}

export function readmeText(m: { deviceId: string; fingerprint: string; count: number; headSeq: number; headHash: string; createdAt: string; previous: { seq: number; hash: string } | null }): string {
  return `AssetTrack audit export
=======================

Device:          ${m.deviceId}
Exported at:     ${m.createdAt} (UTC, the device's clock)
Events:          ${m.count} (event 1 to event ${m.headSeq})
Head hash:       ${m.headHash}
Key fingerprint: ${m.fingerprint}
Previous export: ${m.previous ? `head event ${m.previous.seq}, ${m.previous.hash}` : 'none (this is the first export of this device)'}

What the files are
------------------
events.ndjson          Every event of the device's log, one JSON object a line, oldest first. This is the
                       record: each line holds the event's ten recorded fields plus prev_hash and hash.
events.csv             The same events for a spreadsheet (data as JSON text in the last column). A cell that
                       a spreadsheet would run as a formula starts with an apostrophe; events.ndjson is exact.
holdings.csv           Every asset at the time of export: its state, who holds it, since when, its slot.
report.html            A readable summary (holdings, missing, overdue, a timeline); opens in any browser,
                       runs no scripts and loads nothing from the network.
receipts/              (when present) printable hand receipts of the period: each holds its event's exact
                       data, and its checkpoint as text and as a QR code (signed by this device's key).
manifest.json          Device id, software version, the event range and head, the previous export's head,
                       counts by event type, and the SHA-256 of every other file.
manifest.sig           An Ed25519 signature of manifest.json by the device's key (base64).
device-public-key.pem  The device's public key. Its fingerprint is printed above.
verify.mjs             The verifier: one file, no dependencies.

How to verify
-------------
With Node.js 18 or newer on any computer (no network needed):

    node verify.mjs                      (in this folder)
    node verify.mjs --previous ../<the previous quarter's bundle folder>

It checks the signature, the SHA-256 of every file, recomputes the hash of every event from the rules in
the appliance's docs/event-format.md (canonical JSON, SHA-256 chained from a value derived from the
device id), checks that seq runs 1, 2, 3 ... without a gap and that the manifest's head is the last event.
Each receipt in receipts/ must be the one the log recorded, naming a signed checkpoint of this chain.
With --previous it also checks that this log continues the previous quarter's without any change to what
that one held. It prints OK or FAIL for each check and exits with 0 only when all hold.

What the key fingerprint means
------------------------------
Only this device holds the private key that signed manifest.sig; it was created when the device was set up
and never leaves it. The fingerprint (SHA-256 of the public key) is shown on the kiosk's admin screen and
printed by "assettrack key". Compare it with the fingerprint you recorded for this device the first time:
if they match, this bundle was signed by this device, and the verifier proves that nothing in it was
changed since. The same fingerprint is recorded in event 1 of the log, and verify.mjs checks that too.
`;
}
