// A message over the bottom of any screen for a few seconds: a rejected scan, "sign in first".
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';

export class KioskToast extends LitElement {
  static override properties = { text: { type: String }, tone: { type: String } };
  static override styles = [kioskStyles, css`
    :host { position: fixed; left: 12px; right: 12px; bottom: 12px; z-index: 10; }
    div { font-size: 20px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25); }
    .info { background: #1f2937; color: #fff; border-radius: 10px; padding: 12px 16px; font-weight: 600; }
  `];
  declare text: string;
  declare tone: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.text = '';
    this.tone = 'info';
  }

  show(text: string, tone: string): void {
    this.text = text;
    this.tone = tone;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.text = ''), tone === 'error' ? 8000 : 4000);
  }

  override render() {
    return this.text ? html`<div class=${this.tone} role="alert">${this.text}</div>` : nothing;
  }
}
customElements.define('kiosk-toast', KioskToast);
