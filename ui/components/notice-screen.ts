// A screen that only says something: "admin only", "not found", and the like.
import { LitElement, html } from 'lit';
import { kioskStyles } from '../styles.ts';

export class NoticeScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles];
  declare data: { title: string; message: string };

  override render() {
    return html`<h1>${this.data.title}</h1><p class="notice" role="alert">${this.data.message}</p>
      <p><a class="button primary" href="/">Back to start</a></p>`;
  }
}
customElements.define('notice-screen', NoticeScreen);
