// Screen 1, idle: what to do next (scan your badge, or scan an asset once signed in), the cage at a glance
// (live counts and the last events) and which devices the kiosk listens to.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { Counts, IdleData, LiveEvent } from '../view-types.ts';
import './count-tiles.ts';
import './device-status.ts';
import './event-feed.ts';

const FEED_LENGTH = 6;

export class IdleScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .top { display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; margin-bottom: 10px; }
    .prompt { font-size: 34px; font-weight: 800; margin: 0; }
    .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; margin-top: 12px; }
    @media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
  `];
  declare data: IdleData;

  private readonly onEvent = (e: Event) => {
    const live = (e as CustomEvent<LiveEvent>).detail;
    if (live.kind === 'tap') return;
    const item = { seq: live.seq, at: live.at, text: live.text, kind: live.kind };
    this.data = { ...this.data, events: [item, ...this.data.events.filter((x) => x.seq !== live.seq)].slice(0, FEED_LENGTH) };
  };
  private readonly onCounts = (e: Event) => {
    this.data = { ...this.data, counts: (e as CustomEvent<Counts>).detail };
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('kiosk:event', this.onEvent);
    window.addEventListener('kiosk:counts', this.onCounts);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('kiosk:event', this.onEvent);
    window.removeEventListener('kiosk:counts', this.onCounts);
  }

  override render() {
    const d = this.data;
    return html`
      <div class="top">
        <p class="prompt">${d.signedIn ? 'Scan an asset' : 'Scan your badge'}</p>
        ${d.signedIn ? html`<nav class="row">
            <a class="button" href="/batch" data-action="batch">Batch</a>
            <a class="button" href="/sweep" data-action="sweep">Sweep</a>
            <a class="button" href="/dashboard" data-action="dashboard">Dashboard</a>
            ${d.admin ? html`<a class="button" href="/admin" data-action="admin">Admin</a>` : nothing}</nav>`
          : html`<nav class="row"><a class="button" href="/dashboard" data-action="dashboard">Dashboard</a>
            <a class="button primary" href="/sign-in" data-action="start-sign-in">Sign in with PIN</a></nav>`}
      </div>
      <count-tiles .counts=${d.counts}></count-tiles>
      <div class="columns">
        <section class="card"><h2>Last events</h2><event-feed .items=${d.events}></event-feed></section>
        <section class="card"><h2>Devices</h2><device-status .devices=${d.devices}></device-status></section>
      </div>`;
  }
}
customElements.define('idle-screen', IdleScreen);
