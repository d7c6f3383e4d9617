// The kiosk process checkpoints the WAL in a worker thread, so no command pays for it inline.
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
afterEach(() => cage.close());

function scanMany(n: number): void {
  for (let i = 0; i < n; i++) {
    cage.ok({ type: 'RecordScan', text: `LT-00${i % 3 + 1}`, rawHex: '', source: 'wedge', device: `d${i}` });
  }
}

describe('background checkpoints', () => {
  it('copy the WAL into the database file while the writer keeps going', async () => {
    cage = openCage();
    cage.app.store.startBackgroundCheckpoints(20);
    expect(cage.app.store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(cage.app.store.path).size;
    scanMany(300);
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await sleep(20);
      after = statSync(cage.app.store.path).size;
    }
    expect(after).toBeGreaterThan(before);
  });

  it('leave the file alone when not started and automatic checkpoints are off (the control)', async () => {
    cage = openCage();
    cage.app.store.db.pragma('wal_checkpoint(TRUNCATE)');
    cage.app.store.db.pragma('wal_autocheckpoint = 0');
    const before = statSync(cage.app.store.path).size;
    scanMany(300);
    await sleep(200);
    expect(statSync(cage.app.store.path).size).toBe(before);
  });
});
