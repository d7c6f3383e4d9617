// Intake's rules for one scan: normalize it, reject what no scanner meant to send, say what it is
// (operator badge, holder badge, asset tag, case label, slot label, or unknown) and whether it repeats the
// scan just before it. Pure: decide() calls these for RecordScan and RecordCradleUpload.
import { DomainError } from '../domain/errors.ts';
import { resolveSlot } from '../domain/state.ts';
import { tagKey } from '../domain/tags.ts';
import type { CageState, DecideContext, JsonObject, PrefixedKind } from '../domain/types.ts';
import { BROWSER_WEDGE_DEVICE } from '../../ui/view-types.ts';

export interface Classified {
  /** the ScanCaptured subject: an asset's tag (so its history finds it), else the value */
  subject: string;
  /** value, kind, ref, reason and (for an unknown code a prefix recognizes) looks_like */
  data: JsonObject;
}

const LOOKS_LIKE_WORDS: Record<PrefixedKind, string> = {
  asset: 'an asset tag', operator: 'an operator badge', holder: 'a holder badge', case: 'a case label',
};

/** Why a scan is refused before any lookup, or '' when it is a plausible code. */
export function scanProblem(value: string, maxLength: number): string {
  if (!value) return 'empty scan';
  // U+FFFD is what the device listeners put where a key or byte had no character: a garbled read.
  if (/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(value)) return 'control characters in scan (garbled read)';
  if (value.length > maxLength) return `scan longer than ${maxLength} characters`;
  return '';
}

/** Scanners end a scan with CR/LF (or a suffix the listener already removed); surrounding blanks are noise. */
export function normalizeScan(text: string): string {
  return text.replace(/[\r\n]+$/, '').trim();
}

/** What a code names, by lookup; a configured prefix only explains an unregistered one. */
export function classifyScan(state: CageState, ctx: DecideContext, value: string): Classified {
  const problem = scanProblem(value, ctx.maxScanLength);
  if (problem) return { subject: '', data: { value, kind: 'rejected', ref: null, reason: problem } };
  const owner = state.barcodes.get(tagKey(value));
  if (owner) {
    // ref names the thing as registered (tag, holder or operator id, case label); an asset's scans go
    // under its tag, so its history finds them whatever the spelling.
    const ref = owner.kind === 'asset' ? state.assets.get(owner.ref)!.tag : owner.kind === 'case' ? state.cases.get(owner.ref)!.label : owner.ref;
    return { subject: owner.kind === 'asset' ? ref : value, data: { value, kind: owner.kind, ref, reason: '' } };
  }
  if (value.includes('/')) {
    try {
      const slot = resolveSlot(state, value);
      return { subject: value, data: { value, kind: 'slot', ref: slot.text, reason: '' } };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { subject: value, data: { value, kind: 'unknown', ref: null, reason: err.message } };
    }
  }
  const looksLike = prefixKind(ctx, value);
  if (looksLike) {
    return {
      subject: value,
      data: { value, kind: 'unknown', ref: null, looks_like: looksLike, reason: `${value} looks like ${LOOKS_LIKE_WORDS[looksLike]} but is not registered` },
    };
  }
  return { subject: value, data: { value, kind: 'unknown', ref: null, reason: 'not a registered tag, badge or label' } };
}

function prefixKind(ctx: DecideContext, value: string): PrefixedKind | null {
  const upper = value.toUpperCase();
  for (const [kind, prefixes] of Object.entries(ctx.scanPrefixes) as [PrefixedKind, string[]][]) {
    if (prefixes.some((p) => upper.startsWith(p))) return kind;
  }
  return null;
}

/**
 * The same code from the same scanner within the window is one scan. The kiosk page's own wedge capture
 * counts as the same scanner as any device-side wedge listener: when the compositor was not told to
 * ignore the scanner, one scan reaches the log by both paths, and must be acted on once.
 */
export function isDuplicateScan(state: CageState, ctx: DecideContext, source: string, device: string, value: string): boolean {
  const now = Date.parse(ctx.now);
  const sameScanner = (other: string) => other === device || (source === 'wedge' && (other === BROWSER_WEDGE_DEVICE || device === BROWSER_WEDGE_DEVICE));
  for (const [key, last] of state.lastScans) {
    if (!key.startsWith(`${source}|`) || last.value !== value || !sameScanner(key.slice(source.length + 1))) continue;
    if (now - Date.parse(last.at) < ctx.duplicateWindowMs) return true;
  }
  return false;
}
