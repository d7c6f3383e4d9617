// Four big numbers: in storage, issued, missing, overdue. Live: the page replaces `counts` on every event.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { Counts } from '../view-types.ts';

const TILES: { key: keyof Counts; label: string; tone: string }[] = [
  { key: 'in_storage', label: 'In storage', tone: 'ok' },
  { key: 'issued', label: 'Issued', tone: 'info' },
  { key: 'missing', label: 'Missing', tone: 'bad' },
  { key: 'overdue', label: 'Overdue', tone: 'warn' },
];

export class CountTiles extends LitElement {
  static override properties = { counts: { type: Object } };
  static override styles = [kioskStyles, css`
    :host { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
    .tile { background: #fff; border: 2px solid #d1d5db; border-radius: 12px; padding: 8px 12px; }
    .n { font-size: 40px; font-weight: 800; line-height: 1.1; }
    .label { font-size: 17px; font-weight: 600; }
    .ok .n { color: #166534; } .info .n { color: #0b4f9c; } .bad .n { color: #a4161a; } .warn .n { color: #92400e; }
  `];
  declare counts: Counts;

  constructor() {
    super();
    this.counts = { in_storage: 0, issued: 0, missing: 0, overdue: 0 };
  }

  override render() {
    return TILES.map((t) => html`<div class="tile ${t.tone}" data-count=${t.key}>
      <div class="n">${this.counts[t.key]}</div><div class="label">${t.label}</div></div>`);
  }
}
customElements.define('count-tiles', CountTiles);
