// One cradle session, Opticon's host sequence: interrogate → get clock → set clock → upload → commit →
// clear (only once committed) → power down. Every failure ends the attempt whole: records are handed to
// commit only from an upload whose CRC matched, and the scanner is cleared only after commit said yes.
import { ACK, OPCODE, buildFrame, readFrame, toHex, type Frame } from './frame.ts';
import type { CradleLink } from './link.ts';
import { assignOccurrences, cradleRecordKey } from './record-key.ts';
import {
  STATUS_OK,
  STATUS_TEMPORARY_ERROR,
  decodeAck,
  decodeClockReply,
  decodeInterrogateReply,
  serialFromDeviceId,
  type Decoded,
  type InterrogateReply,
} from './replies.ts';
import { symbologyName } from './symbology.ts';
import { encodeClockFields, scannerTimeFromDate, scannerTimeToDate } from './timestamp.ts';
import { UploadParser, type UploadReply } from './upload.ts';

export { assignOccurrences, cradleRecordKey, type RecordIdentity } from './record-key.ts';

export const DEFAULT_REPLY_TIMEOUT_MS = 2000;
export const DEFAULT_FIRST_REPLY_TIMEOUT_MS = 5000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_COMPATIBILITY_DELAY_MS = 5000;

export interface CradleRecord {
  /** Position in this upload (0-based); not part of the identity. */
  index: number;
  /** The barcode as ASCII (one character per byte). */
  text: string;
  /** The barcode bytes, lowercase hex. */
  rawHex: string;
  symbologyId: number;
  symbology: string;
  /** The 32-bit timestamp exactly as stored. */
  packedTimestamp: number;
  /** The scanner's own time for the scan, read as UTC (evidence: kept as read). */
  scannerTime: string;
  /** scannerTime minus the clock offset measured in this session. */
  correctedTime: string;
  /** 1 for the first of identical records (same time, symbology, data), 2 for the next … */
  occurrence: number;
  /** cradleRecordKey(deviceId, record, occurrence): the same record gets the same key in every upload. */
  key: string;
}

export interface CradleUpload {
  /** 16 BCD digits. */
  deviceId: string;
  /** The printed serial: the last 6 digits of the device id. */
  serial: string;
  firmware: string;
  /** The scanner clock as read by get clock (UTC). */
  scannerClock: string;
  /** The host clock when that reply arrived. */
  hostClockAt: string;
  /** scanner clock minus host clock; positive = the scanner was fast. Whole-second resolution. */
  clockOffsetMs: number;
  /** Whether set clock was acknowledged (a failure does not stop the upload). */
  clockSet: boolean;
  records: CradleRecord[];
  /** Bytes of the upload stream. */
  uploadBytes: number;
}

export type CommitResult =
  | { committed: true; recorded: number; alreadyRecorded: number }
  | { committed: false; reason?: string };

export type CradleOutcome =
  /** Stored and the scanner's memory cleared. */
  | 'cleared'
  /** Stored, but clear failed: the same records come again next time (same keys). */
  | 'clear-failed'
  /** commit refused or threw: nothing cleared, the scanner keeps everything. */
  | 'not-committed'
  /** The scanner held no scans: nothing to commit or clear. */
  | 'empty';

export interface CradleSessionResult extends CradleUpload {
  outcome: CradleOutcome;
  cleared: boolean;
  commit: CommitResult | null;
  /** One sentence for the status screen. */
  message: string;
}

export type CradlePhase =
  | 'waking'
  | 'waiting-compatibility'
  | 'reading-clock'
  | 'setting-clock'
  | 'uploading'
  | 'committing'
  | 'clearing'
  | 'powering-down';

export interface CradleProgress {
  phase: CradlePhase;
  /** 1 for the first try of this step. */
  attempt: number;
  /** Records received so far in this upload attempt. */
  records: number;
  /** Bytes received so far in this upload attempt. */
  bytes: number;
}

export interface CradleSessionOptions {
  /** Stores the records durably; the scanner is cleared only when it resolves { committed: true }. */
  commit: (upload: CradleUpload) => Promise<CommitResult>;
  now?: () => Date;
  /** Silence that ends an attempt (between bytes, so a long upload is not cut off). */
  replyTimeoutMs?: number;
  /** The first command also wakes the scanner: it gets longer. */
  firstReplyTimeoutMs?: number;
  /** Further attempts after a timeout, damaged reply or refusal. */
  retries?: number;
  /** Wait after interrogate answers "temporary error" (switching to compatibility mode). */
  compatibilityDelayMs?: number;
  onProgress?: (progress: CradleProgress) => void;
  signal?: AbortSignal;
}

export type CradleFailure = 'timeout' | 'corrupt' | 'refused' | 'unplugged' | 'aborted' | 'device-error';

export class CradleSessionError extends Error {
  readonly failure: CradleFailure;
  constructor(failure: CradleFailure, message: string) {
    super(message);
    this.name = 'CradleSessionError';
    this.failure = failure;
  }
}

type Attempt<T> = { ok: true; value: T } | { ok: false; failure: 'timeout' | 'corrupt' | 'refused'; reason: string };

/** A decoded reply as an attempt: an ACK frame that does not decode was damaged; any other status is a refusal. */
function judge<T>(frame: Frame, decoded: Decoded<T>): Attempt<T> {
  if (decoded.ok) return decoded;
  return { ok: false, failure: frame.code === ACK ? 'corrupt' : 'refused', reason: decoded.reason };
}

/** Bytes from the link, one chunk at a time, with idle timeouts; ends with an error when the link closes. */
class ReplyChannel {
  private readonly link: CradleLink;
  private readonly signal: AbortSignal | undefined;
  private chunks: Uint8Array[] = [];
  private wake: (() => void) | null = null;
  private closedReason: string | null = null;

  constructor(link: CradleLink, signal: AbortSignal | undefined) {
    this.link = link;
    this.signal = signal;
    link.onData((chunk) => {
      this.chunks.push(chunk);
      this.wake?.();
    });
    link.onClose((reason) => {
      this.closedReason = reason;
      this.wake?.();
    });
    signal?.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  /** Sends a request; whatever arrived before it (a late reply to an earlier try) is dropped. */
  async send(bytes: Uint8Array): Promise<void> {
    this.check();
    this.chunks = [];
    try {
      await this.link.write(bytes);
    } catch (error) {
      this.check();
      throw new CradleSessionError('unplugged', `The cradle link failed: ${(error as Error).message}`);
    }
  }

  /** The next chunk, or null after `timeoutMs` of silence. */
  async next(timeoutMs: number): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) return chunk;
      this.check();
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      this.wake = null;
      if (!woke) return null;
    }
  }

  /** Waits until the scanner has been quiet for `quietMs`, then drops what it sent (the rest of a bad reply). */
  async settle(quietMs: number): Promise<void> {
    while ((await this.next(quietMs)) !== null) {
      /* drop */
    }
  }

  private check(): void {
    if (this.signal?.aborted) throw new CradleSessionError('aborted', 'The cradle session was stopped.');
    if (this.closedReason !== null) throw new CradleSessionError('unplugged', `The cradle link closed: ${this.closedReason}.`);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Runs one session over `link` and closes the link at the end, whatever happens. Resolves once an upload
 * was received whole (see `outcome` for commit and clear); rejects with CradleSessionError when no whole
 * upload could be had (timeouts, damage, unplug) — then commit was not called and nothing was cleared.
 */
export async function runCradleSession(link: CradleLink, options: CradleSessionOptions): Promise<CradleSessionResult> {
  const session = new CradleSession(link, options);
  try {
    return await session.run();
  } finally {
    await link.close().catch(() => {});
  }
}

class CradleSession {
  private readonly channel: ReplyChannel;
  private readonly options: CradleSessionOptions;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly firstTimeoutMs: number;
  private readonly attempts: number;
  private readonly settleMs: number;
  private firstRequest = true;

  constructor(link: CradleLink, options: CradleSessionOptions) {
    this.options = options;
    this.channel = new ReplyChannel(link, options.signal);
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    this.firstTimeoutMs = Math.max(options.firstReplyTimeoutMs ?? DEFAULT_FIRST_REPLY_TIMEOUT_MS, this.timeoutMs);
    this.attempts = 1 + Math.max(0, options.retries ?? DEFAULT_RETRIES);
    // Long enough for the tail of a damaged reply to arrive, short next to a reply timeout.
    this.settleMs = Math.min(200, Math.ceil(this.timeoutMs / 4));
  }

  async run(): Promise<CradleSessionResult> {
    const device = await this.interrogate();
    const clock = await this.readClock();
    const clockSet = await this.setClock();
    const reply = await this.upload(device.deviceId);
    const upload = this.describe(device, clock, clockSet, reply);
    if (upload.records.length === 0) {
      await this.powerDown();
      return { ...upload, outcome: 'empty', cleared: false, commit: null, message: 'The scanner held no scans.' };
    }

    this.progress('committing', 1, upload.records.length, upload.uploadBytes);
    let commit: CommitResult;
    try {
      commit = await this.options.commit(upload);
    } catch (error) {
      commit = { committed: false, reason: (error as Error).message };
    }
    const scans = plural(upload.records.length, 'scan');
    if (!commit.committed) {
      await this.powerDown();
      const why = commit.reason ? ` (${commit.reason})` : '';
      const message = `Received ${scans} but could not store them${why}; the scanner kept them.`;
      return { ...upload, outcome: 'not-committed', cleared: false, commit, message };
    }

    const stored = commit.alreadyRecorded > 0 ? `${scans} (${commit.recorded} new, ${commit.alreadyRecorded} already recorded)` : scans;
    const clearFailure = await this.clear();
    await this.powerDown();
    if (clearFailure !== null) {
      const message = `Uploaded ${stored}, but the scanner's memory was not cleared (${clearFailure}); they will be recognised when they come again.`;
      return { ...upload, outcome: 'clear-failed', cleared: false, commit, message };
    }
    return { ...upload, outcome: 'cleared', cleared: true, commit, message: `Uploaded ${stored}, memory cleared.` };
  }

  private progress(phase: CradlePhase, attempt: number, records = 0, bytes = 0): void {
    this.options.onProgress?.({ phase, attempt, records, bytes });
  }

  /** Tries `attempt` up to 1 + retries times; throws a sentence about the last failure. */
  private async withRetries<T>(what: string, attempt: (n: number) => Promise<Attempt<T>>): Promise<T> {
    let last: Attempt<T> & { ok: false } = { ok: false, failure: 'timeout', reason: 'not tried' };
    for (let n = 1; n <= this.attempts; n++) {
      const result = await attempt(n);
      if (result.ok) return result.value;
      last = result;
      if (n < this.attempts) await this.channel.settle(this.settleMs);
    }
    const tries = plural(this.attempts, 'attempt');
    const message =
      last.failure === 'timeout'
        ? `The scanner did not answer ${what} (${tries}, ${seconds(this.timeoutMs)} each).`
        : last.failure === 'refused'
          ? `The scanner refused ${what} (${tries}; last: ${last.reason}).`
          : `The scanner's reply to ${what} was damaged (${tries}; last: ${last.reason}).`;
    throw new CradleSessionError(last.failure, message);
  }

  /** Sends one request and reads one ordinary reply frame. */
  private async exchange<T>(request: Uint8Array, decode: (frame: Frame) => Attempt<T>): Promise<Attempt<T>> {
    const timeoutMs = this.firstRequest ? this.firstTimeoutMs : this.timeoutMs;
    this.firstRequest = false;
    await this.channel.send(request);
    let buffer = new Uint8Array(0);
    for (;;) {
      const chunk = await this.channel.next(timeoutMs);
      if (!chunk) {
        return buffer.length === 0
          ? { ok: false, failure: 'timeout', reason: 'no reply' }
          : { ok: false, failure: 'corrupt', reason: `reply cut off after ${buffer.length} bytes (${toHex(buffer)})` };
      }
      const joined = new Uint8Array(buffer.length + chunk.length);
      joined.set(buffer);
      joined.set(chunk, buffer.length);
      buffer = joined;
      const read = readFrame(buffer);
      if (read.kind === 'need-more') continue;
      if (read.kind === 'invalid') return { ok: false, failure: 'corrupt', reason: read.reason };
      return decode(read.frame);
    }
  }

  private async interrogate(): Promise<InterrogateReply> {
    for (let temporaryErrors = 0; ; temporaryErrors++) {
      const reply = await this.withRetries('interrogate', (n) => {
        this.progress('waking', n);
        return this.exchange(buildFrame(OPCODE.interrogate), (frame) => {
          const decoded = decodeInterrogateReply(frame);
          if (decoded.ok && decoded.value.status !== STATUS_OK && decoded.value.status !== STATUS_TEMPORARY_ERROR) {
            return { ok: false, failure: 'refused', reason: `interrogate status 0x${decoded.value.status.toString(16).padStart(2, '0')}` };
          }
          return judge(frame, decoded);
        });
      });
      if (reply.status === STATUS_OK) return reply;
      if (temporaryErrors >= this.attempts - 1) {
        throw new CradleSessionError('device-error', `The scanner kept answering "temporary error" (${plural(temporaryErrors + 1, 'time')}); it did not finish switching to compatibility mode.`);
      }
      this.progress('waiting-compatibility', temporaryErrors + 1);
      await delay(this.options.compatibilityDelayMs ?? DEFAULT_COMPATIBILITY_DELAY_MS, this.options.signal);
    }
  }

  private async readClock(): Promise<{ scannerClock: Date; hostClockAt: Date }> {
    return this.withRetries('get clock', async (n) => {
      this.progress('reading-clock', n);
      const reply = await this.exchange(buildFrame(OPCODE.getClock), (f) => judge(f, decodeClockReply(f)));
      const hostClockAt = this.now();
      return reply.ok ? { ok: true, value: { scannerClock: scannerTimeToDate(reply.value), hostClockAt } } : reply;
    });
  }

  /** Sets the scanner to host UTC. A scanner that will not take it still gets uploaded. */
  private async setClock(): Promise<boolean> {
    try {
      await this.withRetries('set clock', (n) => {
        this.progress('setting-clock', n);
        return this.exchange(buildFrame(OPCODE.setClock, encodeClockFields(scannerTimeFromDate(this.now()))), (f) => judge(f, decodeClockReply(f)));
      });
      return true;
    } catch (error) {
      if (error instanceof CradleSessionError && (error.failure === 'unplugged' || error.failure === 'aborted')) throw error;
      return false;
    }
  }

  private async upload(deviceId: string): Promise<UploadReply> {
    let scansSeen = 0;
    try {
      return await this.withRetries('upload', async (n) => {
        this.progress('uploading', n);
        await this.channel.send(buildFrame(OPCODE.upload));
        const parser = new UploadParser();
        let bytes = 0;
        scansSeen = 0;
        for (;;) {
          const chunk = await this.channel.next(this.timeoutMs);
          const read = chunk ? parser.feed(chunk) : parser.end();
          if (read.state === 'need-more') {
            if (read.scans !== scansSeen || read.bytes !== bytes) this.progress('uploading', n, read.scans, read.bytes);
            scansSeen = read.scans;
            bytes = read.bytes;
            continue;
          }
          if (read.state === 'invalid') {
            return read.bytes === 0 ? { ok: false, failure: 'timeout', reason: 'no reply' } : { ok: false, failure: 'corrupt', reason: read.reason };
          }
          if (read.reply.deviceId !== deviceId) {
            return { ok: false, failure: 'corrupt', reason: `the upload came from device ${read.reply.deviceId}, not ${deviceId}` };
          }
          this.progress('uploading', n, read.reply.scans.length, read.reply.length);
          return { ok: true, value: read.reply };
        }
      });
    } catch (error) {
      if (error instanceof CradleSessionError && error.failure === 'unplugged') {
        const after = scansSeen > 0 ? ` (after ${plural(scansSeen, 'scan')} had arrived)` : '';
        throw new CradleSessionError('unplugged', `The scanner was undocked during the upload${after}; nothing was stored and the scanner kept its scans.`);
      }
      throw error;
    }
  }

  private describe(device: InterrogateReply, clock: { scannerClock: Date; hostClockAt: Date }, clockSet: boolean, reply: UploadReply): CradleUpload {
    const clockOffsetMs = clock.scannerClock.getTime() - clock.hostClockAt.getTime();
    const identities = reply.scans.map((s) => ({ packedTimestamp: s.packedTimestamp, symbologyId: s.symbologyId, rawHex: toHex(s.data) }));
    const occurrences = assignOccurrences(identities);
    const records = reply.scans.map((scan, index): CradleRecord => {
      const identity = identities[index]!;
      const occurrence = occurrences[index]!;
      const scannerTime = scannerTimeToDate(scan.time);
      return {
        index,
        text: String.fromCharCode(...scan.data),
        rawHex: identity.rawHex,
        symbologyId: scan.symbologyId,
        symbology: symbologyName(scan.symbologyId),
        packedTimestamp: scan.packedTimestamp,
        scannerTime: scannerTime.toISOString(),
        correctedTime: new Date(scannerTime.getTime() - clockOffsetMs).toISOString(),
        occurrence,
        key: cradleRecordKey(reply.deviceId, identity, occurrence),
      };
    });
    return {
      deviceId: reply.deviceId,
      serial: serialFromDeviceId(reply.deviceId),
      firmware: device.firmware,
      scannerClock: clock.scannerClock.toISOString(),
      hostClockAt: clock.hostClockAt.toISOString(),
      clockOffsetMs,
      clockSet,
      records,
      uploadBytes: reply.length,
    };
  }

  /** Returns null when cleared, else why not. Never throws: the records are already stored. */
  private async clear(): Promise<string | null> {
    try {
      await this.withRetries('clear', (n) => {
        this.progress('clearing', n);
        return this.exchange(buildFrame(OPCODE.clear), (f) => judge(f, decodeAck(f)));
      });
      return null;
    } catch (error) {
      return (error as Error).message.replace(/\.$/, '');
    }
  }

  /** Ends the session; an ACK or silence are both fine (the scanner may simply switch off). */
  private async powerDown(): Promise<void> {
    if (this.channel.isClosed || this.options.signal?.aborted) return;
    this.progress('powering-down', 1);
    try {
      await this.exchange(buildFrame(OPCODE.powerDown), (f) => judge(f, decodeAck(f)));
    } catch {
      /* an unplug now loses nothing */
    }
  }
}
