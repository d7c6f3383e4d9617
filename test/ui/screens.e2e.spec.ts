// Every screen in Chromium at 800x480 and 1280x800: rendered and hydrated without errors, a screenshot
// under test-artifacts/ui/, and an audit of touch targets (>= 48 px), text size (>= 16 px) and contrast (AA).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditScreen } from './support/audit.ts';
import { hydrated, kioskPage, LARGE, launchChromium, screenshot, signIn, SMALL, startKiosk, type Kiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
let empty: Kiosk;
let browser: Browser;
beforeAll(async () => {
  [kiosk, empty, browser] = await Promise.all([startKiosk(), startKiosk({ demo: false }), launchChromium()]);
  // An asset whose home slot is taken, for the return screen that offers other slots.
  const oscar = kiosk.app.operatorByBadge('OPR-1001');
  const run = (cmd: Parameters<typeof kiosk.app.execute>[0]) => {
    const outcome = kiosk.app.execute(cmd, { actor: oscar, source: 'console' }, () => null);
    if (!outcome.ok) throw outcome.error;
  };
  run({ type: 'Move', tag: 'LT-00004', slot: 'CASE-11/15' });
  run({ type: 'Issue', tags: ['LT-00006'], holder: 'EMP-0104' });
  run({ type: 'Move', tag: 'LT-00004', slot: 'CASE-11/6' });
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await empty?.close();
});

interface Shot {
  name: string;
  path: string;
  as?: 'admin' | 'operator' | null;
  /** the page answers 4xx on purpose */
  status?: number;
  /** something to do before the screenshot */
  act?: (page: Page) => Promise<void>;
  kiosk?: () => Kiosk;
}

const SHOTS: Shot[] = [
  { name: 'first-run', path: '/', as: null, kiosk: () => empty },
  { name: 'idle', path: '/', as: null },
  { name: 'idle-signed-in', path: '/', as: 'admin' },
  { name: 'sign-in', path: '/sign-in', as: null },
  { name: 'sign-in-pin', path: '/sign-in', as: null, act: (p) => p.locator('button[data-operator="O-0002"]').click() },
  { name: 'asset', path: '/asset/LT-00005', as: 'operator' },
  { name: 'asset-issued', path: '/asset/LT-00001', as: 'admin' },
  { name: 'asset-unknown', path: '/find/NOPE-1', as: 'admin', status: 404 },
  { name: 'issue-pick-holder', path: '/issue?tags=LT-00005', as: 'operator' },
  { name: 'issue-confirm', path: '/issue?tags=LT-00005,LT-00007&holder=EMP-0102', as: 'operator' },
  { name: 'return', path: '/return/LT-00001', as: 'operator' },
  { name: 'return-home-taken', path: '/return/LT-00006', as: 'operator' },
  { name: 'move', path: '/asset/LT-00005/move', as: 'operator' },
  { name: 'condition', path: '/asset/LT-00005/condition', as: 'operator' },
  { name: 'mark-missing', path: '/asset/LT-00005/missing', as: 'operator' },
  { name: 'found', path: '/asset/LT-00035/found', as: 'operator' },
  { name: 'retire', path: '/asset/LT-00040/retire', as: 'admin' },
  { name: 'batch', path: '/batch?case=CASE-13', as: 'operator' },
  { name: 'batch-issue-receipt', path: '/batch?case=CASE-11&holder=TEAM-RED', as: 'operator' },
  { name: 'batch-return-receipt', path: '/batch?mode=return&case=CASE-11', as: 'operator' },
  { name: 'sweep-choice', path: '/sweep', as: 'operator' },
  { name: 'sweep', path: '/sweep/CASE-12', as: 'operator' },
  { name: 'dashboard', path: '/dashboard', as: 'operator' },
  { name: 'history', path: '/asset/LT-00004/history', as: 'operator' },
  { name: 'holder', path: '/holder/EMP-0101', as: 'operator' },
  { name: 'admin', path: '/admin', as: 'admin' },
  { name: 'admin-only', path: '/admin', as: 'operator', status: 403 },
  { name: 'admin-register-asset', path: '/admin/assets/new?tag=NEW-0001', as: 'admin' },
  { name: 'admin-register-operator', path: '/admin/operators/new', as: 'admin' },
  { name: 'admin-import', path: '/admin/import?kind=assets', as: 'admin' },
  { name: 'admin-corrections', path: '/admin/corrections', as: 'admin' },
  { name: 'admin-terms', path: '/admin/terms', as: 'admin' },
  // the operator's sweep of CASE-12 (opened above) is still open: another person is refused, with his name
  { name: 'sweep-refused', path: '/sweep/CASE-12', as: 'admin' },
];

describe('every screen', () => {
  for (const viewport of [SMALL, LARGE]) {
    it(`renders, hydrates and passes the audit at ${viewport.width}x${viewport.height}`, async () => {
      const failures: Record<string, string[]> = {};
      const sessions: Record<string, Page> = {};
      const pageAs = async (who: Shot['as'], base: string) => {
        const key = `${who}@${base}`;
        if (!sessions[key]) {
          const { page, problems } = await kioskPage(browser, viewport);
          if (who === 'admin') await signIn(page, base, 'ADM-9001', '9001');
          if (who === 'operator') await signIn(page, base, 'OPR-1001', '1001');
          sessions[key] = Object.assign(page, { problems });
        }
        return sessions[key]!;
      };
      for (const shot of SHOTS) {
        const k = shot.kiosk?.() ?? kiosk;
        const page = await pageAs(shot.as ?? null, k.base);
        const problems = (page as Page & { problems: string[] }).problems;
        problems.length = 0;
        const res = await page.goto(k.base + shot.path);
        expect(res?.status(), shot.name).toBe(shot.status ?? 200);
        await hydrated(page);
        await shot.act?.(page);
        await page.waitForTimeout(50);
        await screenshot(page, shot.name);
        const found = [...await auditScreen(page), ...problems.filter((p) => !(shot.status && p.includes(`status of ${shot.status}`)))];
        if (found.length) failures[shot.name] = found;
      }
      for (const page of Object.values(sessions)) await page.context().close();
      expect(failures).toEqual({});
    });
  }
});
