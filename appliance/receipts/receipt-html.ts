// Printable hand receipts, rendered on the server as plain HTML: one receipt (GET /receipt/:seq, and
// receipts/receipt-<seq>.html in the audit bundle) and a holder's whole current hand receipt (GET
// /holder/:id/hand-receipt). Nothing here needs a script: the signature is drawn as SVG from its strokes,
// the checkpoint is printed as text and as a QR code (SVG, made here by the `qrcode` package). The style is
// inline and laid out inside the area A4 and US Letter share, so either paper prints it whole.
// Pure: the records and the terms text come in (receipt-records.ts reads them from the log).
import { createHash } from 'node:crypto';
import { toString as qrToString } from 'qrcode';
import { checkpointText } from '../appliance.ts';
import type { Json, JsonObject } from '../domain/types.ts';
import { canonicalJson } from '../store/canonical.ts';
import { fullDate } from '../../ui/format.ts';

export interface Checkpoint {
  seq: number;
  hash: string;
  signature: string;
}

/** A HandReceiptSigned event: its seq and its data exactly as recorded. */
export interface ReceiptRecord {
  seq: number;
  data: JsonObject;
}

/** One version of the terms text, from its TermsChanged event. */
export interface TermsVersion {
  version: number;
  text: string;
  sha256: string;
}

/** The kiosk's copy adds a way back and a Print button (its one small script); the bundle's copy has neither. */
export interface KioskChrome {
  back: { href: string; label: string } | null;
}

/** Where the kiosk's Print button script is served (receipt-routes.ts). */
export const PRINT_SCRIPT_PATH = '/receipt-print.js';
export const PRINT_SCRIPT = "const b = document.getElementById('print-button'); if (b) { b.hidden = false; b.addEventListener('click', () => window.print()); }\n";

/**
 * Paper: the print dialog chooses A4 (210 × 297 mm) or US Letter (215.9 × 279.4 mm); `size: portrait`
 * leaves the sheet to it. Inside the margins (10 mm top and bottom, 15 mm at the sides) the content is
 * 180 mm wide and up to 259 mm tall on either sheet; a receipt of a few assets fits one sheet of both
 * (test/ui/receipt-print.e2e.spec.ts prints it to PDF as A4 and as Letter), and a longer one breaks only
 * between rows and blocks: the signature and the checkpoint are never split.
 */
export const RECEIPT_CSS = `
@page { size: portrait; margin: 10mm 15mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #000; }
body { font: 10pt/1.35 system-ui, "DejaVu Sans", Arial, sans-serif; margin: 0 auto; max-width: 180mm; padding: 16px; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 11pt; margin: 3.5mm 0 1.5mm; padding-bottom: 0.5mm; border-bottom: 1.5pt solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1mm 0; }
.meta { color: #222; margin: 0; }
.parties { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.parties h2 { margin-top: 3mm; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
th, td { border: 0.5pt solid #666; padding: 0.7mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, .keep { break-inside: avoid; }
.signature { display: block; width: 90mm; max-width: 100%; height: auto; border-bottom: 1pt solid #000; }
.terms { white-space: pre-wrap; font-size: 9pt; border: 0.5pt solid #666; padding: 2mm 3mm; margin: 1.5mm 0; }
.proof { display: grid; grid-template-columns: 42mm 1fr; gap: 5mm; align-items: start; break-inside: avoid; }
.qr { display: block; width: 42mm; height: 42mm; }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 3mm; }
dt { font-weight: 600; }
dd { margin: 0; }
.mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
.note { font-size: 8.5pt; color: #222; }
.block { border-top: 0.5pt solid #999; margin-top: 4mm; }
.toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 12px; font-size: 14pt; }
.toolbar a, .toolbar button { font: inherit; padding: 8px 16px; border: 2px solid #1f2937; border-radius: 8px; background: #f3f4f6; color: #000; text-decoration: none; }
@media print { body { padding: 0; max-width: none; } .toolbar { display: none; } }
`;

/** The CSP source that allows exactly the receipt's <style> block. */
export const RECEIPT_STYLE_HASH = `'sha256-${createHash('sha256').update(RECEIPT_CSS).digest('base64')}'`;

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: Json | undefined): JsonObject | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/**
 * What the checkpoint QR code holds: the text the device key signed, a colon, and the signature (base64):
 *   assettrack-checkpoint:<device>:<seq>:<hash>:<signature-base64>
 * Device ids have no colon and base64 none either, so the signed text is everything before the last colon.
 */
export function checkpointPayload(deviceId: string, checkpoint: Checkpoint): string {
  return `${checkpointText(deviceId, checkpoint.seq, checkpoint.hash)}:${checkpoint.signature}`;
}

function checkpointOf(data: JsonObject): Checkpoint | null {
  const c = obj(data.checkpoint);
  if (!c || typeof c.seq !== 'number' || typeof c.hash !== 'string' || typeof c.signature !== 'string') return null;
  return { seq: c.seq, hash: c.hash, signature: c.signature };
}

/** The finger signature as one SVG path (one sub-path a stroke), in the pad's own pixel grid. */
export function signatureSvg(signature: JsonObject, label: string): string {
  const width = Number(signature.width) || 600;
  const height = Number(signature.height) || 200;
  const d = arr(signature.strokes).map((stroke) => {
    const points = arr(stroke).map((p) => arr(p).map(Number));
    if (points.length === 0) return '';
    const [first, ...rest] = points;
    // A single point is a dot: a zero-length line with round caps.
    return `M${first![0]} ${first![1]}${rest.length === 0 ? 'h0' : rest.map((p) => `L${p[0]} ${p[1]}`).join('')}`;
  }).join('');
  return `<svg class="signature" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">` +
    `<path d="${d}" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
}

/** The QR code of a text as SVG (error correction M: a printed, folded receipt still scans). */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await qrToString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
  return svg.trim().replace(/^<svg /, `<svg class="qr" role="img" aria-label="${esc(label)}" `);
}

/** JSON for a <script type="application/json"> block: "<" escaped so nothing in it can end the block. */
export function receiptDataJson(data: JsonObject): string {
  return canonicalJson(data).replace(/</g, '\\u003c');
}

function when(iso: string): string {
  return iso ? `<time datetime="${esc(iso)}">${esc(fullDate(iso))}</time> <span class="note">(${esc(iso)})</span>` : 'unknown';
}

function due(v: Json | undefined): string {
  const d = str(v);
  return d === 'open' ? 'open-ended' : d || '—';
}

function person(p: JsonObject | null): string {
  if (!p) return '<p>Not recorded.</p>';
  const rows = [['Name', str(p.name)], ['Organization', str(p.org)], ['Badge', str(p.badge)], ['Id', str(p.id)]].filter(([, v]) => v);
  return `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function assetsTable(data: JsonObject): string {
  const isReturn = data.receipt === 'return';
  const rows = arr(data.assets).map((a) => obj(a) ?? {});
  const head = ['Asset tag', 'Serial', 'Type', 'Make and model', isReturn ? 'Held by' : 'Due back'];
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((a) => `<tr><td><b>${esc(str(a.tag))}</b></td>` +
    `<td>${esc(str(a.serial))}</td><td>${esc(str(a.type))}</td><td>${esc([str(a.make), str(a.model)].filter(Boolean).join(' '))}</td>` +
    `<td>${isReturn ? esc(str(a.holder_name) || str(a.holder_id) || '—') : esc(due(a.due))}</td></tr>`).join('')}</tbody></table>`;
}

/** Who acknowledged it: the signature drawn from its strokes, or the badge scanned. */
function acknowledgementBlock(data: JsonObject): string {
  const signer = data.receipt === 'return' ? str(obj(data.returned_by)?.name) || str(obj(data.holder)?.name) : str(obj(data.holder)?.name);
  const signature = obj(data.signature);
  if (data.acknowledgement === 'signature' && signature) {
    return `<div class="keep">${signatureSvg(signature, `Signature of ${signer || 'the holder'}`)}<p>Signed on the kiosk screen${signer ? ` by ${esc(signer)}` : ''}, ${when(str(data.at))}.</p></div>`;
  }
  if (data.acknowledgement === 'badge') {
    return `<p>Acknowledged${signer ? ` by ${esc(signer)}` : ''} by scanning their own badge <b>${esc(str(data.badge))}</b> at the kiosk, ${when(str(data.at))}.</p>`;
  }
  return '<p>Not acknowledged.</p>';
}

function termsBlock(data: JsonObject, terms: TermsVersion | null): string {
  const signed = obj(data.terms);
  if (!signed) return '<p>No terms text was in force on this device when this was acknowledged.</p>';
  const version = str(signed.version);
  const sha = str(signed.sha256);
  if (!terms || terms.sha256 !== sha) {
    return `<p>Terms version ${esc(version)} (SHA-256 <span class="mono">${esc(sha)}</span>): its text is not in this device's log.</p>`;
  }
  return `<p>Version ${esc(version)}, SHA-256 <span class="mono">${esc(sha)}</span>:</p><div class="terms">${esc(terms.text)}</div>`;
}

/** The checkpoint as text and as a QR code, and the receipt's own content hash. */
async function proofBlock(deviceId: string, r: ReceiptRecord): Promise<string> {
  const cp = checkpointOf(r.data);
  if (!cp) return '<p>This receipt names no checkpoint of the log.</p>';
  const payload = checkpointPayload(deviceId, cp);
  return `<div class="proof" data-checkpoint="${esc(payload)}">${await qrSvg(payload, `QR code of checkpoint ${cp.seq}`)}<div>
<p>Just before this receipt (event ${r.seq}) was recorded, the device's log stood at event <b>${cp.seq}</b>. The device key signed that point:</p>
<dl><dt>Device</dt><dd>${esc(deviceId)}</dd><dt>Checkpoint</dt><dd>event ${cp.seq}</dd>
<dt>Head hash</dt><dd class="mono">${esc(cp.hash)}</dd>
<dt>Signature</dt><dd class="mono">${esc(cp.signature)}</dd>
<dt>Receipt hash</dt><dd class="mono">${esc(str(r.data.content_sha256))}</dd></dl></div></div>
<p class="note">The QR code holds <span class="mono">assettrack-checkpoint:device:seq:hash:signature</span>. The signature (Ed25519, base64) is the device key's
over everything before its last colon; the receipt hash is the SHA-256 of this receipt's recorded content. An audit export of this device checks both against its log.</p>`;
}

function document(title: string, body: string, kiosk: KioskChrome | undefined, tail = ''): string {
  const toolbar = kiosk ? `<nav class="toolbar">${kiosk.back ? `<a href="${esc(kiosk.back.href)}">${esc(kiosk.back.label)}</a>` : ''}` +
    '<button type="button" id="print-button" hidden>Print</button></nav>' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${RECEIPT_CSS}</style>
${kiosk ? `<script src="${PRINT_SCRIPT_PATH}" defer></script>\n` : ''}</head><body>
${toolbar}${body}${tail}
</body></html>
`;
}

export interface ReceiptPageInput {
  deviceId: string;
  receipt: ReceiptRecord;
  /** the terms text of the version signed (from its TermsChanged event), or null */
  terms: TermsVersion | null;
  kiosk?: KioskChrome;
}

/**
 * One receipt as a page. It carries its exact recorded data as JSON (not executed) with its seq, so an
 * auditor's verify.mjs can match it to the event in the log.
 */
export async function receiptHtml(input: ReceiptPageInput): Promise<string> {
  const { deviceId, receipt: r } = input;
  const d = r.data;
  const isReturn = d.receipt === 'return';
  const holder = obj(d.holder);
  const operator = obj(d.operator);
  const returnedBy = obj(d.returned_by);
  const title = `${isReturn ? 'Return receipt' : 'Hand receipt'} ${r.seq} · ${str(holder?.name) || str(returnedBy?.name)} · ${deviceId}`;
  const statement = isReturn
    ? `The equipment below was brought back to the cage${returnedBy ? ` by ${esc(str(returnedBy.name))}` : ''} and checked in by ${esc(str(operator?.name))}.`
    : `${esc(str(holder?.name))} received the equipment below from ${esc(str(operator?.name))} and accepts it under the terms printed below.`;
  const body = `<header><h1>${isReturn ? 'Return receipt' : 'Hand receipt'}</h1>
<p class="meta">Receipt no. <b>${r.seq}</b> · device <b>${esc(deviceId)}</b> · ${when(str(d.at))}</p></header>
<p>${statement}</p>
<div class="parties"><section><h2>${isReturn ? 'Held by' : 'Holder'}</h2>${holder ? person(holder) : '<p>More than one holder (see the table).</p>'}</section>
<section><h2>${isReturn ? 'Checked in by' : 'Issued by'}</h2>${person(operator)}${isReturn ? `<h2>Brought back by</h2>${person(returnedBy)}` : ''}</section></div>
<h2>Equipment (${arr(d.assets).length})</h2>${assetsTable(d)}
<h2>Acknowledgement</h2>${acknowledgementBlock(d)}
<h2>Terms</h2>${termsBlock(d, input.terms)}
<h2>Checkpoint</h2>${await proofBlock(deviceId, r)}`;
  const data = `<script type="application/json" id="receipt-data" data-seq="${r.seq}">${receiptDataJson(d)}</script>`;
  return document(title, body, input.kiosk, `\n${data}`);
}

/** One asset a holder holds now, and the receipt it was issued under (null: issued without one). */
export interface HeldAsset {
  tag: string;
  serial: string;
  type: string;
  make: string;
  model: string;
  since: string;
  /** the due date now (it may have been extended since the receipt) */
  due: string | null;
  receiptSeq: number | null;
}

export interface HandReceiptInput {
  deviceId: string;
  at: string;
  head: { seq: number; hash: string };
  holder: { id: string; name: string; org: string; badge: string | null };
  assets: HeldAsset[];
  /** the receipts the assets were issued under, by seq */
  receipts: Map<number, ReceiptRecord>;
  /** the terms text of each version those receipts name */
  terms: Map<number, TermsVersion | null>;
  kiosk?: KioskChrome;
}

/** A holder's whole current hand receipt: everything they hold now, each asset with the receipt it was signed under. */
export async function handReceiptHtml(input: HandReceiptInput): Promise<string> {
  const { holder, assets } = input;
  const rows = assets.map((a) => `<tr><td><b>${esc(a.tag)}</b></td><td>${esc(a.serial)}</td><td>${esc(a.type)}</td>` +
    `<td>${esc([a.make, a.model].filter(Boolean).join(' '))}</td><td>${esc(fullDate(a.since))}</td><td>${esc(due(a.due ?? ''))}</td>` +
    `<td>${a.receiptSeq === null ? 'none' : `no. ${a.receiptSeq}`}</td></tr>`).join('');
  const blocks: string[] = [];
  for (const [seq, r] of [...input.receipts].sort(([a], [b]) => a - b)) {
    const held = assets.filter((a) => a.receiptSeq === seq).map((a) => esc(a.tag)).join(', ');
    const operator = obj(r.data.operator);
    const terms = obj(r.data.terms);
    blocks.push(`<section class="block"><h3>Receipt no. ${seq}</h3>
<p>Issued by ${esc(str(operator?.name))}, ${when(str(r.data.at))}; ${terms ? `terms version ${esc(str(terms.version))}` : 'no terms in force'}. Still held from it: ${held}.</p>
${acknowledgementBlock(r.data)}${await proofBlock(input.deviceId, r)}</section>`);
  }
  const unsigned = assets.filter((a) => a.receiptSeq === null);
  const versions = [...input.terms.keys()].sort((a, b) => a - b);
  const termsText = versions.map((v) => {
    const t = input.terms.get(v);
    return t ? `<h3>Version ${v}</h3><p>SHA-256 <span class="mono">${esc(t.sha256)}</span></p><div class="terms">${esc(t.text)}</div>`
      : `<h3>Version ${v}</h3><p>Its text is not in this device's log.</p>`;
  }).join('');
  const body = `<header><h1>Hand receipt: ${esc(holder.name)}</h1>
<p class="meta">Everything ${esc(holder.name)} holds at ${when(input.at)} · device <b>${esc(input.deviceId)}</b> · log at event ${input.head.seq}</p></header>
<div class="parties"><section><h2>Holder</h2>${person(holder as unknown as JsonObject)}</section>
<section><h2>Summary</h2><p>${assets.length === 0 ? 'Holds nothing.' : `${assets.length} item${assets.length === 1 ? '' : 's'}, under ${input.receipts.size} signed receipt${input.receipts.size === 1 ? '' : 's'}` +
  `${unsigned.length ? `; ${unsigned.length} issued without a signed receipt` : ''}.`}</p></section></div>
<h2>Equipment held now</h2>${assets.length === 0 ? '<p>Nothing.</p>' : `<table><thead><tr><th>Asset tag</th><th>Serial</th><th>Type</th><th>Make and model</th><th>Since</th><th>Due back</th><th>Receipt</th></tr></thead><tbody>${rows}</tbody></table>`}
${blocks.length ? `<h2>The receipts</h2>${blocks.join('\n')}` : ''}
${unsigned.length ? `<h2>Issued without a signed receipt</h2><p>${unsigned.map((a) => esc(a.tag)).join(', ')}: issued before receipts were kept, or without an acknowledgement.</p>` : ''}
${termsText ? `<h2>Terms signed under</h2>${termsText}` : ''}
<p class="note">Log head: event ${input.head.seq}, <span class="mono">${esc(input.head.hash)}</span></p>`;
  return document(`Hand receipt · ${holder.name} · ${input.deviceId}`, body, input.kiosk);
}
