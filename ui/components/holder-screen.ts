// Screen 9, a holder's page: who they are, what they hold now and for how long, their custody history.
import { LitElement, css, html } from 'lit';
import { dateTime, daysText } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { HolderData } from '../view-types.ts';
import './holder-summary.ts';

export class HolderScreen extends LitElement {
  static refreshOnChange = true;
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    ul { margin: 0; padding-left: 20px; }
  `];
  declare data: HolderData;

  override render() {
    const { holder, assets, custody } = this.data;
    return html`<div class="layout">
      <div><holder-summary .holder=${holder}></holder-summary>
        <section class="card"><h2>Holds now</h2>${assets.length === 0 ? html`<p class="muted">Nothing.</p>` : html`<table>
          <thead><tr><th>Asset</th><th>Since</th><th>Out</th></tr></thead>
          <tbody>${assets.map((a) => html`<tr><td><a class="link" href="/asset/${encodeURIComponent(a.tag)}">${a.tag}</a><br>${a.model}</td>
            <td>${dateTime(a.since)}</td><td>${daysText(a.days)}</td></tr>`)}</tbody></table>`}</section></div>
      <section class="card"><h2>Custody history</h2>${custody.length === 0 ? html`<p class="muted">No custody changes yet.</p>`
        : html`<ul>${custody.map((c) => html`<li>${dateTime(c.at)}: ${c.text}</li>`)}</ul>`}</section></div>`;
  }
}
customElements.define('holder-screen', HolderScreen);
