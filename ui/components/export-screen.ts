// Audit export (admin): pick the inserted USB stick, tap Export, watch the progress bar, and read the
// outcome: "Export verified: N events, head …, safe to remove" only after the bundle was read back from
// the stick and verified. Sticks coming and going and the export's progress arrive over live updates.
import { LitElement, css, html, nothing } from 'lit';
import { post } from '../client/api.ts';
import { showMessage } from '../client/messages.ts';
import { fullDate } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { DevicesUpdate, ExportData } from '../view-types.ts';

export class ExportScreen extends LitElement {
  static override properties = { data: { type: Object }, backup: { state: true }, starting: { state: true } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
    li { display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
    .check { display: flex; align-items: center; gap: 12px; min-height: 56px; font-weight: 600; margin: 10px 0; }
    .check input { width: 32px; height: 32px; }
    progress { width: 100%; height: 32px; margin: 8px 0; }
    .fp { font-family: monospace; font-size: 16px; word-break: break-all; }
    section { margin-bottom: 12px; }
  `];
  declare data: ExportData;
  declare backup: boolean;
  declare starting: boolean;

  constructor() {
    super();
    this.backup = false;
    this.starting = false;
  }

  private readonly onDevices = (e: Event) => {
    const update = (e as CustomEvent<DevicesUpdate>).detail;
    const status = update.statuses.find((s) => s.id === 'export') ?? null;
    const usb = update.statuses.find((s) => s.id === 'usb');
    // a stick came or went, or an export ended (the last export changed): read the screen's data again
    const ended = status && status.state !== 'busy' && status.since !== this.data.status?.since;
    this.data = { ...this.data, status };
    if (usb?.since !== this.usbSince || ended) void this.refresh();
    this.usbSince = usb?.since;
  };
  private usbSince: string | undefined;

  private async refresh() {
    const fresh = await fetch('/admin/export', { headers: { accept: 'application/json' } }).then((r) => r.json() as Promise<{ data: ExportData }>).catch(() => null);
    if (fresh?.data) this.data = fresh.data;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('kiosk:devices', this.onDevices);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('kiosk:devices', this.onDevices);
  }

  private async start(mountPoint: string) {
    this.starting = true;
    const answer = await post('/kiosk/export', { mount_point: mountPoint, backup: this.backup });
    this.starting = false;
    if (!answer.ok) showMessage(answer.error.message, 'error');
  }

  private async simulateStick(action: 'insert' | 'remove') {
    const answer = await post('/kiosk/simulator/stick', { action, label: 'SIMULATED' });
    if (!answer.ok) showMessage(answer.error.message, 'error');
    else void this.refresh();
  }

  override render() {
    const d = this.data;
    const running = d.status?.state === 'busy' || this.starting;
    const p = d.status?.progress;
    return html`
      <section class="card">
        ${d.audit.lastAt ? html`<p>Last verified export: <b>${fullDate(d.audit.lastAt)}</b> (${d.audit.lastBundle}).</p>` : html`<p>No audit export was written yet.</p>`}
        ${d.audit.due ? html`<p class="notice" data-test="export-due">Audit export due: ${d.audit.lastAt ? `the last one is older than ${d.audit.dueDays} days` : 'none was written yet'}.</p>` : nothing}
        <p class="muted">The bundle holds all ${d.events.toLocaleString('en-US')} events of ${d.deviceId}, signed by the device key:</p>
        <p class="fp" data-test="fingerprint">${d.fingerprint}</p>
      </section>
      ${d.status && d.status.state !== 'not-present' ? html`<section class="card" data-test="export-status" role="status" aria-live="polite">
        ${d.status.state === 'busy' ? html`<p><b>${d.status.detail}</b></p>
          ${p ? html`<progress max=${p.total || 1} value=${p.done} data-test="export-progress"></progress>` : html`<progress></progress>`}`
          : html`<p class=${d.status.state === 'error' ? 'error' : 'success'} data-test="export-result">${d.status.detail}</p>`}
      </section>` : nothing}
      <section class="card">
        <h2>USB stick</h2>
        ${d.sticks.length === 0 ? html`<p data-test="no-stick">Insert a USB stick.</p>` : html`
          <label class="check"><input type="checkbox" data-action="backup" .checked=${this.backup}
            @change=${(e: Event) => { this.backup = (e.target as HTMLInputElement).checked; }}>Also write a database backup (for restoring this box)</label>
          <ul>${d.sticks.map((s) => html`<li data-stick=${s.label}>
            <span><b>${s.label}</b> (${s.fsType}) — ${s.readOnly ? html`<span class="badge bad">read-only</span>` : `${s.free} free`}</span>
            <button class="primary" data-action="export" ?disabled=${running || s.readOnly} @click=${() => this.start(s.mountPoint)}>Export to ${s.label}</button>
          </li>`)}</ul>`}
      </section>
      ${d.simulator ? html`<section class="card" data-test="developer-panel"><h2>Developer panel (simulated devices)</h2><div class="row">
        <button data-action="insert-stick" @click=${() => this.simulateStick('insert')}>Insert a simulated stick</button>
        <button data-action="remove-stick" @click=${() => this.simulateStick('remove')}>Remove it</button></div></section>` : nothing}
      <a class="button" href="/admin">Back</a>`;
  }
}
customElements.define('export-screen', ExportScreen);
