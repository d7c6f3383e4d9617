// The known-answer byte strings of the protocol doc, shared by unit and property tests.
import { fromHex } from '../../../../device/opn2004/frame.ts';

export const UPLOAD_VECTOR = fromHex(`
  06 02 47 11 08 15 19 00 00 01
  12 03 44 44 43 34 43 59 30 30 32 34 32 34 85 57 3c da
  0d 01 43 41 53 45 2d 31 33 a1 57 3c da
  00 9c bc`);

/** The 23-byte interrogate reply (the doc's listing adds a stray 0x23 after it). */
export const INTERROGATE_REPLY = fromHex('06 02 11 00 47 11 08 15 19 00 00 01 52 42 42 56 30 30 31 34 00 1a 25');
export const INTERROGATE_LISTING = fromHex('06 02 11 00 47 11 08 15 19 00 00 01 52 42 42 56 30 30 31 34 00 1a 25 23');

export const GET_CLOCK_REPLY = fromHex('06 02 06 05 1E 0E 0F 06 19 00 57 21');

/** Every ordinary frame in the doc: requests and replies. */
export const ORDINARY_FRAMES = [
  '01 02 00 9F DE',
  '02 02 00 9F 2E',
  '05 02 00 5E 9F',
  '07 02 00 9E 3E',
  '08 02 01 02 00 26 6B',
  '09 02 06 05 1E 0E 0F 06 19 00 67 11',
  '09 02 06 00 01 07 02 03 00 00 34 83',
  '0A 02 00 5D AF',
  '06 02 06 05 1E 0E 0F 06 19 00 57 21',
  '06 02 11 00 47 11 08 15 19 00 00 01 52 42 42 56 30 30 31 34 00 1a 25',
].map(fromHex);
