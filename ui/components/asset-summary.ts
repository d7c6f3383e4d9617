// One asset at a glance: tag, model, state, where it is or who holds it since when, condition, last seen.
import { LitElement, css, html, nothing } from 'lit';
import { dateTime } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { AssetInfo } from '../view-types.ts';
import { conditionWords, stateWords, whereWords } from '../words.ts';

export class AssetSummary extends LitElement {
  static override properties = { asset: { type: Object } };
  static override styles = [kioskStyles, css`
    :host { background: #fff; border: 2px solid #d1d5db; border-radius: 12px; padding: 12px 14px; }
    .tag { font-size: 30px; font-weight: 800; margin-right: 10px; }
    .model { font-size: 18px; }
    .where { font-size: 21px; font-weight: 600; margin: 6px 0; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; font-size: 17px; }
    dt { color: #374151; }
    dd { margin: 0; }
  `];
  declare asset: AssetInfo;

  override render() {
    const a = this.asset;
    const state = stateWords(a);
    return html`
      <div><span class="tag">${a.tag}</span><span class="badge ${state.tone}">${state.text}</span></div>
      <div class="model">${[a.make, a.model].filter(Boolean).join(' ') || a.type}${a.serial ? ` · serial ${a.serial}` : nothing}</div>
      <p class="where">${whereWords(a)}</p>
      <dl>
        <dt>Condition</dt><dd>${conditionWords(a.condition)}</dd>
        <dt>Home slot</dt><dd>${a.home ?? 'none'}</dd>
        <dt>Last seen</dt><dd>${a.lastSeenAt ? dateTime(a.lastSeenAt) : 'not yet'}</dd>
      </dl>`;
  }
}
customElements.define('asset-summary', AssetSummary);
