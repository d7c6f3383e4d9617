// A finger signature: pointer events on a canvas (touch-action: none, the pointer captured for the whole
// stroke), kept as vector strokes of whole-number points in the pad's own pixel grid (the grid is fixed
// at the first touch, so a resize only scales the drawing). Points closer than 2 px to the last one are
// dropped, and the whole signature holds at most 5000 points. Clear starts over. Fires
// "signature-change" after every stroke and after Clear: detail {width, height, strokes}, or null while
// the pad holds no signature (less than two points: a tap is not a signature).
import { LitElement, css, html } from 'lit';
import { kioskStyles } from '../styles.ts';
import type { SignatureValue } from '../view-types.ts';

/** The same cap the rules apply (appliance/domain/receipts.ts MAX_SIGNATURE_POINTS). */
export const MAX_POINTS = 5000;
/** Points closer than this (in the pad's pixels) to the previous one add nothing. */
const MIN_STEP = 2;

type Point = [number, number];

export class SignaturePad extends LitElement {
  static override properties = { label: { type: String }, disabled: { type: Boolean }, points: { state: true }, full: { state: true } };
  static override styles = [kioskStyles, css`
    :host { display: block; }
    .pad { position: relative; height: 180px; border: 2px solid #4b5563; border-radius: 10px; background: #ffffff; overflow: hidden; }
    canvas { display: block; width: 100%; height: 100%; touch-action: none; cursor: crosshair; }
    .line { position: absolute; left: 16px; right: 16px; bottom: 40px; border-bottom: 2px dashed #6b7280; pointer-events: none; }
    .hint { position: absolute; left: 16px; bottom: 8px; color: #374151; pointer-events: none; font-size: 17px; }
    .under { display: flex; gap: 12px; align-items: center; justify-content: space-between; margin-top: 6px; }
    .state { font-weight: 600; }
  `];
  declare label: string;
  declare disabled: boolean;
  /** how many points the signature holds (drives what is shown under the pad) */
  declare points: number;
  declare full: boolean;
  private strokes: Point[][] = [];
  private grid: { width: number; height: number } | null = null;
  private pointer: number | null = null;
  private resizer: ResizeObserver | undefined;

  constructor() {
    super();
    this.label = 'Sign here with your finger';
    this.disabled = false;
    this.points = 0;
    this.full = false;
  }

  /** The signature as the rules take it, or null while there is none. */
  get value(): SignatureValue | null {
    if (!this.grid || this.points < 2) return null;
    return { width: this.grid.width, height: this.grid.height, strokes: this.strokes.filter((s) => s.length > 0).map((s) => s.map(([x, y]) => [x, y] as Point)) };
  }

  /** Empties the pad (the Clear button, or a screen whose list changed after signing). */
  clear(): void {
    const had = this.points > 0;
    this.strokes = [];
    this.grid = null;
    this.pointer = null;
    this.points = 0;
    this.full = false;
    this.draw();
    if (had) this.emit();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver !== 'undefined') {
      this.resizer = new ResizeObserver(() => this.draw());
      this.resizer.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
  }

  private canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  private emit() {
    this.dispatchEvent(new CustomEvent('signature-change', { detail: this.value, bubbles: true, composed: true }));
  }

  /** A pointer position in the pad's grid: whole numbers, inside the pad. */
  private pointOf(e: PointerEvent, rect: DOMRect): Point {
    const g = this.grid!;
    const x = Math.round(((e.clientX - rect.left) * g.width) / Math.max(rect.width, 1));
    const y = Math.round(((e.clientY - rect.top) * g.height) / Math.max(rect.height, 1));
    return [Math.min(Math.max(x, 0), g.width), Math.min(Math.max(y, 0), g.height)];
  }

  private add(p: Point): boolean {
    if (this.points >= MAX_POINTS) {
      this.full = true;
      return false;
    }
    const stroke = this.strokes[this.strokes.length - 1]!;
    const last = stroke[stroke.length - 1];
    if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP) return false;
    stroke.push(p);
    this.points += 1;
    return true;
  }

  private down(e: PointerEvent) {
    if (this.disabled || this.pointer !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    const canvas = e.currentTarget as HTMLCanvasElement;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    const rect = canvas.getBoundingClientRect();
    this.grid ??= { width: Math.max(10, Math.round(rect.width)), height: Math.max(10, Math.round(rect.height)) };
    this.pointer = e.pointerId;
    this.strokes.push([]);
    this.add(this.pointOf(e, rect));
    this.draw();
  }

  private move(e: PointerEvent) {
    if (e.pointerId !== this.pointer) return;
    e.preventDefault();
    const rect = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    let added = false;
    for (const each of events.length > 0 ? events : [e]) added = this.add(this.pointOf(each, rect)) || added;
    if (added) this.draw();
  }

  private up(e: PointerEvent) {
    if (e.pointerId !== this.pointer) return;
    this.pointer = null;
    if (this.strokes[this.strokes.length - 1]?.length === 0) this.strokes.pop();
    this.emit();
  }

  /** Draws every stroke, scaled from the signing grid to the canvas as it is now. */
  private draw() {
    const canvas = this.canvas();
    if (!canvas) return;
    const rect = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * ratio));
    const h = Math.max(1, Math.round(rect.height * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    if (!this.grid) return;
    const sx = w / this.grid.width;
    const sy = h / this.grid.height;
    ctx.lineWidth = 3 * ratio;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#0b1f44';
    ctx.fillStyle = '#0b1f44';
    for (const stroke of this.strokes) {
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(stroke[0]![0] * sx, stroke[0]![1] * sy, 2 * ratio, 0, Math.PI * 2);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      stroke.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * sx, y * sy) : ctx.lineTo(x * sx, y * sy)));
      ctx.stroke();
    }
  }

  override render() {
    const empty = this.points === 0;
    return html`<div class="pad">
        <canvas data-test="signature-canvas" aria-label=${this.label} role="img"
          @pointerdown=${this.down} @pointermove=${this.move} @pointerup=${this.up} @pointercancel=${this.up} @lostpointercapture=${this.up}></canvas>
        <div class="line"></div>
        <span class="hint" ?hidden=${!empty}>${this.label}</span>
      </div>
      <div class="under">
        <span class="state" role="status">${this.full ? 'The pad is full: this is the signature.' : empty ? 'Not signed yet.' : this.points < 2 ? 'Keep going: a tap is not a signature.' : 'Signed.'}</span>
        <button data-action="clear-signature" ?disabled=${empty || this.disabled} @click=${() => this.clear()}>Clear</button>
      </div>`;
  }
}
customElements.define('signature-pad', SignaturePad);
