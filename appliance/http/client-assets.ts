// The files the browser loads, all served from this box (no CDN, no outside fonts): the client bundle
// (built by ui/build-client.ts when missing or stale) and the page stylesheet.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { CLIENT_BUNDLE, ensureClientBundle } from '../../ui/build-client.ts';

const asset = (name: string) => fileURLToPath(new URL(`../../ui/assets/${name}`, import.meta.url));

/** Builds the bundle if needed. Where esbuild is not installed (a production image) an existing bundle is used. */
export async function prepareClientBundle(): Promise<void> {
  try {
    await ensureClientBundle();
  } catch (err) {
    try {
      readFileSync(CLIENT_BUNDLE);
    } catch {
      throw new Error(`The kiosk's browser bundle ${CLIENT_BUNDLE} is missing and cannot be built: ${(err as Error).message}`);
    }
  }
}

export function clientAssets(): express.Router {
  const router = express.Router();
  router.get('/assets/client.js', async (_req, res, next) => {
    try {
      await prepareClientBundle();
      res.type('text/javascript').set('cache-control', 'no-cache').send(readFileSync(CLIENT_BUNDLE));
    } catch (err) {
      next(err);
    }
  });
  router.get('/assets/kiosk.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'no-cache').send(readFileSync(asset('kiosk.css')));
  });
  router.get(['/assets/icon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'max-age=86400').send(readFileSync(asset('icon.svg')));
  });
  return router;
}
