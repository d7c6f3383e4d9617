// Screen 10, admin home: what an admin can do here (the server let only an admin in), and whether the
// two-person rule is in force and why.
import { LitElement, css, html } from 'lit';
import { tapAndGo } from '../client/api.ts';
import { kioskStyles } from '../styles.ts';
import type { AdminData } from '../view-types.ts';

export class AdminScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
    button { width: 100%; flex-direction: column; align-items: flex-start; text-align: left; }
    small { font-size: 16px; font-weight: 400; }
    .key { margin-top: 14px; } .in-force { border-left: 6px solid #166534; } .off { border-left: 6px solid #92400e; } .fp { font-family: monospace; font-size: 16px; word-break: break-all; }
  `];
  declare data: AdminData;

  override render() {
    return html`<h1>Admin</h1><ul>${this.data.sections.map((s) => html`<li><button data-href=${s.href}
      @click=${() => tapAndGo('admin', 'start', s.href, s.href)}><span>${s.label}</span><small>${s.hint}</small></button></li>`)}</ul>
      <section class="card key ${this.data.twoPerson.inForce ? 'in-force' : 'off'}" data-test="two-person">
        <h2>Two-person rule: ${this.data.twoPerson.inForce ? 'in force' : 'not in force'}</h2><p>${this.data.twoPerson.why}</p></section>
      <section class="card key"><h2>Device ${this.data.deviceId}</h2><p>Device key fingerprint (audit exports are signed with this key):</p>
      <p class="fp" data-test="fingerprint">${this.data.fingerprint}</p></section>`;
  }
}
customElements.define('admin-screen', AdminScreen);
