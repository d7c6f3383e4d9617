// Types for verify.mjs, the bundle verifier that ships as plain JavaScript inside every bundle.
export const BUNDLE_FORMAT: string;
export const BUNDLE_FORMAT_VERSION: number;
export const EVENT_FORMAT_VERSION: number;

export interface Check {
  ok: boolean;
  what: string;
}

export interface BundleReport {
  ok: boolean;
  checks: Check[];
  failures: string[];
  dir: string;
  manifest?: Record<string, unknown> & { head?: { seq: number; hash: string }; device_id?: string };
  manifestSha256?: string;
  fingerprint?: string | null;
  deviceId?: string | null;
  count?: number;
  head?: { seq: number; hash: string } | null;
  countsByType?: Record<string, number>;
  /** the parts events.ndjson was checked in, and how many of them in worker threads */
  parts?: number;
  workers?: number;
}

export function canonical(value: unknown): string;
export function canonicalEvent(e: Record<string, unknown>): string;
export function sha256Hex(data: string | Uint8Array): string;
export function genesisHash(deviceId: string): string;
export function keyFingerprint(publicKeyPem: string): string;
export function verifyBundle(dir: string, options?: { previous?: string | null; threads?: number; maxThreads?: number }): Promise<BundleReport>;
export function describe(report: BundleReport): string;
