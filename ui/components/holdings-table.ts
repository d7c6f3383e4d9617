// Who holds what: each holder with something out, how many, how many past their return date, and the longest
// time out; tap to open them.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import { daysText } from '../format.ts';
import type { DashboardData } from '../view-types.ts';

export class HoldingsTable extends LitElement {
  static override properties = { holdings: { type: Array }, overdueDays: { type: Number } };
  static override styles = [kioskStyles, css`
    .scroll { max-height: 320px; overflow-y: auto; }
    .late { color: #a4161a; font-weight: 700; }
  `];
  declare holdings: DashboardData['holdings'];
  declare overdueDays: number;

  constructor() {
    super();
    this.holdings = [];
    this.overdueDays = 14;
  }

  override render() {
    if (this.holdings.length === 0) return html`<p class="muted">Nobody holds anything.</p>`;
    return html`<div class="scroll"><table><thead><tr><th>Holder</th><th>Assets</th><th>Overdue</th><th>Longest out</th></tr></thead>
      <tbody>${this.holdings.map((h) => html`<tr data-holder=${h.id}><td><a class="link" href="/holder/${encodeURIComponent(h.id)}">${h.name}</a><br>${h.org}</td><td>${h.count}</td>
        <td class=${h.overdue > 0 ? 'late' : ''}>${h.overdue}</td><td>${daysText(h.maxDays)}</td></tr>`)}</tbody></table></div>`;
  }
}
customElements.define('holdings-table', HoldingsTable);
