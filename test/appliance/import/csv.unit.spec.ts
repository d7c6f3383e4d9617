import { describe, expect, it } from 'vitest';
import { csvField, parseAssetCsv, parseCsv, parseHolderCsv, toCsv } from '../../../appliance/csv.ts';

describe('CSV', () => {
  it('reads quotes, doubled quotes, embedded newlines, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['multi\nline', '']]);
  });

  it('names the line of malformed input', () => {
    expect(() => parseCsv('a,b\n"x"y,z\n')).toThrow('Line 2: text after a closing quote; a quote inside a field must be doubled ("").');
    expect(() => parseCsv('a,b\nx"y,z\n')).toThrow('Line 2: a quote in the middle of a field; quote the whole field.');
    expect(() => parseCsv('a\n"open\n\n')).toThrow('Line 4: a quoted field is never closed.');
    expect(() => parseCsv('a\u0000b')).toThrow(/NUL bytes/);
    expect(() => parseAssetCsv('asset_tag,serial_number\nA,B,C\n')).toThrow('Row 2 has 3 fields; the header has 2.');
    expect(() => parseAssetCsv('')).toThrow('The file is empty.');
  });

  it('matches headers loosely and accepts the seed system aliases', () => {
    expect(parseAssetCsv('BARCODE,Serial-Number,case identifier,Slot_Identifier\nLT-1,S1,CASE-2,7\n')).toEqual([
      { row: 2, tag: 'LT-1', serial: 'S1', assetType: undefined, make: undefined, model: undefined, notes: undefined, slot: 'CASE-2/7' },
    ]);
    expect(parseHolderCsv('Name,Badge,Org,Kind\nBob,E1,Survey,team\n')).toEqual([{ row: 2, name: 'Bob', badge: 'E1', org: 'Survey', kind: 'team' }]);
  });

  it('writes fields a spreadsheet will not execute', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('plain')).toBe('plain');
    expect(toCsv(['a', 'b'], [['1,2', null]])).toBe('a,b\r\n"1,2",\r\n');
  });
});
