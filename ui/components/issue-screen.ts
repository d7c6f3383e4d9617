// Screen 4, issue: scan the holder's badge or pick them from the list; then holder and asset(s) side by
// side, Confirm, green success, Undo for a few seconds. Scanning another asset adds it to the same issue.
// Before Confirm, the hand receipt (hand-receipt.ts): the terms, the return date, and the holder's signature
// on the pad, or (where allowed) the holder's own badge scanned on this screen. Confirm waits for one of
// them when receipts are required.
import { LitElement, css, html, nothing } from 'lit';
import { recordTap } from '../client/api.ts';
import { showMessage } from '../client/messages.ts';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { HolderInfo, IssueData, ReceiptPerson, SignatureValue } from '../view-types.ts';
import { stateWords } from '../words.ts';
import './commit-panel.ts';
import './hand-receipt.ts';
import './holder-picker.ts';
import './holder-summary.ts';

export class IssueScreen extends LitElement {
  static override properties = {
    data: { type: Object }, message: { state: true }, signature: { state: true }, ack: { state: true }, due: { state: true },
  };
  static override styles = [kioskStyles, css`
    .side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { background: #fff; border: 2px solid #d1d5db; border-radius: 10px; padding: 8px 12px; margin-bottom: 6px; }
    li.blocked { border-color: #a4161a; }
    .tag { font-size: 22px; font-weight: 800; margin-right: 8px; }
    .why { color: #7f1d1d; font-weight: 600; margin-top: 4px; }
    h2 { font-size: 20px; }
  `];
  declare data: IssueData;
  declare message: string;
  /** the holder's signature on the pad, or null */
  declare signature: SignatureValue | null;
  /** the holder's own badge, scanned on this screen as acknowledgement, or null */
  declare ack: ReceiptPerson | null;
  /** the chosen return date: "" = each asset's default, "open", or YYYY-MM-DD */
  declare due: string;

  constructor() {
    super();
    this.message = '';
    this.signature = null;
    this.ack = null;
    this.due = '';
  }

  private tags(): string[] {
    return this.data.assets.map((a) => a.tag);
  }

  private go(tags: string[], holder: string | null) {
    const q = new URLSearchParams({ tags: tags.join(',') });
    if (holder) q.set('holder', holder);
    location.assign(`/issue?${q}`);
  }

  private async pick(holder: HolderInfo) {
    await recordTap('issue', 'pick-holder', holder.id);
    this.go(this.tags(), holder.id);
  }

  /** A holder badge picks the holder (the chosen holder's own badge acknowledges the receipt); another asset joins this issue. */
  handleScan(scan: Scan): boolean {
    if (scan.kind === 'holder' && scan.ref) {
      const holder = this.data.holder;
      if (holder && holder.id === scan.ref) {
        if (this.data.receipt.badgeAcknowledgement) this.ack = { id: holder.id, name: holder.name, badge: scan.value };
        else showMessage(`${holder.name} signs on the screen: a badge scan does not acknowledge a receipt on this kiosk.`, 'info');
        return true;
      }
      this.go(this.tags(), scan.ref);
      return true;
    }
    if (scan.kind === 'asset' && scan.ref) {
      if (!this.tags().includes(scan.ref)) this.go([...this.tags(), scan.ref], this.data.holder?.id ?? null);
      return true;
    }
    return false;
  }

  private assets() {
    return html`<ul>${this.data.assets.map((a) => html`<li class=${a.blocker ? 'blocked' : ''} data-tag=${a.tag}>
      <span class="tag">${a.tag}</span><span class="badge ${stateWords(a).tone}">${stateWords(a).text}</span>
      <div>${[a.make, a.model].filter(Boolean).join(' ')}${a.slot ? ` · from ${a.slot}` : nothing}</div>
      ${a.blocker ? html`<div class="why">${a.blocker}</div>` : nothing}</li>`)}</ul>`;
  }

  override render() {
    const { holder, assets } = this.data;
    const tags = this.tags();
    const first = tags[0] ?? '';
    if (!holder) {
      return html`<div class="side">
        <section><h2>Issuing</h2>${this.assets()}<p class="muted">Scan more assets to add them.</p></section>
        <section><h2>To whom? Scan their badge or pick them</h2>
          <holder-picker .holders=${this.data.holders} @holder-picked=${(e: CustomEvent<HolderInfo>) => this.pick(e.detail)}></holder-picker></section>
      </div>
      <commit-panel screen="issue" target=${tags.join(',')} confirmLabel="Confirm" disabled cancelHref=${tags.length === 1 ? `/asset/${encodeURIComponent(first)}` : '/'}></commit-panel>`;
    }
    const blocked = assets.some((a) => a.blocker);
    const what = tags.length === 1 ? first : `${tags.length} assets`;
    const receipt = this.data.receipt;
    const acknowledged = this.signature !== null || this.ack !== null;
    const defaults = tags.map((t) => this.data.dues[t] ?? 'open');
    const shared = new Set(defaults).size === 1 ? defaults[0]! : null;
    // The date shown is the date recorded: sent whenever all the assets share it (chosen or default).
    const due = this.due || shared;
    const input: Record<string, unknown> = { tags, holder: holder.id };
    if (due) input.due = due === 'open' ? 'none' : due;
    if (this.signature) input.signature = this.signature;
    if (this.ack) input.ack_badge = this.ack.badge;
    return html`<div class="side">
        <section><h2>Holder</h2><holder-summary .holder=${holder}></holder-summary>
          <p><button data-action="change-holder" @click=${() => this.go(tags, null)}>Change holder</button></p></section>
        <section><h2>${tags.length === 1 ? 'Asset' : `${tags.length} assets`}</h2>${this.assets()}</section>
      </div>
      ${blocked ? html`<p class="error" role="alert">Remove or resolve the blocked asset${assets.length > 1 ? 's' : nothing} first.</p>` : nothing}
      <hand-receipt mode="issue" .setup=${receipt} signer="${holder.name} signs" .ack=${this.ack} ?signed=${this.signature !== null}
        .defaults=${defaults} due=${this.due}
        @signature-change=${(e: CustomEvent<SignatureValue | null>) => (this.signature = e.detail)}
        @due-change=${(e: CustomEvent<string>) => (this.due = e.detail)}
        @ack-cleared=${() => (this.ack = null)}></hand-receipt>
      <commit-panel command="issue" .input=${input} screen="issue" target=${tags.join(',')}
        confirmLabel="Confirm: issue ${what} to ${holder.name}" successText="Issued ${what} to ${holder.name}."
        undoSeconds=${this.data.undoSeconds} ?disabled=${blocked || !holder.active || (receipt.receiptsRequired && !acknowledged)}
        cancelHref=${tags.length === 1 ? `/asset/${encodeURIComponent(first)}` : '/'}></commit-panel>`;
  }
}
customElements.define('issue-screen', IssueScreen);
