// A touch PIN pad: ten digits, Delete and OK, the PIN shown as dots. Fires "pin-entered" (detail: the PIN).
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';

export class PinPad extends LitElement {
  static override properties = { disabled: { type: Boolean }, pin: { state: true }, label: { type: String } };
  static override styles = [kioskStyles, css`
    :host { display: inline-block; }
    .dots { font-size: 32px; letter-spacing: 10px; min-height: 44px; text-align: center; border: 2px solid #4b5563; border-radius: 10px; background: #fff; margin-bottom: 8px; }
    .keys { display: grid; grid-template-columns: repeat(3, 72px); gap: 8px; }
    button { min-height: 56px; font-size: 24px; padding: 0; }
    .label { font-weight: 600; margin-bottom: 4px; }
  `];
  declare disabled: boolean;
  declare pin: string;
  declare label: string;

  constructor() {
    super();
    this.disabled = false;
    this.pin = '';
    this.label = 'PIN';
  }

  clear(): void {
    this.pin = '';
  }

  private press(key: string) {
    if (key === 'del') this.pin = this.pin.slice(0, -1);
    else if (key === 'ok') {
      if (this.pin.length === 0) return;
      this.dispatchEvent(new CustomEvent('pin-entered', { detail: this.pin, bubbles: true, composed: true }));
    } else if (this.pin.length < 8) this.pin += key;
  }

  override render() {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'del', '0', 'ok'];
    return html`
      <div class="label">${this.label}</div>
      <div class="dots" aria-label="${this.pin.length} digits entered">${'•'.repeat(this.pin.length) || ' '}</div>
      <div class="keys">${keys.map((k) => html`<button
        class=${k === 'ok' ? 'confirm' : ''} ?disabled=${this.disabled} data-key=${k}
        aria-label=${k === 'del' ? 'Delete' : k === 'ok' ? 'OK' : k}
        @click=${() => this.press(k)}>${k === 'del' ? '⌫' : k === 'ok' ? 'OK' : k}</button>`)}</div>`;
  }
}
customElements.define('pin-pad', PinPad);
