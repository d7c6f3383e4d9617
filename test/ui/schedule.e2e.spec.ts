// Return dates, the sweep schedule, sweeps that last and the terms text, in Chromium, on a kiosk whose clock
// the test moves: the demo cage's issues fall overdue, one asset is due back today, one return was made by
// someone else; the idle screen and the dashboard say so, and propose today's sweep. A sweep is started,
// left, refused to a second operator with the first one's name, resumed with its earlier scans, and
// finished; another is abandoned. An admin reads whether the two-person rule is in force and sets the terms.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditScreen } from './support/audit.ts';
import { eventsAfter, hydrated, type Kiosk, kioskPage, LARGE, screenshot, screenText, signIn, SMALL, useKiosk, wedgeScan } from './support/kiosk.ts';

const DAY = 86_400_000;
/** how far the kiosk's clock runs ahead of the real one */
let offset = 0;
let kiosk: Kiosk;
let browser: Browser;
let sweptCase11At = '';

useKiosk((k, b) => {
  kiosk = k;
  browser = b;
  const app = kiosk.app;
  const oscar = app.operatorByBadge('OPR-1001');
  const run = (cmd: Parameters<typeof app.execute>[0]) => {
    const outcome = app.execute(cmd, { actor: oscar, source: 'console' }, () => null);
    if (!outcome.ok) throw outcome.error;
  };
  // Day 4: CASE-11 is swept (everything in it seen), LT-00005 goes out (due back on day 18 by default), and
  // Eva Novak brings back Dev Patel's LT-00003.
  offset = 4 * DAY;
  run({ type: 'Sweep', case: 'CASE-11', seen: Array.from({ length: 11 }, (_, i) => `LT-${String(i + 4).padStart(5, '0')}`) });
  sweptCase11At = app.nowIso();
  run({ type: 'Issue', tags: ['LT-00005'], holder: 'EMP-0102' });
  run({ type: 'Return', tags: ['LT-00003'], returnedBy: 'EMP-0104' });
  // Day 18: the demo's issues of day 0 (due day 14) are 4 days overdue; LT-00005 is due back today.
  offset = 18 * DAY;
}, { now: () => new Date(Date.now() + offset) });

async function pageAs(badge: string | null, pin = '', viewport = SMALL): Promise<{ page: Page; problems: string[] }> {
  const session = await kioskPage(browser, viewport);
  if (badge) await signIn(session.page, kiosk.base, badge, pin);
  return session;
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(kiosk.base + path);
  await hydrated(page);
}

const texts = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

describe('return dates and the sweep schedule', () => {
  it('the idle screen says what is overdue (and how long), due back today, by holder, and proposes today\'s sweep', async () => {
    const { page, problems } = await pageAs(null);
    await open(page, '/');
    expect(await page.locator('count-tiles [data-count="overdue"] .n').textContent()).toBe('7');
    expect(await page.locator('idle-screen [data-test="overdue-count"]').textContent()).toBe('7 overdue');
    expect(await texts(page, 'idle-screen [data-test="overdue"] li')).toEqual([
      'LT-00001, Bob Baker: 4 days overdue', 'LT-00002, Bob Baker: 4 days overdue',
      'LT-00015, Flood Response Crew: 4 days overdue', 'LT-00016, Flood Response Crew: 4 days overdue',
    ]);
    const text = await screenText(page);
    expect(text).toContain('and 3 more on the dashboard');
    expect(text).toContain('1 due back today');
    expect(await texts(page, 'idle-screen [data-test="due-today"] li')).toEqual(['LT-00005, Chloe Chen']);
    expect((await texts(page, 'idle-screen [data-test="due-by-holder"]'))[0])
      .toBe('By holder: Flood Response Crew (4 overdue); Bob Baker (2 overdue); Grace Obi (1 overdue); Chloe Chen (1 due today)');
    expect(text).toContain("Today's sweep: CASE-12, CASE-13");
    expect(text).toContain('2 cases are behind (each case is swept every 30 days).');
    // signed out, the proposal names the cases; signed in, it links to their sweeps
    expect(await page.locator('idle-screen [data-test="todays-sweep"] a').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();

    for (const viewport of [SMALL, LARGE]) {
      const signedIn = await pageAs('OPR-1001', '1001', viewport);
      await open(signedIn.page, '/');
      expect(await signedIn.page.locator('idle-screen [data-test="todays-sweep"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
        .toEqual(['/sweep/CASE-12', '/sweep/CASE-13']);
      await screenshot(signedIn.page, 'schedule-idle');
      expect(await auditScreen(signedIn.page)).toEqual([]);
      expect(signedIn.problems).toEqual([]);
      await signedIn.page.context().close();
    }
  });

  it('the dashboard lists overdue with how long, due today, by holder, and returns made by someone other than the holder', async () => {
    for (const viewport of [SMALL, LARGE]) {
      const { page, problems } = await pageAs('OPR-1001', '1001', viewport);
      await open(page, '/dashboard');
      const overdue = await texts(page, 'dashboard-screen [data-test="overdue"] li');
      expect(overdue).toHaveLength(7);
      expect(overdue[0]).toMatch(/^LT-00001, Bob Baker: 4 days overdue \(due \d+ \w+\)$/);
      expect(overdue.at(-1)).toMatch(/^LT-00029, Grace Obi: 4 days overdue/);
      expect(await page.locator('dashboard-screen [data-test="overdue"] h2').textContent()).toBe('Overdue (7)');
      expect(await texts(page, 'dashboard-screen [data-test="due-today"] li')).toEqual(['LT-00005, Chloe Chen']);
      expect(await texts(page, 'dashboard-screen [data-test="due-by-holder"] li')).toEqual([
        'Flood Response Crew (4 overdue)', 'Bob Baker (2 overdue)', 'Grace Obi (1 overdue)', 'Chloe Chen (1 due today)',
      ]);
      const returns = await texts(page, 'dashboard-screen [data-test="returns-by-others"] li');
      expect(returns).toHaveLength(1);
      expect(returns[0]).toMatch(/^LT-00003 \(Dev Patel's\) returned by Eva Novak, /);
      await screenshot(page, 'schedule-dashboard');
      expect(await auditScreen(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});

describe('sweeps that last', () => {
  it('starts a sweep, leaves it, refuses it to a second operator by name, resumes it with the earlier scans, and finishes it', async () => {
    const oscar = await pageAs('OPR-1001', '1001');
    const page = oscar.page;
    await open(page, '/sweep');
    // the choice: last swept and next due per case, today's proposal marked
    expect(await page.locator('sweep-choice-screen [data-test="todays-sweep"]').textContent()).toBe("Today's sweep: CASE-12, CASE-13.");
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-12"] [data-test="today"]').count()).toBe(1);
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-11"] [data-test="today"]').count()).toBe(0);
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-12"] [data-test="last-swept"]').textContent()).toBe('Never swept');
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-11"] [data-test="last-swept"]').textContent()).toMatch(/^Last swept \d+ \w+, \d\d:\d\d$/);
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-11"] [data-test="next-due"]').textContent()).toMatch(/^Next due \d+ \w+$/);
    expect(await page.locator('sweep-choice-screen button[data-case="CASE-13"] [data-test="next-due"]').textContent()).toBe('Due today');
    expect(sweptCase11At).not.toBe('');

    const before = kiosk.app.store.head().seq;
    await page.locator('sweep-choice-screen button[data-case="CASE-12"]').click();
    await page.waitForURL('**/sweep/CASE-12');
    await hydrated(page);
    await expect.poll(() => page.locator('sweep-screen [data-test="sweep-note"]').textContent()).toMatch(/^Sweep of CASE-12 started at \d\d:\d\d\.$/);
    const started = eventsAfter(kiosk.app, before).filter((e) => e.type === 'SweepStarted');
    expect(started).toMatchObject([{ subject: 'CASE-12', actor: 'O-0002', source: 'touch' }]);
    for (const tag of ['LT-00019', 'LT-00020']) {
      await wedgeScan(page, tag);
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('sweep-screen h2').first().textContent()).toBe('CASE-12: 2 of 10 seen');
    await screenshot(page, 'schedule-sweep-open');
    expect(await auditScreen(page)).toEqual([]);
    // Save and leave: nothing is recorded but the tap; the sweep stays open, and the idle screen offers to resume it
    const leftAt = kiosk.app.store.head().seq;
    await page.locator('sweep-screen button[data-action="save-and-leave"]').click();
    await page.waitForURL(`${kiosk.base}/`);
    await hydrated(page);
    expect(eventsAfter(kiosk.app, leftAt).map((e) => e.type)).toEqual(['UiAction']);
    expect(await page.locator('idle-screen [data-test="my-open-sweep"]').textContent()).toContain('Your sweep of CASE-12 is open');
    expect(await page.locator('idle-screen [data-test="my-open-sweep"] a').getAttribute('href')).toBe('/sweep/CASE-12');

    // Olga: the choice marks CASE-12 open by Oscar; the sweep screen refuses with his name and takes no scans
    const olga = await pageAs('OPR-1002', '1002');
    await open(olga.page, '/sweep');
    expect(await olga.page.locator('sweep-choice-screen button[data-case="CASE-12"] [data-test="open-by"]').textContent()).toBe('Open: Oscar Operator');
    await open(olga.page, '/sweep/CASE-12');
    const refusal = await olga.page.locator('sweep-screen [data-test="sweep-refused"] p').textContent();
    expect(refusal).toMatch(/^CASE-12 is being swept by Oscar Operator \(started \d\d:\d\d UTC\); wait until they finish, or ask them \(or an admin\) to abandon it\.$/);
    expect(await olga.page.locator('sweep-screen commit-panel').count()).toBe(0);
    const olgaAt = kiosk.app.store.head().seq;
    await wedgeScan(olga.page, 'LT-00027');
    await olga.page.waitForTimeout(300);
    expect(olga.page.url()).toBe(`${kiosk.base}/sweep/CASE-12`);
    expect(eventsAfter(kiosk.app, olgaAt).map((e) => e.type)).toEqual(['ScanCaptured']);
    await screenshot(olga.page, 'schedule-sweep-refused');
    expect(await auditScreen(olga.page)).toEqual([]);
    expect(olga.problems).toEqual([]);
    await olga.page.context().close();

    // Oscar comes back: the sweep resumes with the two assets scanned before
    await open(page, '/sweep/CASE-12');
    await expect.poll(() => page.locator('sweep-screen [data-test="sweep-note"]').textContent())
      .toMatch(/^Resumed your sweep of CASE-12 started at \d\d:\d\d: 2 scanned since then \(LT-00019, LT-00020\)\.$/);
    await expect.poll(() => page.locator('sweep-screen h2').first().textContent()).toBe('CASE-12: 2 of 10 seen');
    expect(await page.locator('sweep-grid .tile.seen').count()).toBe(2);
    await screenshot(page, 'schedule-sweep-resumed');
    await wedgeScan(page, 'LT-00021');
    await expect.poll(() => page.locator('sweep-screen h2').first().textContent()).toBe('CASE-12: 3 of 10 seen');
    const confirmAt = kiosk.app.store.head().seq;
    await page.locator('sweep-screen button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Sweep of CASE-12 recorded: 3 verified, 7 missing');
    const completed = eventsAfter(kiosk.app, confirmAt).find((e) => e.type === 'SweepCompleted')!;
    const startedSeq = [...kiosk.app.store.readEvents(before + 1)].find((e) => e.type === 'SweepStarted')!.seq;
    expect(completed.data).toMatchObject({ verified: ['LT-00019', 'LT-00020', 'LT-00021'], started_seq: startedSeq });
    expect(completed.data.scan_seqs).toHaveLength(3);
    expect(kiosk.app.state().openSweeps.size).toBe(0);
    expect(oscar.problems).toEqual([]);
    await page.context().close();
  });

  it('abandons a sweep: nothing seen or missing is recorded, and the case is free again', async () => {
    const { page, problems } = await pageAs('OPR-1001', '1001');
    await open(page, '/sweep/CASE-13');
    await expect.poll(() => page.locator('sweep-screen [data-test="sweep-note"]').textContent()).toMatch(/^Sweep of CASE-13 started at/);
    expect(kiosk.app.state().openSweeps.size).toBe(1);
    const before = kiosk.app.store.head().seq;
    await page.locator('sweep-screen button[data-action="abandon"]').click();
    expect(await page.locator('sweep-screen [data-test="abandon-confirm"]').textContent()).toContain('Give up this sweep?');
    await page.locator('sweep-screen button[data-action="abandon-confirm"]').click();
    await page.waitForURL(`${kiosk.base}/sweep`);
    const recorded = eventsAfter(kiosk.app, before).filter((e) => e.type !== 'UiAction');
    expect(recorded).toMatchObject([{ type: 'SweepAbandoned', subject: 'CASE-13', actor: 'O-0002' }]);
    expect(kiosk.app.state().openSweeps.size).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('admin: the two-person rule and the terms text', () => {
  it('says whether the rule is in force and why, and sets new versions of the terms', async () => {
    const { page, problems } = await pageAs('ADM-9001', '9001');
    await open(page, '/admin');
    expect(await page.locator('admin-screen [data-test="two-person"] h2').textContent()).toBe('Two-person rule: not in force');
    expect(await page.locator('admin-screen [data-test="two-person"] p').textContent())
      .toBe('Only 1 active admin: the two-person rule starts once a second admin is enrolled.');

    await open(page, '/admin/terms');
    expect(await page.locator('terms-screen [data-test="current-terms"] h2').textContent()).toBe('No terms text yet');
    await page.locator('terms-screen textarea').fill('Equipment stays with the holder named on the receipt.');
    await page.locator('terms-screen button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('terms-screen commit-panel .success').textContent()).toContain('Terms version 1 saved.');
    expect(kiosk.app.state().terms).toMatchObject({ version: 1, text: 'Equipment stays with the holder named on the receipt.' });

    // version 2, typed on the on-screen keyboard
    await open(page, '/admin/terms');
    expect(await page.locator('terms-screen [data-test="current-terms"] h2').textContent()).toBe('Version 1 is in force');
    expect(await page.locator('terms-screen [data-test="current-terms"] .text').textContent()).toBe('Equipment stays with the holder named on the receipt.');
    await page.locator('terms-screen textarea').click();
    await page.locator('terms-screen button[data-key="clear"]').click();
    const key = (k: string) => page.locator(`terms-screen button[data-key="${k}"]`).first().click();
    await key('capitals');
    await key('V');
    await key('capitals');
    for (const k of ['2', 'space', 'K', 'E', 'E', 'P', ',', 'space', 'R', 'E', 'T', 'U', 'R', 'N', '.']) await key(k);
    expect(await page.locator('terms-screen textarea').inputValue()).toBe('V2 keep, return.');
    await screenshot(page, 'schedule-terms');
    expect(await auditScreen(page)).toEqual([]);
    await page.locator('terms-screen button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('terms-screen commit-panel .success').textContent()).toContain('Terms version 2 saved.');
    expect(kiosk.app.state().terms).toMatchObject({ version: 2, text: 'V2 keep, return.' });
    expect(await page.locator('terms-screen [data-test="current-terms"] h2').textContent()).toBe('Version 2 is in force');

    // a second admin is enrolled: the rule is in force, and the terms screen says a second admin confirms
    const enrolled = kiosk.app.registerOperator({ name: 'Ben Admin', badge: 'ADM-9002', pin: '9002', role: 'admin' }, { actor: { kind: 'console' }, source: 'console' });
    expect(enrolled.ok).toBe(true);
    await open(page, '/admin');
    expect(await page.locator('admin-screen [data-test="two-person"] h2').textContent()).toBe('Two-person rule: in force');
    expect(await page.locator('admin-screen [data-test="two-person"] p').textContent()).toContain('2 active admins');
    await open(page, '/admin/terms');
    expect(await page.locator('terms-screen [data-test="terms-rule"]').textContent()).toContain('a second admin confirms the change with their badge and PIN');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
