// Screen 10, the terms text holders sign under (admin): the version in force, and a new version typed on the
// on-screen keyboard (a physical keyboard works too) and saved with the set-terms command. Where the
// two-person rule is in force the commit panel asks for a second admin.
import { LitElement, css, html, nothing } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { TermsData } from '../view-types.ts';
import './commit-panel.ts';
import './osk-keyboard.ts';

/** Signs the on-screen keyboard lacks that terms need. */
const EXTRA_KEYS = [',', ';', ':', "'", '(', ')', '?', '!'];

export class TermsScreen extends LitElement {
  static override properties = { data: { type: Object }, text: { state: true }, open: { state: true }, capitals: { state: true }, saved: { state: true } };
  static override styles = [kioskStyles, css`
    .current .text { white-space: pre-wrap; max-height: 150px; overflow-y: auto; border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; }
    .fp { font-family: monospace; font-size: 16px; word-break: break-all; }
    .current { margin-bottom: 10px; }
    textarea { min-height: 120px; resize: vertical; }
    .keys { display: flex; gap: 4px; flex-wrap: wrap; margin: 6px 0; }
    .keys button { min-width: 56px; padding: 0 12px; }
    button[aria-pressed='true'] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; }
  `];
  declare data: TermsData;
  declare text: string;
  declare open: boolean;
  /** letters from the on-screen keyboard as capitals (it shows them so) or small letters */
  declare capitals: boolean;
  /** the version just saved here, or 0 */
  declare saved: number;

  constructor() {
    super();
    this.text = '';
    this.open = false;
    this.capitals = false;
    this.saved = 0;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('data') && !this.saved) this.text = this.data.current?.text ?? '';
  }

  private onKey(e: CustomEvent<string>) {
    e.stopPropagation();
    if (e.detail === 'done') this.open = false;
    else if (e.detail === 'del') this.text = this.text.slice(0, -1);
    else this.type(/^[A-Z]$/.test(e.detail) && !this.capitals ? e.detail.toLowerCase() : e.detail);
  }

  private type(text: string) {
    this.text += text;
  }

  private onCommitted(e: CustomEvent<{ terms?: { version: number; sha256: string } }>) {
    const terms = e.detail.terms;
    if (!terms) return;
    this.saved = terms.version;
    this.data = { ...this.data, current: { version: terms.version, sha256: terms.sha256, text: this.text.replace(/\r\n/g, '\n').trim() } };
  }

  override render() {
    const d = this.data;
    const next = (d.current?.version ?? 0) + 1;
    const changed = this.text.trim() !== '' && this.text.replace(/\r\n/g, '\n').trim() !== d.current?.text;
    const second = d.termsNeedSecond && d.twoPerson.inForce;
    return html`<h1>Terms text</h1>
      <section class="card current" data-test="current-terms">${d.current
        ? html`<h2>Version ${d.current.version} is in force</h2><div class="text">${d.current.text}</div>
          <p class="fp">SHA-256 ${d.current.sha256}</p>`
        : html`<h2>No terms text yet</h2><p class="muted">Hand receipts are signed without terms until a first version is set.</p>`}</section>
      <p class="muted" data-test="terms-rule">${second
        ? 'The two-person rule is in force: a second admin confirms the change with their badge and PIN.'
        : d.termsNeedSecond ? `No second admin is needed now. ${d.twoPerson.why}` : 'Changing the terms needs no second admin (ASSETTRACK_TWO_PERSON).'}</p>
      ${this.saved ? nothing : html`<label for="terms">New text (saved as version ${next})</label>
        <textarea id="terms" name="text" inputmode="none" .value=${this.text} @focus=${() => (this.open = true)}
          @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
        ${this.open ? html`<div class="keys"><button data-key="capitals" aria-pressed=${this.capitals ? 'true' : 'false'}
            @click=${() => (this.capitals = !this.capitals)}>Capitals</button>${EXTRA_KEYS.map((k) => html`<button data-key=${k} @click=${() => this.type(k)}>${k}</button>`)}
            <button data-key="newline" @click=${() => this.type('\n')}>New line</button>
            <button data-key="clear" @click=${() => (this.text = '')}>Clear</button></div>
          <osk-keyboard @osk-key=${this.onKey}></osk-keyboard>` : nothing}`}
      <commit-panel command="set-terms" .input=${{ text: this.text }} screen="admin" target="terms"
        confirmLabel="Save as version ${next}" successText="Terms version ${this.saved || next} saved." ?disabled=${!changed}
        @committed=${this.onCommitted} cancelHref="/admin"></commit-panel>`;
  }
}
customElements.define('terms-screen', TermsScreen);
