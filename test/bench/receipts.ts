// Benchmark 9, hand receipts: a kiosk issue acknowledged with a 300-point finger signature (the receipt
// event with its strokes, the checkpoint signed by the device key, the content hash, then the AssetIssued)
// against a plain issue of the same asset, in the same store, interleaved in blocks so a slow moment of the
// shared machine falls on both. Each issue is followed by an unmeasured return. Durable: synchronous=FULL.
// Run alone: node test/bench/receipts.ts (prints JSON).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import type { Command, SignatureInput } from '../../appliance/domain/types.ts';
import { registerCage } from './cage.ts';
import { latencyStats, ratio, round, type LatencyStats } from './stats.ts';

export interface ReceiptFigures {
  n: number;
  signaturePoints: number;
  /** bytes of the HandReceiptSigned event's data */
  receiptBytes: number;
  signed: LatencyStats;
  plain: LatencyStats;
  p50Ratio: number;
  p99Ratio: number;
}

/** A signature of `points` points in 6 strokes across a 600×200 pad, like a name written with a finger. */
export function syntheticSignature(points: number): SignatureInput {
  const strokes: [number, number][][] = [];
  const perStroke = Math.ceil(points / 6);
  for (let s = 0, left = points; left > 0; s++) {
    const n = Math.min(perStroke, left);
    left -= n;
    strokes.push(Array.from({ length: n }, (_, i) => [Math.round(20 + s * 95 + (i * 80) / n), Math.round(100 + 60 * Math.sin((i / n) * Math.PI * 3 + s))] as [number, number]));
  }
  return { width: 600, height: 200, strokes };
}

export async function measureReceipts(settings: { n: number; points: number }, log: (line: string) => void = () => {}): Promise<ReceiptFigures> {
  const root = mkdtempSync(join(tmpdir(), 'assettrack-bench-receipts-'));
  try {
    const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: root, ASSETTRACK_RECEIPTS: 'required' }), 'BENCH-BOX');
    app.store.startBackgroundCheckpoints();
    const cage = registerCage(app);
    const signature = syntheticSignature(settings.points);
    const tag = cage.tags[0]!;
    const holder = cage.holderBadges[0]!;
    const run = (cmd: Command) => {
      const t0 = performance.now();
      const outcome = app.execute(cmd, { actor: cage.operator, source: 'touch' }, (events) => events);
      const ms = performance.now() - t0;
      if (!outcome.ok) throw outcome.error;
      return { ms, events: outcome.response };
    };
    const signed: number[] = [];
    const plain: number[] = [];
    let receiptBytes = 0;
    const block = 25;
    const issue = (withSignature: boolean) => {
      const r = run({ type: 'Issue', tags: [tag], holder, ...(withSignature ? { receipt: { signature }, requireReceipt: true } : {}) });
      run({ type: 'Return', tags: [tag] });
      return r;
    };
    for (let i = 0; i < 20; i++) issue(i % 2 === 0); // warm-up
    for (let round = 0; signed.length < settings.n; round++) {
      const order = round % 2 === 0 ? [true, false] : [false, true];
      for (const withSignature of order) {
        for (let i = 0; i < block; i++) {
          const r = issue(withSignature);
          (withSignature ? signed : plain).push(r.ms);
          if (withSignature && receiptBytes === 0) receiptBytes = Buffer.byteLength(JSON.stringify(r.events[0]!.data));
        }
      }
    }
    app.close();
    const s = latencyStats(signed);
    const p = latencyStats(plain);
    log(`  receipts: signed issue p50 ${round(s.p50, 3)} ms p99 ${round(s.p99, 3)} ms; plain p50 ${round(p.p50, 3)} ms p99 ${round(p.p99, 3)} ms`);
    return { n: signed.length, signaturePoints: settings.points, receiptBytes, signed: s, plain: p, p50Ratio: ratio(s.p50, p.p50), p99Ratio: ratio(s.p99, p.p99) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.BENCH_RECEIPT_N ?? 500);
  const figures = await measureReceipts({ n, points: 300 }, (line) => console.error(line));
  console.log(JSON.stringify(figures, null, 2));
}
