// Intake: where what the devices report becomes recorded scans. A scanner's scan is one RecordScan; a
// cradle upload is one RecordCradleUpload (every new record plus a CradleUploaded event, one transaction).
// After recording, open kiosk pages hear of it at once (they route the scan to the screen), and the
// GPIO LEDs and buzzer say whether the scan was understood.
import type { Appliance } from '../appliance.ts';
import type { JsonObject } from '../domain/types.ts';
import type { CommitResult, CradleUpload } from '../../device/opn2004/driver.ts';
import type { Feedback } from '../../device/gpio/feedback.ts';
import type { DeviceScan } from '../../device/scanners/scan-source.ts';

export interface RecordedScan {
  seq: number;
  kind: string;
  value: string;
  duplicate: boolean;
  reason: string;
}

export type CradleCommit = CommitResult & { batch?: string | null };

export class Intake {
  private readonly app: Appliance;
  private readonly feedback: Feedback | null;
  private readonly onRecorded: () => void;

  constructor(app: Appliance, options: { feedback?: Feedback | null; onRecorded?: () => void } = {}) {
    this.app = app;
    this.feedback = options.feedback ?? null;
    this.onRecorded = options.onRecorded ?? (() => {});
  }

  /** Records one scan from a scanner listener; the event's source is the listener's kind (wedge, hid). */
  recordScan(scan: DeviceScan): RecordedScan | null {
    const outcome = this.app.execute(
      { type: 'RecordScan', text: scan.text, rawHex: Buffer.from(scan.raw).toString('hex'), source: scan.source, device: scan.device, symbology: scan.symbology },
      { actor: { kind: 'system' }, source: scan.source },
      (events) => events[0]!.data,
    );
    if (!outcome.ok) {
      // Every scan is recordable (rejects are recorded with a reason), so this is a store problem.
      console.error(`Scan from ${scan.device} not recorded: ${outcome.error.message}`);
      this.feedback?.play('error');
      return null;
    }
    this.onRecorded();
    const d: JsonObject = outcome.response;
    const recorded = { seq: outcome.events[0]!.seq, kind: String(d.kind), value: String(d.value), duplicate: d.duplicate === true, reason: String(d.reason ?? '') };
    if (!recorded.duplicate) this.feedback?.play(recorded.kind === 'rejected' || recorded.kind === 'unknown' ? 'error' : 'success');
    return recorded;
  }

  /**
   * Stores an upload; resolves only after the transaction committed, so the driver may then clear the
   * scanner. Records already stored (the last clear failed) are skipped, not stored twice.
   */
  commitCradleUpload(upload: CradleUpload): CradleCommit {
    try {
      const outcome = this.app.execute(
        {
          type: 'RecordCradleUpload', device: `opn2004:${upload.deviceId}`, serial: upload.serial, firmware: upload.firmware,
          clockOffsetMs: upload.clockOffsetMs, scannerClock: upload.scannerClock, hostClock: upload.hostClockAt,
          records: upload.records.map((r) => ({
            key: r.key, text: r.text, rawHex: r.rawHex, symbology: r.symbology, scannerTime: r.scannerTime, correctedTime: r.correctedTime,
          })),
        },
        { actor: { kind: 'system' }, source: 'cradle' },
        (events) => events.at(-1)?.data ?? null,
      );
      if (!outcome.ok) return { committed: false, reason: outcome.error.message };
      this.onRecorded();
      const summary = outcome.response;
      const recorded = summary ? Number(summary.recorded) : 0;
      return { committed: true, recorded, alreadyRecorded: upload.records.length - recorded, batch: summary ? String(summary.batch) : null };
    } catch (err) {
      return { committed: false, reason: (err as Error).message };
    }
  }
}
