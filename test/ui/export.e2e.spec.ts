// The quarterly audit export at the kiosk, in Chromium, onto a real FAT stick: the stick (a vfat image
// mounted through FUSE under the kiosk's USB root, as /media is on the box) shows as a banner with its
// label and free space; "Audit export due" shows before the first export; an admin taps Export, the
// progress shows, then "Export verified … safe to remove" after the stick was unmounted. The bundle is
// then read from the stick again and checked by its own verify.mjs in a separate Node process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cage.ts';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, screenText, signIn, useKiosk } from './support/kiosk.ts';

const root = tempDir('assettrack-usb-root-');
const image = join(tempDir('assettrack-usb-img-'), 'stick.img');
const mountPoint = join(root, 'AUDITQ4');

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
}

function mounted(): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mountPoint} `);
}

function mountStick(): void {
  mkdirSync(mountPoint, { recursive: true });
  sh('fusefat', ['-o', 'rw+', image, mountPoint]);
}

beforeAll(() => {
  sh('truncate', ['-s', '32M', image]);
  sh('mkfs.vfat', ['-n', 'AUDITQ4', image]);
  mountStick();
});
afterAll(() => {
  if (mounted()) spawnSync('fusermount3', ['-u', '-z', mountPoint]);
});

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
}, { devices: { ASSETTRACK_USB_ROOTS: root, ASSETTRACK_CRADLE: '0' } });

describe('audit export at the kiosk', () => {
  it('exports to the inserted FAT stick with progress, unmounts it, and the bundle verifies from the stick', async () => {
    const { page, problems } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'ADM-9001', '9001');
    await page.goto(kiosk.base);
    await hydrated(page);
    await expect.poll(() => page.locator('idle-screen [data-test="usb-banner"]').textContent(), { timeout: 5000 }).toContain('AUDITQ4');
    expect(await page.locator('idle-screen [data-test="usb-banner"]').textContent()).toMatch(/MB free/);
    expect(await page.locator('idle-screen [data-test="export-due"]').textContent()).toContain('Audit export due: none was written yet');
    await screenshot(page, 'export-stick-inserted');

    await page.locator('idle-screen a[data-action="export"]').click();
    await page.waitForURL('**/admin/export');
    await hydrated(page);
    const fingerprint = (await page.locator('export-screen [data-test="fingerprint"]').textContent())!.trim();
    expect(fingerprint).toMatch(/^([0-9a-f]{4}:){15}[0-9a-f]{4}$/);
    const before = kiosk.app.store.head().seq;
    await page.locator('export-screen button[data-action="export"]').click();
    await expect.poll(() => page.locator('export-screen [data-test="export-result"]').textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`Export verified: ${before.toLocaleString('en-US')} events, head ${before} .*The stick is unmounted: safe to remove\\.`));
    await expect.poll(() => screenText(page), { timeout: 5000 }).toContain('Last verified export:');
    await screenshot(page, 'export-verified');
    expect(mounted()).toBe(false);

    const recorded = eventsAfter(kiosk.app, before).filter((e) => e.type === 'ExportWritten');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ source: 'touch', actor: kiosk.app.state().operators.size ? expect.stringMatching(/^O-/) : '', data: { count: before, head_seq: before } });

    // The stick goes back in: the bundle on it verifies with its own verifier, in a separate process.
    mountStick();
    const bundles = readdirSync(mountPoint).filter((n) => n.startsWith('AssetTrack-'));
    expect(bundles).toHaveLength(1);
    expect(readdirSync(mountPoint).filter((n) => n.endsWith('.partial'))).toEqual([]);
    const bundle = join(mountPoint, bundles[0]!);
    const verify = spawnSync(process.execPath, ['verify.mjs'], { cwd: bundle, encoding: 'utf8' });
    expect(verify.stdout).toContain(`VERIFIED: ${before} events`);
    expect(verify.stdout).toContain(fingerprint);
    expect(verify.status).toBe(0);

    // Back on the idle screen: the last export's date instead of "due".
    await page.goto(kiosk.base);
    await hydrated(page);
    expect(await page.locator('idle-screen [data-test="export-due"]').count()).toBe(0);
    expect(await page.locator('idle-screen [data-test="last-export"]').textContent()).toContain('Last audit export:');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('refuses the export to anyone but an admin', async () => {
    const { page } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1001', '1001');
    await page.goto(`${kiosk.base}/admin/export`);
    expect(await screenText(page)).toContain('Oscar Operator is not an admin.');
    const answer = await page.evaluate(async () => {
      const r = await fetch('/kiosk/export', { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-by': 'assettrack-kiosk' }, body: '{}' });
      return { status: r.status, body: await r.json() };
    });
    expect(answer).toMatchObject({ status: 403, body: { ok: false, error: { code: 'ADMIN_REQUIRED' } } });
    await page.context().close();
  });
});
