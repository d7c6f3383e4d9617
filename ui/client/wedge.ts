// Keyboard-wedge capture: a barcode scanner that types like a keyboard sends its characters in a fast
// burst ending in Enter. Such a burst anywhere on the page is a scan (and is taken back out of a text
// field it landed in); a person typing, slower, in a field is left alone.

export interface WedgeOptions {
  /** Longest pause between two characters of one scan. */
  maxGapMs: number;
  /** Shortest scan. */
  minLength: number;
}

const DEFAULTS: WedgeOptions = { maxGapMs: 50, minLength: 3 };

type Field = HTMLInputElement | HTMLTextAreaElement;

const isField = (el: EventTarget | undefined): el is Field =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

export function captureWedge(onScan: (text: string) => void, options: Partial<WedgeOptions> = {}): () => void {
  const { maxGapMs, minLength } = { ...DEFAULTS, ...options };
  let buffer = '';
  let last = 0;
  let field: Field | null = null;
  let before = '';

  const reset = () => {
    buffer = '';
    field = null;
  };

  const onKeyDown = (ev: KeyboardEvent) => {
    const now = ev.timeStamp;
    const gap = now - last;
    if (ev.key === 'Enter') {
      const scan = buffer.length >= minLength && gap <= maxGapMs;
      if (scan) {
        ev.preventDefault();
        ev.stopPropagation();
        if (field && field.value !== before) {
          field.value = before;
          field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        }
        const text = buffer;
        reset();
        onScan(text);
      } else {
        reset();
      }
      last = now;
      return;
    }
    if (ev.key.length !== 1 || ev.ctrlKey || ev.metaKey || ev.altKey) return; // Shift and the like: not characters
    if (buffer === '' || gap > maxGapMs) {
      // A new burst (or a slow key that ends any burst): remember the field as it was before it.
      const target = ev.composedPath()[0];
      field = isField(target) ? target : null;
      before = field?.value ?? '';
      buffer = ev.key;
    } else {
      buffer += ev.key;
    }
    last = now;
  };

  window.addEventListener('keydown', onKeyDown, true);
  return () => window.removeEventListener('keydown', onKeyDown, true);
}
