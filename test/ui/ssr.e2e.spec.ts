// Server rendering before any script: the HTML itself carries each screen's content in declarative
// shadow roots, and every asset the page needs is served by the box.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, type Kiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
beforeAll(async () => {
  kiosk = await startKiosk();
});
afterAll(() => kiosk.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(kiosk.base + path, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text(), headers: res.headers };
}

describe('server-rendered screens', () => {
  it('renders the idle screen with its counts inside declarative shadow roots', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<template shadowroot="open" shadowrootmode="open">');
    expect(page.body).toContain('Scan your badge');
    // The demo cage: 40 laptops, 8 issued, 1 retired-or-missing (LT-00035 missing, still in storage).
    expect(page.body).toMatch(/data-count="in_storage">\s*<div class="n"><!--lit-part-->32<!--\/lit-part-->/);
    expect(page.body).toMatch(/data-count="issued">\s*<div class="n"><!--lit-part-->8<!--\/lit-part-->/);
    expect(page.body).toMatch(/data-count="missing">\s*<div class="n"><!--lit-part-->1<!--\/lit-part-->/);
  });

  it('loads only local assets: the client bundle and the stylesheet', async () => {
    const page = await get('/');
    const urls = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^\/(?!\/)/);
    expect(page.body).not.toMatch(/https?:\/\//);
    const js = await get('/assets/client.js');
    expect(js.status).toBe(200);
    expect(js.type).toContain('javascript');
    expect(js.body.length).toBeGreaterThan(1000);
    const css = await get('/assets/kiosk.css');
    expect(css.type).toContain('text/css');
  });

  it('renders the read-only screens complete: asset card, history, holder, dashboard with its SVG chart', async () => {
    const asset = await get('/asset/LT-00001');
    expect(asset.body).toContain('Issued to Bob Baker since');
    expect(asset.body).toContain('Sign in to act on this asset');
    const history = await get('/asset/LT-00001/history');
    expect(history.body).toContain('Oscar Operator issued LT-00001 to Bob Baker.');
    const holder = await get('/holder/EMP-0101');
    expect(holder.body).toMatch(/<a class="link" href="\/asset\/LT-00001">/);
    const dashboard = await get('/dashboard');
    expect(dashboard.body).toMatch(/<svg viewBox="0 0 \d+ \d+" role="img"/);
    expect(dashboard.body).toMatch(/<path d="M[\d.]+,[\d.]+ L/);
    expect(dashboard.body).toContain('Flood Response Crew');
    expect(dashboard.body).toContain('data-case="CASE-13"');
    expect(dashboard.body).toContain('LT-00035');
  });

  it('shows an operator the asset card with only its legal actions, and answers a screen as JSON when asked', async () => {
    const signIn = await fetch(`${kiosk.base}/kiosk/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: kiosk.base, 'x-requested-by': 'assettrack-kiosk' },
      body: JSON.stringify({ badge: 'OPR-1001', pin: '1001' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const card = await get('/asset/LT-00040', { cookie });
    const actions = [...card.body.matchAll(/<button class="[^"]*" data-action="(\w+)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['move', 'missing', 'condition']); // in repair: not issuable; retire is for admins
    const json = await get('/dashboard', { accept: 'application/json' });
    expect(json.type).toContain('application/json');
    expect(JSON.parse(json.body).data.counts).toEqual({ in_storage: 32, issued: 8, missing: 1, overdue: 0 });
  });
});
