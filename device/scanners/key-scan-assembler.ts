// Turns key presses into scans, for every scanner that types (keyboard wedge via evdev, HID boot keyboard):
// tracks shift / caps lock, ends a scan on Enter, keypad Enter or a configured suffix.
//
// Decisions:
// - Auto-repeat (value 2) types nothing: scanners do not hold keys, so a repeat means a stuck key or a
//   slow host, and repeating the character would change the code that was printed on the label.
// - Rollover (the next key pressed before the previous one is released) needs nothing special: a character
//   is typed on its press, whatever is still held. Only the modifiers' held state matters.
// - A key that types no character in the US layout (F1, arrows, Ctrl/Alt combinations) puts U+FFFD in the
//   text: the scan still reaches intake, with its raw bytes, and intake rejects it as a garbled read
//   instead of the box guessing what was meant.
import { concatBytes } from './input-event.ts';
import { KEY, isEnterKey, isModifierKey, typedCharacter } from './keymap.ts';

export const UNREADABLE = '\uFFFD';

export interface AssembledScan {
  /** Without the terminator. */
  text: string;
  /** The raw bytes handed in with the key events of this scan, terminator included. */
  raw: Uint8Array;
}

export interface KeyScanAssemblerOptions {
  /** Ends a scan like Enter does, for scanners programmed with another suffix (e.g. a Tab); removed from the text. */
  suffix?: string;
  /** A scan that never ends stops growing here and is marked unreadable (default 1024 characters). */
  maxLength?: number;
}

const EMPTY = new Uint8Array(0);

export class KeyScanAssembler {
  readonly #suffix: string;
  readonly #maxLength: number;
  readonly #held = new Set<number>();
  #capsLock = false;
  #text = '';
  #raw: Uint8Array[] = [];
  #inScan = false;
  #overflowed = false;

  constructor(options: KeyScanAssemblerOptions = {}) {
    this.#suffix = options.suffix ?? '';
    this.#maxLength = options.maxLength ?? 1024;
  }

  /** One EV_KEY event (value 0 release, 1 press, 2 repeat); returns the scan it completes, if any. */
  key(code: number, value: number, raw: Uint8Array = EMPTY): AssembledScan | null {
    if (value === 1 || value === 2) this.#inScan = true;
    // Releases between scans (the previous Enter's release) belong to no scan.
    if (this.#inScan && raw.length > 0) this.#raw.push(raw);

    if (value === 0) {
      this.#held.delete(code);
      return null;
    }
    if (value !== 1) return null;

    if (isModifierKey(code)) {
      this.#held.add(code);
      if (code === KEY.CAPSLOCK) this.#capsLock = !this.#capsLock;
      return null;
    }
    if (isEnterKey(code)) return this.#finish(this.#text);

    const character = this.#combined() ? undefined : typedCharacter(code, this.#shift(), this.#capsLock);
    this.#append(character ?? UNREADABLE);
    if (this.#suffix && this.#text.endsWith(this.#suffix)) return this.#finish(this.#text.slice(0, -this.#suffix.length));
    return null;
  }

  /** Drops a half-read scan and the held keys: the device went away. */
  reset(): void {
    this.#held.clear();
    this.#capsLock = false;
    this.#clear();
  }

  #shift(): boolean {
    return this.#held.has(KEY.LEFTSHIFT) || this.#held.has(KEY.RIGHTSHIFT);
  }

  /** Ctrl, Alt or Meta held: the key means a command or a control code, not its character. */
  #combined(): boolean {
    return [KEY.LEFTCTRL, KEY.RIGHTCTRL, KEY.LEFTALT, KEY.RIGHTALT, KEY.LEFTMETA, KEY.RIGHTMETA].some((code) => this.#held.has(code));
  }

  #append(character: string): void {
    if (this.#text.length < this.#maxLength) this.#text += character;
    else this.#overflowed = true;
  }

  #finish(text: string): AssembledScan {
    const scan = { text: this.#overflowed ? text + UNREADABLE : text, raw: concatBytes(this.#raw) };
    this.#clear();
    return scan;
  }

  #clear(): void {
    this.#text = '';
    this.#raw = [];
    this.#inScan = false;
    this.#overflowed = false;
  }
}
