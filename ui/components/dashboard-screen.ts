// Screen 8, dashboard: counts, issued against in storage over time (SVG), who holds what, overdue and
// missing lists, and every case's slots. It re-reads itself when custody changes anywhere.
import { LitElement, css, html, nothing } from 'lit';
import { dateTime, dayText, holderDueText, overdueText } from '../format.ts';
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
    .late { color: #a4161a; font-weight: 700; }
  `];
  declare data: DashboardData;

  override render() {
    const d = this.data;
    const more = (n: number, shown: number) => (n > shown ? html`<p class="muted">and ${n - shown} more</p>` : nothing);
    return html`<count-tiles .counts=${d.counts}></count-tiles>
      <div class="grid">
        <section class="card"><h2>Issued and in storage, last ${d.series.length} days</h2><custody-chart .series=${d.series}></custody-chart></section>
        <section class="card"><h2>Who holds what</h2><holdings-table .holdings=${d.holdings} overdueDays=${d.overdueDays}></holdings-table></section>
        <section class="card" data-test="overdue"><h2>Overdue (${d.due.overdueCount})</h2>${d.due.overdueCount === 0 ? html`<p class="muted">Nothing is overdue.</p>`
          : html`<ul>${d.due.overdue.map((o) => html`<li data-tag=${o.tag}><a class="link" href="/asset/${encodeURIComponent(o.tag)}">${o.tag}</a>${o.holder ? `, ${o.holder.name}` : nothing}:
            <span class="late">${overdueText(o.days)}</span> (due ${dayText(o.due)})</li>`)}</ul>${more(d.due.overdueCount, d.due.overdue.length)}`}</section>
        <section class="card" data-test="due-today"><h2>Due back today (${d.due.dueTodayCount})</h2>${d.due.dueTodayCount === 0 ? html`<p class="muted">Nothing is due back today.</p>`
          : html`<ul>${d.due.dueToday.map((o) => html`<li data-tag=${o.tag}><a class="link" href="/asset/${encodeURIComponent(o.tag)}">${o.tag}</a>${o.holder ? `, ${o.holder.name}` : nothing}</li>`)}</ul>
            ${more(d.due.dueTodayCount, d.due.dueToday.length)}`}</section>
        <section class="card" data-test="due-by-holder"><h2>Overdue and due today, by holder</h2>${d.due.byHolder.length === 0 ? html`<p class="muted">Nobody.</p>`
          : html`<ul>${d.due.byHolder.map((h) => html`<li data-holder=${h.id}><a class="link" href="/holder/${encodeURIComponent(h.id)}">${h.name}</a> ${holderDueText(h)}</li>`)}</ul>`}</section>
        <section class="card"><h2>Missing</h2>${d.missing.length === 0 ? html`<p class="muted">Nothing is missing.</p>`
          : html`<ul>${d.missing.map((m) => html`<li><a class="link" href="/asset/${encodeURIComponent(m.tag)}">${m.tag}</a>${m.home ? `, home ${m.home}` : nothing}</li>`)}</ul>`}</section>
        <section class="card" data-test="returns-by-others"><h2>Returned by someone other than the holder</h2>${d.returnsByOthers.length === 0
          ? html`<p class="muted">Every return so far was made by the holder.</p>`
          : html`<ul>${d.returnsByOthers.map((r) => html`<li data-tag=${r.tag}><a class="link" href="/asset/${encodeURIComponent(r.tag)}">${r.tag}</a>
            (${r.holder}'s) returned by <b>${r.by}</b>, ${dateTime(r.at)}</li>`)}</ul>`}</section>
        <section class="card wide"><h2>Cases</h2><case-grid .cases=${d.cases}></case-grid></section>
      </div>`;
  }
}
customElements.define('dashboard-screen', DashboardScreen);
