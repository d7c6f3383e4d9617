// Case occupancy: one strip of slot tiles per case (in its home slot, in another slot, out with a holder,
// empty), with the counts in words beside it. Each strip is one SVG with one path per kind of tile: a
// cage of 1,200 slots renders as 120 paths, not 1,200 elements.
import { LitElement, css, html, svg } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { DashboardData } from '../view-types.ts';

type CaseRow = DashboardData['cases'][number];
const TILE = 18;
const STEP = 22;
const KINDS = ['home', 'away', 'out', 'empty'] as const;

/** The squares of every slot of one kind, as one path. */
function tiles(c: CaseRow, kind: string): string {
  let d = '';
  c.slots.forEach((s, i) => {
    if (s.state === kind) d += `M${i * STEP + 1} 1h${TILE}v${TILE}h-${TILE}z`;
  });
  return d;
}

export class CaseGrid extends LitElement {
  static override properties = { cases: { type: Array } };
  static override styles = [kioskStyles, css`
    .case { display: grid; grid-template-columns: 7.5em 1fr; gap: 8px; align-items: center; padding: 4px 0; border-bottom: 1px solid #e5e7eb; }
    .label { font-weight: 700; font-size: 16px; }
    .label small { display: block; font-weight: 400; color: #374151; font-size: 16px; }
    svg { max-width: 100%; height: auto; display: block; }
    .home { fill: #166534; } .away { fill: #b45309; } .out { fill: #0b4f9c; } .empty { fill: #fff; }
    path { stroke: #6b7280; stroke-width: 1; }
    .legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 16px; margin-bottom: 6px; }
    .legend svg { display: inline-block; vertical-align: middle; margin-right: 4px; }
  `];
  declare cases: CaseRow[];

  constructor() {
    super();
    this.cases = [];
  }

  override render() {
    const count = (c: CaseRow, s: string) => c.slots.filter((x) => x.state === s).length;
    const key = (kind: string) => html`<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><path class=${kind} d="M1 1h18v18h-18z"/></svg>`;
    return html`<div class="legend"><span>${key('home')}home</span><span>${key('away')}other slot</span>
        <span>${key('out')}out</span><span>${key('empty')}empty</span></div>
      ${this.cases.map((c) => html`<div class="case" data-case=${c.label}>
        <div class="label">${c.label}<small>${count(c, 'home') + count(c, 'away')} in, ${count(c, 'out')} out</small></div>
        <svg width=${c.slots.length * STEP} height=${STEP} viewBox="0 0 ${c.slots.length * STEP} ${STEP}" role="img"
          aria-label="${c.label}: ${count(c, 'home')} in their home slot, ${count(c, 'away')} in another slot, ${count(c, 'out')} out, ${count(c, 'empty')} empty">
          ${KINDS.map((k) => svg`<path class=${k} d=${tiles(c, k) || 'M0 0'}/>`)}</svg></div>`)}`;
  }
}
customElements.define('case-grid', CaseGrid);
