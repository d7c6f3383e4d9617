// One holder at a glance: name, organization, badge, and how much they hold now.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { HolderInfo } from '../view-types.ts';

export class HolderSummary extends LitElement {
  static override properties = { holder: { type: Object } };
  static override styles = [kioskStyles, css`
    :host { background: #fff; border: 2px solid #d1d5db; border-radius: 12px; padding: 12px 14px; }
    .name { font-size: 28px; font-weight: 800; }
  `];
  declare holder: HolderInfo;

  override render() {
    const h = this.holder;
    return html`
      <div class="name">${h.name}</div>
      <p>${h.kind === 'team' ? 'Team' : 'Person'}${h.org ? ` · ${h.org}` : nothing}${h.badge ? ` · badge ${h.badge}` : nothing}</p>
      <p>${h.holding === 0 ? 'Holds nothing now.' : `Holds ${h.holding} asset${h.holding === 1 ? '' : 's'} now.`}</p>
      ${h.active ? nothing : html`<p class="error">Deactivated: cannot receive equipment.</p>`}`;
  }
}
customElements.define('holder-summary', HolderSummary);
