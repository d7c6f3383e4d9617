// Builds the browser bundle (ui/client.ts → build/ui/client.js) with esbuild. Run as a script
// (`node ui/build-client.ts`, part of `npm test`) or call ensureClientBundle(): the server does so at start
// and rebuilds only when the bundle is missing or older than a source file under ui/.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI_DIR = dirname(fileURLToPath(import.meta.url));
export const CLIENT_BUNDLE = join(UI_DIR, '..', 'build', 'ui', 'client.js');

export interface BundleInfo {
  file: string;
  bytes: number;
  built: boolean;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleMtime(): number {
  try {
    return statSync(CLIENT_BUNDLE).mtimeMs;
  } catch {
    return 0;
  }
}

export async function buildClient(): Promise<BundleInfo> {
  // esbuild is a dev dependency: a production image ships the bundle it built, and never loads this.
  const { build } = await import('esbuild');
  mkdirSync(dirname(CLIENT_BUNDLE), { recursive: true });
  // Written under a temporary name and renamed: parallel test workers never read half a file.
  const tmp = `${CLIENT_BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(UI_DIR, 'client.ts')],
    outfile: tmp,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  renameSync(tmp, CLIENT_BUNDLE);
  return { file: CLIENT_BUNDLE, bytes: statSync(CLIENT_BUNDLE).size, built: true };
}

let pending: Promise<BundleInfo> | null = null;

/** The bundle, built first when it is missing or a ui/ source is newer. One build per process at a time. */
export function ensureClientBundle(): Promise<BundleInfo> {
  const mtime = bundleMtime();
  if (mtime > 0 && mtime >= newestSource(UI_DIR)) {
    return Promise.resolve({ file: CLIENT_BUNDLE, bytes: statSync(CLIENT_BUNDLE).size, built: false });
  }
  pending ??= buildClient().finally(() => {
    pending = null;
  });
  return pending;
}

if (import.meta.main) {
  const info = await ensureClientBundle();
  console.log(`${info.built ? 'built' : 'up to date'}: ${info.file} (${(info.bytes / 1024).toFixed(1)} KiB)`);
}
