// Screen 8, dashboard: counts, issued against in storage over time (SVG), who holds what, overdue and
// missing lists, and every case's slots. It re-reads itself when custody changes anywhere.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { DashboardData } from '../view-types.ts';
import './case-grid.ts';
import './count-tiles.ts';
import './custody-chart.ts';
import './holdings-table.ts';

export class DashboardScreen extends LitElement {
  static refreshOnChange = true;
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 12px; }
    @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
    ul { margin: 0; padding-left: 20px; max-height: 200px; overflow-y: auto; }
    .wide { grid-column: 1 / -1; }
  `];
  declare data: DashboardData;

  override render() {
    const d = this.data;
    return html`<count-tiles .counts=${d.counts}></count-tiles>
      <div class="grid">
        <section class="card"><h2>Issued and in storage, last ${d.series.length} days</h2><custody-chart .series=${d.series}></custody-chart></section>
        <section class="card"><h2>Who holds what</h2><holdings-table .holdings=${d.holdings} overdueDays=${d.overdueDays}></holdings-table></section>
        <section class="card"><h2>Overdue (${d.overdueDays} days or more)</h2>${d.overdue.length === 0 ? html`<p class="muted">Nothing is overdue.</p>`
          : html`<ul>${d.overdue.map((o) => html`<li><a class="link" href="/asset/${encodeURIComponent(o.tag)}">${o.tag}</a>: ${o.holder}, ${o.days} days</li>`)}</ul>`}</section>
        <section class="card"><h2>Missing</h2>${d.missing.length === 0 ? html`<p class="muted">Nothing is missing.</p>`
          : html`<ul>${d.missing.map((m) => html`<li><a class="link" href="/asset/${encodeURIComponent(m.tag)}">${m.tag}</a>${m.home ? `, home ${m.home}` : nothing}</li>`)}</ul>`}</section>
        <section class="card wide"><h2>Cases</h2><case-grid .cases=${d.cases}></case-grid></section>
      </div>`;
  }
}
customElements.define('dashboard-screen', DashboardScreen);
