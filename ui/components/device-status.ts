// Which devices the kiosk listens to, said plainly (devices arrive in a later issue).
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { DeviceLine } from '../view-types.ts';

export class DeviceStatus extends LitElement {
  static override properties = { devices: { type: Array } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 4px 0; font-size: 16px; }
    b { display: inline-block; min-width: 6em; }
    .ok { color: #166534; } .off { color: #92400e; }
  `];
  declare devices: DeviceLine[];

  constructor() {
    super();
    this.devices = [];
  }

  override render() {
    return html`<ul>${this.devices.map((d) => html`<li><b>${d.name}</b> <span class=${d.ok ? 'ok' : 'off'}>${d.state}</span></li>`)}</ul>`;
  }
}
customElements.define('device-status', DeviceStatus);
