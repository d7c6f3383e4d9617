// Configuration from the environment, with the embedded defaults a fresh checkout or appliance runs on.
import { resolve } from 'node:path';
import type { CustodyRules, PrefixedKind, ScanPrefixes } from './domain/types.ts';
import { TWO_PERSON_ACTIONS } from './domain/two-person.ts';

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** Same code, same source, within this window: one scan (design §4). */
  duplicateWindowMs: number;
  maxScanLength: number;
  /** How long an API session token lives after sign-in. */
  sessionMinutes: number;
  /** Optional prefixes that say what an unregistered code looks like ("LT-" → an asset tag). */
  scanPrefixes: ScanPrefixes;
  custody: CustodyRules;
  devices: DeviceConfig;
  /**
   * The box's one-time admin enrolment code (image: /var/lib/assettrack/enrolment-code). While the store has
   * no operator and this file holds a code, the first admin is enrolled only with it; null = no code asked.
   */
  enrolmentCodeFile: string | null;
}

/** Which hardware the box listens to; everything is optional and a missing device is a status, not an error. */
export interface DeviceConfig {
  /** keyboard-wedge scanners read on the device side: /dev/input/by-id/...-event-kbd paths */
  wedgePaths: string[];
  /** what ends a wedge scan besides Enter (some scanners send Tab or a custom suffix); empty = Enter only */
  wedgeSuffix: string;
  /** HID scanners by vendor:product id, hex as lsusb prints it ("05e0:1200") */
  hidScanners: string[];
  /** pins the OPN-2004 cradle to one serial port; null = find it by Opticon's USB vendor id */
  cradlePath: string | null;
  /** the cradle listener; off on a box without a batch scanner */
  cradle: boolean;
  /** GPIO outputs by BCM number; null = not fitted */
  gpio: { green: number | null; red: number | null; buzzer: number | null };
  /** simulated devices and the kiosk's developer panel (never on a real box) */
  simulate: boolean;
  /** where removable media get mounted; a mount below one of these is a USB stick */
  usbRoots: string[];
  /** unmount the stick after a verified export, so it can be pulled at once */
  usbUnmount: boolean;
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

const PREFIX_KINDS: readonly PrefixedKind[] = ['asset', 'operator', 'holder', 'case'];

/** "asset=LT-,LAP-;operator=OPR-,ADM-;holder=EMP-;case=CASE-" */
export function parseScanPrefixes(raw: string | undefined): ScanPrefixes {
  const prefixes: ScanPrefixes = {};
  if (!raw?.trim()) return prefixes;
  for (const part of raw.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [kind, list] = part.split('=', 2).map((x) => x.trim());
    if (!kind || !(PREFIX_KINDS as readonly string[]).includes(kind) || !list) {
      throw new ConfigError(`ASSETTRACK_SCAN_PREFIXES: "${part}" is not KIND=PREFIX[,PREFIX] with KIND one of ${PREFIX_KINDS.join(', ')}.`);
    }
    prefixes[kind as PrefixedKind] = list.split(',').map((p) => p.trim().toUpperCase()).filter(Boolean);
  }
  return prefixes;
}

function listFrom(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

function hidIdsFrom(raw: string | undefined): string[] {
  return listFrom(raw).map((id) => {
    if (!/^[0-9a-f]{4}:[0-9a-f]{4}$/i.test(id)) throw new ConfigError(`ASSETTRACK_HID_SCANNERS: "${id}" is not a vendor:product id like 05e0:1200.`);
    return id.toLowerCase();
  });
}

function pinFrom(env: NodeJS.ProcessEnv, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 53) throw new ConfigError(`${name} must be a BCM GPIO number (0-53), not "${raw}".`);
  return n;
}

function flagFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${env[name]}".`);
}

export function loadDeviceConfig(env: NodeJS.ProcessEnv = process.env): DeviceConfig {
  return {
    wedgePaths: listFrom(env.ASSETTRACK_WEDGE_DEVICES),
    wedgeSuffix: env.ASSETTRACK_WEDGE_SUFFIX ?? '',
    hidScanners: hidIdsFrom(env.ASSETTRACK_HID_SCANNERS),
    cradlePath: env.ASSETTRACK_CRADLE_PORT?.trim() || null,
    cradle: flagFrom(env, 'ASSETTRACK_CRADLE', true),
    gpio: { green: pinFrom(env, 'ASSETTRACK_GPIO_GREEN'), red: pinFrom(env, 'ASSETTRACK_GPIO_RED'), buzzer: pinFrom(env, 'ASSETTRACK_GPIO_BUZZER') },
    simulate: flagFrom(env, 'ASSETTRACK_SIMULATE', false),
    usbRoots: env.ASSETTRACK_USB_ROOTS?.trim() ? listFrom(env.ASSETTRACK_USB_ROOTS).map((r) => resolve(r)) : ['/media', '/run/media'],
    usbUnmount: flagFrom(env, 'ASSETTRACK_USB_UNMOUNT', true),
  };
}

/** "laptop=14,radio=7,*=14" (days until due by asset type; "none" = open-ended) */
export function parseDueDays(raw: string | undefined): Record<string, number | null> {
  const out: Record<string, number | null> = { '*': 14 };
  if (!raw?.trim()) return out;
  if (raw.trim().toLowerCase() === 'none') return { '*': null };
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [type, days] = part.split('=', 2).map((x) => x.trim());
    const n = Number(days);
    if (!type || days === undefined || (days.toLowerCase() !== 'none' && (!Number.isInteger(n) || n < 0 || n > 3650))) {
      throw new ConfigError(`ASSETTRACK_DUE_DAYS: "${part}" is not TYPE=DAYS (or TYPE=none), e.g. laptop=14,radio=7,*=14.`);
    }
    out[type === '*' ? '*' : type.toLowerCase()] = days.toLowerCase() === 'none' ? null : n;
  }
  return out;
}

function twoPersonFrom(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [...TWO_PERSON_ACTIONS];
  if (raw.trim().toLowerCase() === 'none') return [];
  const actions = listFrom(raw).map((a) => a.toLowerCase());
  for (const a of actions) {
    if (!(TWO_PERSON_ACTIONS as readonly string[]).includes(a)) throw new ConfigError(`ASSETTRACK_TWO_PERSON: "${a}" is not one of ${TWO_PERSON_ACTIONS.join(', ')} (or "none").`);
  }
  return actions;
}

export function loadCustodyRules(env: NodeJS.ProcessEnv = process.env): CustodyRules {
  const receipts = (env.ASSETTRACK_RECEIPTS || 'required').trim().toLowerCase();
  if (receipts !== 'required' && receipts !== 'optional') throw new ConfigError(`ASSETTRACK_RECEIPTS must be "required" or "optional", not "${env.ASSETTRACK_RECEIPTS}".`);
  const interval = intFrom(env, 'ASSETTRACK_SWEEP_INTERVAL_DAYS', 30);
  if (interval < 1) throw new ConfigError('ASSETTRACK_SWEEP_INTERVAL_DAYS must be at least 1.');
  return {
    dueDays: parseDueDays(env.ASSETTRACK_DUE_DAYS),
    receiptsRequired: receipts === 'required',
    badgeAcknowledgement: flagFrom(env, 'ASSETTRACK_RECEIPT_BADGE', true),
    sweepIntervalDays: interval,
    twoPerson: twoPersonFrom(env.ASSETTRACK_TWO_PERSON),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: resolve(env.ASSETTRACK_DATA_DIR || './data'),
    host: env.ASSETTRACK_HOST || '127.0.0.1',
    port: portFrom(env.ASSETTRACK_PORT, 'ASSETTRACK_PORT', 8080),
    duplicateWindowMs: intFrom(env, 'ASSETTRACK_DUPLICATE_WINDOW_MS', 750),
    maxScanLength: intFrom(env, 'ASSETTRACK_MAX_SCAN_LENGTH', 128),
    sessionMinutes: intFrom(env, 'ASSETTRACK_SESSION_MINUTES', 480),
    scanPrefixes: parseScanPrefixes(env.ASSETTRACK_SCAN_PREFIXES),
    custody: loadCustodyRules(env),
    devices: loadDeviceConfig(env),
    enrolmentCodeFile: env.ASSETTRACK_ENROLMENT_CODE_FILE?.trim() ? resolve(env.ASSETTRACK_ENROLMENT_CODE_FILE.trim()) : null,
  };
}

export const SOFTWARE_VERSION = '0.1.0';
