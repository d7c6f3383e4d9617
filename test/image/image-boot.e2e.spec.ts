// The appliance image booted under QEMU (image/qemu-boot.sh: -M virt, the image's own kernel, initramfs and
// kernel command line, the image as a virtio disk, 127.0.0.1:PORT forwarded to the guest's 8080):
//   1. first boot: the appliance and kiosk units become active, /healthz answers through the forward, the
//      data partition was grown and holds the store, the root is read-only, logs are in RAM, nothing listens
//      beyond loopback, the kiosk shows the one-time enrolment code (a screenshot in test-artifacts/);
//   2. one issue and one return through the JSON API (first admin, case, asset, holder);
//   3. the watchdog: the appliance stopped (SIGSTOP, through the test bridge) is killed and restarted once
//      /healthz has not answered three checks;
//   4. the first admin enrolled (through the API in 2): the kiosk leaves the start page for the appliance
//      (Chromium holds a connection to it, and the screen shows a light page that drew);
//   5. a hard reset (QEMU's system_reset: power cut) in the middle of a burst of commands: after the reboot
//      every acknowledged command is still there (its Idempotency-Key replays the same events), the chain
//      verifies, the projections match a replay, and the kiosk shows the appliance again.
// The image's state is read from the test bridge's ASSETTRACK-TEST lines on the serial console (a unit that
// only starts with 'assettrack.testbridge' on the kernel command line).
//
// Slow (pure emulation): it runs when ASSETTRACK_IMAGE_TEST=1 (`make image-test`), on build/assettrack-arm64.img
// or ASSETTRACK_IMAGE; otherwise it is skipped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const WANTED = process.env.ASSETTRACK_IMAGE_TEST === '1';
const IMAGE = process.env.ASSETTRACK_IMAGE ?? join(ROOT, 'build/assettrack-arm64.img');
const DIR = join(ROOT, 'build/image-test');
const ARTIFACTS = join(ROOT, 'test-artifacts/image-test');
const MINUTE = 60_000;
if (!WANTED) console.warn('test/image/image-boot.e2e.spec.ts skipped: set ASSETTRACK_IMAGE_TEST=1 (make image-test) to boot the image under QEMU.');

type Report = {
  units: Record<string, string>;
  system: string;
  failed: string;
  root: string;
  data: string;
  data_bytes: number;
  data_files: string;
  journal: string;
  listening: string;
  chromium: number;
  kiosk_connections: number;
  enrolment_code: string;
  watchdog: string;
  appliance_pid: number;
  appliance_restarts: number;
  uptime: number;
};
type Answer = { status: number; body: Record<string, any> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapsed = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Two free consecutive ports on 127.0.0.1: the appliance's and the test bridge's control port. */
async function freePorts(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error('no two free consecutive ports');
}

/** The VM: QEMU in the background, its serial console in a file, its monitor on a unix socket. */
class Vm {
  qemu: ChildProcess | null = null;
  port = 0;
  readonly log = join(DIR, 'serial.log');
  private output = '';

  async start(): Promise<void> {
    mkdirSync(DIR, { recursive: true });
    this.port = await freePorts();
    this.qemu = spawn('bash', [join(ROOT, 'image/qemu-boot.sh'), '--image', IMAGE, '--dir', DIR, '--port', String(this.port), '--fresh', '--test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.qemu.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.qemu.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  get exited(): string | null {
    if (!this.qemu || (this.qemu.exitCode === null && this.qemu.signalCode === null)) return null;
    return `QEMU exited (${this.qemu.exitCode ?? this.qemu.signalCode}): ${this.output.slice(-2000)}`;
  }

  serial(): string {
    return existsSync(this.log) ? readFileSync(this.log, 'latin1') : '';
  }

  /** The test bridge's reports, oldest first, from byte `from` of the serial log on. */
  reports(from = 0): Report[] {
    const out: Report[] = [];
    for (const line of this.serial().slice(from).split('\n')) {
      const at = line.indexOf('ASSETTRACK-TEST {');
      if (at < 0) continue;
      try {
        out.push(JSON.parse(line.slice(at + 'ASSETTRACK-TEST '.length).trim()) as Report);
      } catch {
        // a line cut by the reset, or interleaved with other console output
      }
    }
    return out;
  }

  async monitor(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(join(DIR, 'monitor.sock'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('error', reject);
      socket.on('connect', () => {
        socket.write(`${command}\n`);
        setTimeout(() => {
          socket.end();
          resolve(text);
        }, 1500);
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.qemu || this.exited) return;
    await this.monitor('quit').catch(() => undefined);
    for (let i = 0; i < 50 && !this.exited; i++) await sleep(100);
    if (!this.exited) this.qemu.kill('SIGKILL');
  }
}

/**
 * One HTTP request on a connection of its own (agent: false, Connection: close). Reusing idle keep-alive
 * connections, as fetch does, failed now and then with "other side closed" on a loaded machine: the appliance
 * closes an idle connection after 5 s, and through QEMU's forward and the test bridge's relay that close
 * reached the test late, after it had sent the next request on it.
 */
function request(method: string, url: string, options: { body?: string; headers?: Record<string, string>; timeoutMs: number }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${url}: no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

class Api {
  token = '';
  private readonly vm: Vm;
  constructor(vm: Vm) {
    this.vm = vm;
  }
  get base() {
    return `http://127.0.0.1:${this.vm.port}`;
  }
  private async json(method: string, path: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
    const r = await request(method, `${this.base}${path}`, { body: body === undefined ? undefined : JSON.stringify(body), headers, timeoutMs });
    return { status: r.status, body: JSON.parse(r.text) as Record<string, any> };
  }
  async get(path: string, timeoutMs = 30_000): Promise<Answer> {
    return this.json('GET', path, undefined, {}, timeoutMs);
  }
  async command(name: string, body: Record<string, unknown>, key: string = randomUUID(), timeoutMs = 30_000): Promise<Answer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Idempotency-Key': key };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    return this.json('POST', `/api/commands/${name}`, body, headers, timeoutMs);
  }
  async signIn(badge: string, pin: string): Promise<void> {
    const { body } = await this.json('POST', '/api/sessions', { badge, pin }, { 'Content-Type': 'application/json' }, 30_000);
    expect(body.ok, JSON.stringify(body)).toBe(true);
    this.token = body.token as string;
  }
}

/** Polls until `probe` returns a value (bounded); the failure names what was last seen. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>, last: () => string): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const problem = vm.exited;
    if (problem) throw new Error(`${what}: ${problem}`);
    try {
      const value = await probe();
      if (value !== null && value !== undefined) {
        timings.push(`${what}: ${elapsed(started)}`);
        return value;
      }
    } catch {
      // not yet
    }
    await sleep(2000);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s. Last state: ${last()}`);
}

const vm = new Vm();
/** Where the serial log stood when the first admin was enrolled (through the API, not on the kiosk). */
let enrolledAt = 0;
/** The one-time admin enrolment code the first boot showed (read from the test bridge's report). */
let enrolmentCode = '';
const api = new Api(vm);
const timings: string[] = [];

async function healthy(from: number): Promise<Report | null> {
  const report = vm.reports(from).at(-1);
  if (!report || report.units['assettrack.service'] !== 'active' || report.units['assettrack-kiosk.service'] !== 'active') return null;
  const health = await api.get('/healthz', 10_000);
  return health.body.ok === true ? report : null;
}

function lastState(from = 0): string {
  return JSON.stringify(vm.reports(from).at(-1) ?? { serial: vm.serial().slice(-1500) });
}

type Shot = { width: number; height: number; colours: number; dark: number; light: number; uniform: number };

/**
 * test-artifacts/image-test/NAME.png from QEMU's screendump (PPM), with what was on the screen: the number of
 * colours (a page that never drew is one colour), the shares of dark and light pixels (the start page with
 * the enrolment code is dark; the appliance's screens are light), and the share of the commonest colour below
 * the top tenth of the screen (1 when nothing is drawn there: a white page, or only the appliance's top bar;
 * about 0.65 for the appliance's home screen, 0.75 for the start page).
 */
async function screenshot(name: string): Promise<Shot> {
  const ppm = join(DIR, `${name}.ppm`);
  rmSync(ppm, { force: true });
  await vm.monitor(`screendump ${ppm}`);
  let b = Buffer.alloc(0);
  let i = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(b[i] ?? 32))) i++;
    let s = '';
    while (i < b.length && !/\s/.test(String.fromCharCode(b[i] ?? 32))) s += String.fromCharCode(b[i++] ?? 32);
    return s;
  };
  let width = 0;
  let height = 0;
  // QEMU writes the file after answering the monitor: wait until it is all there.
  for (let tries = 0; ; tries++) {
    b = existsSync(ppm) ? readFileSync(ppm) : Buffer.alloc(0);
    i = 0;
    if (b.length > 16 && token() === 'P6') {
      width = Number(token());
      height = Number(token());
      token();
      i++;
      if (width > 0 && height > 0 && b.length >= i + width * height * 3) break;
    }
    if (tries >= 40) throw new Error(`QEMU's screendump ${ppm} was not written (${b.length} bytes)`);
    await sleep(250);
  }
  const png = new PNG({ width, height });
  const colours = new Set<number>();
  let dark = 0;
  let light = 0;
  const below = new Map<number, number>();
  const top = Math.floor(height / 10) * width;
  for (let p = 0; p < width * height; p++) {
    const [r, g, bl] = [b[i + p * 3] ?? 0, b[i + p * 3 + 1] ?? 0, b[i + p * 3 + 2] ?? 0];
    png.data[p * 4] = r;
    png.data[p * 4 + 1] = g;
    png.data[p * 4 + 2] = bl;
    png.data[p * 4 + 3] = 255;
    const colour = (r << 16) | (g << 8) | bl;
    if (p % 7 === 0) colours.add(colour);
    if (p >= top) below.set(colour, (below.get(colour) ?? 0) + 1);
    const luma = 0.299 * r + 0.587 * g + 0.114 * bl;
    if (luma < 64) dark++;
    else if (luma > 192) light++;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.png`), PNG.sync.write(png));
  const n = width * height;
  return { width, height, colours: colours.size, dark: dark / n, light: light / n, uniform: Math.max(0, ...below.values()) / Math.max(1, n - top) };
}

const describeShot = (s: Shot) =>
  `${s.width}x${s.height}, ${s.colours} colours, ${Math.round(s.dark * 100)} % dark, ${Math.round(s.light * 100)} % light, commonest colour ${Math.round(s.uniform * 100)} % below the top`;
/** A page drew: colours, and something drawn below the top tenth (not only the appliance's top bar). */
const drew = (s: Shot) => s.colours > 8 && s.uniform < 0.9;

/**
 * The kiosk shows the appliance: Chromium holds a connection to it (every screen of the appliance keeps one
 * open for live updates; the start page and an error page hold none), seen by the test bridge, and the screen
 * shows a light page that drew (the start page is dark, a page that never drew is one colour, a page that drew
 * only its top bar is one colour below it).
 */
async function kioskShowsAppliance(what: string, from: number, timeoutMs: number, shotName: string): Promise<Shot> {
  let shot: Shot | null = null;
  try {
    await waitFor(`${what}: the kiosk browser connected to the appliance`, timeoutMs, async () => ((vm.reports(from).at(-1)?.kiosk_connections ?? 0) > 0 ? true : null), () => lastState(from));
    return await waitFor(`${what}: the appliance drawn on the screen`, 3 * MINUTE, async () => {
      shot = await screenshot(shotName);
      return drew(shot) && shot.light > 0.5 ? shot : null;
    }, () => `${shot ? describeShot(shot) : 'no screenshot'}; ${lastState(from)}`);
  } finally {
    // What the screen showed, also when a wait failed (without hiding that failure).
    try {
      shot ??= await screenshot(shotName);
      timings.push(`${what}: screen ${describeShot(shot)}`);
    } catch (error) {
      timings.push(`${what}: no screenshot: ${String(error)}`);
    }
  }
}

describe.runIf(WANTED)('the appliance image under QEMU', () => {
  beforeAll(async () => {
    expect(existsSync(IMAGE), `no image at ${IMAGE}: run make image`).toBe(true);
    expect(spawnSync('qemu-system-aarch64', ['--version']).status, 'qemu-system-aarch64 is not installed (apt-get install qemu-system-arm)').toBe(0);
    await vm.start();
  });

  afterAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The test bridge's look at the box (sockets, processes, the kiosk's log) before it goes.
    if (vm.port > 0 && !vm.exited) {
      try {
        const r = await request('GET', `http://127.0.0.1:${vm.port + 1}/diagnostics`, { timeoutMs: 150_000 });
        writeFileSync(join(ARTIFACTS, 'diagnostics.txt'), r.text);
      } catch (error) {
        writeFileSync(join(ARTIFACTS, 'diagnostics.txt'), `the test bridge did not answer: ${String(error)}\n`);
      }
    }
    await vm.stop();
    writeFileSync(join(ARTIFACTS, 'serial.log'), vm.serial());
    // Node aborting while starting under QEMU's multi-threaded emulation (image/README.md, "Known gaps").
    timings.push(`Node aborts in V8 seen on the console (systemd restarted it): ${vm.serial().split('Check failed: ').length - 1}`);
    writeFileSync(join(ARTIFACTS, 'timings.txt'), `${timings.join('\n')}\n`);
    console.log(`image test timings:\n  ${timings.join('\n  ')}`);
  }, 4 * MINUTE);

  it('first boot: appliance and kiosk active, /healthz answers, data partition grown, read-only root, kiosk shows the enrolment code', async () => {
    const started = Date.now();
    const report = await waitFor('first boot until appliance + kiosk active and /healthz answers', 12 * MINUTE, () => healthy(0), lastState);
    expect(report.root.split(',')).toContain('ro');
    expect(report.data).toMatch(/^ext4\s+rw,/);
    // The image's data partition is 256 MiB; the virtual card is 1 GiB bigger and first boot grows into it.
    expect(report.data_bytes).toBeGreaterThan(1024 * 1024 * 1024);
    expect(report.data_files.split(' ')).toEqual(expect.arrayContaining(['assettrack.db', 'device-key.pem', 'device-public-key.pem', '.assettrack-firstboot']));
    expect(report.units['assettrack-firstboot.service']).toBe('active');
    expect(report.units['assettrack-healthcheck.timer']).toBe('active');
    expect(report.journal.trim()).toMatch(/^\/run\/log\/journal\//);
    expect(report.watchdog).toBe('14s');
    // Nothing listens beyond loopback, except the test bridge on QEMU's network card.
    const listening = report.listening.trim().split(/\s+/).filter((a) => !a.startsWith('10.0.2.15:'));
    expect(listening).toEqual(['127.0.0.1:8080']);
    expect(report.enrolment_code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    enrolmentCode = report.enrolment_code;
    const health = await api.get('/healthz');
    expect(health.body).toMatchObject({ ok: true, store: 'ok', head: { seq: expect.any(Number) } });
    expect(String(health.body.device_id)).toMatch(/^AT-ASSETTRACK-[0-9A-F]{6}$/);

    // The kiosk browser is up and drew its start page (the code, on a dark page): a screenshot.
    const drawn = await waitFor('Chromium running in cage', 8 * MINUTE, async () => ((vm.reports().at(-1)?.chromium ?? 0) > 0 ? true : null), lastState);
    expect(drawn).toBe(true);
    let last: Shot | null = null;
    const shot = await waitFor('the kiosk drawn on the screen', 5 * MINUTE, async () => {
      last = await screenshot('kiosk-first-boot');
      return drew(last) && last.dark > 0.5 ? last : null;
    }, () => `${last ? describeShot(last) : 'no screenshot'}; ${lastState()}`);
    timings.push(`first boot: screen ${describeShot(shot)}`);
    const serial = vm.serial();
    expect(serial).toContain(`AssetTrack first start: admin enrolment code ${report.enrolment_code}`);
    timings.push(`first boot total: ${elapsed(started)}`);
  }, 30 * MINUTE);

  it('one issue and one return through the JSON API', async () => {
    enrolledAt = vm.serial().length;
    // The image asks for the one-time code (ASSETTRACK_ENROLMENT_CODE_FILE): without it the first admin is refused.
    const without = await api.command('register-operator', { name: 'Image Admin', badge: 'ADM-7001', pin: '7001', role: 'admin' });
    expect(without.body, JSON.stringify(without.body)).toMatchObject({ ok: false, error: { code: 'ENROLMENT_CODE_REQUIRED' } });
    const enrol = await api.command('register-operator', { name: 'Image Admin', badge: 'ADM-7001', pin: '7001', role: 'admin', enrolment_code: enrolmentCode.toLowerCase() });
    expect(enrol.body, JSON.stringify(enrol.body)).toMatchObject({ ok: true, operator: { role: 'admin' } });
    await api.signIn('ADM-7001', '7001');
    expect((await api.command('register-case', { label: 'CASE-1', slots: 24 })).body.ok).toBe(true);
    for (let n = 1; n <= 20; n++) {
      const tag = `LT-${String(n).padStart(3, '0')}`;
      const r = await api.command('register-asset', { tag, serial: `SN-${n}`, type: 'laptop', slot: `CASE-1/${n}` });
      expect(r.body.ok, JSON.stringify(r.body)).toBe(true);
    }
    const holder = await api.command('register-holder', { name: 'Ida Holder', badge: 'EMP-7001' });
    expect(holder.body.ok).toBe(true);
    const issued = await api.command('issue', { tags: ['LT-001'], holder: 'EMP-7001' });
    expect(issued.body, JSON.stringify(issued.body)).toMatchObject({ ok: true, events: [{ type: 'AssetIssued', subject: 'LT-001' }] });
    expect((await api.get('/api/assets/LT-001')).body.asset).toMatchObject({ state: 'issued', holder: { name: 'Ida Holder' } });
    const returned = await api.command('return', { tags: ['LT-001'], slot: 'CASE-1/1' });
    expect(returned.body, JSON.stringify(returned.body)).toMatchObject({ ok: true, events: [{ type: 'AssetReturned', subject: 'LT-001' }] });
    const history = await api.get('/api/assets/LT-001/history');
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['AssetRegistered', 'AssetIssued', 'AssetReturned']));
    expect((await api.get('/api/verify')).body.ok).toBe(true);
  }, 10 * MINUTE);

  it('the watchdog: an appliance that stops answering /healthz is killed and started again', async () => {
    const before = vm.reports().at(-1);
    expect(before?.appliance_pid).toBeGreaterThan(0);
    const hung = await request('POST', `http://127.0.0.1:${vm.port + 1}/hang-appliance`, { timeoutMs: 30_000 });
    expect(hung.status).toBe(200);
    const from = vm.serial().length;
    await waitFor('the hung appliance noticed by the healthcheck timer', 5 * MINUTE, async () => (vm.serial().slice(from).includes('/healthz stopped answering') ? true : null), () => lastState(from));
    const after = await waitFor('the appliance answering again after the watchdog restarted it', 8 * MINUTE, async () => {
      const report = vm.reports(from).at(-1);
      if (!report || report.appliance_pid === before?.appliance_pid || report.units['assettrack.service'] !== 'active') return null;
      return (await api.get('/healthz', 10_000)).body.ok === true ? report : null;
    }, () => lastState(from));
    expect(after.appliance_restarts).toBeGreaterThan(before?.appliance_restarts ?? 0);
    expect((await api.get('/api/assets/LT-001')).body.asset).toMatchObject({ state: 'in_storage', slot: 'CASE-1/1' });
  }, 15 * MINUTE);

  it('the kiosk leaves the start page for the appliance once the first admin is enrolled (through the API)', async () => {
    expect(enrolledAt).toBeGreaterThan(0);
    const shot = await kioskShowsAppliance('after the first admin was enrolled', enrolledAt, 10 * MINUTE, 'kiosk-after-enrolment');
    expect(shot.colours).toBeGreaterThan(8);
  }, 15 * MINUTE);

  it('a hard reset in the middle of a burst of commands loses no acknowledged event, and the chain verifies', async () => {
    type Sent = { name: string; body: Record<string, unknown>; key: string; answer?: Answer; error?: string; at: number };
    const sent: Sent[] = [];
    let resetAt = 0;
    const serialBefore = vm.serial().length;
    // Three clients, each issuing and returning its own five laptops in turn, until the VM is gone.
    const worker = async (w: number) => {
      const tags = [2, 3, 4, 5, 6].map((n) => n + w * 5);
      const out = new Set<number>();
      for (let round = 0; round < 300; round++) {
        const n = tags[round % tags.length] as number;
        const tag = `LT-${String(n).padStart(3, '0')}`;
        const s: Sent = out.has(n)
          ? { name: 'return', body: { tags: [tag], slot: `CASE-1/${n}` }, key: randomUUID(), at: Date.now() }
          : { name: 'issue', body: { tags: [tag], holder: 'EMP-7001' }, key: randomUUID(), at: Date.now() };
        sent.push(s);
        try {
          s.answer = await api.command(s.name, s.body, s.key, 10_000);
        } catch (error) {
          s.error = String(error);
          return;
        }
        if (s.answer.body.ok !== true) return;
        if (s.name === 'issue') out.add(n);
        else out.delete(n);
      }
    };
    const burst = [0, 1, 2].map((w) => worker(w));
    // The power cut: once a few dozen commands are acknowledged, while the clients keep sending.
    await waitFor('a burst of acknowledged commands', 5 * MINUTE, async () => (sent.filter((s) => s.answer?.body.ok).length >= 30 ? true : null), () => `${sent.length} sent`);
    resetAt = Date.now();
    await vm.monitor('system_reset');
    await Promise.all(burst);
    const acknowledged = sent.filter((s) => s.answer?.body.ok === true);
    const refused = sent.filter((s) => s.answer && s.answer.body.ok !== true);
    const cut = sent.filter((s) => s.error);
    timings.push(`burst: ${acknowledged.length} acknowledged, ${refused.length} refused, ${cut.length} cut by the reset`);
    expect(refused.map((s) => s.answer?.body)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    expect(cut.length, 'the reset cut no command: it did not happen during the burst').toBeGreaterThan(0);
    expect(cut.every((s) => s.at >= resetAt - 15_000)).toBe(true);

    // After the reboot: the appliance answers again.
    const report = await waitFor('reboot after the hard reset until appliance + kiosk active and /healthz answers', 12 * MINUTE, () => healthy(serialBefore), () => lastState(serialBefore));
    expect(report.uptime).toBeLessThan((Date.now() - resetAt) / 1000 + 5);
    expect(report.data_files.split(' ')).toContain('assettrack.db');
    await api.signIn('ADM-7001', '7001');

    // Every acknowledged command is in the log: its key replays the very same events.
    for (const s of acknowledged) {
      const again = await api.command(s.name, s.body, s.key);
      expect(again.body, `${s.name} ${JSON.stringify(s.body)} acknowledged before the reset`).toMatchObject({ ok: true, replayed: true, events: s.answer?.body.events });
    }
    // The commands the reset cut: recorded once or not at all (sending them again never doubles them).
    for (const s of cut) {
      const again = await api.command(s.name, s.body, s.key);
      expect(again.status, JSON.stringify(again.body)).toBeLessThan(500);
    }
    const highest = Math.max(...acknowledged.flatMap((s) => (s.answer?.body.events as { seq: number }[]).map((e) => e.seq)));
    const verify = await api.get('/api/verify');
    expect(verify.body, JSON.stringify(verify.body)).toMatchObject({ ok: true });
    expect(verify.body.head.seq).toBeGreaterThanOrEqual(highest);
    const rebuild = await api.get('/api/rebuild-check', 60_000);
    expect(rebuild.body, JSON.stringify(rebuild.body)).toMatchObject({ ok: true, differences: [] });

    // An admin is enrolled now: the code is retired and the kiosk opens the appliance itself (its page keeps
    // a connection open for live updates).
    const after = vm.reports(serialBefore).at(-1);
    expect(after?.enrolment_code).toBe('');
    expect(after?.data_files.split(' ')).not.toContain('enrolment-code');
    const shot = await kioskShowsAppliance('after the reboot', serialBefore, 10 * MINUTE, 'kiosk-after-reset');
    expect(shot.colours).toBeGreaterThan(8);
  }, 45 * MINUTE);
});
