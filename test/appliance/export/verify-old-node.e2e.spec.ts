// verify.mjs promises "plain Node 18 or newer, nothing else": an auditor's laptop is not our box. Where the
// machine has an older system Node than the appliance's (Debian's Node 20 here), the bundle's own verifier
// runs under it, from inside the bundle, with no node_modules anywhere near.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { exportBundle } from '../../../appliance/export/write-bundle.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { tempDir } from '../../support/cage.ts';

const SYSTEM_NODE = ['/usr/bin/node', '/bin/node'].find((p) => existsSync(p));
const version = SYSTEM_NODE ? spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
const older = /^v(18|19|20|21|22|23)\./.test(version);
if (!older) console.warn(`SKIPPED verify-old-node: no system Node older than 24 here (${version || 'none'}).`);

describe.skipIf(!older)(`verify.mjs under the system's ${version}`, () => {
  it('verifies a fresh bundle from inside the bundle folder', async () => {
    const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: tempDir('assettrack-oldnode-') }), 'OLD-NODE');
    seedDemo(app);
    const out = tempDir('assettrack-oldnode-stick-');
    const result = await exportBundle(app, out, { actor: { kind: 'console' }, source: 'console' });
    app.close();
    expect(readdirSync(out)).toEqual([result.name]);
    const run = spawnSync(SYSTEM_NODE!, ['verify.mjs'], { cwd: join(out, result.name), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`VERIFIED: ${result.count} events up to event ${result.head.seq}`);
    expect(run.status).toBe(0);
    // The log checked in parts by worker threads (what a large log gets on a machine with several cores).
    const split = spawnSync(SYSTEM_NODE!, ['verify.mjs', '--threads', '3', '--json'], { cwd: join(out, result.name), encoding: 'utf8' });
    expect(split.stderr).toBe('');
    expect(JSON.parse(split.stdout)).toMatchObject({ ok: true, count: result.count, parts: 3, workers: 3 });
    expect(split.status).toBe(0);
  });
});
