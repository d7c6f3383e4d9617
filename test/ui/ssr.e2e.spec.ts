// Server rendering before any script: the HTML itself carries each screen's content in declarative
// shadow roots, and every asset the page needs is served by the box.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, type Kiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
beforeAll(async () => {
  kiosk = await startKiosk();
});
afterAll(() => kiosk.close());

async function get(path: string) {
  const res = await fetch(kiosk.base + path);
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
});
