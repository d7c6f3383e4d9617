import { describe, expect, it } from 'vitest';
import { KeyScanAssembler, UNREADABLE } from '../../../device/scanners/key-scan-assembler.ts';
import { KEY, keyStrokeFor, typedCharacter } from '../../../device/scanners/keymap.ts';

const [PRESS, RELEASE, REPEAT] = [1, 0, 2];
const A = 30;
const ONE = 2;
const SLASH = 53;

/** Feeds [code, value] pairs; returns the texts of the scans they complete. */
function feed(assembler: KeyScanAssembler, events: Array<[number, number]>): string[] {
  return events.flatMap(([code, value]) => {
    const scan = assembler.key(code, value);
    return scan ? [scan.text] : [];
  });
}

const tap = (code: number): Array<[number, number]> => [[code, PRESS], [code, RELEASE]];

describe('US keymap', () => {
  it('types letters, digits and symbols with and without shift', () => {
    expect(typedCharacter(A, false, false)).toBe('a');
    expect(typedCharacter(A, true, false)).toBe('A');
    expect(typedCharacter(ONE, true, false)).toBe('!');
    expect(typedCharacter(SLASH, true, false)).toBe('?');
    expect(typedCharacter(KEY.F1, false, false)).toBeUndefined();
  });

  it('applies caps lock to letters only, and shift undoes it', () => {
    expect(typedCharacter(A, false, true)).toBe('A');
    expect(typedCharacter(A, true, true)).toBe('a');
    expect(typedCharacter(ONE, false, true)).toBe('1');
  });

  it('finds the top-row key for a digit, not the keypad one', () => {
    expect(keyStrokeFor('7')).toEqual({ code: 8, shift: false });
    expect(keyStrokeFor('~')).toEqual({ code: 41, shift: true });
    expect(keyStrokeFor('é')).toBeUndefined();
  });
});

describe('KeyScanAssembler', () => {
  it('ends a scan on Enter and on keypad Enter, without the terminator', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [...tap(A), ...tap(KEY.ENTER), ...tap(ONE), ...tap(KEY.KPENTER)])).toEqual(['a', '1']);
  });

  it('honours either shift key and caps lock', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [
      [KEY.LEFTSHIFT, PRESS], ...tap(A), [KEY.LEFTSHIFT, RELEASE],
      [KEY.RIGHTSHIFT, PRESS], ...tap(ONE), [KEY.RIGHTSHIFT, RELEASE],
      ...tap(KEY.CAPSLOCK), ...tap(A), [KEY.LEFTSHIFT, PRESS], ...tap(A), [KEY.LEFTSHIFT, RELEASE], ...tap(KEY.CAPSLOCK), ...tap(A),
      ...tap(KEY.ENTER),
    ])).toEqual(['A!Aaa']);
  });

  it('keeps shift held while the other shift is released', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [
      [KEY.LEFTSHIFT, PRESS], [KEY.RIGHTSHIFT, PRESS], [KEY.RIGHTSHIFT, RELEASE], ...tap(A), [KEY.LEFTSHIFT, RELEASE], ...tap(A), ...tap(KEY.ENTER),
    ])).toEqual(['Aa']);
  });

  it('types nothing on auto-repeat', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [[A, PRESS], [A, REPEAT], [A, REPEAT], [A, RELEASE], ...tap(KEY.ENTER)])).toEqual(['a']);
  });

  it('types each key on its press during rollover', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [[A, PRESS], [ONE, PRESS], [SLASH, PRESS], [A, RELEASE], [ONE, RELEASE], [KEY.ENTER, PRESS], [SLASH, RELEASE], [KEY.ENTER, RELEASE]]))
      .toEqual(['a1/']);
  });

  it('marks keys without a character, and Ctrl/Alt combinations, as unreadable', () => {
    const assembler = new KeyScanAssembler();
    expect(feed(assembler, [
      ...tap(A), ...tap(KEY.F1), [KEY.LEFTCTRL, PRESS], ...tap(A), [KEY.LEFTCTRL, RELEASE],
      [KEY.RIGHTALT, PRESS], ...tap(ONE), [KEY.RIGHTALT, RELEASE], ...tap(ONE), ...tap(KEY.ENTER),
    ])).toEqual([`a${UNREADABLE}${UNREADABLE}${UNREADABLE}1`]);
  });

  it('ends a scan on the configured suffix and still on Enter', () => {
    const assembler = new KeyScanAssembler({ suffix: '//' });
    expect(feed(assembler, [...tap(A), ...tap(SLASH), ...tap(SLASH), ...tap(ONE), ...tap(KEY.ENTER)])).toEqual(['a', '1']);
  });

  it('reports an empty scan (a bare Enter) so intake can reject it', () => {
    expect(feed(new KeyScanAssembler(), tap(KEY.ENTER))).toEqual(['']);
  });

  it('caps a scan that never ends and marks it unreadable', () => {
    const assembler = new KeyScanAssembler({ maxLength: 3 });
    expect(feed(assembler, [...tap(A), ...tap(A), ...tap(A), ...tap(A), ...tap(A), ...tap(KEY.ENTER), ...tap(A), ...tap(KEY.ENTER)]))
      .toEqual([`aaa${UNREADABLE}`, 'a']);
  });

  it('collects the raw bytes of the scan from its first press to the terminator', () => {
    const assembler = new KeyScanAssembler();
    const byte = (n: number) => Uint8Array.of(n);
    assembler.key(KEY.ENTER, RELEASE, byte(9)); // the previous scan's Enter release: no scan of ours
    assembler.key(A, PRESS, byte(1));
    assembler.key(A, REPEAT, byte(2));
    assembler.key(A, RELEASE, byte(3));
    expect(assembler.key(KEY.ENTER, PRESS, byte(4))).toEqual({ text: 'a', raw: Uint8Array.of(1, 2, 3, 4) });
  });

  it('reset() drops a half-read scan and the keys held', () => {
    const assembler = new KeyScanAssembler();
    feed(assembler, [[KEY.LEFTSHIFT, PRESS], ...tap(A)]);
    assembler.reset();
    expect(feed(assembler, [...tap(A), ...tap(KEY.ENTER)])).toEqual(['a']);
  });
});
