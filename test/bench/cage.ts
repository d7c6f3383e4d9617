// The benchmark's cage: a realistic custody cage (1000 laptops in 30 cases, 300 holders, an admin and an
// operator) registered through the appliance's one write path, and the commands the workloads send to it.
import type { Appliance } from '../../appliance/appliance.ts';
import { tagKey } from '../../appliance/domain/tags.ts';
import type { Actor, Command, JsonObject } from '../../appliance/domain/types.ts';

export const CAGE_SIZE = { assets: 1000, holders: 300, cases: 30, slotsPerCase: 40 } as const;

const ASSETS_PER_CASE = Math.ceil(CAGE_SIZE.assets / CAGE_SIZE.cases);
const MODELS = [['Dell', 'Latitude 5450'], ['Lenovo', 'ThinkPad T14 Gen 5'], ['HP', 'EliteBook 840 G11'], ['Panasonic', 'Toughbook 40']] as const;
const ORGS = ['Field Survey', 'Operations', 'Engineering', 'Audit', 'Logistics', 'Security'] as const;

export interface Cage {
  tags: string[];
  holderBadges: string[];
  caseLabels: string[];
  /** The operator who issues and returns (Issue/Return need one). */
  operator: Actor;
}

export const assetTag = (i: number): string => `LT-${String(i + 1).padStart(5, '0')}`;
export const holderBadge = (i: number): string => `EMP-${String(i + 1).padStart(4, '0')}`;
export const caseLabel = (i: number): string => `CASE-${String(i + 1).padStart(2, '0')}`;

/** Registers the cage through app.execute (as `assettrack` would) and returns its names. */
export function registerCage(app: Appliance): Cage {
  const consoleActor: Actor = { kind: 'console' };
  const must = <T>(outcome: { ok: true; response: T } | { ok: false; error: Error }): T => {
    if (!outcome.ok) throw outcome.error;
    return outcome.response;
  };
  const run = (cmd: Command) => must(app.execute(cmd, { actor: consoleActor, source: 'console' }, () => null));

  must(app.registerOperator({ name: 'Bench Admin', badge: 'ADM-0001', pin: '9001', role: 'admin' }, { actor: consoleActor, source: 'console' }));
  must(app.registerOperator({ name: 'Bench Operator', badge: 'OPR-0001', pin: '1001', role: 'operator' }, { actor: consoleActor, source: 'console' }));
  const caseLabels = Array.from({ length: CAGE_SIZE.cases }, (_, i) => caseLabel(i));
  for (const label of caseLabels) run({ type: 'RegisterCase', label, slots: CAGE_SIZE.slotsPerCase });
  const holderBadges = Array.from({ length: CAGE_SIZE.holders }, (_, i) => holderBadge(i));
  run({
    type: 'ImportHolders',
    rows: holderBadges.map((badge, i) => ({
      row: i + 2, name: `Holder ${String(i + 1).padStart(3, '0')}`, badge, org: ORGS[i % ORGS.length]!, kind: i % 25 === 24 ? 'team' : 'person',
    })),
  });
  const tags = Array.from({ length: CAGE_SIZE.assets }, (_, i) => assetTag(i));
  run({
    type: 'ImportAssets',
    rows: tags.map((tag, i) => {
      const [make, model] = MODELS[i % MODELS.length]!;
      return {
        row: i + 2, tag, serial: `${make.slice(0, 2).toUpperCase()}${String(730_000 + i * 37)}`, assetType: 'laptop', make, model,
        notes: '', slot: `${caseLabel(Math.floor(i / ASSETS_PER_CASE))}/${(i % ASSETS_PER_CASE) + 1}`,
      };
    }),
  });
  return { tags, holderBadges, caseLabels, operator: app.operatorByBadge('OPR-0001') };
}

/** A barcode read by the kiosk's keyboard-wedge scanner, ending in CR as scanners send it. */
export function scanCommand(value: string, device = 'kiosk-1'): Command {
  const text = `${value}\r`;
  return { type: 'RecordScan', text, rawHex: Buffer.from(text, 'utf8').toString('hex'), source: 'wedge', device };
}

/** The data of the ScanCaptured event the store records for a scan of asset `tag` (the peer appends the same). */
export function scanData(tag: string, device = 'kiosk-1'): JsonObject {
  const text = `${tag}\r`;
  return {
    raw_hex: Buffer.from(text, 'utf8').toString('hex'), value: tag, source: 'wedge', device, kind: 'asset', ref: tagKey(tag), duplicate: false, reason: '',
  };
}

/** A small deterministic random source (mulberry32), so every run records the same history. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a busy cage scans: mostly asset tags, some badges and slot labels, now and then an unknown code. */
export function scanValue(random: () => number, cage: Cage): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (r < 0.85) return pick(cage.tags);
  if (r < 0.95) return pick(cage.holderBadges);
  if (r < 0.99) return `${pick(cage.caseLabels)}/${1 + Math.floor(random() * CAGE_SIZE.slotsPerCase)}`;
  return `X${Math.floor(random() * 1e9).toString(36).toUpperCase()}`;
}
