// A text field for the touchscreen: tapping it opens the on-screen keyboard under it (a physical keyboard
// works too). Fires "value-changed" (detail: the text) on every change.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import './osk-keyboard.ts';

export class OskInput extends LitElement {
  static override properties = {
    label: { type: String }, name: { type: String }, value: { type: String }, placeholder: { type: String },
    open: { type: Boolean, reflect: true },
  };
  static override styles = [kioskStyles, css`
    osk-keyboard { margin-top: 6px; }
  `];
  declare label: string;
  declare name: string;
  declare value: string;
  declare placeholder: string;
  declare open: boolean;

  constructor() {
    super();
    this.label = '';
    this.name = '';
    this.value = '';
    this.placeholder = '';
    this.open = false;
  }

  private set(value: string) {
    this.value = value;
    this.dispatchEvent(new CustomEvent('value-changed', { detail: value, bubbles: true, composed: true }));
  }

  private onKey(e: CustomEvent<string>) {
    e.stopPropagation();
    if (e.detail === 'done') this.open = false;
    else if (e.detail === 'del') this.set(this.value.slice(0, -1));
    else this.set(this.value + e.detail);
  }

  override render() {
    return html`
      <label for="field">${this.label}</label>
      <input id="field" type="text" inputmode="none" autocomplete="off" name=${this.name} .value=${this.value}
        placeholder=${this.placeholder} @focus=${() => (this.open = true)}
        @input=${(e: Event) => this.set((e.target as HTMLInputElement).value)}>
      ${this.open ? html`<osk-keyboard @osk-key=${this.onKey}></osk-keyboard>` : nothing}`;
  }
}
customElements.define('osk-input', OskInput);
