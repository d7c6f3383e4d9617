// Every event of an asset, newest first: scans, taps, custody changes and corrections, with who and where
// from. A corrected event stays in the list, marked as corrected.
import { LitElement, css, html, nothing } from 'lit';
import { dateTime } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { HistoryData } from '../view-types.ts';

export class EventTimeline extends LitElement {
  static override properties = { events: { type: Array } };
  static override styles = [kioskStyles, css`
    ol { list-style: none; margin: 0; padding: 0; border-left: 4px solid #9ca3af; }
    li { position: relative; padding: 6px 0 8px 16px; }
    li::before { content: ''; position: absolute; left: -10px; top: 12px; width: 14px; height: 14px; border-radius: 50%; background: #6b7280; }
    li.custody::before { background: #0b4f9c; } li.scan::before { background: #166534; }
    .meta { font-size: 16px; color: #374151; }
    .corrected .text { text-decoration: line-through; }
    .tag { font-size: 16px; font-weight: 700; color: #92400e; margin-left: 6px; }
  `];
  declare events: HistoryData['events'];

  constructor() {
    super();
    this.events = [];
  }

  override render() {
    return html`<ol>${this.events.map((e) => html`<li class="${e.kind} ${e.corrected ? 'corrected' : ''}" data-seq=${e.seq}>
      <div><span class="text">${e.text}</span>${e.corrected ? html`<span class="tag">corrected</span>` : nothing}</div>
      <div class="meta">#${e.seq} · ${dateTime(e.at)} · ${e.type} · by ${e.actor} via ${e.source}</div></li>`)}</ol>`;
  }
}
customElements.define('event-timeline', EventTimeline);
