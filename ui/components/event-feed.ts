// The last few things that happened, newest first, one sentence each.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import { clockTime } from '../format.ts';
import type { FeedItem } from '../view-types.ts';

const MARKS: Record<string, string> = { scan: 'Scan', custody: 'Custody', session: 'Sign-in', admin: 'Admin', tap: 'Tap', other: 'Event' };

export class EventFeed extends LitElement {
  static override properties = { items: { type: Array } };
  static override styles = [kioskStyles, css`
    ol { list-style: none; margin: 0; padding: 0; }
    li { display: flex; gap: 10px; align-items: baseline; padding: 6px 0; border-bottom: 1px solid #d1d5db; font-size: 17px; }
    time { font-variant-numeric: tabular-nums; color: #374151; flex: 0 0 auto; }
    .mark { flex: 0 0 5.2em; font-size: 16px; font-weight: 700; color: #374151; }
    .custody .mark { color: #0b4f9c; } .scan .mark { color: #166534; }
  `];
  declare items: FeedItem[];

  constructor() {
    super();
    this.items = [];
  }

  override render() {
    if (this.items.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`;
    return html`<ol>${this.items.map((e) => html`<li class=${e.kind} data-seq=${e.seq}>
      <time datetime=${e.at}>${clockTime(e.at)}</time><span class="mark">${MARKS[e.kind] ?? 'Event'}</span><span>${e.text}</span></li>`)}</ol>`;
  }
}
customElements.define('event-feed', EventFeed);
