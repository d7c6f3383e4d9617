// Screen 9, an asset's history: its card and every event about it (nothing is ever deleted).
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { HistoryData } from '../view-types.ts';
import './asset-summary.ts';
import './event-timeline.ts';

export class HistoryScreen extends LitElement {
  static refreshOnChange = true;
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 2fr 3fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
  `];
  declare data: HistoryData;

  override render() {
    const { asset, events } = this.data;
    return html`<div class="layout">
      <div><asset-summary .asset=${asset}></asset-summary>
        <p><a class="button" href="/asset/${encodeURIComponent(asset.tag)}">Back to ${asset.tag}</a></p></div>
      <section class="card"><h2>${events.length} events</h2><event-timeline .events=${events}></event-timeline></section></div>`;
  }
}
customElements.define('history-screen', HistoryScreen);
