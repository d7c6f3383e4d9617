// Test fixtures: a real store in a temp directory, a clock the test moves, and a small cage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import type { Actor, Command } from '../../appliance/domain/types.ts';

export function tempDir(prefix = 'assettrack-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export class TestClock {
  t = Date.parse('2026-03-15T09:00:00.000Z');
  now = () => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Cage {
  app: Appliance;
  dir: string;
  clock: TestClock;
  admin: Actor;
  operator: Actor;
  /** runs a command, returns the outcome */
  run(cmd: Command, actor?: Actor): ReturnType<Appliance['execute']>;
  /** runs a command that must succeed */
  ok(cmd: Command, actor?: Actor): void;
  close(): void;
}

export function openCage(options: { seed?: boolean; dir?: string; env?: Record<string, string> } = {}): Cage {
  const dir = options.dir ?? tempDir();
  const clock = new TestClock();
  const { app } = Appliance.init(loadConfig({ ...options.env, ASSETTRACK_DATA_DIR: dir }), 'TEST-BOX', clock.now);
  const cage: Cage = {
    app, dir, clock,
    admin: { kind: 'console' },
    operator: { kind: 'console' },
    run: (cmd, actor = cage.operator) => app.execute(cmd, { actor, source: 'console' }, () => null),
    ok(cmd, actor) {
      const outcome = cage.run(cmd, actor);
      if (!outcome.ok) throw new Error(`${cmd.type} refused: ${outcome.error.code} ${outcome.error.message}`);
    },
    close() {
      app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.seed !== false) seedSmallCage(cage);
  return cage;
}

/** Two cases (4 and 3 slots), five assets, three holders, an admin and an operator. */
export function seedSmallCage(cage: Cage): void {
  const { app } = cage;
  const reg = (name: string, badge: string, role: 'admin' | 'operator') => {
    const outcome = app.registerOperator({ name, badge, pin: '1234', role }, { actor: { kind: 'console' }, source: 'console' });
    if (!outcome.ok) throw outcome.error;
  };
  reg('Ada Admin', 'ADM-1', 'admin');
  reg('Oscar Operator', 'OPR-1', 'operator');
  cage.admin = app.operatorByBadge('ADM-1');
  cage.operator = app.operatorByBadge('OPR-1');
  cage.ok({ type: 'RegisterCase', label: 'CASE-1', slots: 4 }, cage.admin);
  cage.ok({ type: 'RegisterCase', label: 'CASE-2', slots: 3 }, cage.admin);
  cage.ok({ type: 'RegisterHolder', name: 'Bob Baker', badge: 'EMP-1', org: 'Survey' }, cage.admin);
  cage.ok({ type: 'RegisterHolder', name: 'Chloe Chen', badge: 'EMP-2', org: 'Survey' }, cage.admin);
  cage.ok({ type: 'RegisterHolder', name: 'Flood Crew', badge: 'TEAM-1', kind: 'team' }, cage.admin);
  const assets: [string, string, string | null][] = [
    ['LT-001', 'SN-001', 'CASE-1/1'], ['LT-002', 'SN-002', 'CASE-1/2'], ['LT-003', 'SN-003', 'CASE-1/3'],
    ['0042', 'SN-042', 'CASE-2/1'], ['LT-LOOSE', 'SN-999', null],
  ];
  for (const [tag, serial, slot] of assets) cage.ok({ type: 'RegisterAsset', tag, serial, assetType: 'laptop', slot }, cage.admin);
}
