// Screen 1, idle: what to do next (scan your badge, or scan an asset once signed in) and the cage at a glance.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { IdleData } from '../view-types.ts';
import './count-tiles.ts';

export class IdleScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    .prompt { font-size: 34px; font-weight: 800; margin: 4px 0 12px; }
    .hint { font-size: 18px; }
  `];
  declare data: IdleData;

  override render() {
    const d = this.data;
    return html`
      <p class="prompt">${d.signedIn ? 'Scan an asset' : 'Scan your badge'}</p>
      <p class="hint muted">${d.signedIn ? `Signed in as ${d.operatorName}. Scan a laptop, a holder badge or a case label.` : 'Or sign in with your PIN.'}</p>
      <count-tiles .counts=${d.counts}></count-tiles>`;
  }
}
customElements.define('idle-screen', IdleScreen);
