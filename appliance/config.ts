// Configuration from the environment, with the embedded defaults a fresh checkout or appliance runs on.
import { resolve } from 'node:path';

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** Same code, same source, within this window: one scan (design §4). */
  duplicateWindowMs: number;
  maxScanLength: number;
  /** How long an API session token lives after sign-in. */
  sessionMinutes: number;
}

/** A setting that cannot be used: the CLI answers it as bad usage (exit 2). */
export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, not "${raw}".`);
  return n;
}

export function portFrom(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number (0-65535), not "${raw}".`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: resolve(env.ASSETTRACK_DATA_DIR || './data'),
    host: env.ASSETTRACK_HOST || '127.0.0.1',
    port: portFrom(env.ASSETTRACK_PORT, 'ASSETTRACK_PORT', 8080),
    duplicateWindowMs: intFrom(env, 'ASSETTRACK_DUPLICATE_WINDOW_MS', 750),
    maxScanLength: intFrom(env, 'ASSETTRACK_MAX_SCAN_LENGTH', 128),
    sessionMinutes: intFrom(env, 'ASSETTRACK_SESSION_MINUTES', 480),
  };
}

export const SOFTWARE_VERSION = '0.1.0';
