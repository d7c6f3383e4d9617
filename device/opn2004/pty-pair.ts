// A pseudo-terminal pair from socat: two serial-port paths wired to each other, so the real SerialPort
// code can run the driver against the simulator without hardware (tests, the benchmark, a developer's
// kiosk). Killing socat is the closest thing to pulling the cable: the open ports get EBADF and close.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Give this to openSerialLink on the box's side. */
  hostPath: string;
  /** Give this to the simulator's serial port. */
  devicePath: string;
  readonly pid: number;
  /** Kills socat: both ends go away, as when the scanner is pulled. Idempotent. */
  unplug(): Promise<void>;
  /** unplug() and remove the temporary directory. */
  close(): Promise<void>;
}

export async function openPtyPair(socat = '/usr/bin/socat', timeoutMs = 5000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'opn2004-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  const child = spawn(socat, ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      stderr += error.message;
      resolve();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));

  const unplug = async (): Promise<void> => {
    if (!gone) child.kill('SIGTERM');
    await exited;
  };
  const close = async (): Promise<void> => {
    await unplug();
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = performance.now() + timeoutMs;
  while (!(existsSync(hostPath) && existsSync(devicePath))) {
    if (gone || performance.now() > deadline) {
      await close();
      throw new Error(`socat did not make a pty pair: ${stderr.trim() || 'timed out'}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { hostPath, devicePath, pid: pidOf(child), unplug, close };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('socat did not start');
  return child.pid;
}
