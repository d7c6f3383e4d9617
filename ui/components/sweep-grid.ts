// A case's slots as tiles (compact when the whole cage is shown): what should be in each, and what the sweep has seen so far.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';

export interface SweepTile {
  n: number;
  expected: string | null;
  /** seen: the expected asset was scanned; wrong: something else was scanned here; waiting: not yet */
  status: 'seen' | 'wrong' | 'waiting' | 'empty';
  note: string;
}

export class SweepGrid extends LitElement {
  static override properties = { tiles: { type: Array }, position: { type: Number }, compact: { type: Boolean, reflect: true } };
  static override styles = [kioskStyles, css`
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 6px; }
    .tile { border: 2px solid #9ca3af; border-radius: 8px; padding: 4px 8px; min-height: 52px; background: #fff; font-size: 16px; }
    .n { font-weight: 800; }
    .seen { background: #dcfce7; border-color: #166534; }
    .wrong { background: #fef3c7; border-color: #92400e; }
    .empty { background: #f3f4f6; border-style: dashed; }
    .here { outline: 4px solid #0b4f9c; }
    :host([compact]) .grid { grid-template-columns: repeat(auto-fill, minmax(92px, 1fr)); gap: 4px; }
    :host([compact]) .tile { min-height: 40px; font-size: 13px; padding: 2px 6px; }
  `];
  declare tiles: SweepTile[];
  declare position: number;
  /** smaller tiles, for the whole cage's many grids */
  declare compact: boolean;

  constructor() {
    super();
    this.tiles = [];
    this.position = 0;
    this.compact = false;
  }

  override render() {
    return html`<div class="grid">${this.tiles.map((t) => html`<div class="tile ${t.status} ${t.n === this.position ? 'here' : ''}" data-slot=${t.n}>
      <span class="n">${t.n}</span> ${t.expected ?? 'empty'}<br>${t.note || nothing}</div>`)}</div>`;
  }
}
customElements.define('sweep-grid', SweepGrid);
