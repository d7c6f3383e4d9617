// Screen 1, idle: what to do next (scan your badge, or scan an asset once signed in), cradle uploads
// waiting for an operator, the cage at a glance (live counts and the last events) and the devices, live.
import { LitElement, css, html, nothing } from 'lit';
import { post } from '../client/api.ts';
import { showMessage } from '../client/messages.ts';
import { clockTime, fullDate, holderDueText, overdueText } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { Counts, DevicesUpdate, DueItem, IdleData, LiveEvent } from '../view-types.ts';
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
    .pending { border-left: 6px solid #b45309; margin-bottom: 10px; }
    .pending ul { list-style: none; margin: 0; padding: 0; }
    .pending li { display: flex; gap: 12px; align-items: center; justify-content: space-between; padding: 4px 0; }
    .progress { border-left: 6px solid #0b4f9c; margin-bottom: 10px; font-size: 20px; font-weight: 700; }
    .dev { border: 2px dashed #6b7280; margin-top: 12px; }
    .usb { border-left: 6px solid #166534; margin-bottom: 10px; justify-content: space-between; }
    .notice, .success, .error { margin-bottom: 10px; }
    .plan { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; margin-top: 12px; }
    @media (max-width: 900px) { .plan { grid-template-columns: 1fr; } }
    .plan ul { margin: 0 0 8px; padding-left: 20px; }
    .late { border-left: 6px solid #a4161a; }
    .late-text { color: #a4161a; font-weight: 700; }
    .open-sweep { display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
  `];
  declare data: IdleData;

  private readonly onEvent = (e: Event) => {
    const live = (e as CustomEvent<LiveEvent>).detail;
    if (live.kind === 'tap') return;
    const item = { seq: live.seq, at: live.at, text: live.text, kind: live.kind };
    this.data = { ...this.data, events: [item, ...this.data.events.filter((x) => x.seq !== live.seq)].slice(0, FEED_LENGTH) };
    // A finished upload, or a batch used or dismissed elsewhere: re-read the pending list.
    if (live.type === 'CradleUploaded' || live.type === 'CradleBatchDismissed' || live.kind === 'custody') void this.refresh();
  };
  private readonly onCounts = (e: Event) => {
    this.data = { ...this.data, counts: (e as CustomEvent<Counts>).detail };
  };
  private readonly onDevices = (e: Event) => {
    const update = (e as CustomEvent<DevicesUpdate>).detail;
    const cradle = update.statuses.find((s) => s.id === 'cradle');
    const usb = update.statuses.find((s) => s.id === 'usb');
    const exported = update.statuses.find((s) => s.id === 'export') ?? null;
    // an export just verified: the "due" notice and the last export's date change
    if (exported && exported.state === 'connected' && exported.since !== this.data.exportStatus?.since) void this.refresh();
    this.data = {
      ...this.data, devices: update.lines, cradleBusy: cradle?.state === 'busy' ? cradle.detail : null,
      usb: usb && (usb.state === 'connected' || usb.state === 'error') ? usb.detail : null, exportStatus: exported,
    };
  };

  private async refresh() {
    const fresh = await fetch('/', { headers: { accept: 'application/json' } }).then((r) => r.json() as Promise<{ data: IdleData }>).catch(() => null);
    if (fresh?.data?.pendingBatches) {
      this.data = { ...this.data, pendingBatches: fresh.data.pendingBatches, audit: fresh.data.audit, due: fresh.data.due, sweepPlan: fresh.data.sweepPlan };
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('kiosk:event', this.onEvent);
    window.addEventListener('kiosk:counts', this.onCounts);
    window.addEventListener('kiosk:devices', this.onDevices);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('kiosk:event', this.onEvent);
    window.removeEventListener('kiosk:counts', this.onCounts);
    window.removeEventListener('kiosk:devices', this.onDevices);
  }

  private async dock(records: number) {
    const answer = await post('/kiosk/simulator/dock', { records });
    showMessage(answer.ok ? `Simulated cradle docked with ${records} scans.` : answer.error.message, answer.ok ? 'info' : 'error');
  }

  private async stick(action: 'insert' | 'remove') {
    const answer = await post('/kiosk/simulator/stick', { action, label: 'SIMULATED' });
    if (!answer.ok) showMessage(answer.error.message, 'error');
  }

  /** Return dates: overdue (how long), due back today, and by holder. */
  private dueCard() {
    const due = this.data.due;
    if (due.overdueCount === 0 && due.dueTodayCount === 0) {
      return html`<section class="card" data-test="due"><h2>Return dates</h2><p class="muted">Nothing is overdue or due back today.</p></section>`;
    }
    const more = (n: number, shown: number) => (n > shown ? html`<p class="muted">and ${n - shown} more on the <a class="link" href="/dashboard">dashboard</a></p>` : nothing);
    const holder = (i: DueItem) => (i.holder ? `, ${i.holder.name}` : nothing);
    return html`<section class="card ${due.overdueCount > 0 ? 'late' : ''}" data-test="due"><h2>Return dates</h2>
      ${due.overdueCount > 0 ? html`<p class="late-text" data-test="overdue-count">${due.overdueCount} overdue</p>
        <ul data-test="overdue">${due.overdue.map((i) => html`<li data-tag=${i.tag}><a class="link" href="/asset/${encodeURIComponent(i.tag)}">${i.tag}</a>${holder(i)}: ${overdueText(i.days)}</li>`)}</ul>
        ${more(due.overdueCount, due.overdue.length)}` : nothing}
      ${due.dueTodayCount > 0 ? html`<p data-test="due-today-count"><b>${due.dueTodayCount} due back today</b></p>
        <ul data-test="due-today">${due.dueToday.map((i) => html`<li data-tag=${i.tag}><a class="link" href="/asset/${encodeURIComponent(i.tag)}">${i.tag}</a>${holder(i)}</li>`)}</ul>
        ${more(due.dueTodayCount, due.dueToday.length)}` : nothing}
      <p data-test="due-by-holder">By holder: ${due.byHolder.map((h, n) => html`${n > 0 ? '; ' : nothing}<a class="link" href="/holder/${encodeURIComponent(h.id)}">${h.name}</a> ${holderDueText(h)}`)}</p>
    </section>`;
  }

  /** Today's proposed sweep, how many cases are behind, and sweeps left open. */
  private sweepCard() {
    const plan = this.data.sweepPlan;
    const signedIn = this.data.signedIn;
    const mine = plan.open.filter((o) => o.mine);
    const others = plan.open.filter((o) => !o.mine);
    return html`<section class="card" data-test="sweep-plan"><h2>Sweeps</h2>
      ${mine.map((o) => html`<p class="notice open-sweep" data-test="my-open-sweep"><span>Your sweep of ${o.label} is open; its scans are kept.</span>
        <a class="button primary" href=${o.href} data-action="resume-sweep">Resume</a></p>`)}
      ${plan.today.length === 0 ? html`<p class="muted">No case to sweep today.</p>`
        : html`<p data-test="todays-sweep">Today's sweep: ${plan.today.map((label, n) => html`${n > 0 ? ', ' : nothing}${signedIn
          ? html`<a class="link" href="/sweep/${encodeURIComponent(label)}" data-case=${label}>${label}</a>` : html`<b>${label}</b>`}`)}</p>`}
      <p class=${plan.behind > 0 ? 'late-text' : 'muted'} data-test="sweep-behind">${plan.behind === 0 ? `Every case was swept within ${plan.intervalDays} days.`
        : `${plan.behind} ${plan.behind === 1 ? 'case is' : 'cases are'} behind (each case is swept every ${plan.intervalDays} days).`}</p>
      ${others.map((o) => html`<p class="muted" data-test="open-sweep">${o.label}: sweep open by ${o.by}.</p>`)}
    </section>`;
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
      ${d.cradleBusy ? html`<section class="card progress" role="status" aria-live="polite" data-test="cradle-progress">Cradle: ${d.cradleBusy}</section>` : nothing}
      ${d.exportStatus?.state === 'busy' ? html`<section class="card progress" role="status" aria-live="polite" data-test="export-progress">${d.exportStatus.detail}</section>`
        : d.exportStatus?.state === 'connected' || d.exportStatus?.state === 'error'
          ? html`<p class=${d.exportStatus.state === 'error' ? 'error' : 'success'} data-test="export-result">${d.exportStatus.detail}</p>` : nothing}
      ${d.usb ? html`<section class="card usb row" data-test="usb-banner"><span>USB stick: ${d.usb}</span>
        ${d.admin ? html`<a class="button primary" href="/admin/export" data-action="export">Export the audit log</a>` : nothing}</section>` : nothing}
      ${d.audit.due ? html`<p class="notice" data-test="export-due">Audit export due: ${d.audit.lastAt ? `the last one was on ${fullDate(d.audit.lastAt)}, more than ${d.audit.dueDays} days ago` : 'none was written yet'}.${d.admin ? ' An admin inserts a USB stick and taps Export.' : ''}</p>`
        : html`<p class="muted" data-test="last-export">Last audit export: ${fullDate(d.audit.lastAt!)}.</p>`}
      ${d.pendingBatches.length > 0 ? html`<section class="card pending" data-test="pending-batches">
        <h2>Cradle uploads to review</h2>
        <ul>${d.pendingBatches.map((b) => html`<li><span><b>${b.count} scan${b.count === 1 ? '' : 's'}</b> uploaded at ${clockTime(b.uploadedAt)}</span>
          <a class="button primary" href="/cradle/${b.batch}" data-action="review-batch" data-batch=${b.batch}>Review</a></li>`)}</ul>
      </section>` : nothing}
      <count-tiles .counts=${d.counts}></count-tiles>
      <div class="plan">${this.dueCard()}${this.sweepCard()}</div>
      <div class="columns">
        <section class="card"><h2>Last events</h2><event-feed .items=${d.events}></event-feed></section>
        <section class="card"><h2>Devices</h2><device-status .devices=${d.devices}></device-status></section>
      </div>
      ${d.simulator ? html`<section class="card dev" data-test="developer-panel"><h2>Developer panel (simulated devices)</h2>
        <div class="row"><button data-action="dock-cradle" @click=${() => this.dock(25)}>Dock the cradle (25 scans)</button>
        <button data-action="dock-cradle-empty" @click=${() => this.dock(0)}>Dock it empty</button>
        <button data-action="insert-stick" @click=${() => this.stick('insert')}>Insert a USB stick</button>
        <button data-action="remove-stick" @click=${() => this.stick('remove')}>Remove it</button></div></section>` : nothing}`;
  }
}
customElements.define('idle-screen', IdleScreen);
