// Screen 0, first run on an empty store: enrol the first admin here (on a box that drew a one-time enrolment
// code at first boot, that code first; then name, badge scanned or typed, PIN twice), or load the demo cage.
import { LitElement, css, html, nothing } from 'lit';
import { command, newKey, post, recordTap } from '../client/api.ts';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { FirstRunData } from '../view-types.ts';
import './osk-input.ts';
import './pin-pad.ts';

type Step = 'code' | 'name' | 'badge' | 'pin' | 'again';

/** Refusals that send the person back to the code step. */
const CODE_REFUSALS = ['ENROLMENT_CODE_REQUIRED', 'ENROLMENT_CODE_WRONG', 'ENROLMENT_LOCKED'];

export class FirstRunScreen extends LitElement {
  static override properties = {
    data: { type: Object }, step: { state: true }, code: { state: true }, name: { state: true }, badge: { state: true }, error: { state: true },
    busy: { state: true },
  };
  static override styles = [kioskStyles, css`
    .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 14px; }
    @media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
    .next { display: flex; justify-content: flex-end; gap: 12px; margin-top: 10px; }
  `];
  declare data: FirstRunData;
  /** null until the person moves on: the first step, which depends on the data */
  declare step: Step | null;
  declare code: string;
  declare name: string;
  declare badge: string;
  declare error: string;
  declare busy: boolean;
  private pin = '';
  private readonly key = newKey();

  constructor() {
    super();
    this.step = null;
    this.code = '';
    this.name = '';
    this.badge = '';
    this.error = '';
    this.busy = false;
  }

  private get current(): Step {
    return this.step ?? (this.data.enrolmentCodeRequired ? 'code' : 'name');
  }

  /** A scanned badge fills the badge step. */
  handleScan(scan: Scan): boolean {
    if (this.current !== 'badge') return false;
    if (scan.kind !== 'unknown') {
      this.error = `"${scan.value}" is already used; scan a new badge.`;
      return true;
    }
    this.badge = scan.value;
    this.error = '';
    return true;
  }

  private async enrol(pin: string) {
    if (pin !== this.pin) {
      this.error = 'The two PINs differ. Enter the PIN again.';
      this.step = 'pin';
      return;
    }
    this.busy = true;
    void recordTap('first-run', 'confirm', 'enrol-admin');
    const code = this.data.enrolmentCodeRequired ? { enrolment_code: this.code } : {};
    const answer = await command('register-operator', { name: this.name, badge: this.badge, pin, role: 'admin', ...code }, this.key);
    if (!answer.ok) {
      this.busy = false;
      this.error = answer.error.message;
      // A wrong code (or the lock after five) is typed again; the name and badge stay as they were.
      if (CODE_REFUSALS.includes(answer.error.code)) {
        this.code = '';
        this.step = 'code';
      } else this.step = 'name';
      return;
    }
    await post('/kiosk/session', { badge: this.badge, pin });
    location.assign('/');
  }

  private async demo() {
    this.busy = true;
    await recordTap('first-run', 'start', 'demo');
    const answer = await post('/api/demo');
    if (!answer.ok) {
      this.busy = false;
      this.error = answer.error.message;
      return;
    }
    location.assign('/');
  }

  private renderStep() {
    switch (this.current) {
      case 'code':
        return html`<p>Enter the <b>enrolment code</b> shown on the screen at first start.</p>
          <osk-input label="Enrolment code" name="enrolment-code" placeholder="XXXX-XXXX" .value=${this.code}
            @value-changed=${(e: CustomEvent<string>) => (this.code = e.detail)}></osk-input>
          <div class="next"><button class="primary" data-action="next" ?disabled=${!this.code.trim()} @click=${() => { this.error = ''; this.step = 'name'; }}>Next</button></div>`;
      case 'name':
        return html`<osk-input label="Your name" .value=${this.name} @value-changed=${(e: CustomEvent<string>) => (this.name = e.detail)}></osk-input>
          <div class="next">${this.data.enrolmentCodeRequired ? html`<button @click=${() => (this.step = 'code')}>Back</button>` : nothing}
          <button class="primary" data-action="next" ?disabled=${!this.name.trim()} @click=${() => (this.step = 'badge')}>Next</button></div>`;
      case 'badge':
        return html`<p><b>Scan your badge</b>, or type its code.</p>
          <osk-input label="Badge" .value=${this.badge} @value-changed=${(e: CustomEvent<string>) => (this.badge = e.detail)}></osk-input>
          <div class="next"><button @click=${() => (this.step = 'name')}>Back</button>
          <button class="primary" data-action="next" ?disabled=${!this.badge.trim()} @click=${() => (this.step = 'pin')}>Next</button></div>`;
      case 'pin':
        return html`<pin-pad label="Choose a PIN (4 to 8 digits)" @pin-entered=${(e: CustomEvent<string>) => { this.pin = e.detail; this.error = ''; this.step = 'again'; }}></pin-pad>`;
      case 'again':
        return html`<pin-pad label="The same PIN again" ?disabled=${this.busy} @pin-entered=${(e: CustomEvent<string>) => this.enrol(e.detail)}></pin-pad>`;
    }
  }

  override render() {
    return html`<h1>Welcome to AssetTrack</h1>
      <p>This kiosk has no operators yet.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="columns">
        <section class="card"><h2>Enrol the first admin</h2>${this.renderStep()}</section>
        ${this.data.demoAvailable ? html`<section class="card"><h2>Or try the demo cage</h2>
          <p>3 cases, 40 laptops, 12 holders and three operators (badges and PINs in the README).</p>
          <button class="primary" data-action="load-demo" ?disabled=${this.busy} @click=${this.demo}>Load the demo cage</button></section>` : nothing}
      </div>`;
  }
}
customElements.define('first-run-screen', FirstRunScreen);
