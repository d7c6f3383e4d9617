// Kiosk settings from the environment (README "Configuration"), beside the appliance's own config.
import { ConfigError } from '../config.ts';

export interface KioskConfig {
  /** Seconds without a tap or scan before the kiosk signs the operator out (ASSETTRACK_IDLE_SIGN_OUT_SECONDS). */
  idleSeconds: number;
  /** Assets issued this many days or more count as overdue (ASSETTRACK_OVERDUE_DAYS). */
  overdueDays: number;
  /** How long the Undo button stays after a change (ASSETTRACK_UNDO_SECONDS). */
  undoSeconds: number;
  /** Longest pause between two characters of one keyboard-wedge scan (ASSETTRACK_WEDGE_GAP_MS). */
  wedgeGapMs: number;
  /** Extra Host names accepted besides the bound address and localhost (ASSETTRACK_ALLOWED_HOSTS, comma separated). */
  allowedHosts: string[];
  /** An audit export is due when the last one is older than this many days (ASSETTRACK_EXPORT_DUE_DAYS). */
  exportDueDays: number;
  /** The address the server listens on (set by listen()); its name is accepted as Host. */
  boundHost?: string;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, not "${raw}".`);
  return n;
}

export function loadKioskConfig(env: NodeJS.ProcessEnv = process.env): KioskConfig {
  return {
    idleSeconds: seconds(env, 'ASSETTRACK_IDLE_SIGN_OUT_SECONDS', 120),
    overdueDays: Math.round(seconds(env, 'ASSETTRACK_OVERDUE_DAYS', 14)),
    undoSeconds: seconds(env, 'ASSETTRACK_UNDO_SECONDS', 10),
    wedgeGapMs: seconds(env, 'ASSETTRACK_WEDGE_GAP_MS', 50),
    exportDueDays: Math.round(seconds(env, 'ASSETTRACK_EXPORT_DUE_DAYS', 90)),
    allowedHosts: (env.ASSETTRACK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}
