// Screen 7, inventory sweep of one case or of the whole cage: scan what is physically there (scan a slot
// label first to say where the next asset sits); the grids show expected against seen, the list what does
// not belong. Confirm records the verification and every discrepancy (missing, unexpected, wrong slot).
// Opening the screen starts the sweep (sweep-start), or resumes the operator's own open one with the assets
// scanned since it started; another operator's open sweep is refused with the rules' sentence naming them.
// Save and leave keeps it open (every scan is an event already); Abandon gives it up without a result.
import { LitElement, css, html, nothing } from 'lit';
import { command, getJson, newKey, recordTap } from '../client/api.ts';
import type { Scan } from '../client/scans.ts';
import { clockTime, plainTimes } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import type { AssetInfo, SweepCase, SweepData } from '../view-types.ts';
import './commit-panel.ts';
import './sweep-grid.ts';
import type { SweepTile } from './sweep-grid.ts';

interface Seen {
  tag: string;
  /** slot (CASE/N) where it was seen, if a slot label was scanned first */
  at: string | null;
  outcome: 'verified' | 'wrong_slot' | 'unexpected';
  note: string;
}

export class SweepScreen extends LitElement {
  static override properties = {
    data: { type: Object }, seen: { state: true }, position: { state: true }, result: { state: true },
    phase: { state: true }, refused: { state: true }, note: { state: true }, error: { state: true }, abandoning: { state: true },
  };
  static override styles = [kioskStyles, css`
    .layout { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    ul { margin: 0; padding-left: 20px; }
    h3 { margin: 8px 0 4px; font-size: 18px; }
    .session { display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap; margin-bottom: 10px; }
    .session p { margin: 0; flex: 1 1 300px; }
    .error { margin-bottom: 10px; }
  `];
  declare data: SweepData;
  declare seen: Seen[];
  /** the slot (CASE/N) the next asset scan goes in, '' for none */
  declare position: string;
  declare result: string;
  /** starting: sweep-start not answered yet; open: this operator's sweep; closed: recorded or abandoned */
  declare phase: 'starting' | 'open' | 'closed';
  /** sweep-start's refusal (another operator has it open), when it came after the page was rendered */
  declare refused: string;
  /** what sweep-start said: started now, or resumed with the scans made since */
  declare note: string;
  declare error: string;
  /** Abandon was tapped: ask once more */
  declare abandoning: boolean;

  constructor() {
    super();
    this.seen = [];
    this.position = '';
    this.result = '';
    this.phase = 'starting';
    this.refused = '';
    this.note = '';
    this.error = '';
    this.abandoning = false;
  }

  /** Opened from a cradle upload: its scans, in the order the scanner read them, as if scanned here now. Then the sweep starts. */
  override firstUpdated(): void {
    if (this.refusal) return;
    for (const scan of this.data.cradle?.scans ?? []) {
      this.handleScan({ ...scan, seq: 0, source: 'cradle', device: '', duplicate: false, reason: '' });
    }
    void this.start();
  }

  /** Why this operator cannot sweep it (another operator has it open), or ''. */
  private get refusal(): string {
    return this.refused || this.data.refusal || '';
  }

  private get scope(): Record<string, unknown> {
    return this.whole ? { cage: true } : { case: this.data.case };
  }

  /** Starts the sweep, or resumes this operator's own: the assets scanned since it started go back on the grid. */
  private async start() {
    const answer = await command('sweep-start', this.scope, newKey());
    if (!answer.ok) {
      if (answer.error.code === 'SWEEP_OPEN') this.refused = plainTimes(answer.error.message);
      else this.error = plainTimes(answer.error.message);
      return;
    }
    if (this.phase === 'starting') this.phase = 'open';
    const sweep = answer.sweep as { started_at: string };
    const seen = Array.isArray(answer.seen) ? (answer.seen as string[]) : [];
    if (answer.resumed) {
      this.note = seen.length === 0 ? `Resumed your sweep of ${this.name} started at ${clockTime(sweep.started_at)}; nothing was scanned since.`
        : `Resumed your sweep of ${this.name} started at ${clockTime(sweep.started_at)}: ${seen.length} scanned since then (${seen.join(', ')}).`;
      for (const tag of seen) if (!this.seen.some((s) => s.tag === tag)) await this.see(tag, null);
    } else {
      this.note = `Sweep of ${this.name} started at ${clockTime(sweep.started_at)}.`;
    }
  }

  private async leave() {
    await recordTap('sweep', 'save-and-leave', this.data.case ?? 'CAGE');
    location.assign('/');
  }

  private async abandon() {
    this.error = '';
    const answer = await command('sweep-abandon', { ...this.scope, reason: 'abandoned at the kiosk' }, newKey());
    if (!answer.ok) {
      this.error = plainTimes(answer.error.message);
      this.abandoning = false;
      return;
    }
    this.phase = 'closed';
    location.assign('/sweep');
  }

  private get whole(): boolean {
    return this.data.case === null;
  }

  private get name(): string {
    return this.data.case ?? 'the whole cage';
  }

  handleScan(scan: Scan): boolean {
    // someone else's sweep: this screen records nothing, and a scan opens nothing else either
    if (this.refusal) return scan.kind !== 'operator' && scan.kind !== 'holder';
    if (scan.kind === 'slot' && scan.ref && this.data.cases.some((c) => scan.ref!.startsWith(`${c.label}/`))) {
      this.position = scan.ref;
      return true;
    }
    if (scan.kind === 'asset' && scan.ref) {
      void this.see(scan.ref);
      return true;
    }
    if (scan.kind === 'unknown') {
      this.add({ tag: scan.value, at: this.position || null, outcome: 'unexpected', note: 'not registered' });
      return true;
    }
    return false;
  }

  private add(entry: Seen) {
    this.seen = [...this.seen.filter((s) => s.tag !== entry.tag), entry];
    if (entry.at === this.position) this.position = '';
  }

  private async see(tag: string, at = this.position || null) {
    const expected = this.data.cases.flatMap((c) => c.slots).find((s) => s.tag === tag);
    if (expected) {
      const wrong = at !== null && at !== expected.slot;
      return this.add({ tag, at, outcome: wrong ? 'wrong_slot' : 'verified', note: wrong ? `belongs in ${expected.slot}` : '' });
    }
    const answer = await getJson<{ asset: AssetInfo }>(`/api/assets/${encodeURIComponent(tag)}`);
    const a = answer?.asset;
    if (a && a.state === 'in_storage') this.add({ tag, at, outcome: 'wrong_slot', note: a.slot ? `belongs in ${a.slot}` : 'has no slot' });
    else this.add({ tag, at, outcome: 'unexpected', note: a?.state === 'issued' ? `issued to ${a.holder?.name}` : a?.state === 'retired' ? 'retired' : '' });
  }

  /** where a seen asset was, as the operator reads it: the slot number in a one-case sweep, CASE/N in the cage */
  private where(at: string | null): string {
    if (!at) return '?';
    return this.whole ? at : at.slice(at.lastIndexOf('/') + 1);
  }

  private tiles(box: SweepCase): SweepTile[] {
    return box.slots.map((s) => {
      const here = this.seen.find((x) => x.at === s.slot && x.tag !== s.tag);
      const mine = this.seen.find((x) => x.tag === s.tag);
      if (here) return { n: s.n, expected: s.tag, status: 'wrong', note: `seen: ${here.tag}` };
      if (mine && mine.outcome === 'verified') return { n: s.n, expected: s.tag, status: 'seen', note: 'seen' };
      if (mine) return { n: s.n, expected: s.tag, status: 'wrong', note: `seen in ${this.where(mine.at)}` };
      return { n: s.n, expected: s.tag, status: s.tag ? 'waiting' : 'empty', note: s.tag ? 'not seen yet' : '' };
    });
  }

  private onCommitted(e: CustomEvent<Record<string, unknown>>) {
    const n = (k: string) => (Array.isArray(e.detail[k]) ? (e.detail[k] as unknown[]).length : 0);
    this.phase = 'closed';
    this.result = `Sweep of ${this.name} recorded: ${n('verified')} verified, ${n('missing')} missing, ${n('unexpected')} unexpected, ${n('wrong_slot')} in the wrong slot.`;
  }

  private grid(box: SweepCase) {
    const position = this.position.startsWith(`${box.label}/`) ? Number(this.position.slice(box.label.length + 1)) : 0;
    return html`<sweep-grid data-case=${box.label} .tiles=${this.tiles(box)} position=${position} ?compact=${this.whole}></sweep-grid>`;
  }

  override render() {
    const slots = this.data.cases.flatMap((c) => c.slots);
    const expected = slots.filter((s) => s.tag).length;
    const verified = this.seen.filter((s) => s.outcome === 'verified').length;
    const odd = this.seen.filter((s) => s.outcome !== 'verified');
    const seenList = this.seen.map((s) => (s.at ? `${s.tag}@${this.whole ? s.at : this.where(s.at)}` : s.tag));
    const next = this.position ? `; next scan goes in ${this.whole ? this.position : `slot ${this.where(this.position)}`}` : '';
    const seenIn = (box: SweepCase) => box.slots.filter((s) => s.tag && this.seen.some((x) => x.tag === s.tag && x.outcome === 'verified')).length;
    return html`${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}${this.sessionBar()}<div class="layout">
        <section><h2>${this.whole ? 'Whole cage' : this.data.case}: ${verified} of ${expected} seen${next || nothing}</h2>
          ${this.whole
            ? this.data.cases.map((box) => html`<h3>${box.label}: ${seenIn(box)} of ${box.slots.filter((s) => s.tag).length} seen</h3>${this.grid(box)}`)
            : this.grid(this.data.cases[0]!)}</section>
        <section class="card"><h2>Does not belong here</h2>
          ${odd.length === 0 ? html`<p class="muted">Nothing so far.</p>` : html`<ul>${odd.map((s) => html`<li data-tag=${s.tag}>
            <b>${s.tag}</b>: ${s.outcome === 'unexpected' ? 'unexpected' : 'wrong slot'}${s.note ? `, ${s.note}` : nothing}</li>`)}</ul>`}
          <p class="muted">Scan a slot label, then the asset in it, to check positions too. Unseen assets are marked missing at Confirm.</p>
        </section>
      </div>
      ${this.data.cradle ? html`<p class="from-cradle" data-test="from-cradle">From cradle upload ${this.data.cradle.batch} (${this.data.cradle.count} scans); scan more to add to it.</p>` : nothing}
      ${this.refusal ? nothing : html`<commit-panel command="sweep" .input=${{ ...(this.whole ? { cage: true } : { case: this.data.case }), seen: seenList, ...(this.data.cradle ? { batch: this.data.cradle.batch } : {}) }} screen="sweep"
        target=${this.data.case ?? 'CAGE'} confirmLabel="Confirm sweep (${this.seen.length} seen)" successText=${this.result || 'Sweep recorded.'}
        @committed=${this.onCommitted} cancelHref="/sweep"></commit-panel>`}`;
  }

  /** Whose sweep this is: refused (someone else's), or this operator's, with Save and leave and Abandon. */
  private sessionBar() {
    if (this.refusal) {
      return html`<section class="error session" role="alert" data-test="sweep-refused"><p>${this.refusal}</p>
        <span class="row">${this.data.admin ? this.abandonButtons('Abandon their sweep (admin)') : nothing}
          <a class="button" href="/sweep" data-action="back">Back to the cases</a></span></section>`;
    }
    if (this.phase === 'closed') return nothing;
    const open = this.data.open;
    const note = this.note || (open ? `Resuming your sweep of ${this.name} started at ${clockTime(open.startedAt)}.` : `Starting the sweep of ${this.name}.`);
    return html`<section class="card session" data-test="sweep-session"><p><span data-test="sweep-note">${note}</span>
        Every scan is recorded as you go: Save and leave keeps the sweep open for you, and opening ${this.name} again resumes it.</p>
      <span class="row"><button data-action="save-and-leave" @click=${this.leave}>Save and leave</button>${this.abandonButtons('Abandon')}</span></section>`;
  }

  private abandonButtons(label: string) {
    if (!this.abandoning) return html`<button data-action="abandon" @click=${() => (this.abandoning = true)}>${label}</button>`;
    return html`<span class="row" data-test="abandon-confirm"><b>Give up this sweep? Nothing is recorded as seen or missing.</b>
      <button data-action="keep-sweeping" @click=${() => (this.abandoning = false)}>Keep it</button>
      <button class="danger" data-action="abandon-confirm" @click=${this.abandon}>Abandon sweep</button></span>`;
  }
}
customElements.define('sweep-screen', SweepScreen);
