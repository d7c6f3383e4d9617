// Choosing a holder without a keyboard: a large list, narrowed by typing on the on-screen keyboard
// (name, organization or badge). Scanning the holder's badge does the same from the screen that holds
// this picker. Fires "holder-picked" (detail: the HolderInfo).
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { HolderInfo } from '../view-types.ts';
import './osk-input.ts';

const SHOWN = 30;

export class HolderPicker extends LitElement {
  static override properties = { holders: { type: Array }, query: { state: true } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 8px 0 0; padding: 0; max-height: 300px; overflow-y: auto; }
    li + li { margin-top: 6px; }
    button { width: 100%; justify-content: space-between; text-align: left; }
    .org { font-weight: 400; color: #374151; font-size: 17px; }
  `];
  declare holders: HolderInfo[];
  declare query: string;

  constructor() {
    super();
    this.holders = [];
    this.query = '';
  }

  private found(): HolderInfo[] {
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.holders.filter((h) => {
      const text = `${h.name} ${h.org} ${h.badge ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  private pick(h: HolderInfo) {
    this.dispatchEvent(new CustomEvent('holder-picked', { detail: h, bubbles: true, composed: true }));
  }

  override render() {
    const found = this.found();
    return html`
      <osk-input label="Search holders" placeholder="Name, team, organization or badge" .value=${this.query}
        @value-changed=${(e: CustomEvent<string>) => (this.query = e.detail)}></osk-input>
      <ul>${found.slice(0, SHOWN).map((h) => html`<li><button data-holder=${h.id} @click=${() => this.pick(h)}>
        <span>${h.name}</span><span class="org">${h.org || (h.kind === 'team' ? 'team' : nothing)}${h.badge ? ` · ${h.badge}` : nothing}</span></button></li>`)}</ul>
      ${found.length > SHOWN ? html`<p class="muted">${found.length - SHOWN} more: type to narrow the list.</p>` : nothing}
      ${found.length === 0 ? html`<p class="notice">Nobody matches "${this.query}".</p>` : nothing}`;
  }
}
customElements.define('holder-picker', HolderPicker);
