// The scanner's side of the protocol, byte for byte, over any CradleLink: what the kiosk talks to when it
// has no OPN-2004, and what the tests break on purpose (bad CRC, truncation, silence, unplug, failed clear).
import { ACK, NAK, OPCODE, buildFrame, readFrame, type Frame } from './frame.ts';
import type { CradleLink } from './link.ts';
import { STATUS_OK, STATUS_TEMPORARY_ERROR, encodeInterrogatePayload } from './replies.ts';
import { SYMBOLOGY } from './symbology.ts';
import { decodeClockFields, encodeClockFields, packTimestamp, scannerTimeFromDate, scannerTimeToDate } from './timestamp.ts';
import { encodeUpload } from './upload.ts';

export interface SimulatedRecord {
  text: string;
  symbologyId: number;
  /** The scanner clock's reading when it was scanned (its UTC fields are what gets stored). */
  time: Date;
}

export type OpcodeName = keyof typeof OPCODE;

export interface CradleFaults {
  /** Damage the CRC of the first N replies to these commands, e.g. { upload: 2 }; Infinity = always. */
  badCrc?: Partial<Record<OpcodeName, number>>;
  /** Do not answer the first N of these commands at all, e.g. { interrogate: 1 }. */
  noReply?: Partial<Record<OpcodeName, number>>;
  /** The first N upload streams stop after 60 % of their bytes, and the scanner goes quiet. */
  truncateUploads?: number;
  /** Wait this long before every reply. */
  replyDelayMs?: number;
  /** The first N interrogates answer status 0x05 (switching to compatibility mode). */
  temporaryErrors?: number;
  /** Close the link after K bytes of the first upload stream: the scanner is pulled from the cradle. */
  unplugAfterUploadBytes?: number;
  /** Every clear fails and the memory is kept: 'silent' = no answer, 'nak' = answers NAK. */
  failClear?: 'silent' | 'nak';
}

export interface CradleSimulatorOptions {
  deviceId?: string;
  firmware?: string;
  /** Scanner clock minus host clock, until the host sets it. */
  clockOffsetMs?: number;
  records?: readonly SimulatedRecord[];
  now?: () => Date;
  faults?: CradleFaults;
  /** Chance (0–1) that a reply is written in random-sized pieces rather than in one write. */
  splitWrites?: number;
  /** Seed of the random piece sizes, so a failing test can be replayed. */
  seed?: number;
  /** Pace writes at this line rate (8O1: 11 bits a byte), as a real 9600-baud link would; off by default. */
  baud?: number;
}

export const SIMULATED_DEVICE_ID = '4711081519000001';
export const SIMULATED_FIRMWARE = 'RBBV0014';

/** The default value of each parameter the box cares about (see the protocol doc). */
const DEFAULT_PARAMETERS: ReadonlyArray<[number, number]> = [
  [0x02, 1], // buzzer volume
  [0x04, 0], // reject redundant codes: off
  [0x0f, 0], // auto-clear after upload: off (the host clears)
  [0x22, 30], // max barcode length
  [0x23, 1], // store timestamps: on
];

const OPCODE_NAMES = new Map<number, OpcodeName>(Object.entries(OPCODE).map(([name, code]) => [code, name as OpcodeName]));

/** mulberry32: small, seedable, good enough for chunk sizes and sample data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function wireMs(bytes: number, baud: number): number {
  return (bytes * 11 * 1000) / baud;
}

export class CradleSimulator {
  readonly deviceId: string;
  readonly firmware: string;
  /** Every request it has answered or ignored, in order, by name ('unknown' for other opcodes). */
  readonly requests: (OpcodeName | 'unknown')[] = [];
  readonly parameters = new Map<number, number>(DEFAULT_PARAMETERS);
  private memory: SimulatedRecord[];
  private clockOffsetMs: number;
  private readonly now: () => Date;
  private readonly faults: CradleFaults;
  private readonly faultCounts = new Map<string, number>();
  private readonly splitWrites: number;
  private readonly random: () => number;
  private readonly baud: number | undefined;
  private uploadsSent = 0;

  constructor(options: CradleSimulatorOptions = {}) {
    this.deviceId = options.deviceId ?? SIMULATED_DEVICE_ID;
    this.firmware = options.firmware ?? SIMULATED_FIRMWARE;
    this.memory = [...(options.records ?? [])];
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.now = options.now ?? (() => new Date());
    this.faults = options.faults ?? {};
    this.splitWrites = options.splitWrites ?? 0.5;
    this.random = seededRandom(options.seed ?? 2004);
    this.baud = options.baud;
  }

  /** What the scanner holds now. */
  get records(): readonly SimulatedRecord[] {
    return this.memory;
  }

  /** Scans made away from the box. */
  addRecords(records: readonly SimulatedRecord[]): void {
    this.memory.push(...records);
  }

  /** The scanner clock now. */
  clock(): Date {
    return new Date(this.now().getTime() + this.clockOffsetMs);
  }

  /** Answers requests arriving on `link` until it closes. */
  serve(link: CradleLink): void {
    let pending = new Uint8Array(0);
    let queue = Promise.resolve();
    let open = true;
    link.onClose(() => {
      open = false;
    });
    link.onData((chunk) => {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      pending = joined;
      for (;;) {
        const read = readFrame(pending);
        if (read.kind === 'need-more') return;
        if (read.kind === 'invalid') {
          // A garbled request gets no answer; the host times out and asks again.
          pending = new Uint8Array(0);
          return;
        }
        pending = pending.slice(read.length);
        const frame = read.frame;
        queue = queue.then(() => (open ? this.answer(link, frame) : undefined)).catch(() => {});
      }
    });
  }

  /** Uses up one instance of a counted fault; true when it applies to this request. */
  private takeFault(kind: string, allowance: number | undefined): boolean {
    if (!allowance) return false;
    const used = this.faultCounts.get(kind) ?? 0;
    if (used >= allowance) return false;
    this.faultCounts.set(kind, used + 1);
    return true;
  }

  private async answer(link: CradleLink, request: Frame): Promise<void> {
    const name = OPCODE_NAMES.get(request.code);
    this.requests.push(name ?? 'unknown');
    if (!name) return this.send(link, buildFrame(NAK), name);
    if (this.takeFault(`noReply:${name}`, this.faults.noReply?.[name])) return;

    switch (name) {
      case 'interrogate': {
        const status = this.takeFault('temporaryErrors', this.faults.temporaryErrors) ? STATUS_TEMPORARY_ERROR : STATUS_OK;
        const payload = encodeInterrogatePayload({ status, deviceId: this.deviceId, firmware: this.firmware });
        return this.send(link, buildFrame(ACK, payload), name);
      }
      case 'getClock':
        return this.send(link, buildFrame(ACK, encodeClockFields(scannerTimeFromDate(this.clock()))), name);
      case 'setClock': {
        const time = decodeClockFields(request.payload);
        if (!time) return this.send(link, buildFrame(NAK), name);
        this.clockOffsetMs = scannerTimeToDate(time).getTime() - this.now().getTime();
        return this.send(link, buildFrame(ACK, request.payload), name);
      }
      case 'getParameter': {
        const parameter = request.payload[0] ?? 0;
        return this.send(link, buildFrame(ACK, Uint8Array.of(parameter, this.parameters.get(parameter) ?? 0)), name);
      }
      case 'setParameter': {
        const [parameter = 0, value = 0] = request.payload;
        this.parameters.set(parameter, value);
        return this.send(link, buildFrame(ACK, Uint8Array.of(parameter, value)), name);
      }
      case 'upload':
        return this.sendUpload(link);
      case 'clear':
        if (this.faults.failClear === 'silent') return;
        if (this.faults.failClear === 'nak') return this.send(link, buildFrame(NAK), name);
        this.memory = [];
        return this.send(link, buildFrame(ACK), name);
      case 'powerDown':
        return this.send(link, buildFrame(ACK), name);
    }
  }

  private async sendUpload(link: CradleLink): Promise<void> {
    const scans = this.memory.map((r) => ({
      symbologyId: r.symbologyId,
      data: Uint8Array.from(r.text, (c) => c.charCodeAt(0) & 0xff),
      packedTimestamp: packTimestamp(scannerTimeFromDate(r.time)),
    }));
    let stream = encodeUpload(this.deviceId, scans);
    const first = this.uploadsSent++ === 0;
    if (first && this.faults.unplugAfterUploadBytes !== undefined) {
      await this.send(link, stream.subarray(0, this.faults.unplugAfterUploadBytes), 'upload', false);
      await link.close();
      return;
    }
    if (this.takeFault('truncateUploads', this.faults.truncateUploads)) {
      stream = stream.subarray(0, Math.floor(stream.length * 0.6));
      return this.send(link, stream, 'upload', false);
    }
    return this.send(link, stream, 'upload');
  }

  private async send(link: CradleLink, bytes: Uint8Array, name: OpcodeName | undefined, mayDamage = true): Promise<void> {
    if (mayDamage && name && this.takeFault(`badCrc:${name}`, this.faults.badCrc?.[name])) {
      bytes = bytes.slice();
      bytes[bytes.length - 1]! ^= 0x5a;
    }
    if (this.faults.replyDelayMs) await sleep(this.faults.replyDelayMs);
    // A paced line delivers a long reply over time, so it always goes out in pieces.
    const pieces = this.baud || this.random() < this.splitWrites ? this.randomPieces(bytes) : [bytes];
    const started = performance.now();
    let written = 0;
    for (const piece of pieces) {
      if (this.baud) {
        const due = started + wireMs(written, this.baud);
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
      }
      await link.write(piece);
      written += piece.length;
    }
    if (this.baud) {
      // The last byte is on the wire only after its own 11 bits.
      const wait = started + wireMs(written, this.baud) - performance.now();
      if (wait > 1) await sleep(wait);
    }
  }

  private randomPieces(bytes: Uint8Array): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(this.random() * 64);
      pieces.push(bytes.subarray(at, at + size));
      at += size;
    }
    return pieces;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface SampleRecordOptions {
  /** Time of the first scan; default: `count` × 20 s before now. */
  start?: Date;
  seed?: number;
}

/**
 * N scans as a day at the cage produces them: asset tags (LT-00001 …, Code 128) with a case label
 * (CASE-11 …, Code 39) now and then, seconds to a minute apart, in increasing time order.
 */
export function sampleRecords(count: number, options: SampleRecordOptions = {}): SimulatedRecord[] {
  const random = seededRandom(options.seed ?? 7);
  let time = Math.floor((options.start?.getTime() ?? Date.now() - count * 20_000) / 1000) * 1000;
  const records: SimulatedRecord[] = [];
  let tag = 1;
  let caseNumber = 11;
  for (let i = 0; i < count; i++) {
    if (i % 8 === 0) records.push({ text: `CASE-${caseNumber++}`, symbologyId: SYMBOLOGY.code39, time: new Date(time) });
    else records.push({ text: `LT-${String(tag++).padStart(5, '0')}`, symbologyId: SYMBOLOGY.code128, time: new Date(time) });
    time += 1000 * (2 + Math.floor(random() * 40));
  }
  return records;
}
