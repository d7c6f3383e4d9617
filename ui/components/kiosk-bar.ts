// The strip along the top of every screen: the way home, where you are, who is signed in, the idle
// countdown (amber in its last seconds) and Sign out.
import { LitElement, css, html, nothing } from 'lit';
import { post } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { PageContext } from '../view-types.ts';

/** Seconds before the sign-out from which the bar warns. */
const WARN_SECONDS = 20;

export class KioskBar extends LitElement {
  static override properties = { context: { type: Object }, heading: { type: String }, remaining: { type: Number } };
  static override styles = [kioskStyles, css`
    :host { display: flex; align-items: center; gap: 10px; padding: 6px 10px; background: #1f2937; color: #ffffff; min-height: 60px; box-sizing: border-box; }
    :host([warn]) { background: #fde68a; color: #111827; }
    .title { font-size: 20px; font-weight: 700; flex: 1 1 auto; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .who { font-size: 18px; white-space: nowrap; }
    .countdown { font-size: 17px; font-variant-numeric: tabular-nums; white-space: nowrap; }
    a.button, button { min-height: 48px; padding: 4px 14px; font-size: 18px; background: #374151; color: #fff; border-color: #9ca3af; }
    :host([warn]) a.button, :host([warn]) button { background: #1f2937; }
  `];
  declare context: PageContext;
  declare heading: string;
  /** Seconds left before the idle sign-out; set by the idle timer in the browser. */
  declare remaining: number | undefined;

  override updated(): void {
    this.toggleAttribute('warn', this.remaining !== undefined && this.remaining <= WARN_SECONDS);
  }

  private async signOut() {
    await post('/kiosk/sign-out');
    location.assign('/');
  }

  override render() {
    const op = this.context.operator;
    const left = this.remaining;
    const countdown = left === undefined ? nothing : left <= WARN_SECONDS
      ? `Signing out in ${left} s, tap to stay`
      : `Sign-out in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    return html`
      <a class="button" href="/" data-action="home">Home</a>
      <span class="title">${this.heading}</span>
      ${op ? html`<span class="countdown" role="timer">${countdown}</span>` : nothing}
      <span class="who">${op ? `${op.name}${op.role === 'admin' ? ' (admin)' : ''}` : 'Not signed in'}</span>
      ${op ? html`<button @click=${this.signOut} data-action="sign-out">Sign out</button>` : nothing}`;
  }
}
customElements.define('kiosk-bar', KioskBar);
