// The US keyboard layout, the one barcode scanners are configured for out of the box: which character a
// Linux key code (linux/input-event-codes.h) types, with and without shift, and how a HID keyboard usage
// (HID Usage Tables, page 0x07) maps onto those codes, as the kernel's hid-input does.

export const KEY = {
  ESC: 1,
  BACKSPACE: 14,
  TAB: 15,
  ENTER: 28,
  LEFTCTRL: 29,
  LEFTSHIFT: 42,
  RIGHTSHIFT: 54,
  LEFTALT: 56,
  CAPSLOCK: 58,
  F1: 59,
  NUMLOCK: 69,
  KPENTER: 96,
  RIGHTCTRL: 97,
  RIGHTALT: 100,
  LEFTMETA: 125,
  RIGHTMETA: 126,
  /** What the kernel reports for a key it has no code for; we use it for HID usages with no mapping too. */
  UNKNOWN: 240,
} as const;

/** [unshifted, shifted]. Keypad keys assume Num Lock on, which is how scanners send keypad digits. */
const US_LAYOUT: Readonly<Record<number, readonly [string, string]>> = {
  2: ['1', '!'], 3: ['2', '@'], 4: ['3', '#'], 5: ['4', '$'], 6: ['5', '%'],
  7: ['6', '^'], 8: ['7', '&'], 9: ['8', '*'], 10: ['9', '('], 11: ['0', ')'],
  12: ['-', '_'], 13: ['=', '+'], 15: ['\t', '\t'],
  16: ['q', 'Q'], 17: ['w', 'W'], 18: ['e', 'E'], 19: ['r', 'R'], 20: ['t', 'T'],
  21: ['y', 'Y'], 22: ['u', 'U'], 23: ['i', 'I'], 24: ['o', 'O'], 25: ['p', 'P'],
  26: ['[', '{'], 27: [']', '}'],
  30: ['a', 'A'], 31: ['s', 'S'], 32: ['d', 'D'], 33: ['f', 'F'], 34: ['g', 'G'],
  35: ['h', 'H'], 36: ['j', 'J'], 37: ['k', 'K'], 38: ['l', 'L'],
  39: [';', ':'], 40: ["'", '"'], 41: ['`', '~'], 43: ['\\', '|'],
  44: ['z', 'Z'], 45: ['x', 'X'], 46: ['c', 'C'], 47: ['v', 'V'], 48: ['b', 'B'],
  49: ['n', 'N'], 50: ['m', 'M'],
  51: [',', '<'], 52: ['.', '>'], 53: ['/', '?'], 57: [' ', ' '],
  55: ['*', '*'], 71: ['7', '7'], 72: ['8', '8'], 73: ['9', '9'], 74: ['-', '-'],
  75: ['4', '4'], 76: ['5', '5'], 77: ['6', '6'], 78: ['+', '+'],
  79: ['1', '1'], 80: ['2', '2'], 81: ['3', '3'], 82: ['0', '0'], 83: ['.', '.'], 98: ['/', '/'],
};

const MODIFIER_KEYS: ReadonlySet<number> = new Set([
  KEY.LEFTSHIFT, KEY.RIGHTSHIFT, KEY.LEFTCTRL, KEY.RIGHTCTRL, KEY.LEFTALT, KEY.RIGHTALT,
  KEY.LEFTMETA, KEY.RIGHTMETA, KEY.CAPSLOCK, KEY.NUMLOCK,
]);

export function isModifierKey(code: number): boolean {
  return MODIFIER_KEYS.has(code);
}

export function isEnterKey(code: number): boolean {
  return code === KEY.ENTER || code === KEY.KPENTER;
}

/** The character a key types, or undefined for a key that types none in this layout. */
export function typedCharacter(code: number, shift: boolean, capsLock: boolean): string | undefined {
  const pair = US_LAYOUT[code];
  if (!pair) return undefined;
  const [plain, shifted] = pair;
  // Caps Lock only affects letters: shift+caps gives lower case again, digits and symbols ignore it.
  const isLetter = plain !== shifted && /^[a-z]$/.test(plain);
  return (isLetter && capsLock ? !shift : shift) ? shifted : plain;
}

export interface KeyStroke {
  code: number;
  shift: boolean;
}

const STROKE_FOR_CHARACTER: ReadonlyMap<string, KeyStroke> = (() => {
  const strokes = new Map<string, KeyStroke>();
  // Main block first so '1' is the top-row key, not the keypad one (a scanner types the top row).
  const codes = Object.keys(US_LAYOUT).map(Number).sort((a, b) => a - b);
  for (const code of codes) {
    const [plain, shifted] = US_LAYOUT[code]!;
    if (!strokes.has(plain)) strokes.set(plain, { code, shift: false });
    if (!strokes.has(shifted)) strokes.set(shifted, { code, shift: true });
  }
  return strokes;
})();

/** The key (and shift) that types a character on a US keyboard, or undefined when none does. */
export function keyStrokeFor(character: string): KeyStroke | undefined {
  return STROKE_FOR_CHARACTER.get(character);
}

/** HID keyboard page usages 0x04..0x63 as Linux key codes (the kernel's hid_keyboard table). */
const HID_USAGE_TO_KEY: readonly number[] = [
  0, 0, 0, 0, // 0x00 no event, 0x01 ErrorRollOver, 0x02 POSTFail, 0x03 ErrorUndefined
  30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44, // a..z
  2, 3, 4, 5, 6, 7, 8, 9, 10, 11, // 1..9, 0
  28, 1, 14, 15, 57, 12, 13, 26, 27, 43, 43, 39, 40, 41, 51, 52, 53, 58, // Enter .. Caps Lock (0x28..0x39)
  59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 87, 88, // F1..F12 (0x3a..0x45)
  99, 70, 119, 110, 102, 104, 111, 107, 109, 106, 105, 108, 103, // PrintScreen .. Up (0x46..0x52)
  69, 98, 55, 74, 78, 96, 79, 80, 81, 75, 76, 77, 71, 72, 73, 82, 83, // Num Lock .. KP . (0x53..0x63)
];

/** Modifier byte of a boot keyboard report, bit 0 to bit 7. */
export const HID_MODIFIER_KEYS: readonly number[] = [
  KEY.LEFTCTRL, KEY.LEFTSHIFT, KEY.LEFTALT, KEY.LEFTMETA, KEY.RIGHTCTRL, KEY.RIGHTSHIFT, KEY.RIGHTALT, KEY.RIGHTMETA,
];

/** The Linux key code for a HID keyboard usage; KEY.UNKNOWN when the layout has none (it gets flagged). */
export function linuxKeyForHidUsage(usage: number): number {
  const code = HID_USAGE_TO_KEY[usage];
  return code ? code : KEY.UNKNOWN;
}

/** The HID usage for a Linux key code (what a real keyboard reports as its EV_MSC scan code), or 0. */
export function hidUsageForLinuxKey(code: number): number {
  const usage = HID_USAGE_TO_KEY.indexOf(code);
  return usage < 4 ? 0 : usage;
}
