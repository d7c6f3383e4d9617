// Screen 2, sign in: tap your name, enter your PIN (or just scan your badge). Five wrong PINs lock an
// operator for five minutes; the list says who is locked and for how long.
import { LitElement, css, html, nothing } from 'lit';
import { getJson, post, recordTap } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { SignInData } from '../view-types.ts';
import './pin-pad.ts';

export class SignInScreen extends LitElement {
  static override properties = { data: { type: Object }, chosen: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 1fr auto; gap: 16px; align-items: start; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px; }
    button.name { width: 100%; justify-content: flex-start; flex-direction: column; align-items: flex-start; }
    button.name small { font-size: 16px; font-weight: 400; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
  `];
  declare data: SignInData;
  declare chosen: string;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.chosen = '';
    this.error = '';
    this.busy = false;
  }

  private choose(id: string) {
    this.chosen = id;
    this.error = '';
    void recordTap('sign-in', 'start', id);
  }

  private async submit(e: CustomEvent<string>) {
    const pad = e.target as HTMLElement & { clear(): void };
    this.busy = true;
    const answer = await post('/kiosk/session', { operator: this.chosen, pin: e.detail });
    if (answer.ok) return location.assign('/');
    this.busy = false;
    pad.clear();
    const fresh = await getJson<{ data: SignInData }>('/sign-in');
    if (fresh) this.data = fresh.data;
    const op = this.data.operators.find((o) => o.id === this.chosen);
    this.error = answer.error.code === 'SIGN_IN_FAILED' && op && op.triesLeft > 0
      ? `That PIN is wrong. ${op.triesLeft} ${op.triesLeft === 1 ? 'try' : 'tries'} left before a 5-minute lock.`
      : answer.error.message;
  }

  override render() {
    const op = this.data.operators.find((o) => o.id === this.chosen);
    return html`<h1>Who are you?</h1>
      <p>Tap your name and enter your PIN, or scan your badge.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <ul>${this.data.operators.map((o) => html`<li><button class="name" data-operator=${o.id} aria-pressed=${o.id === this.chosen ? 'true' : 'false'}
          ?disabled=${o.lockedMinutes > 0} @click=${() => this.choose(o.id)}>
          <span>${o.name}</span><small>${o.lockedMinutes > 0 ? `Locked: try again in ${o.lockedMinutes} min` : o.role}</small></button></li>`)}</ul>
        ${op ? html`<pin-pad label="PIN for ${op.name}" ?disabled=${this.busy || op.lockedMinutes > 0} @pin-entered=${this.submit}></pin-pad>` : nothing}
      </div>`;
  }
}
customElements.define('sign-in-screen', SignInScreen);
