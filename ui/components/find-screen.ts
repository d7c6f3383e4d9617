// A scanned code the cage does not know: said plainly; an admin is offered to register it as an asset.
import { LitElement, html, nothing } from 'lit';
import { tapAndGo } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { FindData } from '../view-types.ts';

export class FindScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles];
  declare data: FindData;

  override render() {
    const { code, message, registerHref } = this.data;
    return html`<h1>Unknown code</h1><p class="notice" role="alert">${message}</p>
      <div class="row">
        ${registerHref ? html`<button class="primary" data-action="register" @click=${() => tapAndGo('find', 'start-register', code, registerHref)}>Register ${code} as a new asset</button>` : nothing}
        <a class="button" href="/">Back to start</a>
      </div>`;
  }
}
customElements.define('find-screen', FindScreen);
