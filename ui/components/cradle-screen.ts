// A cradle upload: what the batch scanner read (in order, with the scanner's own time), and what to make
// of it. Each choice opens the usual screen filled from the upload, with its own review and Confirm;
// Dismiss records that the upload was looked at and not used. Nothing here changes custody by itself.
import { LitElement, css, html, nothing } from 'lit';
import { dateTime } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { CradleBatchData } from '../view-types.ts';
import './commit-panel.ts';

const KIND_WORDS: Record<string, string> = {
  asset: 'Asset', holder: 'Holder badge', operator: 'Operator badge', case: 'Case', slot: 'Slot', unknown: 'Unknown', rejected: 'Rejected',
};

export class CradleScreen extends LitElement {
  static override properties = { data: { type: Object }, dismissing: { state: true } };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    .list { max-height: 300px; overflow-y: auto; }
    .actions { display: grid; gap: 8px; }
    .actions a { text-align: center; }
    .why { color: #7f1d1d; font-size: 16px; }
  `];
  declare data: CradleBatchData;
  declare dismissing: boolean;

  constructor() {
    super();
    this.dismissing = false;
  }

  override render() {
    const { batch, scans, cases, signedIn } = this.data;
    const q = `batch=${encodeURIComponent(batch.batch)}`;
    const assets = scans.filter((s) => s.kind === 'asset').length;
    const problems = scans.filter((s) => s.kind === 'unknown' || s.kind === 'rejected').length;
    return html`
      <p>${batch.count} scan${batch.count === 1 ? '' : 's'} from ${batch.device}, uploaded ${dateTime(batch.uploadedAt)}:
        ${assets} asset${assets === 1 ? '' : 's'}${problems ? html`, <b>${problems} not understood</b>` : nothing}.</p>
      <div class="layout">
        <section class="card"><div class="list"><table>
          <thead><tr><th>Scanned</th><th>What it is</th><th>Read at</th></tr></thead>
          <tbody>${scans.map((s) => html`<tr data-seq=${s.seq}><td><b>${s.value}</b></td>
            <td>${KIND_WORDS[s.kind] ?? s.kind}${s.reason ? html`<div class="why">${s.reason}</div>` : nothing}</td>
            <td>${dateTime(s.correctedTime || s.scannerTime)}</td></tr>`)}</tbody></table></div></section>
        <section class="card">${batch.status !== 'pending'
          ? html`<h2>Already ${batch.status}</h2><p>This upload was ${batch.status} (event ${batch.resolvedSeq}).</p><a class="button" href="/">Back</a>`
          : !signedIn ? html`<h2>Sign in to use it</h2><p>Scan your badge, then choose what this upload is.</p>`
          : this.dismissing ? html`<h2>Dismiss this upload?</h2><p>The scans stay in the log; custody does not change.</p>
              <commit-panel command="cradle-dismiss" .input=${{ batch: batch.batch, reason: 'dismissed at the kiosk' }} screen="cradle" target=${batch.batch}
                confirmLabel="Confirm: dismiss" successText="Upload dismissed." cancelHref="/cradle/${batch.batch}"
                @committed=${() => setTimeout(() => location.assign('/'), 800)}></commit-panel>`
          : html`<h2>What is this upload?</h2><div class="actions">
              ${cases.map((label) => html`<a class="button" data-action="sweep-case" href="/sweep/${encodeURIComponent(label)}?${q}">Inventory sweep of ${label}</a>`)}
              <a class="button" data-action="sweep-cage" href="/sweep-cage?${q}">Inventory sweep of the whole cage</a>
              <a class="button" data-action="batch-return" href="/batch?mode=return&${q}">Batch return</a>
              <a class="button" data-action="batch-issue" href="/batch?mode=issue&${q}">Batch issue to a holder</a>
              <button data-action="dismiss" @click=${() => { this.dismissing = true; }}>Dismiss</button></div>`}
        </section>
      </div>`;
  }
}
customElements.define('cradle-screen', CradleScreen);
