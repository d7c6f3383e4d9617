// The expected return date of an issue: what the asset type gives (computed by the screen's loader with
// the rules' own function), changed with large +1 day / +1 week buttons, a date picker, or Open-ended.
// Fires "due-change" (detail: "YYYY-MM-DD", "open", or "" for the default again).
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';

const DAY_MS = 86_400_000;

/** YYYY-MM-DD plus whole days (at noon UTC, so no daylight-saving edge moves the day): as the rules count. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** "Wed 25 Mar 2026" for a YYYY-MM-DD date; "Open-ended" for "open". */
export function dueWords(due: string): string {
  if (due === 'open' || due === 'none') return 'Open-ended';
  const d = new Date(`${due}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? due : d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export class DuePicker extends LitElement {
  static override properties = { today: { type: String }, defaults: { type: Array }, value: { type: String } };
  static override styles = [kioskStyles, css`
    .when { font-size: 22px; font-weight: 800; margin-bottom: 6px; }
    .controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
    .controls button { min-width: 96px; }
    input[type='date'] {
      box-sizing: border-box; min-height: 56px; font: inherit; font-size: 19px; padding: 6px 10px;
      border: 2px solid #4b5563; border-radius: 10px; background: #ffffff; color: #111827;
    }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
    ul { margin: 0 0 6px; padding-left: 20px; }
  `];
  /** today on the box (YYYY-MM-DD): the earliest date that can be picked */
  declare today: string;
  /** each asset's default return date ("open" = open-ended), from the asset types */
  declare defaults: string[];
  /** "" = the defaults; else the date chosen for every asset, or "open" */
  declare value: string;

  constructor() {
    super();
    this.today = '';
    this.defaults = [];
    this.value = '';
  }

  /** The one default all the assets share, or null when their types give different dates. */
  private shared(): string | null {
    const set = new Set(this.defaults);
    return set.size === 1 ? this.defaults[0]! : set.size === 0 ? 'open' : null;
  }

  /** The date shown now: the chosen one, the shared default, or (defaults differ) the earliest of them. */
  private shown(): string {
    if (this.value) return this.value;
    const shared = this.shared();
    if (shared) return shared;
    return this.defaults.filter((d) => d !== 'open').sort()[0] ?? 'open';
  }

  private set(value: string) {
    this.value = value;
    this.dispatchEvent(new CustomEvent('due-change', { detail: value, bubbles: true, composed: true }));
  }

  private shift(days: number) {
    const base = this.shown();
    this.set(plusDays(base === 'open' ? this.today : base, days));
  }

  private picked(e: Event) {
    const v = (e.target as HTMLInputElement).value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) this.set(v < this.today ? this.today : v);
  }

  override render() {
    const shown = this.shown();
    const mixed = !this.value && this.shared() === null;
    return html`<div class="when" data-due=${this.value || 'default'}>${mixed ? 'By asset type' : dueWords(shown)}</div>
      ${mixed ? html`<p class="muted">Each asset gets its type's return date: ${[...new Set(this.defaults)].map(dueWords).join(', ')}.</p>` : nothing}
      <div class="controls">
        <button data-action="due-day" @click=${() => this.shift(1)}>+1 day</button>
        <button data-action="due-week" @click=${() => this.shift(7)}>+1 week</button>
        <input type="date" aria-label="Pick a return date" min=${this.today} .value=${shown === 'open' || mixed ? '' : shown} @change=${this.picked}>
        <button data-action="due-open" aria-pressed=${this.value === 'open' ? 'true' : 'false'} @click=${() => this.set('open')}>Open-ended</button>
        ${this.value ? html`<button data-action="due-reset" @click=${() => this.set('')}>Default</button>` : nothing}
      </div>`;
  }
}
customElements.define('due-picker', DuePicker);
