// A byte link to the cradle: what the driver and the simulator speak over. Three kinds: a real serial
// port, any serialport-like stream (the mock binding in tests), and an in-memory pair for the simulated
// cradle. Every kind reports its end through onClose, so an unplug is seen the same way everywhere.
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';

export interface CradleLink {
  write(bytes: Uint8Array): Promise<void>;
  /** Chunks arrive as the transport delivers them: a reply may be split anywhere. */
  onData(cb: (chunk: Uint8Array) => void): void;
  /** Called once, when the link ends for any reason (closed here, peer gone, cable pulled). */
  onClose(cb: (reason: string) => void): void;
  /** Idempotent. */
  close(): Promise<void>;
}

/** OPN-2001 line settings (over USB they do not matter, but they are set as documented). */
export const CRADLE_LINE = { baudRate: 9600, dataBits: 8, parity: 'odd', stopBits: 1 } as const;

export const CLOSED_HERE = 'closed';

/** Listener bookkeeping shared by every kind of link. Data that arrives before anyone listens is kept. */
class LinkSignals {
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly closeListeners: ((reason: string) => void)[] = [];
  private early: Uint8Array[] = [];
  closedReason: string | null = null;

  data(chunk: Uint8Array): void {
    if (this.closedReason !== null) return;
    if (this.dataListeners.length === 0) {
      this.early.push(chunk);
      return;
    }
    for (const cb of this.dataListeners) cb(chunk);
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(cb);
    const early = this.early;
    this.early = [];
    for (const chunk of early) cb(chunk);
  }

  closed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    for (const cb of this.closeListeners.splice(0)) cb(reason);
  }

  onClose(cb: (reason: string) => void): void {
    const reason = this.closedReason;
    if (reason !== null) queueMicrotask(() => cb(reason));
    else this.closeListeners.push(cb);
  }
}

/** The part of serialport's stream API a link needs; SerialPort and SerialPortMock both have it. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  readonly path: string;
  write(chunk: Buffer, cb: (error: Error | null | undefined) => void): boolean;
  close(callback?: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: (error?: (Error & { disconnected?: boolean }) | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface SerialLinkOptions {
  /**
   * Checked every PRESENCE_CHECK_MS; false ends the link as unplugged. On Linux a hung-up tty (USB
   * unplug, pty peer gone) often reads as endless 0-byte reads, which serialport never reports as a
   * close, while the device node (or pty link) disappears at once.
   */
  isPresent?: () => boolean;
}

export const PRESENCE_CHECK_MS = 100;

/** A link over an already open serialport-like stream. The link owns the port from now on. */
export function linkOverSerialPort(port: SerialPortLike, options: SerialLinkOptions = {}): CradleLink {
  const signals = new LinkSignals();
  const path = port.path;
  let closing = false;
  let presence: NodeJS.Timeout | null = null;

  const closePort = (): Promise<void> =>
    new Promise((resolve) => {
      if (presence) clearInterval(presence);
      if (!port.isOpen) return resolve();
      port.close(() => resolve());
    });
  /** The device is gone: report it, and close the port so serialport stops reading a dead tty. */
  const wentAway = (why: string): void => {
    signals.closed(`${path} went away (${why})`);
    void closePort();
  };

  port.on('data', (chunk) => signals.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  port.on('close', (error) => {
    if (presence) clearInterval(presence);
    if (error?.disconnected) signals.closed(`${path} went away (${error.message})`);
    else signals.closed(closing ? CLOSED_HERE : `${path} was closed`);
  });
  // serialport emits 'error' for failed writes after an unplug; an unheard 'error' would crash the process.
  port.on('error', () => {});
  if (!port.isOpen) signals.closed(`${path} is not open`);
  if (options.isPresent && signals.closedReason === null) {
    const isPresent = options.isPresent;
    presence = setInterval(() => {
      if (!isPresent()) wentAway('the device disappeared');
    }, PRESENCE_CHECK_MS);
    presence.unref();
  }

  return {
    write(bytes) {
      if (signals.closedReason !== null || !port.isOpen) return Promise.reject(new Error(`cannot write: ${signals.closedReason ?? 'port not open'}`));
      return new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => {
          if (!error) return resolve();
          // A serial port that cannot be written to (EIO after a hang-up) is gone.
          if (!closing) wentAway(error.message);
          reject(error);
        });
      });
    },
    onData: (cb) => signals.onData(cb),
    onClose: (cb) => signals.onClose(cb),
    async close() {
      closing = true;
      await closePort();
      signals.closed(CLOSED_HERE);
    },
  };
}

/** Opens a real serial port with the cradle's line settings. Rejects when the port cannot be opened. */
export async function openSerialLink(path: string): Promise<CradleLink> {
  const port = new SerialPort({ path, ...CRADLE_LINE, rtscts: false, xon: false, xoff: false, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return linkOverSerialPort(port, { isPresent: () => existsSync(path) });
}

export interface LinkPair {
  /** The box's end: give it to the driver. */
  host: CradleLink;
  /** The scanner's end: give it to the simulator. */
  device: CradleLink;
}

/** Two connected in-memory ends. Bytes arrive asynchronously and in order; closing either end closes both. */
export function createLinkPair(): LinkPair {
  const hostSignals = new LinkSignals();
  const deviceSignals = new LinkSignals();
  const end = (own: LinkSignals, peer: LinkSignals): CradleLink => ({
    write(bytes) {
      if (own.closedReason !== null) return Promise.reject(new Error(`cannot write: ${own.closedReason}`));
      const copy = bytes.slice();
      setImmediate(() => peer.data(copy));
      return Promise.resolve();
    },
    onData: (cb) => own.onData(cb),
    onClose: (cb) => own.onClose(cb),
    close() {
      own.closed(CLOSED_HERE);
      // After the bytes already written, as on a wire: the peer reads them, then sees the end.
      setImmediate(() => peer.closed('the other end of the link went away'));
      return Promise.resolve();
    },
  });
  return { host: end(hostSignals, deviceSignals), device: end(deviceSignals, hostSignals) };
}
