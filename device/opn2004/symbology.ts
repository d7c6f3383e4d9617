// Symbology ids as the scanner stores them. Ids we do not know stay numbers: a new symbology must never
// make an upload fail.

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'Code 39'],
  [0x02, 'Codabar'],
  [0x03, 'Code 128'],
  [0x06, 'ITF'],
  [0x07, 'Code 93'],
  [0x08, 'UPC-A'],
  [0x09, 'UPC-E'],
  [0x0a, 'EAN-8'],
  [0x0b, 'EAN-13'],
  [0x0f, 'GS1-128'],
  [0x13, 'Code 39 full ASCII'],
  [0x1b, 'Data Matrix'],
  [0x1c, 'QR'],
]);

export const SYMBOLOGY = {
  code39: 0x01,
  code128: 0x03,
  ean13: 0x0b,
  qr: 0x1c,
} as const;

export function symbologyName(id: number): string {
  return NAMES.get(id) ?? `symbology 0x${id.toString(16).padStart(2, '0')}`;
}
