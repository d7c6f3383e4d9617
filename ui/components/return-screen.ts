// Screen 5, return: the home slot is proposed; when it is taken, empty slots are offered and scanning a
// slot label picks one; Confirm.
import { LitElement, css, html, nothing } from 'lit';
import type { Scan } from '../client/scans.ts';
import { showMessage } from '../client/messages.ts';
import { kioskStyles } from '../styles.ts';
import type { ReturnData } from '../view-types.ts';
import './asset-summary.ts';
import './commit-panel.ts';
import './slot-picker.ts';

export class ReturnScreen extends LitElement {
  static override properties = { data: { type: Object }, chosen: { state: true } };
  static override styles = [kioskStyles, css`
    .side { display: grid; grid-template-columns: 2fr 3fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .side { grid-template-columns: 1fr; } }
    .proposal { font-size: 22px; font-weight: 700; }
  `];
  declare data: ReturnData;
  declare chosen: string;

  constructor() {
    super();
    this.chosen = '';
  }

  private homeFree(): boolean {
    return this.data.home !== null && this.data.home.tag === null;
  }

  /** The slot the asset goes to: the chosen one, else its home if free. */
  private target(): string {
    return this.chosen || (this.homeFree() ? this.data.home!.slot : '');
  }

  handleScan(scan: Scan): boolean {
    if (scan.kind !== 'slot' || !scan.ref) return false;
    const slot = scan.ref;
    if (slot === this.data.home?.slot && this.homeFree()) this.chosen = '';
    else if (this.data.empty.includes(slot)) this.chosen = slot;
    else showMessage(`Slot ${slot} is not empty; choose an empty slot.`, 'error');
    return true;
  }

  override render() {
    const { asset, home } = this.data;
    const target = this.target();
    const input: Record<string, unknown> = { tags: [asset.tag] };
    if (target && target !== home?.slot) input.slot = target;
    return html`<div class="side">
        <asset-summary .asset=${asset}></asset-summary>
        <section>
          ${this.homeFree() && !this.chosen
            ? html`<p class="proposal">Put it back in ${home!.slot}, its home slot.</p><p class="muted">Or scan another slot's label.</p>`
            : html`${home?.tag ? html`<p class="notice">Its home slot ${home.slot} holds ${home.tag}. Choose an empty slot or scan its label.</p>`
                : !home ? html`<p class="notice">${asset.tag} has no home slot. Choose an empty slot or scan its label.</p>` : nothing}
              ${target ? html`<p class="proposal">Put it in ${target}.</p>` : nothing}
              <slot-picker .slots=${this.data.empty} selected=${this.chosen} @slot-picked=${(e: CustomEvent<string>) => (this.chosen = e.detail)}></slot-picker>`}
        </section>
      </div>
      <commit-panel command="return" .input=${input} screen="return" target=${asset.tag}
        confirmLabel=${target ? `Confirm: return to ${target}` : 'Choose a slot'} successText="${asset.tag} returned to ${target}."
        undoSeconds=${this.data.undoSeconds} ?disabled=${!target} cancelHref="/asset/${encodeURIComponent(asset.tag)}"></commit-panel>`;
  }
}
customElements.define('return-screen', ReturnScreen);
