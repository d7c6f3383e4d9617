// Runs in a worker thread during an export: writes events.csv from its own read connection while the
// exporting thread writes events.ndjson, so the two large files are made on two cores at once. The events
// up to the export's head never change (the log is append-only), so both files hold the same events.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { EVENTS_CSV_HEADER, EVENT_COLUMNS, eventsCsvRow, type EventRow } from './bundle-files.ts';
import { DurableFile } from './durable-files.ts';

export interface CsvWorkerInput {
  dbPath: string;
  file: string;
  headSeq: number;
  /** set to 1 by the exporting thread when the export failed elsewhere: stop and close the file */
  stop: Int32Array;
}

export type CsvWorkerResult = { ok: true; sha256: string; bytes: number } | { ok: false; stopped: boolean; code: string; message: string };

const CHUNK = 5000;

function writeEventsCsv({ dbPath, file, headSeq, stop }: CsvWorkerInput): CsvWorkerResult {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  let csv: DurableFile | undefined;
  try {
    csv = new DurableFile(file);
    csv.write(EVENTS_CSV_HEADER);
    const stmt = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${CHUNK}`).raw(true);
    for (let last = 0; last < headSeq;) {
      if (Atomics.load(stop, 0) === 1) {
        csv.abandon();
        return { ok: false, stopped: true, code: '', message: 'stopped' };
      }
      const rows = stmt.all(last, headSeq) as EventRow[];
      if (rows.length === 0) break;
      for (const r of rows) csv.write(eventsCsvRow(r));
      last = rows[rows.length - 1]![0];
    }
    return { ok: true, ...csv.close() };
  } catch (err) {
    csv?.abandon();
    return { ok: false, stopped: false, code: (err as NodeJS.ErrnoException).code ?? '', message: (err as Error).message };
  } finally {
    db.close();
  }
}

parentPort?.postMessage(writeEventsCsv(workerData as CsvWorkerInput));
