// Hand receipts in the audit bundle: receipts/receipt-<seq>.html for every HandReceiptSigned of the quarter,
// each embedding its exact event data, and what verify.mjs checks of them. Each tampering below re-hashes
// the changed files in the manifest and re-signs it with the device's own key (from the test's data
// directory), so the file hashes and the manifest signature all hold and only the receipt checks can catch it.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../appliance/domain/receipts.ts';
import type { Command, JsonObject, RecordedEvent, SignatureInput } from '../../../appliance/domain/types.ts';
import { sha256Hex, verifyBundle } from '../../../appliance/export/verify.mjs';
import { exportBundle, type ExportResult } from '../../../appliance/export/write-bundle.ts';
import { receiptDataJson } from '../../../appliance/receipts/receipt-html.ts';
import { PRIVATE_KEY_FILE } from '../../../appliance/secrets.ts';
import { canonicalJson, eventHash } from '../../../appliance/store/canonical.ts';
import { openCage, tempDir, type Cage } from '../../support/cage.ts';
import { runBundleVerifier } from './export-support.ts';

const CONSOLE = { actor: { kind: 'console' as const }, source: 'console' as const };
const SIGNATURE: SignatureInput = { width: 600, height: 200, strokes: [[[10, 150], [40, 120], [80, 160], [120, 90]], [[200, 100], [260, 110]]] };

let cage: Cage;
let root: string;
let q1: ExportResult;
let receipts: RecordedEvent[];
let copies = 0;

function run(cmd: Command): RecordedEvent[] {
  const outcome = cage.app.execute(cmd, { actor: cage.operator, source: 'touch' }, (events) => events);
  if (!outcome.ok) throw new Error(`${cmd.type} refused: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.response;
}

beforeAll(async () => {
  root = tempDir('receipts-export-');
  cage = openCage();
  cage.app.execute({ type: 'SetTerms', text: 'I keep it safe and bring it back.' }, { actor: cage.admin, source: 'touch' }, () => null);
  receipts = [
    run({ type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1', requireReceipt: true, receipt: { signature: SIGNATURE } })[0]!,
    run({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-2', requireReceipt: true, receipt: { badge: 'EMP-2' } })[0]!,
    run({ type: 'Return', tags: ['LT-002'], returnedBy: 'EMP-1', requireReceipt: true, receipt: { signature: SIGNATURE } })[0]!,
  ];
  run({ type: 'Issue', tags: ['0042'], holder: 'EMP-1' }); // no receipt
  expect(receipts.map((r) => r.type)).toEqual(['HandReceiptSigned', 'HandReceiptSigned', 'HandReceiptSigned']);
  mkdirSync(join(root, 'out'));
  q1 = await exportBundle(cage.app, join(root, 'out'), CONSOLE);
});

afterAll(() => {
  cage?.close();
  rmSync(root, { recursive: true, force: true });
});

const receiptFile = (bundle: string, seq: number) => join(bundle, 'receipts', `receipt-${seq}.html`);
const DATA = /(<script type="application\/json" id="receipt-data" data-seq="\d+">)([^<]*)(<\/script>)/;

function copyOfBundle(): string {
  const copy = join(root, 'tampered', `copy-${++copies}`, q1.name);
  cpSync(q1.bundle, copy, { recursive: true });
  return copy;
}

/** Re-hashes every listed file into the manifest and signs it again with the device key (what only the box could do). */
function resign(bundle: string, drop: string[] = []): void {
  const path = join(bundle, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> } & Record<string, any>;
  for (const name of drop) delete manifest.files[name];
  for (const name of Object.keys(manifest.files)) {
    const bytes = readFileSync(join(bundle, name));
    manifest.files[name] = { sha256: sha256Hex(bytes), bytes: bytes.length };
  }
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path, text);
  const key = createPrivateKey(readFileSync(join(cage.dir, PRIVATE_KEY_FILE)));
  writeFileSync(join(bundle, 'manifest.sig'), `${sign(null, Buffer.from(text), key).toString('base64')}\n`);
}

/** Changes the data a receipt page embeds; `rehash` also recomputes its content_sha256 so that one still holds. */
function alterReceipt(bundle: string, seq: number, change: (d: JsonObject) => void, rehash: boolean): void {
  const path = receiptFile(bundle, seq);
  const page = readFileSync(path, 'utf8');
  const data = JSON.parse(DATA.exec(page)![2]!) as JsonObject;
  change(data);
  if (rehash) {
    const { content_sha256: _old, ...content } = data;
    data.content_sha256 = contentHash(content);
  }
  writeFileSync(path, page.replace(DATA, (_m, open: string, _json: string, close: string) => `${open}${receiptDataJson(data)}${close}`));
}

/**
 * Rewrites event `seq` in events.ndjson and re-chains every hash after it, as someone holding the device key
 * could; the manifest's head follows. The receipt page is changed alike, so it still matches its event.
 */
function rewriteLog(bundle: string, seq: number, change: (d: JsonObject) => void): void {
  const path = join(bundle, 'events.ndjson');
  const events = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  let prev = events[seq - 2]!.hash as string;
  for (const e of events.slice(seq - 1)) {
    if (e.seq === seq) {
      change(e.data);
      const { content_sha256: _old, ...content } = e.data;
      e.data.content_sha256 = contentHash(content);
    }
    e.prev_hash = prev;
    e.hash = eventHash(prev, { ...e, data: canonicalJson(e.data) } as Parameters<typeof eventHash>[1]);
    prev = e.hash;
  }
  writeFileSync(path, events.map((e) => `${canonicalJson(e)}\n`).join(''));
  const receiptData = events[seq - 1]!.data as JsonObject;
  alterReceipt(bundle, seq, (d) => Object.assign(d, receiptData), false);
  const manifestPath = join(bundle, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.head.hash = prev;
  manifest.events.last_hash = prev;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Both verifiers refuse the bundle, and these are its only failures. */
async function refusedWith(bundle: string, expected: string[]): Promise<void> {
  const report = await verifyBundle(bundle);
  expect(report.ok).toBe(false);
  expect(report.failures).toEqual(expected);
  const proc = runBundleVerifier(bundle);
  expect(proc.code, proc.stdout).toBe(1);
  for (const f of expected) expect(proc.stdout).toContain(`FAIL  ${f}`);
}

describe('the receipts of an audit bundle', () => {
  it('holds receipts/receipt-<seq>.html for every receipt of a first export, listed in the manifest, and verifies', async () => {
    const manifest = JSON.parse(readFileSync(join(q1.bundle, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    const names = receipts.map((r) => `receipts/receipt-${r.seq}.html`);
    expect(Object.keys(manifest.files).filter((n) => n.startsWith('receipts/'))).toEqual(names.sort());
    for (const r of receipts) {
      const page = readFileSync(receiptFile(q1.bundle, r.seq), 'utf8');
      const [, open, json] = DATA.exec(page)!;
      expect(open).toContain(`data-seq="${r.seq}"`);
      expect(JSON.parse(json!)).toEqual(r.data);
      expect(sha256Hex(readFileSync(receiptFile(q1.bundle, r.seq)))).toBe(manifest.files[`receipts/receipt-${r.seq}.html`]!.sha256);
    }
    const report = await verifyBundle(q1.bundle);
    expect(report.failures).toEqual([]);
    expect(report.checks.map((c) => c.what)).toContain('3 hand receipt(s) in receipts/: each holds the exact data of its HandReceiptSigned event and its content hash, ' +
      'and names a checkpoint of this chain before it, signed by the device key');
    const proc = runBundleVerifier(q1.bundle);
    expect(proc.code, proc.stdout).toBe(0);
    expect(proc.stdout).toContain('OK    3 hand receipt(s) in receipts/');
  });

  it('verifies its receipts with an older system Node too (plain Node 18+, no dependencies)', () => {
    const node = ['/usr/bin/node', '/bin/node'].find((p) => existsSync(p));
    if (!node) return;
    const r = spawnSync(node, ['verify.mjs'], { cwd: q1.bundle, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('OK    3 hand receipt(s) in receipts/');
  });

  it('holds only the receipts after the previous export\'s head in the next quarter\'s bundle', async () => {
    const later = run({ type: 'Issue', tags: ['LT-LOOSE'], holder: 'EMP-2', requireReceipt: true, receipt: { signature: SIGNATURE } })[0]!;
    mkdirSync(join(root, 'out-q2'));
    const q2 = await exportBundle(cage.app, join(root, 'out-q2'), CONSOLE);
    const manifest = JSON.parse(readFileSync(join(q2.bundle, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files).filter((n) => n.startsWith('receipts/'))).toEqual([`receipts/receipt-${later.seq}.html`]);
    const proc = runBundleVerifier(q2.bundle, ['--previous', q1.bundle]);
    expect(proc.code, proc.stdout).toBe(0);
    expect(proc.stdout).toContain('OK    1 hand receipt(s) in receipts/');
  });
});

describe('verify.mjs refuses a changed receipt, naming it', () => {
  it('its content altered, its content hash recomputed: no longer the data of its event', async () => {
    const bundle = copyOfBundle();
    const seq = receipts[0]!.seq;
    alterReceipt(bundle, seq, (d) => { (d.holder as JsonObject).name = 'Bob Bakes'; }, true);
    resign(bundle);
    await refusedWith(bundle, [`receipts/receipt-${seq}.html (receipt ${seq}): its data is not the data of event ${seq} in events.ndjson (content_sha256, holder differ: the receipt was altered)`]);
  });

  it('its content altered, its content hash left: the hash does not hold', async () => {
    const bundle = copyOfBundle();
    const seq = receipts[2]!.seq;
    alterReceipt(bundle, seq, (d) => { ((d.assets as JsonObject[])[0]!).serial = 'SN-666'; }, false);
    resign(bundle);
    await refusedWith(bundle, [`receipts/receipt-${seq}.html (receipt ${seq}): its content_sha256 is not the SHA-256 of its content (the receipt was altered)`]);
  });

  it('its checkpoint altered in the receipt page', async () => {
    const bundle = copyOfBundle();
    const seq = receipts[1]!.seq;
    alterReceipt(bundle, seq, (d) => { (d.checkpoint as JsonObject).seq = 3; }, true);
    resign(bundle);
    await refusedWith(bundle, [`receipts/receipt-${seq}.html (receipt ${seq}): its data is not the data of event ${seq} in events.ndjson (checkpoint, content_sha256 differ: the receipt was altered)`]);
  });

  it('its checkpoint altered in the log too (the chain re-made): not a point of the chain, not signed, or not before it', async () => {
    const [first, second, last] = receipts as [RecordedEvent, RecordedEvent, RecordedEvent];
    const cp = first.data.checkpoint as { seq: number; hash: string; signature: string };
    const other = second.data.checkpoint as { seq: number; hash: string; signature: string };
    const lastCp = last.data.checkpoint as { seq: number; hash: string };

    // Re-making the chain from the first receipt on also moves the points every later receipt names.
    let bundle = copyOfBundle();
    rewriteLog(bundle, first.seq, (d) => { (d.checkpoint as JsonObject).hash = 'f'.repeat(64); });
    resign(bundle);
    await refusedWith(bundle, [
      `receipts/receipt-${first.seq}.html (receipt ${first.seq}): its checkpoint (event ${cp.seq}, ${'f'.repeat(64)}) is not a point of this chain`,
      `receipts/receipt-${second.seq}.html (receipt ${second.seq}): its checkpoint (event ${other.seq}, ${other.hash}) is not a point of this chain`,
      `receipts/receipt-${last.seq}.html (receipt ${last.seq}): its checkpoint (event ${lastCp.seq}, ${lastCp.hash}) is not a point of this chain`,
    ]);

    bundle = copyOfBundle();
    rewriteLog(bundle, last.seq, (d) => { (d.checkpoint as JsonObject).signature = other.signature; });
    resign(bundle);
    await refusedWith(bundle, [`receipts/receipt-${last.seq}.html (receipt ${last.seq}): its checkpoint signature does not verify with device-public-key.pem`]);

    bundle = copyOfBundle();
    rewriteLog(bundle, last.seq, (d) => { Object.assign(d.checkpoint as JsonObject, { seq: last.seq, hash: 'a'.repeat(64) }); });
    resign(bundle);
    await refusedWith(bundle, [`receipts/receipt-${last.seq}.html (receipt ${last.seq}): its checkpoint (event ${last.seq}) is not before the receipt`]);
  });

  it('a receipt left out of the bundle', async () => {
    const bundle = copyOfBundle();
    const seq = receipts[1]!.seq;
    rmSync(receiptFile(bundle, seq));
    resign(bundle, [`receipts/receipt-${seq}.html`]);
    await refusedWith(bundle, [`receipts/receipt-${seq}.html is not in the bundle: event ${seq} is a HandReceiptSigned of this period`]);
  });
});
