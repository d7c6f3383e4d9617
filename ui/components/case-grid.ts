// Case occupancy: one row of slot tiles per case (in its home slot, in another slot, out with a holder,
// empty), with the counts in words beside it.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { DashboardData } from '../view-types.ts';

type CaseRow = DashboardData['cases'][number];

export class CaseGrid extends LitElement {
  static override properties = { cases: { type: Array } };
  static override styles = [kioskStyles, css`
    .case { display: grid; grid-template-columns: 7.5em 1fr; gap: 8px; align-items: center; padding: 4px 0; border-bottom: 1px solid #e5e7eb; }
    .label { font-weight: 700; font-size: 16px; }
    .label small { display: block; font-weight: 400; color: #374151; font-size: 16px; }
    .tiles { display: flex; flex-wrap: wrap; gap: 3px; }
    i { width: 18px; height: 18px; border-radius: 3px; border: 1px solid #6b7280; }
    .home { background: #166534; } .away { background: #b45309; } .out { background: #0b4f9c; } .empty { background: #fff; }
    .legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 16px; margin-bottom: 6px; }
    .legend i { display: inline-block; vertical-align: middle; margin-right: 4px; }
  `];
  declare cases: CaseRow[];

  constructor() {
    super();
    this.cases = [];
  }

  override render() {
    const count = (c: CaseRow, s: string) => c.slots.filter((x) => x.state === s).length;
    return html`<div class="legend"><span><i class="home"></i>home</span><span><i class="away"></i>other slot</span>
        <span><i class="out"></i>out</span><span><i class="empty"></i>empty</span></div>
      ${this.cases.map((c) => html`<div class="case" data-case=${c.label}>
        <div class="label">${c.label}<small>${count(c, 'home') + count(c, 'away')} in, ${count(c, 'out')} out</small></div>
        <div class="tiles">${c.slots.map((s) => html`<i class=${s.state}></i>`)}</div></div>`)}`;
  }
}
customElements.define('case-grid', CaseGrid);
