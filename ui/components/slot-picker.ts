// Empty slots as big tiles; the chosen one is marked. Scanning a slot label picks it from the screen that
// holds this picker. Fires "slot-picked" (detail: the slot, e.g. "CASE-13/6").
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';

export class SlotPicker extends LitElement {
  static override properties = { slots: { type: Array }, selected: { type: String } };
  static override styles = [kioskStyles, css`
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(146px, 1fr)); gap: 8px; max-height: 210px; overflow-y: auto; }
    button { white-space: nowrap; padding: 8px 10px; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
  `];
  declare slots: string[];
  declare selected: string;

  constructor() {
    super();
    this.slots = [];
    this.selected = '';
  }

  private pick(slot: string) {
    this.dispatchEvent(new CustomEvent('slot-picked', { detail: slot, bubbles: true, composed: true }));
  }

  override render() {
    if (this.slots.length === 0) return html`<p class="error">There is no empty slot in any case.</p>`;
    return html`<div class="grid">${this.slots.map((s) => html`<button data-slot=${s} aria-pressed=${s === this.selected ? 'true' : 'false'}
      @click=${() => this.pick(s)}>${s}</button>`)}</div>`;
  }
}
customElements.define('slot-picker', SlotPicker);
