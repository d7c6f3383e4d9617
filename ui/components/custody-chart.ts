// Issued against in storage over the last days, as an SVG drawn on the server (no script needed to see it).
import { LitElement, css, html, nothing, svg } from 'lit';
import { kioskStyles } from '../styles.ts';

export interface SeriesPoint {
  day: string;
  issued: number;
  inStorage: number;
}

const W = 560;
const H = 210;
const PAD = { left: 44, right: 12, top: 12, bottom: 30 };

export class CustodyChart extends LitElement {
  static override properties = { series: { type: Array } };
  static override styles = [kioskStyles, css`
    svg { width: 100%; max-width: 720px; height: auto; display: block; }
    .legend { display: flex; gap: 18px; font-size: 16px; margin-top: 4px; }
    .key { display: inline-block; width: 22px; height: 6px; vertical-align: middle; margin-right: 6px; }
    .issued { background: #0b4f9c; } .stored { background: #166534; }
  `];
  declare series: SeriesPoint[];

  constructor() {
    super();
    this.series = [];
  }

  override render() {
    const points = this.series;
    const max = Math.max(1, ...points.map((p) => Math.max(p.issued, p.inStorage)));
    const top = Math.ceil(max / 4) * 4; // even, so the middle line is a whole number
    const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / Math.max(1, points.length - 1);
    const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
    const line = (pick: (p: SeriesPoint) => number) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
    const ticks = [0, top / 2, top];
    const last = points.at(-1);
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Issued and in storage over the last ${points.length} days${last ? `; today ${last.issued} issued, ${last.inStorage} in storage` : ''}">
        ${ticks.map((t) => svg`<line x1=${PAD.left} x2=${W - PAD.right} y1=${y(t)} y2=${y(t)} stroke="#d1d5db"/>
          <text x=${PAD.left - 6} y=${y(t) + 5} text-anchor="end" font-size="17" fill="#374151">${t}</text>`)}
        ${points.map((p, i) => (i % 7 === (points.length - 1) % 7 ? svg`<text x=${x(i)} y=${H - 8} text-anchor=${i === points.length - 1 ? 'end' : 'middle'} font-size="17" fill="#374151">${p.day.slice(5)}</text>` : nothing))}
        <path d=${line((p) => p.inStorage)} fill="none" stroke="#166534" stroke-width="3"/>
        <path d=${line((p) => p.issued)} fill="none" stroke="#0b4f9c" stroke-width="3"/>
      </svg>
      <div class="legend"><span><span class="key issued"></span>Issued</span><span><span class="key stored"></span>In storage</span></div>`;
  }
}
customElements.define('custody-chart', CustodyChart);
