// Installs the peer of benchmark 2 (Emmett's SQLite event store) in test/bench/peer when it is missing:
// `npm install --legacy-peer-deps` there (emmett-sqlite 0.42.4 asks for emmett 0.42.4, the registry has
// 0.42.0), with this node first on PATH and its headers for node-gyp, as sqlite3 may compile from source.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PEER_DIR = join(import.meta.dirname, 'peer');
export const PEER_PACKAGE = '@event-driven-io/emmett-sqlite';

const INSTALL_TIMEOUT_MS = 10 * 60_000;

export type PeerInstall = { ok: true; action: 'present' | 'installed'; ms?: number } | { ok: false; reason: string };

function installed(): boolean {
  return existsSync(join(PEER_DIR, 'node_modules', PEER_PACKAGE, 'package.json')) &&
    existsSync(join(PEER_DIR, 'node_modules', 'sqlite3', 'package.json'));
}

export async function ensurePeerInstalled(log: (line: string) => void): Promise<PeerInstall> {
  if (installed()) return { ok: true, action: 'present' };
  log('  installing the peer (npm install in test/bench/peer; sqlite3 may compile for ~2 min)…');
  const nodeBin = dirname(process.execPath);
  const nodeDir = dirname(nodeBin);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${nodeBin}:${process.env.PATH ?? ''}` };
  if (!env.npm_config_nodedir && existsSync(join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: PEER_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `npm could not be started: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && installed()) return resolve({ ok: true, action: 'installed', ms: Math.round(performance.now() - t0) });
      const tail = output.trim().split('\n').filter((l) => !/Unknown (env|user) config/.test(l)).slice(-8).join(' | ');
      resolve({ ok: false, reason: `npm install in test/bench/peer failed (${signal ?? `exit ${code}`}): ${tail}`.slice(0, 1000) });
    });
  });
}
