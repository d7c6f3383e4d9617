// Screen 9, a holder's page: who they are, their current hand receipt (what they hold now, for how long, due
// when, under which signed receipt, with links to print it), their custody history.
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
    .head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
  `];
  declare data: HolderData;

  override render() {
    const { holder, assets, custody } = this.data;
    return html`<div class="layout">
      <div><holder-summary .holder=${holder}></holder-summary>
        <section class="card" data-test="hand-receipt"><div class="head"><h2>Current hand receipt</h2>
          <a class="button" href="/holder/${encodeURIComponent(holder.id)}/hand-receipt" data-action="print-hand-receipt">Print hand receipt</a></div>
          ${assets.length === 0 ? html`<p class="muted">Holds nothing.</p>` : html`<table>
          <thead><tr><th>Asset</th><th>Since</th><th>Due</th><th>Receipt</th></tr></thead>
          <tbody>${assets.map((a) => html`<tr><td><a class="link" href="/asset/${encodeURIComponent(a.tag)}">${a.tag}</a><br>${a.model}</td>
            <td>${dateTime(a.since)}<br><span class="muted">${daysText(a.days)}</span></td><td>${dueText(a.due)}</td>
            <td>${a.receiptSeq === null ? html`<span class="muted">none</span>`
              : html`No. ${a.receiptSeq}<br><a class="link" href="/receipt/${a.receiptSeq}" data-action="print-receipt">Print receipt</a>`}</td></tr>`)}</tbody></table>`}</section></div>
      <section class="card"><h2>Custody history</h2>${custody.length === 0 ? html`<p class="muted">No custody changes yet.</p>`
        : html`<ul>${custody.map((c) => html`<li>${dateTime(c.at)}: ${c.text}</li>`)}</ul>`}</section></div>`;
  }
}

/** A return date as the holder reads it: "open-ended", or the date. */
function dueText(due: string | null): string {
  return due === null ? '—' : due === 'open' ? 'open-ended' : due;
}

customElements.define('holder-screen', HolderScreen);
