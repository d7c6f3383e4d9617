// Screen 7, first step of a sweep: which case (or scan its label), or the whole cage. Each case says when it
// was last swept and is next due; today's proposed sweep and the sweeps someone has open are marked.
import { LitElement, css, html, nothing } from 'lit';
import { tapAndGo } from '../client/api.ts';
import type { Scan } from '../client/scans.ts';
import { dateTime, dayText } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { SweepChoiceData } from '../view-types.ts';

export class SweepChoiceScreen extends LitElement {
  static override properties = { data: { type: Object } };
  static override styles = [kioskStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px; }
    button { width: 100%; flex-direction: column; }
    small { font-size: 16px; font-weight: 400; }
    button.today { border-color: #0b4f9c; border-width: 3px; }
    button.open { background: #fef3c7; }
    .behind { color: #a4161a; font-weight: 700; }
    .marks { display: flex; gap: 6px; flex-wrap: wrap; justify-content: center; }
    .badge.warn { color: #78350f; }
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
    const today = this.data.cases.filter((c) => c.today).map((c) => c.label);
    return html`<h1>Which case?</h1><p>Tap a case or scan its label, or sweep the whole cage at once.
      ${today.length > 0 ? html`<b data-test="todays-sweep">Today's sweep: ${today.join(', ')}.</b>` : nothing}
      Each case is swept every ${this.data.intervalDays} days.</p>
      <ul><li><button data-action="sweep-cage" class=${this.data.cageOpenBy ? 'open' : ''}
        @click=${() => tapAndGo('sweep', 'start', 'CAGE', '/sweep-cage')}>
        <span>Whole cage</span><small>${this.data.cases.length} cases, ${filled} of ${slots} slots filled</small>
        ${this.data.cageOpenBy ? html`<span class="badge warn" data-test="open-by">Open: ${this.data.cageOpenBy}</span>` : nothing}</button></li>${this.data.cases.map((c) => html`<li><button data-case=${c.label}
        class="${c.today ? 'today' : ''} ${c.openBy ? 'open' : ''}"
        @click=${() => tapAndGo('sweep', 'start', c.label, `/sweep/${encodeURIComponent(c.label)}`)}>
        <span>${c.label}</span><small>${c.occupied} of ${c.slots} slots filled</small>
        <small data-test="last-swept">${c.lastSwept ? `Last swept ${dateTime(c.lastSwept)}` : 'Never swept'}</small>
        <small data-test="next-due" class=${c.daysBehind > 0 ? 'behind' : ''}>${c.daysBehind > 0 ? `Was due ${dayText(c.nextDue)}, ${c.daysBehind} ${c.daysBehind === 1 ? 'day' : 'days'} behind`
          : c.due ? 'Due today' : `Next due ${dayText(c.nextDue)}`}</small>
        <span class="marks">${c.today ? html`<span class="badge info" data-test="today">Today</span>` : nothing}${c.openBy
          ? html`<span class="badge warn" data-test="open-by">Open: ${c.openBy}</span>` : nothing}</span></button></li>`)}</ul>`;
  }
}
customElements.define('sweep-choice-screen', SweepChoiceScreen);
