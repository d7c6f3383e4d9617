// Screen 5, return: the home slot is proposed; when it is taken, empty slots are offered and scanning a
// slot label picks one; Confirm. The hand receipt: a holder badge scanned here that is not the holder's
// names who brought it back (returned_by); whoever brought it back signs on the pad, or (where allowed) their
// badge scan stands in for the signature. Confirm waits for one of them when receipts are required.
import { LitElement, css, html, nothing } from 'lit';
import type { Scan } from '../client/scans.ts';
import { showMessage } from '../client/messages.ts';
import { kioskStyles } from '../styles.ts';
import type { ReceiptPerson, ReturnData, SignatureValue } from '../view-types.ts';
import './asset-summary.ts';
import './commit-panel.ts';
import './hand-receipt.ts';
import './slot-picker.ts';

export class ReturnScreen extends LitElement {
  static override properties = {
    data: { type: Object }, chosen: { state: true }, signature: { state: true }, ack: { state: true }, returnedBy: { state: true },
  };
  static override styles = [kioskStyles, css`
    .side { display: grid; grid-template-columns: 2fr 3fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .side { grid-template-columns: 1fr; } }
    .proposal { font-size: 22px; font-weight: 700; }
  `];
  declare data: ReturnData;
  declare chosen: string;
  declare signature: SignatureValue | null;
  /** the badge scanned as acknowledgement (the holder's, or the one who brought it back), or null */
  declare ack: ReceiptPerson | null;
  /** someone other than the holder brought it back: their badge, or null */
  declare returnedBy: ReceiptPerson | null;

  constructor() {
    super();
    this.chosen = '';
    this.signature = null;
    this.ack = null;
    this.returnedBy = null;
  }

  private homeFree(): boolean {
    return this.data.home !== null && this.data.home.tag === null;
  }

  /** The slot the asset goes to: the chosen one, else its home if free. */
  private target(): string {
    return this.chosen || (this.homeFree() ? this.data.home!.slot : '');
  }

  handleScan(scan: Scan): boolean {
    if (scan.kind === 'holder' && scan.ref) return this.badgeScanned(scan);
    if (scan.kind !== 'slot' || !scan.ref) return false;
    const slot = scan.ref;
    if (slot === this.data.home?.slot && this.homeFree()) this.chosen = '';
    else if (this.data.empty.includes(slot)) this.chosen = slot;
    else showMessage(`Slot ${slot} is not empty; choose an empty slot.`, 'error');
    return true;
  }

  /** A holder's badge: the holder's own acknowledges; anyone else's says they brought it back (and acknowledges, where allowed). */
  private badgeScanned(scan: Scan): true {
    const person = this.data.people.find((p) => p.id === scan.ref);
    const who: ReceiptPerson = { id: scan.ref!, name: person?.name ?? scan.value, badge: scan.value };
    const byHolder = this.data.asset.holder?.id === who.id;
    this.returnedBy = byHolder ? null : who;
    if (this.data.receipt.badgeAcknowledgement) this.ack = who;
    else {
      this.ack = null;
      showMessage(`${byHolder ? who.name : `Brought back by ${who.name}`}: they sign on the screen.`, 'info');
    }
    return true;
  }

  override render() {
    const { asset, home } = this.data;
    const target = this.target();
    const input: Record<string, unknown> = { tags: [asset.tag] };
    if (target && target !== home?.slot) input.slot = target;
    if (this.returnedBy) input.returned_by = this.returnedBy.badge;
    if (this.signature) input.signature = this.signature;
    if (this.ack) input.ack_badge = this.ack.badge;
    const receipt = this.data.receipt;
    const acknowledged = this.signature !== null || this.ack !== null;
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
      <hand-receipt mode="return" .setup=${receipt} signer=${this.returnedBy ? `${this.returnedBy.name} signs` : 'Whoever brings it back signs'}
        holderName=${asset.holder?.name ?? ''} .ack=${this.ack} .returnedBy=${this.returnedBy} ?signed=${this.signature !== null}
        @signature-change=${(e: CustomEvent<SignatureValue | null>) => (this.signature = e.detail)}
        @ack-cleared=${() => (this.ack = null)}
        @returned-by-cleared=${() => {
          if (this.ack?.id === this.returnedBy?.id) this.ack = null;
          this.returnedBy = null;
        }}></hand-receipt>
      <commit-panel command="return" .input=${input} screen="return" target=${asset.tag}
        confirmLabel=${target ? `Confirm: return to ${target}` : 'Choose a slot'} successText="${asset.tag} returned to ${target}."
        undoSeconds=${this.data.undoSeconds} ?disabled=${!target || (receipt.receiptsRequired && !acknowledged)} cancelHref="/asset/${encodeURIComponent(asset.tag)}"></commit-panel>`;
  }
}
customElements.define('return-screen', ReturnScreen);
