// The simulator byte for byte: it must answer the documented requests with the documented replies.
import { describe, expect, it } from 'vitest';
import { buildFrame, fromHex, toHex } from '../../../device/opn2004/frame.ts';
import { createLinkPair } from '../../../device/opn2004/link.ts';
import { CradleSimulator, sampleRecords, wireMs, type CradleSimulatorOptions } from '../../../device/opn2004/simulator.ts';
import { GET_CLOCK_REPLY, INTERROGATE_REPLY, UPLOAD_VECTOR } from './support/vectors.ts';

/** Sends request bytes to a fresh link and collects what comes back until it has been quiet for `quietMs`. */
async function exchange(sim: CradleSimulator, ...requests: string[]): Promise<{ bytes: string; chunks: number; lastAt: number }> {
  return exchangeQuiet(40, sim, ...requests);
}

async function exchangeQuiet(quietMs: number, sim: CradleSimulator, ...requests: string[]) {
  const { host, device } = createLinkPair();
  sim.serve(device);
  const received: Uint8Array[] = [];
  let lastAt = 0;
  host.onData((c) => {
    received.push(c);
    lastAt = performance.now();
  });
  for (const r of requests) await host.write(fromHex(r));
  let seen = -1;
  while (seen !== received.length) {
    seen = received.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
  await host.close();
  return { bytes: received.map(toHex).join(''), chunks: received.length, lastAt };
}

function sim(options: CradleSimulatorOptions = {}) {
  return new CradleSimulator({ now: () => new Date('2025-06-15T14:30:05.400Z'), ...options });
}

describe('CradleSimulator replies', () => {
  it('answers interrogate with the documented 23-byte reply', async () => {
    expect((await exchange(sim(), '01 02 00 9F DE')).bytes).toBe(toHex(INTERROGATE_REPLY));
  });

  it('answers get clock with the documented reply for 2025-06-15 14:30:05', async () => {
    expect((await exchange(sim(), '0A 02 00 5D AF')).bytes).toBe(toHex(GET_CLOCK_REPLY));
  });

  it('uploads the documented stream for the documented records', async () => {
    const records = [
      { text: 'DDC4CY002424', symbologyId: 0x03, time: new Date('2026-03-15T14:21:33Z') },
      { text: 'CASE-13', symbologyId: 0x01, time: new Date('2026-03-15T14:21:40Z') },
    ];
    expect((await exchange(sim({ records }), '07 02 00 9E 3E')).bytes).toBe(toHex(UPLOAD_VECTOR));
  });

  it('set clock echoes the time and moves its clock', async () => {
    const s = sim({ clockOffsetMs: 3_600_000 });
    const { bytes } = await exchange(s, '09 02 06 00 01 07 02 03 00 00 34 83');
    expect(bytes).toBe(toHex(buildFrame(0x06, fromHex('00 01 07 02 03 00'))));
    expect(s.clock().toISOString()).toBe('2000-03-02T07:01:00.000Z');
  });

  it('get and set parameter echo parameter and value; set changes what get returns', async () => {
    const s = sim();
    expect((await exchange(s, '08 02 01 02 00 26 6B')).bytes).toBe(toHex(buildFrame(0x06, Uint8Array.of(0x02, 0x01))));
    const set = toHex(buildFrame(0x03, Uint8Array.of(0x02, 0x00)));
    expect((await exchange(s, set)).bytes).toBe(toHex(buildFrame(0x06, Uint8Array.of(0x02, 0x00))));
    expect(s.parameters.get(0x02)).toBe(0);
    expect((await exchange(s, '08 02 01 02 00 26 6B')).bytes).toBe(toHex(buildFrame(0x06, Uint8Array.of(0x02, 0x00))));
  });

  it('clear empties the memory and ACKs; power down ACKs', async () => {
    const s = sim({ records: sampleRecords(3) });
    expect((await exchange(s, '02 02 00 9F 2E', '05 02 00 5E 9F')).bytes).toBe(toHex(buildFrame(0x06)) + toHex(buildFrame(0x06)));
    expect(s.records).toEqual([]);
  });

  it('an unknown opcode gets a NAK; a garbled request gets nothing', async () => {
    const s = sim();
    expect((await exchange(s, toHex(buildFrame(0x0c)))).bytes).toBe(toHex(buildFrame(0x15)));
    expect((await exchange(s, '01 02 00 9F DF')).bytes).toBe('');
    expect(s.requests).toEqual(['unknown']);
  });

  it('a failing clear keeps the memory: NAK or silence', async () => {
    const nak = sim({ records: sampleRecords(2), faults: { failClear: 'nak' } });
    expect((await exchange(nak, '02 02 00 9F 2E')).bytes).toBe(toHex(buildFrame(0x15)));
    expect(nak.records).toHaveLength(2);
    const silent = sim({ records: sampleRecords(2), faults: { failClear: 'silent' } });
    expect((await exchange(silent, '02 02 00 9F 2E')).bytes).toBe('');
    expect(silent.records).toHaveLength(2);
  });

  it('temporary error: status byte 0x05 on the first interrogate only', async () => {
    const s = sim({ faults: { temporaryErrors: 1 } });
    const { bytes } = await exchange(s, '01 02 00 9F DE', '01 02 00 9F DE');
    expect(bytes.slice(6, 8)).toBe('05');
    expect(bytes.slice(46 + 6, 46 + 8)).toBe('00');
  });

  it('splits replies into several writes when asked, so readers must reassemble', async () => {
    const s = sim({ records: sampleRecords(30), splitWrites: 1 });
    const { chunks } = await exchange(s, '07 02 00 9E 3E');
    expect(chunks).toBeGreaterThan(3);
  });

  it('paces writes at the wire rate when given a baud rate', async () => {
    const s = sim({ records: sampleRecords(20), baud: 9600 });
    const started = performance.now();
    // Pieces of up to 64 bytes are 73 ms apart at 9600 baud: wait longer than that for quiet.
    const { bytes, lastAt } = await exchangeQuiet(200, s, '07 02 00 9E 3E');
    // The last piece leaves once the bytes before it have had their wire time.
    expect(lastAt - started).toBeGreaterThanOrEqual(wireMs(bytes.length / 2 - 64, 9600));
  });
});

describe('sampleRecords', () => {
  it('asset tags and case labels, Code 128 and Code 39, strictly increasing times', () => {
    const records = sampleRecords(20, { start: new Date('2026-03-15T08:00:00Z') });
    expect(records).toHaveLength(20);
    expect(records[0]).toEqual({ text: 'CASE-11', symbologyId: 0x01, time: new Date('2026-03-15T08:00:00Z') });
    expect(records[1]).toMatchObject({ text: 'LT-00001', symbologyId: 0x03 });
    expect(records[8]).toMatchObject({ text: 'CASE-12', symbologyId: 0x01 });
    for (const r of records) expect(r.text).toMatch(/^(LT-\d{5}|CASE-\d+)$/);
    for (let i = 1; i < records.length; i++) expect(records[i]!.time.getTime()).toBeGreaterThan(records[i - 1]!.time.getTime());
  });

  it('is the same for the same seed', () => {
    const start = new Date('2026-03-15T08:00:00Z');
    expect(sampleRecords(10, { start, seed: 3 })).toEqual(sampleRecords(10, { start, seed: 3 }));
  });
});
