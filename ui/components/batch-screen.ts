// Screen 6, batch: scan many assets, or a case label for all of its occupants; each row says ready or
// blocked and why; one Confirm issues (to one holder) or returns them all, or nothing.
import { LitElement, css, html, nothing } from 'lit';
import { getJson, recordTap } from '../client/api.ts';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { BatchData, BatchRow, HolderInfo } from '../view-types.ts';
import './commit-panel.ts';
import './holder-picker.ts';
import './holder-summary.ts';

export class BatchScreen extends LitElement {
  static override properties = { data: { type: Object }, busy: { state: true } };
  static override styles = [kioskStyles, css`
    .side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
    .modes { display: flex; gap: 8px; margin-bottom: 8px; }
    a[aria-current='page'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
    td .why { color: #7f1d1d; font-weight: 600; }
    td button { min-height: 48px; }
    .tag { font-weight: 800; }
    .list { max-height: 260px; overflow-y: auto; }
  `];
  declare data: BatchData;
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  private async check(tags: string[], add?: string, holder = this.data.holder) {
    const q = new URLSearchParams({ mode: this.data.mode, tags: tags.join(',') });
    if (add) q.set('add', add);
    if (holder) q.set('holder', holder.id);
    this.busy = true;
    const answer = await getJson<{ rows: BatchRow[] }>(`/batch/check?${q}`);
    this.busy = false;
    if (answer) this.data = { ...this.data, holder, rows: answer.rows };
  }

  private tags(): string[] {
    return this.data.rows.map((r) => r.tag);
  }

  handleScan(scan: Scan): boolean {
    if (scan.kind === 'holder' && scan.ref && this.data.mode === 'issue') {
      const holder = this.data.holders.find((h) => h.id === scan.ref);
      if (holder) void this.check(this.tags(), undefined, holder);
      return true;
    }
    if (scan.kind === 'asset' || scan.kind === 'case' || scan.kind === 'unknown') {
      void this.check(this.tags(), scan.ref ?? scan.value);
      return true;
    }
    return false;
  }

  private removeRow(tag: string) {
    void recordTap('batch', 'remove', tag);
    void this.check(this.tags().filter((t) => t !== tag));
  }

  override render() {
    const { mode, holder, rows } = this.data;
    const tags = this.tags();
    const ready = rows.length > 0 && rows.every((r) => r.ready) && (mode === 'return' || holder !== null);
    const blocked = rows.filter((r) => !r.ready).length;
    const cradle = this.data.cradle;
    const fromBatch = cradle ? { batch: cradle.batch } : {};
    const input = mode === 'issue' ? { tags, holder: holder?.id, ...fromBatch } : { tags, ...fromBatch };
    const label = mode === 'issue' ? `Confirm: issue ${rows.length} to ${holder?.name ?? '…'}` : `Confirm: return ${rows.length}`;
    return html`
      <div class="modes">
        <a class="button" href="/batch?mode=issue${cradle ? `&batch=${cradle.batch}` : ''}" aria-current=${mode === 'issue' ? 'page' : 'false'}>Issue many</a>
        <a class="button" href="/batch?mode=return${cradle ? `&batch=${cradle.batch}` : ''}" aria-current=${mode === 'return' ? 'page' : 'false'}>Return many</a>
      </div>
      ${cradle ? html`<p class="from-cradle" data-test="from-cradle">From cradle upload ${cradle.batch} (${cradle.count} scans). Remove what does not belong, then confirm.</p>` : nothing}
      <div class="side">
        <section class="card"><h2>${rows.length} asset${rows.length === 1 ? nothing : 's'}${blocked ? `, ${blocked} blocked` : nothing}</h2>
          ${rows.length === 0 ? html`<p class="muted">Scan assets, or scan a case label to add everything in it.</p>` : html`<div class="list"><table>
            <thead><tr><th>Tag</th><th>Status</th><th><span hidden>Remove</span></th></tr></thead>
            <tbody>${rows.map((r) => html`<tr data-tag=${r.tag}><td><span class="tag">${r.tag}</span><br>${r.model}</td>
              <td>${r.ready ? html`<span class="badge ok">Ready</span>` : html`<span class="badge bad">Blocked</span><div class="why">${r.reason}</div>`}</td>
              <td><button data-action="remove" aria-label="Remove ${r.tag}" @click=${() => this.removeRow(r.tag)}>✕</button></td></tr>`)}</tbody></table></div>`}
        </section>
        ${mode === 'issue' ? html`<section><h2>To whom?</h2>${holder
          ? html`<holder-summary .holder=${holder}></holder-summary><p><button data-action="change-holder" @click=${() => this.check(tags, undefined, null)}>Change holder</button></p>`
          : html`<p class="muted">Scan their badge or pick them.</p><holder-picker .holders=${this.data.holders}
              @holder-picked=${(e: CustomEvent<HolderInfo>) => this.check(tags, undefined, e.detail)}></holder-picker>`}</section>`
        : html`<section class="card"><h2>Return</h2><p>Every asset goes back to its home slot.</p></section>`}
      </div>
      <commit-panel command=${mode} .input=${input} screen="batch-${mode}" target=${tags.join(',')} confirmLabel=${label}
        successText=${mode === 'issue' ? `Issued ${rows.length} assets to ${holder?.name}.` : `Returned ${rows.length} assets to their home slots.`}
        undoSeconds=${this.data.undoSeconds} ?disabled=${!ready || this.busy} cancelHref="/"></commit-panel>`;
  }
}
customElements.define('batch-screen', BatchScreen);
