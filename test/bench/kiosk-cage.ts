// Benchmark 5's cage: the benchmark's cage (1000 laptops in 30 cases, 300 holders) with 30 days of custody
// behind it, recorded on a clock the benchmark moves, so the dashboard has holders, overdue and missing
// lists, occupancy and a month of chart to draw.
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import type { Command } from '../../appliance/domain/types.ts';
import { registerCage, seededRandom, type Cage } from './cage.ts';

export const HISTORY_DAYS = 30;

export interface KioskCage {
  app: Appliance;
  cage: Cage;
  /** custody commands recorded over the history */
  commands: number;
}

export function buildKioskCage(dir: string): KioskCage {
  const day = 86_400_000;
  let t = Date.now() - HISTORY_DAYS * day;
  const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: dir }), 'BENCH-KIOSK', () => new Date(t));
  const cage = registerCage(app);
  const random = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let commands = 0;
  const run = (cmd: Command) => {
    const outcome = app.execute(cmd, { actor: cage.operator, source: 'console' }, () => null);
    if (outcome.ok) commands += 1;
  };
  const out = new Set<string>();
  for (let d = 0; d < HISTORY_DAYS; d++) {
    for (let i = 0; i < 14; i++) {
      const tag = pick(cage.tags);
      if (out.has(tag)) continue;
      run({ type: 'Issue', tags: [tag], holder: pick(cage.holderBadges) });
      out.add(tag);
    }
    for (let i = 0; i < 9 && out.size > 0; i++) {
      const tag = pick([...out]);
      run({ type: 'Return', tags: [tag] });
      out.delete(tag);
    }
    if (d % 3 === 0) run({ type: 'MarkMissing', tag: pick(cage.tags), reason: 'not seen at count' });
    t += day;
  }
  t = Date.now();
  return { app, cage, commands };
}
