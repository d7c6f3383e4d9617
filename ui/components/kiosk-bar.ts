// The strip along the top of every screen: where you are, who is signed in, and the way home.
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { PageContext } from '../view-types.ts';

export class KioskBar extends LitElement {
  static override properties = { context: { type: Object }, heading: { type: String } };
  static override styles = [kioskStyles, css`
    :host { display: flex; align-items: center; gap: 12px; padding: 6px 12px; background: #1f2937; color: #ffffff; min-height: 60px; box-sizing: border-box; }
    .title { font-size: 20px; font-weight: 700; flex: 1 1 auto; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .who { font-size: 18px; }
    a.button { min-height: 48px; padding: 4px 14px; font-size: 18px; background: #374151; color: #fff; border-color: #9ca3af; }
  `];
  declare context: PageContext;
  declare heading: string;

  override render() {
    const op = this.context.operator;
    return html`
      <a class="button" href="/" data-action="home">Home</a>
      <span class="title">${this.heading}</span>
      <span class="who">${op ? `${op.name}${op.role === 'admin' ? ' (admin)' : ''}` : 'Not signed in'}</span>`;
  }
}
customElements.define('kiosk-bar', KioskBar);
