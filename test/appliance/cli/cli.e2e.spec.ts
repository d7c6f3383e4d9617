// The assettrack command as scripts use it: a real process, a temp data dir, --json answers and exit codes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/cage.ts';

const BIN = fileURLToPath(new URL('../../../appliance/cli/assettrack', import.meta.url));
let dir: string;

function at(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(BIN, args, { env: { ...process.env, ASSETTRACK_DATA_DIR: dir, ...env }, encoding: 'utf8' });
  expect(r.stderr, 'never a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function json(args: string[], env: Record<string, string> = {}) {
  const r = at([...args, '--json'], env);
  const lines = r.stdout.trim().split('\n');
  expect(lines, `exactly one JSON object on stdout for ${args.join(' ')}`).toHaveLength(1);
  return { code: r.code, body: JSON.parse(lines[0]!) };
}

beforeAll(() => {
  dir = tempDir('assettrack-cli-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assettrack CLI', () => {
  it('refuses to work before init, with exit 3', () => {
    const r = json(['holdings']);
    expect(r).toEqual({ code: 3, body: { ok: false, error: { code: 'STORE_NOT_INITIALIZED', message: expect.stringContaining('Run "assettrack init"') } } });
  });

  it('init is safe to repeat', () => {
    const first = json(['init', '--device-id', 'cage-7']);
    expect(first.code).toBe(0);
    expect(first.body).toMatchObject({ ok: true, created: true, device_id: 'CAGE-7', key_fingerprint: expect.stringMatching(/^([0-9a-f]{4}:){15}[0-9a-f]{4}$/) });
    const again = json(['init', '--device-id', 'other']);
    expect(again.body).toMatchObject({ created: false, device_id: 'CAGE-7', key_fingerprint: first.body.key_fingerprint });
    expect(json(['key']).body.fingerprint).toBe(first.body.key_fingerprint);
  });

  it('registers the cage and runs a day of custody', () => {
    expect(json(['register-case', '--label', 'CASE-13', '--slots', '10']).body).toEqual({ ok: true, events: [expect.objectContaining({ type: 'CaseRegistered' })], case: { label: 'CASE-13', slots: 10 } });
    expect(json(['register-operator', '--name', 'Ada', '--badge', 'ADM-1', '--pin', '4321', '--role', 'admin']).body.operator)
      .toEqual({ id: 'O-0001', name: 'Ada', badge: 'ADM-1', role: 'admin' });
    json(['register-operator', '--name', 'Oscar', '--badge', 'OPR-1', '--pin', '1111', '--operator', 'ADM-1']);
    const holder = json(['register-holder', '--name', 'Bob Baker', '--badge', 'EMP-1', '--org', 'Survey']);
    expect(holder.body.holder).toEqual({ id: 'H-0001', name: 'Bob Baker', badge: 'EMP-1', org: 'Survey', kind: 'person', active: true });
    const asset = json(['register-asset', '--tag', 'DDC4CY002424', '--serial', 'SN1', '--type', 'laptop', '--make', 'Dell', '--model', 'Latitude', '--slot', 'CASE-13/6']);
    expect(asset.body.asset).toMatchObject({ tag: 'DDC4CY002424', state: 'in_storage', missing: false, condition: 'operational', holder: null, home: 'CASE-13/6', slot: 'CASE-13/6' });
    json(['register-asset', '--tag', '007', '--serial', 'SN7', '--slot', 'CASE-13/7']);

    const issue = json(['issue', 'ddc-4cy-002424', '007', '--holder', 'EMP-1', '--operator', 'OPR-1', '--key', 'k-issue']);
    expect(issue.code).toBe(0);
    expect(issue.body.events.map((e: { type: string }) => e.type)).toEqual(['AssetIssued', 'AssetIssued']);
    expect(json(['issue', 'ddc-4cy-002424', '007', '--holder', 'EMP-1', '--operator', 'OPR-1', '--key', 'k-issue']).body).toMatchObject({ ok: true, replayed: true, events: issue.body.events });

    const holdings = json(['holdings', 'EMP-1']).body;
    expect(holdings.holders[0]).toMatchObject({ id: 'H-0001', name: 'Bob Baker', badge: 'EMP-1' });
    expect(holdings.holders[0].assets.map((a: { tag: string }) => a.tag)).toEqual(['007', 'DDC4CY002424']);
    expect(json(['asset', 'ddc4cy 002424']).body.asset).toMatchObject({ state: 'issued', holder: { id: 'H-0001', name: 'Bob Baker' }, slot: null });

    const refused = json(['return', '007', '--slot', 'CASE-13/6', '--operator', 'OPR-1']);
    expect(refused).toMatchObject({ code: 0 });
    const blocked = json(['return', 'DDC4CY002424', '--operator', 'OPR-1']);
    expect(blocked).toEqual({ code: 1, body: { ok: false, error: { code: 'SLOT_OCCUPIED', message: 'Its home slot CASE-13/6 holds 007; choose an empty slot for DDC4CY002424.', slot: 'CASE-13/6' } } });
    expect(json(['return', 'DDC4CY002424', '--slot', 'CASE-13/1', '--operator', 'OPR-1']).code).toBe(0);

    const sweep = json(['sweep', 'CASE-13', '--seen', 'DDC4CY002424,STRANGER', '--operator', 'OPR-1']);
    expect(sweep.body).toMatchObject({ verified: ['DDC4CY002424'], missing: ['007'], unexpected: ['STRANGER'], wrong_slot: [] });
    expect(json(['asset', '007']).body.asset.missing).toBe(true);
    expect(json(['found', '007', '--operator', 'OPR-1']).code).toBe(0);
    expect(json(['retire', '007', '--reason', 'dropped', '--operator', 'OPR-1']).body.error.code).toBe('ADMIN_REQUIRED');
    expect(json(['retire', '007', '--reason', 'dropped', '--operator', 'ADM-1']).code).toBe(0);

    const scan = json(['scan', 'case-13/2', '--source', 'hid', '--device', 'hid-1']);
    expect(scan.body.scan).toMatchObject({ kind: 'slot', value: 'case-13/2', duplicate: false, reason: '' });

    const history = json(['history', 'DDC4CY002424']).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual(['AssetRegistered', 'AssetIssued', 'AssetReturned', 'AssetVerified']);
    expect(history.events[1]).toMatchObject({ actor: 'O-0002', source: 'console', data: { holder_id: 'H-0001' } });

    expect(json(['verify']).body).toMatchObject({ ok: true, count: expect.any(Number), head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(json(['rebuild', '--check'])).toMatchObject({ code: 0, body: { ok: true, differences: [] } });
  });

  it('prints plain text without --json', () => {
    const r = at(['asset', '007']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('state: retired');
    const refused = at(['issue', '007', '--holder', 'EMP-1', '--operator', 'OPR-1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Refused (ASSET_RETIRED): 007 is retired and cannot be issued.\n');
  });

  it('answers bad usage with exit 2', () => {
    expect(json(['frobnicate'])).toMatchObject({ code: 2, body: { ok: false, error: { code: 'USAGE', message: 'Unknown command "frobnicate". Try: assettrack help' } } });
    expect(json(['issue', 'X', '--holder'])).toMatchObject({ code: 2, body: { error: { message: '--holder needs a value.' } } });
    expect(json(['issue', 'X', '--colour', 'red'])).toMatchObject({ code: 2 });
    expect(json(['register-case', '--label', 'C'])).toMatchObject({ code: 2, body: { error: { message: 'Missing slots.' } } });
    expect(json(['import-assets', '/nonexistent.csv'])).toMatchObject({ code: 2, body: { error: { message: 'Cannot read /nonexistent.csv: ENOENT.' } } });
    expect(json(['issue', 'DDC4CY002424', '--holder', 'EMP-1', '--operator', 'NOBODY'])).toMatchObject({ code: 1, body: { error: { code: 'UNKNOWN_OPERATOR' } } });
  });

  it('previews a CSV import, refuses one with errors whole, and commits a clean one', () => {
    const good = join(dir, 'assets.csv');
    writeFileSync(good, '\ufeffBarcode,Serial Number,Equipment-Type,Make,Model,case_identifier,slot_identifier,Notes\r\nLT-100,S100,laptop,HP,840,CASE-13,3,"has a ""sticker"", scuffed"\r\nDDC4CY002424,SN1,laptop,Dell,Latitude,,,\r\nLT-101,S101,laptop,HP,840,,,\r\n');
    const preview = json(['import-assets', good]);
    expect(preview.body.committed).toBe(false);
    expect(preview.body.rows.map((r: { status: string }) => r.status)).toEqual(['new', 'unchanged', 'new']);
    expect(json(['asset', 'LT-100']).code).toBe(1);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'asset_tag,serial_number,slot\nLT-200,S200,CASE-13/1\nLT-201,S100,\nLT-200,S202,\nLT-203,S203,CASE-13/4\n');
    const refused = json(['import-assets', bad, '--commit']);
    expect(refused.code).toBe(1);
    expect(refused.body.error.code).toBe('IMPORT_HAS_ERRORS');
    expect(refused.body.error.rows).toEqual([
      { row: 2, key: 'LT-200', status: 'error', message: 'Slot CASE-13/1 holds DDC4CY002424.' },
      { row: 3, key: 'LT-201', status: 'new', message: 'new asset' },
      { row: 4, key: 'LT-200', status: 'error', message: 'Tag LT-200 repeats row 2.' },
      { row: 5, key: 'LT-203', status: 'new', message: 'new asset in CASE-13/4' },
    ]);
    expect(json(['asset', 'LT-203']).code).toBe(1);

    const malformed = join(dir, 'malformed.csv');
    writeFileSync(malformed, 'asset_tag,serial_number\n"LT-300,S300\n');
    expect(json(['import-assets', malformed, '--commit']).body.error).toEqual({ code: 'BAD_CSV', message: 'Line 3: a quoted field is never closed.' });
    writeFileSync(malformed, 'tag_number,serial\nX,Y\n');
    expect(json(['import-assets', malformed]).body.error.message).toBe('The header lacks asset_tag; found: tag_number, serial.');

    const commit = json(['import-assets', good, '--commit']);
    expect(commit.body).toMatchObject({ ok: true, committed: true, summary: { new: 2, unchanged: 1, update: 0, error: 0 } });
    expect(json(['asset', 'LT-100']).body.asset).toMatchObject({ slot: 'CASE-13/3', notes: 'has a "sticker", scuffed' });

    const holders = join(dir, 'holders.csv');
    writeFileSync(holders, 'name,badge,organization,kind\nBob Baker,EMP-1,Field Survey,person\nRed Team,TEAM-R,Security,team\nNo Kind,EMP-9,,robot\n');
    const hp = json(['import-holders', holders]);
    expect(hp.body.rows.map((r: { status: string }) => r.status)).toEqual(['update', 'new', 'error']);
    expect(json(['import-holders', holders, '--commit']).code).toBe(1);
  });

  it('finds projections that drifted from the log, and rebuilds them', () => {
    const db = new Database(join(dir, 'assettrack.db'));
    db.exec("UPDATE assets SET state = 'retired', holder_id = NULL WHERE tag = 'LT-100'; DELETE FROM holders WHERE id = 'H-0001';");
    db.close();
    const check = json(['rebuild', '--check']);
    expect(check.code).toBe(1);
    expect(check.body.error.code).toBe('PROJECTION_DIFFERS');
    expect(check.body.error.differences).toEqual([
      expect.objectContaining({ table: 'assets', key: 'LT100', live: expect.objectContaining({ state: 'retired' }), replayed: expect.objectContaining({ state: 'in_storage' }) }),
      expect.objectContaining({ table: 'holders', key: 'H-0001', live: null, replayed: expect.objectContaining({ name: 'Bob Baker' }) }),
    ]);
    expect(json(['rebuild']).body).toMatchObject({ ok: true, rewritten: 2 });
    expect(json(['rebuild', '--check']).code).toBe(0);
    expect(json(['asset', 'LT-100']).body.asset.state).toBe('in_storage');
  });

  it('exits 1 with CHAIN_BROKEN after the file was altered, and 3 for a newer schema', () => {
    const db = new Database(join(dir, 'assettrack.db'));
    db.exec("DROP TRIGGER events_no_update; UPDATE events SET actor = 'mallory' WHERE seq = 4;");
    db.close();
    expect(json(['verify'])).toMatchObject({ code: 1, body: { ok: false, error: { code: 'CHAIN_BROKEN', seq: 4 } } });
    const db2 = new Database(join(dir, 'assettrack.db'));
    db2.pragma('user_version = 42');
    db2.close();
    expect(json(['holdings'])).toMatchObject({ code: 3, body: { error: { code: 'NEWER_SCHEMA' } } });
  });

  it('exits 3 for an unwritable data directory', () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: use a path under a regular file instead, which no one can create
      const file = join(dir, 'plain-file');
      writeFileSync(file, 'x');
      expect(json(['init'], { ASSETTRACK_DATA_DIR: join(file, 'data') })).toMatchObject({ code: 3, body: { error: { code: 'STORE_UNWRITABLE' } } });
    } else {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      expect(json(['init'], { ASSETTRACK_DATA_DIR: join(ro, 'data') })).toMatchObject({ code: 3 });
    }
  });
});

describe('assettrack CLI on bad settings and retries', () => {
  it('refuses a bad device id at init without leaving a half-made store', () => {
    const fresh = tempDir('assettrack-cli-id-');
    try {
      const r = json(['init', '--device-id', 'bad id!'], { ASSETTRACK_DATA_DIR: fresh });
      expect(r).toEqual({ code: 2, body: { ok: false, error: { code: 'BAD_DEVICE_ID', message: 'Device id "BAD ID!" may hold only letters, digits, ".", "_" and "-" (64 at most).' } } });
      expect(json(['holdings'], { ASSETTRACK_DATA_DIR: fresh }).code).toBe(3);
      expect(json(['init', '--device-id', 'good-1'], { ASSETTRACK_DATA_DIR: fresh }).body).toMatchObject({ created: true, device_id: 'GOOD-1' });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('answers bad environment values and busy ports plainly', async () => {
    expect(json(['holdings'], { ASSETTRACK_PORT: 'abc' })).toEqual({ code: 2, body: { ok: false, error: { code: 'BAD_CONFIG', message: 'ASSETTRACK_PORT must be a port number (0-65535), not "abc".' } } });
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const fresh = tempDir('assettrack-cli-port-');
    try {
      const r = at(['serve', '--port', String(port)], { ASSETTRACK_DATA_DIR: fresh });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Refused (PORT_IN_USE): Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('lists the commands as JSON and refuses a sweep without --seen or a scan from a non-scanner source', () => {
    const help = json(['help']);
    expect(help.body.commands).toEqual(expect.arrayContaining([{ name: 'issue', summary: 'Issue assets to a holder (all or nothing), due back --due DATE (default by type; "none" = open-ended)' }]));
    const fresh = tempDir('assettrack-cli-usage-');
    const env = { ASSETTRACK_DATA_DIR: fresh };
    try {
      json(['seed-demo'], env);
      expect(json(['sweep', 'CASE-13', '--operator', 'OPR-1001'], env)).toMatchObject({ code: 2, body: { error: { code: 'USAGE' } } });
      // a case or --cage, exactly one of them
      for (const args of [['sweep', 'CASE-13', '--cage'], ['sweep']]) {
        expect(json([...args, '--seen', 'LT-00030', '--operator', 'OPR-1001'], env)).toMatchObject({
          code: 2, body: { error: { code: 'USAGE', message: expect.stringContaining('either a case to sweep or --cage') } },
        });
      }
      expect(json(['sweep', '--cage', '--operator', 'OPR-1001'], env).body.error.code).toBe('USAGE');
      expect(json(['sweep', '--cage', '--seen', 'LT-00030@1', '--operator', 'OPR-1001'], env)).toMatchObject({ code: 1, body: { error: { code: 'BAD_SLOT' } } });
      expect(json(['asset', 'LT-00030'], env).body.asset.missing).toBe(false);
      const cageSweep = json(['sweep', '--cage', '--seen', 'LT-00030@CASE-13/2,LT-00004@case-13/3', '--operator', 'OPR-1001'], env);
      expect(cageSweep.body).toMatchObject({ ok: true, case: null, scope: 'cage', verified: ['LT-00030'], wrong_slot: ['LT-00004'], unexpected: [] });
      expect(cageSweep.body.cases['CASE-13']).toMatchObject({ verified: 1, wrong_slot: 1 });
      expect(cageSweep.body.events.at(-1)).toMatchObject({ type: 'SweepCompleted', subject: 'CAGE' });
      expect(json(['scan', 'X', '--source', 'import'], env).body.error.message).toBe('--source is one of wedge, hid, cradle, touch.');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe('assettrack CLI retries and partial CSV files', () => {
  it('returns the first answer, marked replayed, for a retried key', () => {
    const fresh = tempDir('assettrack-cli-retry-');
    const env = { ASSETTRACK_DATA_DIR: fresh };
    try {
      json(['init'], env);
      const first = json(['register-operator', '--name', 'Ada', '--badge', 'A-1', '--pin', '1234', '--role', 'admin', '--key', 'op-1'], env);
      const again = json(['register-operator', '--name', 'Ada', '--badge', 'A-1', '--pin', '1234', '--role', 'admin', '--key', 'op-1'], env);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      json(['register-case', '--label', 'C-1', '--slots', '3'], env);
      const csv = join(fresh, 'a.csv');
      writeFileSync(csv, 'asset_tag,serial_number,make,model,slot\nT-1,S-1,Dell,5450,C-1/1\n');
      const commit = json(['import-assets', csv, '--commit', '--key', 'imp-1'], env);
      expect(commit.body.rows[0].status).toBe('new');
      expect(json(['import-assets', csv, '--commit', '--key', 'imp-1'], env).body).toEqual({ ...commit.body, replayed: true });
      // a file without make/model columns changes only what it has
      writeFileSync(csv, 'asset_tag,serial_number,notes\nT-1,S-1,new battery\n');
      const partial = json(['import-assets', csv, '--commit'], env);
      expect(partial.body.rows[0]).toMatchObject({ status: 'update', message: 'changes notes' });
      expect(json(['asset', 'T-1'], env).body.asset).toMatchObject({ make: 'Dell', model: '5450', notes: 'new battery', slot: 'C-1/1' });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
