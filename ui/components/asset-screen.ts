// Screen 3, the asset card after a scan: its state, holder and since when, slots, condition, last events,
// and only the actions the custody rules allow now (the server worked them out).
import { LitElement, css, html, nothing } from 'lit';
import { tapAndGo } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { AssetAction, AssetScreenData } from '../view-types.ts';
import './asset-summary.ts';
import './event-feed.ts';

const ACTIONS: Record<AssetAction, { label: string; href: (tag: string) => string; tone: string }> = {
  issue: { label: 'Issue', href: (t) => `/issue?tags=${encodeURIComponent(t)}`, tone: 'primary' },
  return: { label: 'Return', href: (t) => `/return/${encodeURIComponent(t)}`, tone: 'primary' },
  move: { label: 'Move', href: (t) => `/asset/${encodeURIComponent(t)}/move`, tone: '' },
  missing: { label: 'Mark missing', href: (t) => `/asset/${encodeURIComponent(t)}/missing`, tone: '' },
  found: { label: 'Found it', href: (t) => `/asset/${encodeURIComponent(t)}/found`, tone: 'primary' },
  condition: { label: 'Condition', href: (t) => `/asset/${encodeURIComponent(t)}/condition`, tone: '' },
  retire: { label: 'Retire', href: (t) => `/asset/${encodeURIComponent(t)}/retire`, tone: 'danger' },
};

export class AssetScreen extends LitElement {
  static refreshOnChange = true;
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    .actions { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
    .actions button { min-width: 140px; }
  `];
  declare data: AssetScreenData;

  override render() {
    const { asset, actions, signedIn } = this.data;
    return html`
      <div class="layout">
        <div>
          <asset-summary .asset=${asset}></asset-summary>
          <div class="actions">
            ${actions.map((a) => html`<button class=${ACTIONS[a].tone} data-action=${a}
              @click=${() => tapAndGo('asset', `start-${a}`, asset.tag, ACTIONS[a].href(asset.tag))}>${ACTIONS[a].label}</button>`)}
            <a class="button" href="/asset/${encodeURIComponent(asset.tag)}/history" data-action="history">History</a>
          </div>
          ${!signedIn ? html`<p class="notice">Sign in to act on this asset: scan your badge.</p>`
            : actions.length === 0 ? html`<p class="notice">Nothing can be done with ${asset.tag} in this state.</p>` : nothing}
        </div>
        <section class="card"><h2>Last events</h2><event-feed .items=${this.data.events}></event-feed></section>
      </div>`;
  }
}
customElements.define('asset-screen', AssetScreen);
