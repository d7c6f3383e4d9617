// report.html of the audit bundle: a readable summary an auditor opens offline. Plain HTML with its
// style inline, no scripts, nothing loaded from anywhere: it must read the same in ten years.
import type { CageState, RecordedEvent } from '../domain/types.ts';
import { eventText } from '../http/event-text.ts';
import { assetView, dashboardCounts, holdingsQuery, missingQuery, overdueQuery } from '../queries.ts';

export interface ReportInput {
  state: CageState;
  deviceId: string;
  createdAt: string;
  head: { seq: number; hash: string };
  fingerprint: string;
  countsByType: Record<string, number>;
  /** the latest custody events, newest first */
  timeline: RecordedEvent[];
  overdueDays: number;
  previous: { seq: number; hash: string } | null;
}

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(headers: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function reportHtml(r: ReportInput): string {
  const now = new Date(r.createdAt);
  const counts = dashboardCounts(r.state, now, r.overdueDays);
  const holdings = holdingsQuery(r.state, now).holders;
  const missing = missingQuery(r.state).assets;
  const overdue = overdueQuery(r.state, now, r.overdueDays).assets as ReturnType<typeof assetView>[];
  const holdingRows = holdings.flatMap((h) => h.assets.map((a) => [h.name, h.badge ?? '', h.org, a.tag, a.serial, a.type, a.since, a.days_out]));
  const typeRows = Object.entries(r.countsByType).sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => [t, n]);
  const timelineRows = r.timeline.map((e) => [e.seq, e.occurred_at, e.type, eventText(r.state, e), e.actor]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AssetTrack audit report — ${esc(r.deviceId)} — ${esc(r.createdAt)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #111; padding: 0 16px; }
h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 20px; margin-top: 28px; border-bottom: 2px solid #333; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } code { font-size: 13px; word-break: break-all; } .empty { color: #555; font-style: italic; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; } .tile { border: 2px solid #333; padding: 8px 14px; min-width: 110px; }
.tile b { display: block; font-size: 24px; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style></head><body>
<h1>AssetTrack audit report</h1>
<p>Device <b>${esc(r.deviceId)}</b>, exported ${esc(r.createdAt)} (UTC, device clock). Events 1 to ${r.head.seq}.<br>
Head hash <code>${esc(r.head.hash)}</code><br>Device key fingerprint <code>${esc(r.fingerprint)}</code><br>
Previous export: ${r.previous ? `head event ${r.previous.seq}, <code>${esc(r.previous.hash)}</code>` : 'none (first export)'}</p>
<p>This page is a summary. The record is <code>events.ndjson</code>; run <code>node verify.mjs</code> in this folder to check it.</p>
<h2>At the time of export</h2>
<div class="tiles">
<div class="tile"><b>${counts.in_storage}</b>in storage</div><div class="tile"><b>${counts.issued}</b>issued</div>
<div class="tile"><b>${counts.overdue}</b>out ${r.overdueDays}+ days</div><div class="tile"><b>${counts.missing}</b>missing</div>
<div class="tile"><b>${counts.retired}</b>retired</div><div class="tile"><b>${r.state.holders.size}</b>holders</div></div>
<h2>Who holds what</h2>
${table(['Holder', 'Badge', 'Organization', 'Asset', 'Serial', 'Type', 'Since', 'Days out'], holdingRows, 'Nothing is issued.')}
<h2>Missing</h2>
${table(['Asset', 'Serial', 'Type', 'State', 'Holder', 'Home slot', 'Last seen'], missing.map((a) => [a.tag, a.serial, a.type, a.state, a.holder?.name ?? '', a.home ?? '', a.last_seen_at ?? 'never']), 'No asset is marked missing.')}
<h2>Overdue (out ${r.overdueDays} days or more)</h2>
${table(['Asset', 'Serial', 'Holder', 'Since'], overdue.map((a) => [a.tag, a.serial, a.holder?.name ?? '', a.since]), 'Nothing is overdue.')}
<h2>Timeline: the last ${r.timeline.length} custody events</h2>
${table(['Event', 'When (UTC)', 'Type', 'What', 'By'], timelineRows, 'No custody events yet.')}
<h2>Events by type</h2>
${table(['Type', 'Count'], typeRows, 'No events.')}
</body></html>
`;
}
