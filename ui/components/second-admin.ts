// The two-person rule at the kiosk: when a change needs a second admin, they confirm it here with their
// badge (scanned, or typed on the on-screen keyboard) and their PIN on the PIN pad. While this is shown,
// an operator badge scan fills the badge instead of signing anyone in. Fires "second-admin" (detail:
// {badge, pin}) at the PIN pad's OK, and "second-cancel".
import { LitElement, css, html, nothing } from 'lit';
import { catchScans } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import './osk-input.ts';
import './pin-pad.ts';

export class SecondAdmin extends LitElement {
  static override properties = { message: { type: String }, error: { type: String }, busy: { type: Boolean }, badge: { state: true } };
  static override styles = [kioskStyles, css`
    :host { display: block; margin-top: 12px; }
    section { border-color: #0b4f9c; }
    .grid { display: grid; grid-template-columns: 1fr auto; gap: 16px; align-items: start; }
    @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
    .buttons { display: flex; justify-content: flex-end; margin-top: 8px; }
  `];
  /** why a second admin is needed (the rule's own sentence) */
  declare message: string;
  /** the last attempt's refusal (wrong PIN, same person, not an admin), or "" */
  declare error: string;
  declare busy: boolean;
  declare badge: string;
  private release: (() => void) | undefined;

  constructor() {
    super();
    this.message = '';
    this.error = '';
    this.busy = false;
    this.badge = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.release = catchScans((scan) => {
      if (scan.kind !== 'operator') return false;
      this.badge = scan.value;
      return true;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release?.();
  }

  override firstUpdated(): void {
    this.scrollIntoView?.({ block: 'nearest' });
  }

  override updated(changed: Map<string, unknown>): void {
    // a refusal shows above the PIN pad: bring it into view on a small screen
    if (changed.has('error') && this.error) this.renderRoot.querySelector('.error')?.scrollIntoView?.({ block: 'nearest' });
  }

  private submit(e: CustomEvent<string>) {
    const pad = e.target as HTMLElement & { clear(): void };
    pad.clear();
    if (!this.badge.trim()) return;
    this.dispatchEvent(new CustomEvent('second-admin', { detail: { badge: this.badge.trim(), pin: e.detail }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<section class="card" role="group" aria-label="Second admin">
      <h2>A second admin confirms: badge and PIN</h2>
      ${this.message ? html`<p>${this.message}</p>` : nothing}
      <div class="grid">
        <div>
          <osk-input label="Second admin's badge: scan it, or type it" name="second-badge" .value=${this.badge}
            @value-changed=${(e: CustomEvent<string>) => (this.badge = e.detail)}></osk-input>
          <p class="muted">Then their PIN, and OK.</p>
        </div>
        <div>
          ${this.error ? html`<p class="error" role="alert" data-test="second-error">${this.error}</p>` : nothing}
          <pin-pad label="Second admin's PIN" ?disabled=${this.busy || !this.badge.trim()} @pin-entered=${this.submit}></pin-pad>
        </div>
      </div>
      <div class="buttons"><button data-action="cancel-second" @click=${() => this.dispatchEvent(new CustomEvent('second-cancel', { bubbles: true, composed: true }))}>Cancel</button></div>
    </section>`;
  }
}
customElements.define('second-admin', SecondAdmin);
