// Runs a node script in a child process and reads the one JSON line it prints last on stdout.
// The child is started through `sh -c '"$0" "$@"; exit $?'` rather than directly: on Linux a process's
// resourceUsage().maxRSS starts from the RSS of the process that forked it (kept across exec), so a node
// forked straight from this big parent would report the parent's peak as its own. The shell's own fork of
// node starts afresh. The shell and node run in their own process group, which a time-out kills whole.
import { spawn } from 'node:child_process';

export type ChildOutcome<T> = { ok: true; value: T; wallMs: number } | { ok: false; reason: string; wallMs: number };

export function runJsonChild<T>(script: string, args: string[], timeoutMs: number): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('/bin/sh', ['-c', '"$0" "$@"; exit $?', process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: err.message, wallMs: performance.now() - t0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          resolve({ ok: true, value: JSON.parse(last) as T, wallMs });
          return;
        } catch {
          // fall through: report what it printed
        }
      }
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (time limit ${timeoutMs} ms?)` : ''}` : `exit code ${code}`;
      const tail = (stderr.trim() || last).split('\n').slice(-6).join(' | ');
      resolve({ ok: false, reason: `${why}: ${tail}`.slice(0, 800), wallMs });
    });
  });
}
