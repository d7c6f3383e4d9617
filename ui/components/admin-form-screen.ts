// Screen 10, a registration form (asset, case, holder, operator): on-screen keyboard fields, choices as
// buttons, a PIN pad for PINs; a scan fills the field waiting for a code. Confirm sends the command.
import { LitElement, css, html, nothing } from 'lit';
import type { Scan } from '../client/scans.ts';
import { kioskStyles } from '../styles.ts';
import type { AdminField, AdminFormData } from '../view-types.ts';
import './commit-panel.ts';
import './osk-input.ts';
import './pin-pad.ts';

export class AdminFormScreen extends LitElement {
  static override properties = { data: { type: Object }, values: { state: true }, done: { state: true } };
  static override styles = [kioskStyles, css`
    .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; align-items: start; }
    @media (max-width: 900px) { .fields { grid-template-columns: 1fr; } }
    .choices { display: flex; flex-wrap: wrap; gap: 8px; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
    .pin { font-size: 18px; }
  `];
  declare data: AdminFormData;
  declare values: Record<string, string>;
  declare done: boolean;

  constructor() {
    super();
    this.values = {};
    this.done = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('data')) this.values = Object.fromEntries(this.data.fields.map((f) => [f.name, f.value ?? '']));
  }

  /** A scanned code goes into the first empty field that takes scans (a new tag, a badge, a slot label). */
  handleScan(scan: Scan): boolean {
    const field = this.data.fields.find((f) => f.scans && !this.values[f.name]);
    if (!field) return false;
    this.values = { ...this.values, [field.name]: scan.value };
    return true;
  }

  private set(name: string, value: string) {
    this.values = { ...this.values, [name]: value };
  }

  private field(f: AdminField) {
    if (f.kind === 'choice') {
      return html`<div><label>${f.label}</label><div class="choices">${(f.choices ?? []).map((c) => html`<button data-choice=${c}
        aria-pressed=${this.values[f.name] === c ? 'true' : 'false'} @click=${() => this.set(f.name, c)}>${c}</button>`)}</div></div>`;
    }
    if (f.kind === 'pin') {
      return html`<div><pin-pad label=${this.values[f.name] ? `${f.label}: set` : f.label} @pin-entered=${(e: CustomEvent<string>) => this.set(f.name, e.detail)}></pin-pad></div>`;
    }
    return html`<osk-input label=${f.label} name=${f.name} .value=${this.values[f.name] ?? ''}
      @value-changed=${(e: CustomEvent<string>) => this.set(f.name, e.detail)}></osk-input>`;
  }

  override render() {
    const input: Record<string, unknown> = { ...this.data.fixed };
    for (const [k, v] of Object.entries(this.values)) if (v.trim()) input[k] = v.trim();
    const ready = this.data.fields.filter((f) => f.kind !== 'choice').some((f) => this.values[f.name]?.trim());
    return html`<h1>${this.data.title}</h1>
      <div class="fields">${this.data.fields.map((f) => this.field(f))}</div>
      <commit-panel command=${this.data.command} .input=${input} screen="admin" target=${this.data.command}
        confirmLabel="Confirm: ${this.data.title.toLowerCase()}" successText="Recorded." ?disabled=${!ready}
        @committed=${() => (this.done = true)} cancelHref="/admin"></commit-panel>
      ${this.done ? html`<p><a class="button" href=${location.pathname}>Register another</a></p>` : nothing}`;
  }
}
customElements.define('admin-form-screen', AdminFormScreen);
