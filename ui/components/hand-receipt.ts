// The hand receipt on a screen that confirms an issue or a return: the terms text and the expected return
// date (issue), who brought it back (return), and the signature pad, or the badge scan that stands in for
// a signature where the box allows it. The screen keeps what was given (its Confirm sends it); this part
// shows it. Events: "signature-change" and "due-change" bubble up from the pad and the date controls;
// "ack-cleared" and "returned-by-cleared" when their Clear is tapped.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { ReceiptPerson, ReceiptSetup } from '../view-types.ts';
import './due-picker.ts';
import './signature-pad.ts';

export class HandReceipt extends LitElement {
  static override properties = {
    mode: { type: String }, setup: { type: Object }, signer: { type: String }, holderName: { type: String }, holderCount: { type: Number },
    many: { type: Boolean },
    ack: { type: Object }, returnedBy: { type: Object }, signed: { type: Boolean },
    defaults: { type: Array }, due: { type: String },
  };
  static override styles = [kioskStyles, css`
    :host { margin-top: 12px; }
    .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
    .terms { max-height: 132px; overflow-y: auto; white-space: pre-wrap; font-size: 16px; border: 2px solid #d1d5db; border-radius: 10px;
      padding: 6px 10px; background: #f9fafb; margin-bottom: 10px; user-select: text; }
    .who { font-weight: 700; }
    .ack { margin-top: 8px; display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
    .waiting { margin-top: 8px; font-weight: 600; color: #92400e; }
    h3 { margin-top: 2px; }
  `];
  declare mode: 'issue' | 'return';
  declare setup: ReceiptSetup;
  /** who signs, as the heading says it ("Chloe Chen signs", "Whoever brings it back signs") */
  declare signer: string;
  /** return: the holder(s) of what comes back, as a name or a list of names ("" when not known) */
  declare holderName: string;
  /** return: how many holders that is */
  declare holderCount: number;
  /** several assets (the words say "them") */
  declare many: boolean;
  /** the badge scanned as acknowledgement, or null */
  declare ack: ReceiptPerson | null;
  /** return: someone other than the holder brought it back (their badge was scanned), or null */
  declare returnedBy: ReceiptPerson | null;
  /** whether the pad holds a signature */
  declare signed: boolean;
  /** issue: each asset's default return date */
  declare defaults: string[];
  /** issue: the chosen return date ("" = the defaults) */
  declare due: string;

  constructor() {
    super();
    this.mode = 'issue';
    this.signer = 'The holder signs';
    this.holderName = '';
    this.holderCount = 1;
    this.many = false;
    this.ack = null;
    this.returnedBy = null;
    this.signed = false;
    this.defaults = [];
    this.due = '';
  }

  /** Empties the signature pad (the screen's list changed after signing). */
  clearSignature(): void {
    (this.renderRoot.querySelector('signature-pad') as (HTMLElement & { clear(): void }) | null)?.clear();
  }

  private fire(name: string) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  private left() {
    const setup = this.setup;
    if (this.mode === 'issue') {
      return html`<div class="left">
        <h3>Terms</h3>
        ${setup.terms ? html`<div class="terms" data-test="terms">${setup.terms.text}</div>` : html`<p class="muted" data-test="terms">No terms text set.</p>`}
        <h3>Due back</h3>
        <due-picker today=${setup.today} .defaults=${this.defaults} .value=${this.due}></due-picker>
      </div>`;
    }
    const holder = this.holderCount > 1 ? 'the holders' : 'the holder';
    const it = this.many ? 'them' : 'it';
    return html`<div class="left">
      <h3>Brought back by</h3>
      ${this.returnedBy
        ? html`<p data-test="returned-by"><span class="who">${this.returnedBy.name}</span> (badge ${this.returnedBy.badge}), not ${holder}${this.holderName ? html` ${this.holderName}` : nothing}.</p>
          <button data-action="clear-returned-by" @click=${() => this.fire('returned-by-cleared')}>Clear: ${holder} brought ${it}</button>`
        : html`<p data-test="returned-by">${this.holderName ? html`<span class="who">${this.holderName}</span>, ${holder}.` : this.holderCount > 1 ? 'Their holders.' : 'Its holder.'}</p>
          <p class="muted">Someone else brought ${it} back? Scan their badge.</p>`}
    </div>`;
  }

  override render() {
    const setup = this.setup;
    const whose = this.mode === 'issue' ? 'the holder scans their own badge' : 'they scan their own badge';
    const done = this.signed || this.ack !== null;
    return html`<section class="card" aria-label="Hand receipt"><div class="cols">
      ${this.left()}
      <div class="right">
        <h3>${this.signer}</h3>
        <signature-pad></signature-pad>
        ${this.ack
          ? html`<div class="ack success" data-test="ack-badge"><span>Acknowledged by ${this.ack.name}'s badge (${this.ack.badge}).</span>
              <button data-action="clear-ack" @click=${() => this.fire('ack-cleared')}>Clear</button></div>`
          : setup.badgeAcknowledgement ? html`<p class="muted" data-test="badge-hint">or ${whose}</p>` : nothing}
        ${setup.receiptsRequired && !done
          ? html`<p class="waiting" data-test="receipt-waiting">Confirm waits for ${setup.badgeAcknowledgement ? 'a signature or their badge' : 'a signature'}.</p>`
          : nothing}
      </div>
    </div></section>`;
  }
}
customElements.define('hand-receipt', HandReceipt);
