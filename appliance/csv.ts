// CSV in and out (RFC 4180): quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM allowed.
// Headers match without regard to case, spaces, hyphens or underscores; the seed system's names are aliases.
import { DomainError } from './domain/errors.ts';
import type { AssetImportRow, HolderImportRow } from './domain/types.ts';

/** Splits CSV text into records; refuses malformed input with the line it stopped at. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (src.includes('\u0000')) throw new DomainError('BAD_CSV', 'The file contains NUL bytes; it is not a text CSV file.');
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') {
        quoted = false;
        i += 1;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new DomainError('BAD_CSV', `Line ${line}: text after a closing quote; a quote inside a field must be doubled ("").`);
        }
        continue;
      }
      if (c === '\n') line += 1;
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new DomainError('BAD_CSV', `Line ${line}: a quote in the middle of a field; quote the whole field.`);
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      line += 1;
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) throw new DomainError('BAD_CSV', `Line ${line}: a quoted field is never closed.`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

const headerKey = (h: string): string => h.trim().toLowerCase().replace(/[\s_-]+/g, '');

/** Records → objects keyed by canonical column name; row numbers count the header as row 1. */
function table(text: string, columns: Record<string, string[]>, required: string[]): { row: number; values: Record<string, string> }[] {
  const records = parseCsv(text);
  if (records.length === 0) throw new DomainError('BAD_CSV', 'The file is empty.');
  const header = records[0]!;
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = headerKey(h);
    for (const [name, aliases] of Object.entries(columns)) {
      if ([name, ...aliases].map(headerKey).includes(key) && !index.has(name)) index.set(name, i);
    }
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new DomainError('BAD_CSV', `The header lacks ${missing.join(', ')}; found: ${header.map((h) => h.trim()).join(', ')}.`);
  }
  return records.slice(1).map((record, i) => {
    if (record.length !== header.length) {
      throw new DomainError('BAD_CSV', `Row ${i + 2} has ${record.length} fields; the header has ${header.length}.`);
    }
    const values: Record<string, string> = {};
    for (const [name, at] of index) values[name] = record[at] ?? '';
    return { row: i + 2, values };
  });
}

export const ASSET_COLUMNS = ['asset_tag', 'serial_number', 'equipment_type', 'make', 'model', 'slot', 'notes'];

export function parseAssetCsv(text: string): AssetImportRow[] {
  const rows = table(text, {
    asset_tag: ['barcode', 'tag'], serial_number: ['serial'], equipment_type: ['type'], make: [], model: [], slot: [], notes: [],
    case_identifier: ['case'], slot_identifier: [],
  }, ['asset_tag', 'serial_number']);
  return rows.map(({ row, values: v }) => ({
    row,
    tag: v.asset_tag ?? '',
    serial: v.serial_number ?? '',
    assetType: v.equipment_type,
    make: v.make,
    model: v.model,
    notes: v.notes,
    slot: v.slot?.trim() || (v.case_identifier?.trim() && v.slot_identifier?.trim() ? `${v.case_identifier.trim()}/${v.slot_identifier.trim()}` : ''),
  }));
}

export function parseHolderCsv(text: string): HolderImportRow[] {
  const rows = table(text, { name: ['holder', 'full_name'], badge: ['badge_code'], organization: ['org', 'organisation'], kind: [] }, ['name']);
  return rows.map(({ row, values: v }) => ({ row, name: v.name ?? '', badge: v.badge, org: v.organization, kind: v.kind }));
}

/** One CSV field, quoted when it must be; a leading = + - @ is prefixed so spreadsheets don't run it. */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | boolean | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
