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
async function expectRefused(bundle: string, expected: (string | RegExp)[]): Promise<string[]> {
  const report = await verifyBundle(bundle);
  expect(report.ok).toBe(false);
  // The same verdict, word for word, when the log is checked in four parts by worker threads.
  const split = await verifyBundle(bundle, { threads: 4 });
  expect(split.failures).toEqual(report.failures);
  if (split.parts) expect(split).toMatchObject({ parts: 4, workers: 4 });
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
  it('accepts the bundle as exported (both ways)', async () => {
    expect(await verifyBundle(q1.bundle)).toMatchObject({ ok: true, failures: [], count: q1.count, head: q1.head, deviceId: 'AUDIT-1', parts: 1, workers: 0 });
    // In parts, in worker threads: the same result.
    const split = await verifyBundle(q1.bundle, { threads: 4 });
    expect(split).toMatchObject({ ok: true, failures: [], count: q1.count, head: q1.head, parts: 4, workers: 4 });
    expect(split.checks).toEqual((await verifyBundle(q1.bundle)).checks);
    const procSplit = runBundleVerifier(q1.bundle, ['--threads', '3', '--json']);
    expect(procSplit.code, procSplit.stdout + procSplit.stderr).toBe(0);
    expect(JSON.parse(procSplit.stdout)).toMatchObject({ ok: true, count: q1.count, parts: 3, workers: 3 });
    const proc = runBundleVerifier(q1.bundle);
    expect(proc.code, proc.stdout).toBe(0);
    expect(proc.stdout).toContain(`VERIFIED: ${q1.count} events up to event ${q1.count}`);
  });

  it('one byte of a data value in events.ndjson changed', async () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'events.ndjson');
    const text = lines(path);
    const i = text.findIndex((l) => l.includes('"value":"LT-00007"'));
    expect(i).toBeGreaterThan(0);
    const seq = JSON.parse(text[i]!).seq as number;
    text[i] = text[i]!.replace('"value":"LT-00007"', '"value":"LT-00008"'); // one byte, the length unchanged
    writeFileSync(path, text.join('\n'));
    await expectRefused(bundle, [
      'events.ndjson does not match its SHA-256 in the manifest (altered)',
      `event ${seq}: its content does not match its hash (altered after it was written)`,
    ]);
  });

  it('one line removed from events.ndjson', async () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'events.ndjson');
    const text = lines(path);
    text.splice(300, 1); // event 301
    writeFileSync(path, text.join('\n'));
    await expectRefused(bundle, [
      'events.ndjson does not match its SHA-256 in the manifest (altered)',
      'events.ndjson line 301: event 302 where event 301 was expected (an event was removed, added or reordered)',
    ]);
  });

  it('gives the same verdict however the log is cut into parts for the worker threads', async () => {
    // In two parts the log is cut at the first line that starts in its second half: each change is made at
    // each line around that cut, so it falls on the last line of the first part, on the first line of the
    // second (where the parts are joined, in this thread) and inside either. Then 3 to 8 parts once.
    const original = lines(join(q1.bundle, 'events.ndjson'));
    let mid = 0;
    for (let bytes = 0, half = readFileSync(join(q1.bundle, 'events.ndjson')).length / 2; bytes < half; mid++) bytes += Buffer.byteLength(original[mid]!) + 1;
    const changes: Record<string, (t: string[], i: number) => void> = {
      'a line removed': (t, i) => { t.splice(i, 1); },
      'two lines swapped': (t, i) => { [t[i], t[i + 1]] = [t[i + 1]!, t[i]!]; },
      'a line duplicated': (t, i) => { t.splice(i, 0, t[i]!); },
      'a prev_hash that is not hex': (t, i) => { t[i] = t[i]!.replace(/"prev_hash":"[0-9a-f]{64}"/, `"prev_hash":"${'Z'.repeat(64)}"`); },
      'a prev_hash of another event': (t, i) => { t[i] = t[i]!.replace(/"prev_hash":"[0-9a-f]{64}"/, `"prev_hash":"${(JSON.parse(t[i - 5]!) as { hash: string }).hash}"`); },
      'a line that is not JSON': (t, i) => { t[i] = t[i]!.slice(0, 40); },
    };
    const verdicts = async (what: string, change: (t: string[]) => void, parts: number[]) => {
      const bundle = copyOfBundle();
      const path = join(bundle, 'events.ndjson');
      const text = lines(path);
      change(text);
      writeFileSync(path, text.join('\n'));
      const whole = await verifyBundle(bundle, { threads: 1 });
      expect(whole.ok, what).toBe(false);
      expect(whole.failures.length, what).toBeGreaterThan(1); // the file's SHA-256 and the event log
      for (const n of parts) {
        const split = await verifyBundle(bundle, { threads: n });
        expect(split.failures, `${what}, in ${n} parts`).toEqual(whole.failures);
        expect(split, `${what}, in ${n} parts`).toMatchObject({ parts: n, workers: n });
      }
    };
    for (const [what, change] of Object.entries(changes)) {
      for (let at = mid - 3; at <= mid + 3; at++) await verdicts(`${what} at line ${at + 1}`, (t) => change(t, at), [2]);
      await verdicts(`${what} at line 201`, (t) => change(t, 200), [3, 4, 5, 6, 7, 8]);
    }
    await verdicts('the file cut in the middle of its last line', (t) => { t[t.length - 2] = t[t.length - 2]!.slice(0, 30); t.pop(); }, [2, 3]);
  });

  it('manifest.json edited (the event count)', async () => {
    const bundle = copyOfBundle();
    const path = join(bundle, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.events.count -= 1;
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
    await expectRefused(bundle, [
      'manifest.sig: the signature does not match manifest.json and device-public-key.pem (the manifest was edited, or signed by another key)',
      'the manifest\'s seq range, count or first/last hash do not match events.ndjson',
    ]);
  });

  it('manifest.json re-signed by another key, with that key\'s public key put in the bundle', async () => {
    const bundle = copyOfBundle();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const manifest = readFileSync(join(bundle, 'manifest.json'));
    writeFileSync(join(bundle, 'manifest.sig'), `${sign(null, manifest, privateKey).toString('base64')}\n`);
    writeFileSync(join(bundle, 'device-public-key.pem'), pem);
    const other = keyFingerprint(pem);
    const device = (await verifyBundle(q1.bundle)).fingerprint!;
    // The signature itself holds (the key signed these bytes), but it is not the device's key: not the one
    // the manifest names, not the one event 1 of the log recorded; and the key file is not the one listed.
    const failures = await expectRefused(bundle, [
      `device-public-key.pem has fingerprint ${other} but the manifest names ${device}`,
      `the signing key ${other} is not the key the log was started with (${device})`,
      'device-public-key.pem does not match its SHA-256 in the manifest (altered)',
    ]);
    expect(failures.some((f) => f.startsWith('manifest.sig'))).toBe(false);
  });

  it('only manifest.sig replaced by another key\'s signature', async () => {
    const bundle = copyOfBundle();
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(bundle, 'manifest.sig'), `${sign(null, readFileSync(join(bundle, 'manifest.json')), privateKey).toString('base64')}\n`);
    await expectRefused(bundle, ['manifest.sig: the signature does not match manifest.json and device-public-key.pem (the manifest was edited, or signed by another key)']);
  });

  it('a file added to the bundle', async () => {
    const bundle = copyOfBundle();
    writeFileSync(join(bundle, 'corrections.csv'), 'asset_tag,holder\r\nLT-00001,nobody\r\n');
    await expectRefused(bundle, ['corrections.csv is in the folder but not in the manifest (added after export)']);
  });

  it('holdings.csv edited', async () => {
    const bundle = copyOfBundle();
    appendFileSync(join(bundle, 'holdings.csv'), 'LT-99999,SN,laptop,,,issued,no,operational,H-0001,Bob Baker,EMP-0101,Field Survey,,,\r\n');
    await expectRefused(bundle, ['holdings.csv does not match its SHA-256 in the manifest (altered)']);
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

  it('a bundle of another device as the previous one is refused, saying so', async () => {
    const out = cli(join(root, 'data'), ['verify-export', q2.bundle, '--previous', foreign.bundle]);
    expect(out.code).toBe(1);
    expect(out.body.ok).toBe(false);
    expect(out.body.error.code).toBe('EXPORT_INVALID');
    expect(out.body.error.failures).toEqual(expect.arrayContaining([
      'the previous bundle is from another device or key',
      'this bundle does not name that bundle as its previous export (another quarter is missing in between, or the wrong folder was given)',
    ]));
    expect(out.body.error.message).toBe(out.body.error.failures[0]);
    const report = await verifyBundle(q2.bundle, { previous: foreign.bundle });
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual(out.body.error.failures);
    expect((await verifyBundle(foreign.bundle)).ok, 'the other device\'s bundle is fine by itself').toBe(true);
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
