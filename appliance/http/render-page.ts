// The HTML document around a screen, rendered by @lit-labs/ssr and streamed: the kiosk bar, the screen
// element, and two JSON blocks the client reads: the screen's data (set on the element before it hydrates,
// so it hydrates from exactly what the server rendered) and the page context. Components render inside
// declarative shadow roots, so a screen is complete before any script runs.
import { createHash } from 'node:crypto';
import { html as serverHtml, renderThunked } from '@lit-labs/ssr';
import type { Response } from 'express';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { html, unsafeStatic } from 'lit/static-html.js';
import { COMPONENTS } from '../../ui/components/index.ts';
import { BatchedRenderReadable } from './render-stream.ts';
import type { PageContext } from '../../ui/view-types.ts';

export interface Page {
  title: string;
  context: PageContext;
  /** the screen's custom element, e.g. 'idle-screen' */
  tag: string;
  data: unknown;
}

/**
 * The screen element with its data as a property: no JSON attribute to escape, parse and ship twice. The
 * browser sets the same data from the JSON block (ui/client/screen-data.ts) before the element hydrates.
 */
export function screenTemplate(tag: string, data: unknown) {
  const t = unsafeStatic(tag);
  return html`<${t} .data=${data}></${t}>`;
}

/** JSON for a <script type="application/json"> block: "<" escaped so no "</script>" can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function document(page: Page) {
  return serverHtml`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · AssetTrack</title>
<link rel="icon" href="/assets/icon.svg">
<link rel="stylesheet" href="/assets/kiosk.css">
<script type="module" src="/assets/client.js"></script>
</head><body>
<kiosk-bar heading=${page.title} context=${JSON.stringify(page.context)}></kiosk-bar>
<main id="screen">${screenTemplate(page.tag, page.data)}</main>
<kiosk-toast></kiosk-toast>
<script type="application/json" id="screen-data">${unsafeHTML(scriptJson(page.data))}</script>
<script type="application/json" id="kiosk-context">${unsafeHTML(scriptJson(page.context))}</script>
</body></html>`;
}

export function pageStream(page: Page): BatchedRenderReadable {
  return new BatchedRenderReadable(renderThunked(document(page)));
}

export function sendPage(res: Response, page: Page, status = 200): void {
  res.status(status).type('html').set('cache-control', 'no-store');
  const stream = pageStream(page);
  stream.on('error', (err) => {
    console.error(err);
    res.destroy(err);
  });
  stream.pipe(res);
}

/** The whole page as a string (benchmarks and tests). */
export async function renderPage(page: Page): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of pageStream(page)) chunks.push(String(chunk));
  return chunks.join('');
}

/**
 * CSP hashes of the <style> block each component renders into its shadow root, so the policy can allow
 * exactly those and still forbid inline styles ('unsafe-inline').
 */
export function componentStyleHashes(): string[] {
  const hashes = new Set<string>();
  for (const component of COMPONENTS) {
    const ctor = component as unknown as { finalize(): void; elementStyles?: { cssText: string }[] };
    ctor.finalize();
    const text = (ctor.elementStyles ?? []).map((s) => s.cssText).join('');
    if (text) hashes.add(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  }
  return [...hashes];
}
