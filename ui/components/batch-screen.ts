// Screen 6, batch: scan many assets, or a case label for all of its occupants; each row says ready or
// blocked and why; one Confirm issues (to one holder) or returns them all, or nothing. The hand receipt as on
// the single screens: issue has the terms, the return date and the holder's signature or own badge; return
// has who brought them back (a holder badge that is not the holder's) and their signature or badge. A
// signature is for the list as it stood: changing the list or the holder clears it.
import { LitElement, css, html, nothing } from 'lit';
import { getJson, recordTap } from '../client/api.ts';
import { showMessage } from '../client/messages.ts';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { BatchData, BatchRow, HolderInfo, ReceiptPerson, SignatureValue } from '../view-types.ts';
import './commit-panel.ts';
import './hand-receipt.ts';
import './holder-picker.ts';
import './holder-summary.ts';

export class BatchScreen extends LitElement {
  static override properties = {
    data: { type: Object }, busy: { state: true }, signature: { state: true }, ack: { state: true }, returnedBy: { state: true }, due: { state: true },
  };
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
  declare signature: SignatureValue | null;
  /** a badge scanned as acknowledgement, or null */
  declare ack: ReceiptPerson | null;
  /** return: someone other than the holder(s) brought them back, or null */
  declare returnedBy: ReceiptPerson | null;
  /** issue: the chosen return date ("" = each asset's default) */
  declare due: string;

  constructor() {
    super();
    this.busy = false;
    this.signature = null;
    this.ack = null;
    this.returnedBy = null;
    this.due = '';
  }

  /** The receipt was for the list and holder as they stood: a change needs it again. */
  private resetReceipt() {
    this.ack = null;
    this.returnedBy = null;
    this.signature = null;
    (this.renderRoot.querySelector('hand-receipt') as (HTMLElement & { clearSignature(): void }) | null)?.clearSignature();
  }

  private async check(tags: string[], add?: string, holder = this.data.holder) {
    const q = new URLSearchParams({ mode: this.data.mode, tags: tags.join(',') });
    if (add) q.set('add', add);
    if (holder) q.set('holder', holder.id);
    this.busy = true;
    const answer = await getJson<{ rows: BatchRow[] }>(`/batch/check?${q}`);
    this.busy = false;
    if (!answer) return;
    const changed = answer.rows.map((r) => r.tag).join(',') !== this.tags().join(',') || holder?.id !== this.data.holder?.id;
    if (changed && (this.signature || this.ack || this.returnedBy)) this.resetReceipt();
    this.data = { ...this.data, holder, rows: answer.rows };
  }

  private tags(): string[] {
    return this.data.rows.map((r) => r.tag);
  }

  handleScan(scan: Scan): boolean {
    if (scan.kind === 'holder' && scan.ref && this.data.mode === 'issue') {
      const current = this.data.holder;
      if (current?.id === scan.ref && this.data.rows.length > 0) {
        // the chosen holder's own badge: their acknowledgement of the receipt
        if (this.data.receipt.badgeAcknowledgement) this.ack = { id: current.id, name: current.name, badge: scan.value };
        else showMessage(`${current.name} signs on the screen: a badge scan does not acknowledge a receipt on this kiosk.`, 'info');
        return true;
      }
      const holder = this.data.holders.find((h) => h.id === scan.ref);
      if (holder) void this.check(this.tags(), undefined, holder);
      return true;
    }
    if (scan.kind === 'holder' && scan.ref && this.data.mode === 'return') {
      const known = this.data.holders.find((h) => h.id === scan.ref);
      const who: ReceiptPerson = { id: scan.ref, name: known?.name ?? scan.value, badge: scan.value };
      const holders = new Set(this.data.rows.map((r) => r.holderId ?? null));
      const theHolder = holders.size === 1 && holders.has(who.id);
      this.returnedBy = theHolder ? null : who;
      if (this.data.receipt.badgeAcknowledgement) this.ack = who;
      else showMessage(`${theHolder ? who.name : `Brought back by ${who.name}`}: they sign on the screen.`, 'info');
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
    const receipt = this.data.receipt;
    const defaults = rows.map((r) => r.due ?? 'open');
    const shared = new Set(defaults).size === 1 ? defaults[0]! : null;
    const due = this.due || shared;
    const input: Record<string, unknown> = mode === 'issue'
      ? { tags, holder: holder?.id, ...fromBatch, ...(due ? { due: due === 'open' ? 'none' : due } : {}) }
      : { tags, ...fromBatch, ...(this.returnedBy ? { returned_by: this.returnedBy.badge } : {}) };
    if (this.signature) input.signature = this.signature;
    if (this.ack) input.ack_badge = this.ack.badge;
    const acknowledged = this.signature !== null || this.ack !== null;
    const holderNames = [...new Set(rows.map((r) => this.data.holders.find((h) => h.id === r.holderId)?.name).filter(Boolean))];
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
      ${rows.length > 0 && (mode === 'return' || holder) ? html`<hand-receipt mode=${mode} .setup=${receipt} .ack=${this.ack} ?signed=${this.signature !== null}
        signer=${mode === 'issue' ? `${holder?.name} signs` : this.returnedBy ? `${this.returnedBy.name} signs` : 'Whoever brings them back signs'}
        holderName=${holderNames.length > 4 ? `${holderNames.slice(0, 3).join(', ')} and ${holderNames.length - 3} more` : holderNames.join(', ')}
        holderCount=${holderNames.length} ?many=${rows.length > 1}
        .returnedBy=${this.returnedBy} .defaults=${defaults} due=${this.due}
        @signature-change=${(e: CustomEvent<SignatureValue | null>) => (this.signature = e.detail)}
        @due-change=${(e: CustomEvent<string>) => (this.due = e.detail)}
        @ack-cleared=${() => (this.ack = null)}
        @returned-by-cleared=${() => {
          if (this.ack?.id === this.returnedBy?.id) this.ack = null;
          this.returnedBy = null;
        }}></hand-receipt>` : nothing}
      <commit-panel command=${mode} .input=${input} screen="batch-${mode}" target=${tags.join(',')} confirmLabel=${label}
        successText=${mode === 'issue' ? `Issued ${rows.length} assets to ${holder?.name}.` : `Returned ${rows.length} assets to their home slots.`}
        undoSeconds=${this.data.undoSeconds} ?disabled=${!ready || this.busy || (receipt.receiptsRequired && !acknowledged)} cancelHref="/"></commit-panel>`;
  }
}
customElements.define('batch-screen', BatchScreen);
