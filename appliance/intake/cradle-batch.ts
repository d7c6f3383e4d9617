// The rules for what a batch scanner's cradle uploads. An upload records one scan per new record and one
// CradleUploaded event, in one transaction; a record already recorded (the scanner's memory was not
// cleared last time) is recorded nothing twice. The batch changes no custody until an operator uses it
// for an issue, a return or a sweep, or dismisses it.
import { refuse } from '../domain/errors.ts';
import type { CageState, Command, DecideContext, JsonObject, NewEvent } from '../domain/types.ts';
import { classifyScan, normalizeScan } from './classify.ts';

type CradleUpload = Extract<Command, { type: 'RecordCradleUpload' }>;

export function decideCradleUpload(state: CageState, ctx: DecideContext, cmd: CradleUpload): NewEvent[] {
  // The batch is named after the seq its first event will get: unique, and the same on every replay.
  const batch = `U${state.seq + 1}`;
  const seen = new Set<string>();
  const fresh = cmd.records.filter((r) => {
    if (!r.key || state.cradleRecords.has(r.key) || seen.has(r.key)) return false;
    seen.add(r.key);
    return true;
  });
  if (fresh.length === 0) return [];
  const events: NewEvent[] = fresh.map((r) => {
    const scan = classifyScan(state, ctx, normalizeScan(r.text));
    return {
      type: 'ScanCaptured', subject: scan.subject,
      data: {
        raw_hex: r.rawHex, source: 'cradle', device: cmd.device, duplicate: false, ...scan.data,
        symbology: r.symbology, scanner_time: r.scannerTime, corrected_time: r.correctedTime, record_key: r.key, batch,
      },
    };
  });
  events.push({
    type: 'CradleUploaded', subject: batch,
    data: {
      batch, device_id: cmd.device, serial: cmd.serial, firmware: cmd.firmware,
      uploaded: cmd.records.length, recorded: fresh.length, already_recorded: cmd.records.length - fresh.length,
      clock_offset_ms: cmd.clockOffsetMs, scanner_clock: cmd.scannerClock, host_clock: cmd.hostClock,
    },
  });
  return events;
}

function pendingBatch(state: CageState, id: string) {
  const batch = state.cradleBatches.get(id.trim().toUpperCase());
  if (!batch) refuse('UNKNOWN_BATCH', `There is no cradle upload ${id}.`);
  if (batch.status !== 'pending') {
    refuse('BATCH_NOT_PENDING', `Cradle upload ${batch.id} was already ${batch.status === 'used' ? 'used' : 'dismissed'} (event ${batch.resolvedSeq}).`);
  }
  return batch;
}

export function decideDismissBatch(state: CageState, cmd: Extract<Command, { type: 'DismissCradleBatch' }>): NewEvent[] {
  const batch = pendingBatch(state, cmd.batch);
  return [{ type: 'CradleBatchDismissed', subject: batch.id, data: { batch: batch.id, count: batch.count, reason: cmd.reason?.trim() ?? '' } }];
}

/** An issue, return or sweep made from a pending batch says so in each of its events (and uses the batch up). */
export function markFromBatch(state: CageState, id: string, events: NewEvent[]): NewEvent[] {
  const batch = pendingBatch(state, id);
  return events.map((e) => ({ ...e, data: { ...e.data, batch: batch.id } as JsonObject }));
}
