// The asset card's other actions, each a choice and a Confirm: move to an empty slot (tap it or scan its
// label), mark missing or found with a reason, change the condition, retire (admin) with a reason.
import { LitElement, css, html } from 'lit';
import type { Scan } from '../client/scans.ts';
import { showMessage } from '../client/messages.ts';
import { kioskStyles } from '../styles.ts';
import type { ChangeData } from '../view-types.ts';
import { conditionWords } from '../words.ts';
import './asset-summary.ts';
import './commit-panel.ts';
import './osk-input.ts';
import './slot-picker.ts';

const REASONS: Record<string, string[]> = {
  missing: ['Not in its slot', 'Not returned', 'Reported lost', 'Reported stolen'],
  found: ['Found in the cage', 'Returned by its holder', 'Found elsewhere'],
  retire: ['End of life', 'Damaged beyond repair', 'Lost for good', 'Sold or donated'],
};

export class ChangeScreen extends LitElement {
  static override properties = { data: { type: Object }, choice: { state: true }, note: { state: true } };
  static override styles = [kioskStyles, css`
    .side { display: grid; grid-template-columns: 2fr 3fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .side { grid-template-columns: 1fr; } }
    .choices { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
  `];
  declare data: ChangeData;
  declare choice: string;
  declare note: string;

  constructor() {
    super();
    this.choice = '';
    this.note = '';
  }

  handleScan(scan: Scan): boolean {
    if (this.data.change !== 'move' || scan.kind !== 'slot' || !scan.ref) return false;
    if (this.data.empty.includes(scan.ref)) this.choice = scan.ref;
    else showMessage(`Slot ${scan.ref} is not empty; choose an empty slot.`, 'error');
    return true;
  }

  private choices(options: string[], words: (s: string) => string = (s) => s) {
    return html`<div class="choices">${options.map((o) => html`<button data-choice=${o} aria-pressed=${o === this.choice ? 'true' : 'false'}
      @click=${() => (this.choice = o)}>${words(o)}</button>`)}</div>`;
  }

  /** The command this change sends, its button label and its success sentence. */
  private plan(): { command: string; input: Record<string, unknown>; label: string; done: string; ready: boolean } {
    const { asset, change } = this.data;
    const tag = asset.tag;
    const reason = [this.choice, this.note.trim()].filter(Boolean).join(': ');
    switch (change) {
      case 'move': return { command: 'move', input: { tag, slot: this.choice }, label: `Confirm: move to ${this.choice || '…'}`, done: `${tag} moved to ${this.choice}; that is its home now.`, ready: !!this.choice };
      case 'missing': return { command: 'mark-missing', input: { tag, reason }, label: 'Confirm: mark missing', done: `${tag} is marked missing.`, ready: !!this.choice };
      case 'found': return { command: 'found', input: { tag, reason }, label: 'Confirm: found', done: `${tag} is recorded as found.`, ready: !!this.choice };
      case 'condition': return { command: 'condition', input: { tag, condition: this.choice, note: this.note.trim() }, label: `Confirm: ${conditionWords(this.choice || '…')}`, done: `${tag} is now ${conditionWords(this.choice)}.`, ready: !!this.choice };
      case 'retire': return { command: 'retire', input: { tag, reason }, label: 'Confirm: retire', done: `${tag} is retired.`, ready: !!this.choice };
    }
  }

  override render() {
    const { asset, change } = this.data;
    const plan = this.plan();
    let body;
    if (change === 'move') {
      body = html`<h2>Move to which empty slot?</h2><p class="muted">Tap a slot or scan its label. The new slot becomes its home.</p>
        <slot-picker .slots=${this.data.empty} selected=${this.choice} @slot-picked=${(e: CustomEvent<string>) => (this.choice = e.detail)}></slot-picker>`;
    } else if (change === 'condition') {
      body = html`<h2>Its condition now</h2>${this.choices(this.data.conditions.filter((c) => c !== asset.condition), conditionWords)}
        <osk-input label="Note (optional)" .value=${this.note} @value-changed=${(e: CustomEvent<string>) => (this.note = e.detail)}></osk-input>`;
    } else {
      body = html`<h2>Why?</h2>${this.choices(REASONS[change]!)}
        <osk-input label="More detail (optional)" .value=${this.note} @value-changed=${(e: CustomEvent<string>) => (this.note = e.detail)}></osk-input>`;
    }
    return html`<div class="side"><asset-summary .asset=${asset}></asset-summary><section>${body}</section></div>
      <commit-panel command=${plan.command} .input=${plan.input} screen="asset-${change}" target=${asset.tag} confirmLabel=${plan.label}
        successText=${plan.done} undoSeconds=${this.data.undoSeconds} ?disabled=${!plan.ready} cancelHref="/asset/${encodeURIComponent(asset.tag)}"></commit-panel>`;
  }
}
customElements.define('change-screen', ChangeScreen);
