// Benchmark 4's measurements, each in a fresh child process (test/bench/child.ts) so that peak RSS is the
// measured work's own. Ours and its baseline alternate, so a busy moment of the shared machine hits both.
import { join } from 'node:path';
import type { ReplayMeasurement, StartMeasurement } from './child.ts';
import type { Runs } from './report.ts';
import { runJsonChild } from './spawn-json.ts';

const CHILD = join(import.meta.dirname, 'child.ts');
const TIMEOUT_MS = 3 * 60_000;

interface Pair<T> {
  ours: Runs<T>;
  baseline: Runs<T>;
  failures: string[];
}

async function alternate<T>(dataDir: string, modes: [ours: string, baseline: string], times: number, pick: (runs: T[]) => T | null, how: 'median'): Promise<Pair<T>> {
  const ours: T[] = [];
  const baseline: T[] = [];
  const failures: string[] = [];
  for (let i = 0; i < times; i++) {
    for (const [mode, into] of [[modes[1], baseline], [modes[0], ours]] as const) {
      const outcome = await runJsonChild<T>(CHILD, [mode, dataDir], TIMEOUT_MS);
      if (outcome.ok) into.push(outcome.value);
      else failures.push(`${mode}: ${outcome.reason}`);
    }
  }
  return {
    ours: { pick: how, reported: pick(ours), runs: ours },
    baseline: { pick: how, reported: pick(baseline), runs: baseline },
    failures,
  };
}

/** The median run by `key` (an actual run, so its fields belong together). */
function medianBy<T>(key: (run: T) => number): (runs: T[]) => T | null {
  return (runs) => [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)] ?? null;
}

/** Replay and SELECT *, three times each; the median run of each is reported (all runs are in the report). */
export function measureReplay(dataDir: string, times = 3): Promise<Pair<ReplayMeasurement>> {
  return alternate(dataDir, ['replay', 'replay-baseline'], times, medianBy((r) => r.ms), 'median');
}

/** Cold start and the plain-SQL start, three times each; the median run (by time since process start) is reported. */
export function measureStart(dataDir: string, times = 3): Promise<Pair<StartMeasurement>> {
  return alternate(dataDir, ['start', 'start-baseline'], times, medianBy((r) => r.sinceProcessStartMs), 'median');
}
