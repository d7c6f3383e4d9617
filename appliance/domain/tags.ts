// Barcode normalization shared by assets, badges and case labels.
// A tag is stored as typed (trimmed, leading zeros kept); lookups use its key,
// which ignores case, spaces and hyphens so "ddc-4cy 002424" finds "DDC4CY002424".

export function cleanTag(raw: string): string {
  return raw.trim();
}

export function tagKey(raw: string): string {
  return raw.trim().replace(/[\s-]+/g, '').toUpperCase();
}

/** A slot is written CASE-LABEL/N, N counted from 1. */
export interface SlotRef {
  caseKey: string;
  n: number;
}

export function parseSlotText(text: string): SlotRef | null {
  const at = text.lastIndexOf('/');
  if (at <= 0) return null;
  const caseKey = tagKey(text.slice(0, at));
  const digits = text.slice(at + 1).trim();
  if (!caseKey || !/^\d{1,4}$/.test(digits)) return null;
  const n = Number(digits);
  return n >= 1 ? { caseKey, n } : null;
}

export function slotKey(ref: SlotRef): string {
  return `${ref.caseKey}/${ref.n}`;
}
