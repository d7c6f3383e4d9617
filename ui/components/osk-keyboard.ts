// An on-screen keyboard for a kiosk with no keyboard: letters, digits, a few signs, space, delete, done.
// Fires "osk-key" (detail: a character, "del" or "done").
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';

const ROWS = ['1234567890', 'QWERTYUIOP', 'ASDFGHJKL-', 'ZXCVBNM./@'];

export class OskKeyboard extends LitElement {
  static override styles = [kioskStyles, css`
    :host { display: block; background: #d1d5db; padding: 6px; border-radius: 10px; }
    .row { display: flex; gap: 4px; margin-bottom: 4px; justify-content: center; }
    button { flex: 1 1 0; min-width: 48px; min-height: 48px; padding: 0; font-size: 20px; }
    .wide { flex: 3 1 0; }
  `];

  private key(k: string) {
    this.dispatchEvent(new CustomEvent('osk-key', { detail: k, bubbles: true, composed: true }));
  }

  override render() {
    return html`${ROWS.map((row) => html`<div class="row">${[...row].map((c) => html`<button data-key=${c} @click=${() => this.key(c)}>${c}</button>`)}</div>`)}
      <div class="row">
        <button class="wide" data-key="space" @click=${() => this.key(' ')}>Space</button>
        <button data-key="del" aria-label="Delete" @click=${() => this.key('del')}>⌫</button>
        <button class="primary" data-key="done" @click=${() => this.key('done')}>Done</button>
      </div>`;
  }
}
customElements.define('osk-keyboard', OskKeyboard);
