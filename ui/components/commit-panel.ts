// Confirm and Cancel for a change, and what follows: the command goes to the JSON API with one
// idempotency key per change (a double tap sends the same key, so it is one command), a refusal is shown
// as its plain sentence, success turns green and offers Undo for a few seconds. Undo records a correction
// for each event the change recorded (a hand receipt stays: it records what was signed); history keeps
// both. A change the two-person rule holds (SECOND_ADMIN_REQUIRED) asks a second admin for their badge and
// PIN (second-admin.ts) and goes again with the same key. Fires "committed" (detail: the answer).
import { LitElement, css, html, nothing } from 'lit';
import { command, newKey, recordTap, type Answer } from '../client/api.ts';
import { plainTimes } from '../format.ts';
import { kioskStyles } from '../styles.ts';
import './second-admin.ts';

type Phase = 'ready' | 'pending' | 'second' | 'done' | 'undoing' | 'undone';

/** Refusals of the second admin's badge and PIN: the prompt stays, with the sentence. */
const SECOND_REFUSALS = new Set(['SECOND_ADMIN_FAILED', 'SECOND_ADMIN_SAME', 'SECOND_ADMIN_INVALID', 'SECOND_ADMIN_REQUIRED', 'OPERATOR_LOCKED']);

export class CommitPanel extends LitElement {
  static override properties = {
    command: { type: String }, input: { type: Object }, confirmLabel: { type: String }, screen: { type: String }, target: { type: String },
    successText: { type: String }, undoSeconds: { type: Number }, cancelHref: { type: String }, disabled: { type: Boolean },
    phase: { state: true }, error: { state: true }, undoLeft: { state: true },
    secondMessage: { state: true }, secondError: { state: true }, secondBusy: { state: true },
  };
  static override styles = [kioskStyles, css`
    .buttons { display: flex; gap: 12px; justify-content: flex-end; margin-top: 10px; flex-wrap: wrap; }
    button.confirm { min-width: 200px; min-height: 64px; font-size: 22px; }
    .success { font-size: 22px; display: flex; align-items: center; gap: 12px; justify-content: space-between; flex-wrap: wrap; }
  `];
  declare command: string;
  declare input: Record<string, unknown>;
  declare confirmLabel: string;
  declare screen: string;
  declare target: string;
  declare successText: string;
  declare undoSeconds: number;
  declare cancelHref: string;
  declare disabled: boolean;
  declare phase: Phase;
  declare error: string;
  declare undoLeft: number;
  declare secondMessage: string;
  declare secondError: string;
  declare secondBusy: boolean;
  private key = '';
  private keyFor = '';
  private answer: Answer | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.command = '';
    this.input = {};
    this.confirmLabel = 'Confirm';
    this.screen = '';
    this.target = '';
    this.successText = 'Done.';
    this.undoSeconds = 0;
    this.cancelHref = '/';
    this.disabled = false;
    this.phase = 'ready';
    this.error = '';
    this.undoLeft = 0;
    this.secondMessage = '';
    this.secondError = '';
    this.secondBusy = false;
  }

  /** The key of this change: the same while the input is the same, so repeated taps are one command. */
  private keyOf(): string {
    const fingerprint = JSON.stringify([this.command, this.input]);
    if (fingerprint !== this.keyFor) {
      this.key = newKey();
      this.keyFor = fingerprint;
    }
    return this.key;
  }

  private async confirm() {
    const key = this.keyOf();
    this.error = '';
    this.phase = 'pending';
    void recordTap(this.screen, 'confirm', this.target);
    const answer = await command(this.command, this.input, key);
    if (!answer.ok) {
      if (answer.error.code === 'SECOND_ADMIN_REQUIRED') {
        this.phase = 'second';
        this.secondMessage = plainTimes(answer.error.message);
        this.secondError = '';
        return;
      }
      if (this.answer) return; // a double tap's answer after the first one succeeded: already shown
      this.phase = 'ready';
      this.error = plainTimes(answer.error.message);
      return;
    }
    this.succeeded(answer);
  }

  /** The same command again, with the same key, and the second admin's badge and PIN beside it. */
  private async confirmSecond(e: CustomEvent<{ badge: string; pin: string }>) {
    const key = this.keyOf();
    this.secondBusy = true;
    this.secondError = '';
    void recordTap(this.screen, 'second-admin', this.target);
    const answer = await command(this.command, { ...this.input, second_operator: e.detail.badge, second_pin: e.detail.pin }, key);
    this.secondBusy = false;
    if (!answer.ok) {
      if (SECOND_REFUSALS.has(answer.error.code)) {
        this.secondError = plainTimes(answer.error.message);
        return;
      }
      this.phase = 'ready';
      this.error = plainTimes(answer.error.message);
      return;
    }
    this.succeeded(answer);
  }

  private cancelSecond() {
    void recordTap(this.screen, 'cancel-second', this.target);
    this.phase = 'ready';
    this.secondError = '';
  }

  private succeeded(answer: Answer & { ok: true }) {
    if (this.answer) return; // the second tap's answer (replayed): already shown
    this.answer = answer;
    this.phase = 'done';
    this.dispatchEvent(new CustomEvent('committed', { detail: answer, bubbles: true, composed: true }));
    if (this.undoSeconds > 0 && Array.isArray(answer.events) && answer.events.length > 0) this.startUndoClock();
  }

  private startUndoClock() {
    this.undoLeft = Math.ceil(this.undoSeconds);
    this.timer = setInterval(() => {
      this.undoLeft -= 1;
      if (this.undoLeft > 0) return;
      clearInterval(this.timer);
      if (this.phase === 'done') location.assign('/'); // the change stands: ready for the next person
    }, 1000);
  }

  private async undo() {
    clearInterval(this.timer);
    this.phase = 'undoing';
    void recordTap(this.screen, 'undo', this.target);
    // A hand receipt is not undone: it stays as the record of what was signed; the custody change is corrected.
    const events = ((this.answer as { events?: { seq: number; type?: string }[] } | null)?.events ?? [])
      .filter((e) => e.type !== 'HandReceiptSigned').slice().reverse();
    for (const e of events) {
      const answer = await command('correct', { seq: e.seq, reason: 'Undo at the kiosk' }, `undo:${this.key}:${e.seq}`);
      if (!answer.ok) {
        this.phase = 'done';
        this.error = plainTimes(answer.error.message);
        return;
      }
    }
    this.phase = 'undone';
  }

  private async cancel() {
    await recordTap(this.screen, 'cancel', this.target);
    location.assign(this.cancelHref);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    const error = this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    if (this.phase === 'done' || this.phase === 'undoing') {
      return html`${error}<div class="success" role="status"><span>${this.successText}</span>
        <span class="row">
          ${this.undoLeft > 0 ? html`<button data-action="undo" ?disabled=${this.phase === 'undoing'} @click=${this.undo}>Undo (${this.undoLeft} s)</button>` : nothing}
          <a class="button primary" href="/" data-action="done">Done</a></span></div>`;
    }
    if (this.phase === 'undone') {
      return html`<div class="notice" role="status">Undone. A correction was recorded; the history keeps both.</div>
        <div class="buttons"><a class="button primary" href="/" data-action="done">Done</a></div>`;
    }
    if (this.phase === 'second') {
      return html`<second-admin message=${this.secondMessage} error=${this.secondError} ?busy=${this.secondBusy}
        @second-admin=${this.confirmSecond} @second-cancel=${this.cancelSecond}></second-admin>`;
    }
    return html`${error}<div class="buttons">
      <button data-action="cancel" @click=${this.cancel}>Cancel</button>
      <button class="confirm" data-action="confirm" ?disabled=${this.disabled} @click=${this.confirm}>${this.confirmLabel}</button></div>`;
  }
}
customElements.define('commit-panel', CommitPanel);
