// What the auditor's verifier catches. One bundle is exported into a plain folder; each case changes a copy
// of it the way someone might, and verify.mjs must refuse it, both as the separate `node verify.mjs` process
// the auditor runs (the copy inside the bundle, in the bundle's folder) and as the verifyBundle() the
// appliance imports, naming what failed. Then two quarters: the second continues the first, and the
// verifier says so; a bundle of another device, or the two in the wrong order, are refused with the reason.
import { generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appliance } from '../../../appliance/appliance.ts';
import { keyFingerprint, verifyBundle } from '../../../appliance/export/verify.mjs';
import { exportBundle, type ExportResult } from '../../../appliance/export/write-bundle.ts';
import { tempDir } from '../../support/cage.ts';
import { cli, makeStore, openApp, runBundleVerifier } from './export-support.ts';

const CONSOLE = { actor: { kind: 'console' as const }, source: 'console' as const };

let root: string;
let app: Appliance;
let q1: ExportResult;
let copies = 0;

beforeAll(async () => {
  root = tempDir('bundle-tamper-');
  makeStore(join(root, 'data'), 'AUDIT-1', 500);
  app = openApp(join(root, 'data'));
  for (const out of ['out', 'out-q2', 'out-other']) mkdirSync(join(root, out));
  q1 = await exportBundle(app, join(root, 'out'), CONSOLE);
});

afterAll(() => {
  app?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh copy of the first bundle to change. */
function copyOfBundle(): string {
  const copy = join(root, 'tampered', `copy-${++copies}`, q1.name);
  cpSync(q1.bundle, copy, { recursive: true });
  return copy;
}

/** Both verifiers refuse `bundle`, and each names every one of `expected` among its failures. */
function expectRefused(bundle: string, expected: (string | RegExp)[]): string[] {
  const report = verifyBundle(bundle);
  expect(report.ok).toBe(false);
  for (const what of expected) {
    expect(report.failures.some((f) => (typeof what === 'string' ? f.includes(what) : what.test(f))), `verifyBundle names ${what}: ${report.failures.join(' | ')}`).toBe(true);
  }
  const proc = runBundleVerifier(bundle);
  expect(proc.code, proc.stdout + proc.stderr).toBe(1);
  expect(proc.stdout).toMatch(/NOT VERIFIED: \d+ check\(s\) failed\. Do not rely on this bundle\./);
  for (const failure of report.failures) expect(proc.stdout).toContain(`FAIL  ${failure}`);
  const json = runBundleVerifier(bundle, ['--json']);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, failures: report.failures });
  return report.failures;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

describe('verify.mjs refuses a changed bundle, naming what changed', () => {
  it('accepts the bundle as exported (both ways)', () => {
    expect(verifyBundle(q1.bundle)).toMatchObject({ ok: true, failures: [], count: q1.count, head: q1.head, deviceId: 'AUDIT-1' });
    const proc = runBundleVerifier(q1.bundle);
    expect(proc.code, proc.stdout).toBe(0);
    expect(proc.stdout).toContain(`VERIFIED: ${q1.count} events up to event ${q1.count}`);
  });

  it('one byte of a data value in events.ndjson changed', () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'events.ndjson');
    const text = lines(path);
    const i = text.findIndex((l) => l.includes('"value":"LT-00007"'));
    expect(i).toBeGreaterThan(0);
    const seq = JSON.parse(text[i]!).seq as number;
    text[i] = text[i]!.replace('"value":"LT-00007"', '"value":"LT-00008"'); // one byte, the length unchanged
    writeFileSync(path, text.join('\n'));
    expectRefused(bundle, [
      'events.ndjson does not match its SHA-256 in the manifest (altered)',
      `event ${seq}: its content does not match its hash (altered after it was written)`,
    ]);
  });

  it('one line removed from events.ndjson', () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'events.ndjson');
    const text = lines(path);
    text.splice(300, 1); // event 301
    writeFileSync(path, text.join('\n'));
    expectRefused(bundle, [
      'events.ndjson does not match its SHA-256 in the manifest (altered)',
      'events.ndjson line 301: event 302 where event 301 was expected (an event was removed, added or reordered)',
    ]);
  });

  it('manifest.json edited (the event count)', () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.events.count -= 1;
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
    expectRefused(bundle, [
      'manifest.sig: the signature does not match manifest.json and device-public-key.pem (the manifest was edited, or signed by another key)',
      'the manifest\'s seq range, count or first/last hash do not match events.ndjson',
    ]);
  });

  it('manifest.json re-signed by another key, with that key\'s public key put in the bundle', () => {
    const bundle = copyOfBundle();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const manifest = readFileSync(join(bundle, 'manifest.json'));
    writeFileSync(join(bundle, 'manifest.sig'), `${sign(null, manifest, privateKey).toString('base64')}\n`);
    writeFileSync(join(bundle, 'device-public-key.pem'), pem);
    const other = keyFingerprint(pem);
    const device = verifyBundle(q1.bundle).fingerprint!;
    // The signature itself holds (the key signed these bytes), but it is not the device's key: not the one
    // the manifest names, not the one event 1 of the log recorded; and the key file is not the one listed.
    const failures = expectRefused(bundle, [
      `device-public-key.pem has fingerprint ${other} but the manifest names ${device}`,
      `the signing key ${other} is not the key the log was started with (${device})`,
      'device-public-key.pem does not match its SHA-256 in the manifest (altered)',
    ]);
    expect(failures.some((f) => f.startsWith('manifest.sig'))).toBe(false);
  });

  it('only manifest.sig replaced by another key\'s signature', () => {
    const bundle = copyOfBundle();
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(bundle, 'manifest.sig'), `${sign(null, readFileSync(join(bundle, 'manifest.json')), privateKey).toString('base64')}\n`);
    expectRefused(bundle, ['manifest.sig: the signature does not match manifest.json and device-public-key.pem (the manifest was edited, or signed by another key)']);
  });

  it('a file added to the bundle', () => {
    const bundle = copyOfBundle();
    writeFileSync(join(bundle, 'corrections.csv'), 'asset_tag,holder\r\nLT-00001,nobody\r\n');
    expectRefused(bundle, ['corrections.csv is in the folder but not in the manifest (added after export)']);
  });

  it('holdings.csv edited', () => {
    const bundle = copyOfBundle();
    appendFileSync(join(bundle, 'holdings.csv'), 'LT-99999,SN,laptop,,,issued,no,operational,H-0001,Bob Baker,EMP-0101,Field Survey,,,\r\n');
    expectRefused(bundle, ['holdings.csv does not match its SHA-256 in the manifest (altered)']);
  });
});

describe('two quarters', () => {
  let q2: ExportResult;
  let foreign: ExportResult;

  beforeAll(async () => {
    // More custody after the first export, then the second quarter's export.
    const oscar = app.operatorByBadge('OPR-1001');
    for (const tags of [['LT-00004'], ['LT-00005', 'LT-00006']]) {
      const outcome = app.execute({ type: 'Issue', tags, holder: 'EMP-0102' }, { actor: oscar, source: 'console' }, () => null);
      if (!outcome.ok) throw outcome.error;
    }
    q2 = await exportBundle(app, join(root, 'out-q2'), CONSOLE);
    // The same demo cage on another box: another device id and key.
    makeStore(join(root, 'other-data'), 'AUDIT-2', 10);
    const other = openApp(join(root, 'other-data'));
    try {
      foreign = await exportBundle(other, join(root, 'out-other'), CONSOLE);
    } finally {
      other.close();
    }
  });

  it('the second continues the first: verify-export --previous and the bundle\'s verify.mjs --previous pass', () => {
    expect(q2.head.seq).toBeGreaterThan(q1.head.seq);
    const manifest = JSON.parse(readFileSync(join(q2.bundle, 'manifest.json'), 'utf8'));
    expect(manifest.previous_export).toMatchObject({ seq: q1.head.seq, hash: q1.head.hash, manifest_sha256: q1.manifestSha256, bundle: q1.name });

    const out = cli(join(root, 'data'), ['verify-export', q2.bundle, '--previous', q1.bundle]);
    expect(out.code, JSON.stringify(out.body)).toBe(0);
    expect(out.body).toMatchObject({ ok: true, count: q2.count, head: q2.head, device_id: 'AUDIT-1' });
    expect(out.body.checks).toEqual(expect.arrayContaining([
      `the previous bundle ${q1.name} verifies`,
      'the previous bundle is from the same device and key',
      `this bundle names that bundle as the previous export (head ${q1.head.seq})`,
      `this chain continues the previous one from event ${q1.head.seq}`,
    ]));
    const proc = runBundleVerifier(q2.bundle, ['--previous', `../../out/${q1.name}`]);
    expect(proc.code, proc.stdout).toBe(0);
    expect(proc.stdout).toContain(`OK    this chain continues the previous one from event ${q1.head.seq}`);
  });

  it('a bundle of another device as the previous one is refused, saying so', () => {
    const out = cli(join(root, 'data'), ['verify-export', q2.bundle, '--previous', foreign.bundle]);
    expect(out.code).toBe(1);
    expect(out.body.ok).toBe(false);
    expect(out.body.error.code).toBe('EXPORT_INVALID');
    expect(out.body.error.failures).toEqual(expect.arrayContaining([
      'the previous bundle is from another device or key',
      'this bundle does not name that bundle as its previous export (another quarter is missing in between, or the wrong folder was given)',
    ]));
    expect(out.body.error.message).toBe(out.body.error.failures[0]);
    const report = verifyBundle(q2.bundle, { previous: foreign.bundle });
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual(out.body.error.failures);
    expect(verifyBundle(foreign.bundle).ok, 'the other device\'s bundle is fine by itself').toBe(true);
  });

  it('the two in the wrong order are refused', () => {
    const out = cli(join(root, 'data'), ['verify-export', q1.bundle, '--previous', q2.bundle]);
    expect(out.code).toBe(1);
    expect(out.body.error.failures).toEqual([
      'this bundle does not name that bundle as its previous export (another quarter is missing in between, or the wrong folder was given)',
      `this chain does not contain the previous bundle's head (event ${q2.head.seq}): history was rewritten between the exports`,
    ]);
    const proc = runBundleVerifier(q1.bundle, ['--previous', `../../out-q2/${q2.name}`]);
    expect(proc.code).toBe(1);
    expect(proc.stdout).toContain('FAIL  this bundle does not name that bundle as its previous export');
  });
});
