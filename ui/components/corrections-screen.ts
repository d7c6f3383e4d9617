// Screen 10, corrections: the latest change of each asset (only the latest can be corrected); choose one
// and a reason, and a new event puts back what it changed. Nothing is edited or deleted.
import { LitElement, css, html } from 'lit';
import { dateTime } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { CorrectionData } from '../view-types.ts';
import './commit-panel.ts';

const REASONS = ['Wrong asset scanned', 'Wrong holder', 'Entered by mistake', 'Recorded twice'];

export class CorrectionsScreen extends LitElement {
  static override properties = { data: { type: Object }, seq: { state: true }, reason: { state: true } };
  static override styles = [kioskStyles, css`
    .scroll { max-height: 230px; overflow-y: auto; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
    li { list-style: none; margin-bottom: 6px; }
    ul { padding: 0; margin: 0; }
    li button { width: 100%; justify-content: flex-start; text-align: left; font-weight: 400; }
  `];
  declare data: CorrectionData;
  declare seq: number;
  declare reason: string;

  constructor() {
    super();
    this.seq = 0;
    this.reason = '';
  }

  override render() {
    return html`<h1>Correct a change</h1>
      <div class="scroll"><ul>${this.data.events.map((e) => html`<li><button data-seq=${e.seq} aria-pressed=${e.seq === this.seq ? 'true' : 'false'}
        @click=${() => (this.seq = e.seq)}>#${e.seq} · ${dateTime(e.at)} · ${e.text}</button></li>`)}</ul></div>
      <h2>Why?</h2><div class="row">${REASONS.map((r) => html`<button data-reason=${r} aria-pressed=${r === this.reason ? 'true' : 'false'} @click=${() => (this.reason = r)}>${r}</button>`)}</div>
      <commit-panel command="correct" .input=${{ seq: this.seq, reason: this.reason }} screen="admin-corrections" target=${String(this.seq)}
        confirmLabel=${this.seq ? `Confirm: correct event ${this.seq}` : 'Choose a change'} successText="Corrected by a new event; the history keeps both."
        ?disabled=${!this.seq || !this.reason} cancelHref="/admin"></commit-panel>`;
  }
}
customElements.define('corrections-screen', CorrectionsScreen);
