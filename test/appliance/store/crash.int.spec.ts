// Power-cut stand-in: SIGKILL a writer at random moments; every acknowledged event must survive,
// nothing may be half-written, the chain must verify and the projections must equal a replay.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { verifyChain } from '../../../appliance/store/verify-chain.ts';
import { openCage } from '../../support/cage.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROUNDS = 24;

function runAndKill(dir: string, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
      // start the kill timer once the writer is really writing
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

describe('crash safety', () => {
  it(`keeps every acknowledged event across ${ROUNDS} SIGKILLs`, async () => {
    const cage = openCage();
    const dir = cage.dir;
    cage.app.close();
    let total = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const acked = await runAndKill(dir, 5 + Math.floor(Math.random() * 120));
        const app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dir }));
        try {
          const head = app.store.head().seq;
          expect(acked.length, `round ${round}: the writer acknowledged something`).toBeGreaterThan(0);
          expect(head, `round ${round}: head covers every ack`).toBeGreaterThanOrEqual(acked.at(-1)!);
          for (const seq of acked) expect(app.store.event(seq), `event ${seq}`).toBeDefined();
          const report = verifyChain(app.store);
          expect(report.ok, JSON.stringify(report)).toBe(true);
          expect(app.store.diffProjections(app.store.replay())).toEqual([]);
          // a command is whole or absent: every Issue/Return wrote both of its events
          const custody = app.store.db.prepare("SELECT count(*) AS n FROM events WHERE type IN ('AssetIssued', 'AssetReturned')").get() as { n: number };
          expect(custody.n % 2).toBe(0);
          total += acked.length;
        } finally {
          app.close();
        }
      }
      expect(total).toBeGreaterThan(ROUNDS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
