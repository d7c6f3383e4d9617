// Screen 7, first step of a sweep: which case (or scan its label), or the whole cage.
import { LitElement, css, html } from 'lit';
import { tapAndGo } from '../client/api.ts';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { SweepChoiceData } from '../view-types.ts';

export class SweepChoiceScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px; }
    button { width: 100%; flex-direction: column; }
    small { font-size: 16px; font-weight: 400; }
  `];
  declare data: SweepChoiceData;

  handleScan(scan: Scan): boolean {
    if (scan.kind !== 'case' || !scan.ref) return false;
    location.assign(`/sweep/${encodeURIComponent(scan.ref)}`);
    return true;
  }

  override render() {
    const filled = this.data.cases.reduce((n, c) => n + c.occupied, 0);
    const slots = this.data.cases.reduce((n, c) => n + c.slots, 0);
    return html`<h1>Which case?</h1><p>Tap a case or scan its label, or sweep the whole cage at once.</p>
      <ul><li><button data-action="sweep-cage"
        @click=${() => tapAndGo('sweep', 'start', 'CAGE', '/sweep-cage')}>
        <span>Whole cage</span><small>${this.data.cases.length} cases, ${filled} of ${slots} slots filled</small></button></li>${this.data.cases.map((c) => html`<li><button data-case=${c.label}
        @click=${() => tapAndGo('sweep', 'start', c.label, `/sweep/${encodeURIComponent(c.label)}`)}>
        <span>${c.label}</span><small>${c.occupied} of ${c.slots} slots filled</small></button></li>`)}</ul>`;
  }
}
customElements.define('sweep-choice-screen', SweepChoiceScreen);
